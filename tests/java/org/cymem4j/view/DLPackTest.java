package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.cymem4j.Allocator;
import org.cymem4j.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DLPack export and import through the public API, against a C consumer and producer that knows only Debian's
 * {@code <dlpack/dlpack.h>} ({@link DLPackTestLibrary}): every element type, C, Fortran and strided (negative
 * strides included) layouts, versioned and legacy structs, deleters counted exactly.
 */
class DLPackTest {
    /** Every type DLPack carries here, with its DLPack (code, bits). */
    static final DType[] TYPES = {DType.BYTE, DType.UBYTE, DType.SHORT, DType.USHORT, DType.INT, DType.UINT,
        DType.LONG, DType.ULONG, DType.LONGLONG, DType.ULONGLONG, DType.FLOAT, DType.DOUBLE};
    /** DLPack's bool, float16 and complex types: views read them since issue 18 (ElementTypesTest). */
    static final DType[] NEWER_TYPES = {DType.BOOL, DType.HALF, DType.CFLOAT, DType.CDOUBLE};
    /** Every type DLPack carries both ways: the round trips run over all of them. */
    static final DType[] ALL_TYPES = Stream.concat(Arrays.stream(TYPES), Arrays.stream(NEWER_TYPES))
            .toArray(DType[]::new);

    /** Layouts of a 3x4 view: an array in C or Fortran order, or a slice with a negative and a stepped axis. */
    enum Layout3x4 { C, FORTRAN, STRIDED }

    private final List<Pool> pools = new ArrayList<>();

    @AfterEach
    void noExportLeft() {
        for (Pool p : pools) {
            p.close();
        }
        assertEquals(0, DLPack.liveExports(), "every exported tensor's deleter ran");
    }

    private Pool pool() {
        Pool p = Pool.open();
        pools.add(p);
        return p;
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType t : ALL_TYPES) {
            for (Layout3x4 l : Layout3x4.values()) {
                all.add(Arguments.of(t, l, true));
                all.add(Arguments.of(t, l, false));
            }
        }
        return all.stream();
    }

    /** The type an import gives: DLPack's int64 is one type, which imports as 'l' (LONG), as NumPy's int64. */
    static DType imported(DType t) {
        return t == DType.LONGLONG ? DType.LONG : t == DType.ULONGLONG ? DType.ULONG : t;
    }

    /** Element i (C order) of round r, exact in every type: small integers, 0/1 for bool. */
    static double value(DType t, long i, int r) {
        long v = (i * r + 1) % 50;
        return t == DType.BOOL ? v % 2 : v;
    }

    static double[] values(DType t, long n, int r) {
        double[] out = new double[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = value(t, i, r);
        }
        return out;
    }

    static MemoryView view3x4(Pool pool, DType t, Layout3x4 layout) {
        switch (layout) {
            case C: return NativeArray.allocate(pool, t, Order.C, 3, 4).view();
            case FORTRAN: return NativeArray.allocate(pool, t, Order.FORTRAN, 3, 4).view();
            default: return NativeArray.allocate(pool, t, Order.C, 7, 8).view().slice("1::2, ::-2");
        }
    }

    // ---- element access by type, for the checks (the view's accessors by width) ----------------------------------

    static void put(MemoryView v, long[] idx, double x) {
        DType t = v.dtype();
        if (t == DType.FLOAT) {
            v.putFloat(idx, (float) x);
        } else if (t == DType.DOUBLE) {
            v.putDouble(idx, x);
        } else if (t == DType.HALF) {
            v.putFloat(idx, (float) x);
        } else if (t == DType.CFLOAT || t == DType.CDOUBLE) {
            v.putComplex(idx, x, 0);
        } else if (t == DType.BOOL) {
            v.putBoolean(idx, x != 0);
        } else if (t.itemsize() == 1) {
            v.putByte(idx, (byte) x);
        } else if (t.itemsize() == 2) {
            v.putShort(idx, (short) x);
        } else if (t.itemsize() == 4) {
            v.putInt(idx, (int) x);
        } else {
            v.putLong(idx, (long) x);
        }
    }

    static double get(MemoryView v, long[] idx) {
        DType t = v.dtype();
        if (t == DType.FLOAT) {
            return v.getFloat(idx);
        } else if (t == DType.DOUBLE) {
            return v.getDouble(idx);
        } else if (t == DType.HALF) {
            return v.getFloat(idx);
        } else if (t == DType.CFLOAT || t == DType.CDOUBLE) {
            return v.getComplex(idx)[0];
        } else if (t == DType.BOOL) {
            return v.getBoolean(idx) ? 1 : 0;
        } else if (t.itemsize() == 1) {
            return t.isSigned() ? v.getByte(idx) : Byte.toUnsignedInt(v.getByte(idx));
        } else if (t.itemsize() == 2) {
            return t.isSigned() ? v.getShort(idx) : Short.toUnsignedInt(v.getShort(idx));
        } else if (t.itemsize() == 4) {
            return t.isSigned() ? v.getInt(idx) : Integer.toUnsignedLong(v.getInt(idx));
        }
        return v.getLong(idx);
    }

    static void fill(MemoryView v, double[] xs) {
        long[] shape = v.shape();
        for (int i = 0; i < xs.length; i++) {
            put(v, new long[] {i / shape[1], i % shape[1]}, xs[i]);
        }
    }

    static double[] contents(MemoryView v) {
        long[] shape = v.shape();
        double[] out = new double[(int) v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(v, new long[] {i / shape[1], i % shape[1]});
        }
        return out;
    }

    // ---- round trips -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1} versioned={2}")
    @MethodSource("cases")
    void shouldRoundTripJavaToCToJava(DType t, Layout3x4 layout, boolean versioned) {
        Pool pool = pool();
        MemoryView v = view3x4(pool, t, layout);
        fill(v, values(t, 12, 1));
        long tensor = versioned ? DLPack.toVersioned(v) : DLPack.toLegacy(v);

        // C sees the view's fields through Debian's header
        long[] d = DLPackTestLibrary.describe(tensor, versioned);
        assertEquals(versioned ? 1 : -1, d[DLPackTestLibrary.MAJOR]);
        assertEquals(0, d[DLPackTestLibrary.FLAGS]);
        assertEquals(1, d[DLPackTestLibrary.DEVICE_TYPE]); // kDLCPU
        assertEquals(0, d[DLPackTestLibrary.DEVICE_ID]);
        assertEquals(2, d[DLPackTestLibrary.NDIM]);
        assertEquals(DLPack.codeOf(t), d[DLPackTestLibrary.CODE]);
        assertEquals(8L * t.itemsize(), d[DLPackTestLibrary.BITS]);
        assertEquals(1, d[DLPackTestLibrary.LANES]);
        assertEquals(v.address(), d[DLPackTestLibrary.DATA] + d[DLPackTestLibrary.BYTE_OFFSET]);
        assertArrayEquals(new long[] {3, 4}, new long[] {d[DLPackTestLibrary.SHAPE], d[DLPackTestLibrary.SHAPE + 1]});
        long[] st = v.strides();
        assertArrayEquals(new long[] {st[0] / t.itemsize(), st[1] / t.itemsize()},
                new long[] {d[DLPackTestLibrary.SHAPE + 2], d[DLPackTestLibrary.SHAPE + 3]}, "strides in elements");

        // C reads what Java wrote, writes new values, and Java sees them through the view
        assertArrayEquals(values(t, 12, 1), DLPackTestLibrary.read(tensor, versioned));
        DLPackTestLibrary.write(tensor, versioned, values(t, 12, 3));
        assertArrayEquals(values(t, 12, 3), contents(v));

        // and back into Java: our own tensor imported, the same memory in place, our deleter on close
        try (DLPackTensor back = versioned ? DLPack.fromVersioned(tensor) : DLPack.fromLegacy(tensor)) {
            MemoryView w = back.view();
            assertEquals(imported(t), w.dtype());
            assertArrayEquals(v.shape(), w.shape());
            assertArrayEquals(v.strides(), w.strides());
            assertEquals(v.address(), w.address());
            assertArrayEquals(values(t, 12, 3), contents(w));
            fill(w, values(t, 12, 5));
            assertEquals(1, DLPack.liveExports());
        }
        assertEquals(0, DLPack.liveExports(), "closing the import called our deleter once");
        assertArrayEquals(values(t, 12, 5), contents(v));
    }

    @ParameterizedTest(name = "{0} {1} versioned={2}")
    @MethodSource("cases")
    void shouldImportTensorsMadeInCAndCallTheirDeleterOnce(DType t, Layout3x4 layout, boolean versioned) {
        double[] xs = values(t, 12, 7);
        long[] strides;
        long offset;
        long span;
        switch (layout) {
            case C: strides = null; offset = 0; span = 12; break;                       // NULL: compact C order
            case FORTRAN: strides = new long[] {1, 3}; offset = 0; span = 12; break;
            default: strides = new long[] {10, -2}; offset = 6; span = 30; break;      // rows 10 apart, reversed columns
        }
        long tensor = DLPackTestLibrary.produce(versioned, 0, DLPack.codeOf(t), 8 * t.itemsize(),
                new long[] {3, 4}, strides, offset, span, xs);
        long deleted = DLPackTestLibrary.deleted();
        DLPackTensor in = versioned ? DLPack.fromVersioned(tensor) : DLPack.fromLegacy(tensor);
        MemoryView v = in.view();
        MemoryView row = v.slice("1");
        assertEquals(imported(t), v.dtype());
        assertArrayEquals(xs, contents(v));
        if (strides != null) {
            assertArrayEquals(new long[] {strides[0] * t.itemsize(), strides[1] * t.itemsize()}, v.strides());
        } else {
            assertTrue(v.isCContiguous());
        }
        assertFalse(in.isReadOnly());
        in.close();
        assertEquals(deleted + 1, DLPackTestLibrary.deleted());
        assertThrows(IllegalStateException.class, () -> get(v, new long[] {0, 0}));
        assertThrows(IllegalStateException.class, () -> get(row, new long[] {0}));
        assertThrows(IllegalStateException.class, in::view);
        in.close();
        assertEquals(deleted + 1, DLPackTestLibrary.deleted(), "a second close calls nothing");
    }

    // ---- the export's lifetime rules --------------------------------------------------------------------------------

    @Test
    void shouldRefuseExportFromAClosedPool() {
        Pool pool = Pool.open();
        MemoryView v = NativeArray.allocate(pool, DType.DOUBLE, 4).view();
        pool.close();
        assertThrows(IllegalStateException.class, () -> DLPack.toVersioned(v));
        assertThrows(IllegalStateException.class, () -> DLPack.toLegacy(v));
    }

    @Test
    void shouldRefuseFreeAndReallocOfAnExportedBlockUntilItsDeleterRuns() {
        Pool pool = pool();
        long p = pool.alloc(16, 8);
        MemoryView v = MemoryView.of(pool.block(p), DType.DOUBLE, 16);
        long tensor = DLPack.toVersioned(v);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.free(p));
        assertTrue(e.getMessage().contains("exported as 1 DLPack tensor"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.realloc(p, 4096));
        assertTrue(pool.owns(p));
        v.putDouble(3, 2.5); // the block and its view are untouched
        DLPackTestLibrary.callDeleter(tensor, true);
        pool.free(p);
        assertFalse(pool.owns(p));
    }

    @Test
    void shouldDeferThePoolsNativeFreeUntilTheLastDeleter() {
        long frees = DLPackTestLibrary.frees();
        Pool pool = Pool.open(Allocator.functions(DLPackTestLibrary.mallocFn(), DLPackTestLibrary.freeFn()));
        MemoryView v = NativeArray.copyOf(pool, new double[] {1, 2, 3, 4, 5, 6}, 2, 3).view();
        long a = DLPack.toVersioned(v.T());
        long b = DLPack.toLegacy(v.slice("1"));
        pool.close();
        assertThrows(IllegalStateException.class, () -> v.getDouble(0, 0)); // Java handles are closed
        assertEquals(frees, DLPackTestLibrary.frees(), "nothing freed while exports are out");
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, DLPackTestLibrary.read(a, true)); // C still reads
        DLPackTestLibrary.callDeleter(a, true);
        assertEquals(frees, DLPackTestLibrary.frees(), "one export still out");
        assertArrayEquals(new double[] {4, 5, 6}, DLPackTestLibrary.read(b, false));
        DLPackTestLibrary.callDeleter(b, false);
        assertTrue(DLPackTestLibrary.frees() >= frees + 2, "the block and the table went back on the last deleter");
        assertEquals(0, DLPack.liveExports());
    }

    @Test
    void shouldRefuseClosingAnExportedArrayUntilItsDeleterRuns() {
        Pool pool = pool();
        NativeArray a = NativeArray.copyOf(pool, new int[] {1, 2, 3}, 3);
        long tensor = DLPack.toLegacy(a.view());
        assertThrows(IllegalStateException.class, a::close);
        assertTrue(a.isOpen());
        assertEquals(2, a.view().getInt(1));
        DLPackTestLibrary.callDeleter(tensor, false);
        a.close();
        assertFalse(a.isOpen());
    }

    @Test
    void shouldRaceExportsAgainstASharedPoolsClose() throws Exception {
        for (int round = 0; round < 50; round++) {
            long frees = DLPackTestLibrary.frees();
            Pool pool = Pool.openShared(Allocator.functions(DLPackTestLibrary.mallocFn(), DLPackTestLibrary.freeFn()));
            MemoryView v = NativeArray.copyOf(pool, new double[] {1, 2, 3, 4}, 4).view();
            List<Long> tensors = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread exporter = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        tensors.add(DLPack.toVersioned(v));
                    }
                } catch (IllegalStateException closed) {
                    // the pool closed first: refused, nothing pinned
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            exporter.start();
            Thread.sleep(round % 2);
            pool.close();
            exporter.join();
            assertEquals(null, failure.get());
            assertEquals(tensors.size(), DLPack.liveExports());
            for (long t : tensors) {
                assertArrayEquals(new double[] {1, 2, 3, 4}, DLPackTestLibrary.read(t, true));
            }
            if (!tensors.isEmpty()) {
                assertEquals(frees, DLPackTestLibrary.frees(), "nothing freed while exports are out");
            }
            for (long t : tensors) {
                DLPackTestLibrary.callDeleter(t, true);
            }
            assertTrue(DLPackTestLibrary.frees() >= frees + 2, "the pool's memory went back");
        }
    }

    @Test
    void shouldDeleteAnExportNeverHandedToAConsumer() {
        Pool pool = pool();
        long p = pool.alloc(4, 4);
        long tensor = DLPack.toVersioned(MemoryView.of(pool.block(p), DType.INT, 4));
        assertEquals(1, DLPack.liveExports());
        assertTrue(DLPack.delete(tensor, true));
        assertEquals(0, DLPack.liveExports());
        pool.free(p);
    }

    @Test
    void shouldExportTheReadOnlyFlag() {
        Pool pool = pool();
        MemoryView v = NativeArray.allocate(pool, DType.FLOAT, 3).view();
        long tensor = DLPack.toVersioned(v, DLPack.FLAG_READ_ONLY);
        assertEquals(DLPack.FLAG_READ_ONLY, DLPackTestLibrary.describe(tensor, true)[DLPackTestLibrary.FLAGS]);
        DLPackTestLibrary.callDeleter(tensor, true);
        assertThrows(IllegalArgumentException.class, () -> DLPack.toVersioned(v, 4));
    }

    @Test
    void shouldRefuseViewsDLPackCannotCarry() {
        Pool pool = pool();
        // DLPack has no byte order and no structs: their codes are refused
        assertThrows(IllegalArgumentException.class, () -> DLPack.codeOf(DType.INT.withOrder(ByteOrder.BIG_ENDIAN)));
        assertThrows(IllegalArgumentException.class,
                () -> DLPack.codeOf(DType.struct().add("x", DType.INT).add("y", DType.DOUBLE).build()));
        assertEquals(DLPack.CODE_BOOL, DLPack.codeOf(DType.BOOL));
        assertEquals(DLPack.CODE_COMPLEX, DLPack.codeOf(DType.CDOUBLE));
        MemoryView odd = NativeArray.allocate(pool, DType.DOUBLE, 2, 3).view();
        MemoryView bytes = MemoryView.of(pool.block(odd.address()), 4, DType.DOUBLE, new long[] {2}, new long[] {12});
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> DLPack.toVersioned(bytes));
        assertTrue(strided.getMessage().contains("stride 12 bytes"), strided.getMessage());
        MemoryView wchar = NativeArray.allocate(pool, DType.WCHAR, 2).view();
        assertThrows(IllegalArgumentException.class, () -> DLPack.toLegacy(wchar));
        MemoryView buffer = MemoryView.of(ByteBuffer.allocateDirect(32), DType.DOUBLE, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DLPack.toVersioned(buffer));
        assertTrue(e.getMessage().contains("pool memory"), e.getMessage());
        assertEquals(0, DLPack.liveExports());
    }

    // ---- import rules -------------------------------------------------------------------------------------------

    @Test
    void shouldGiveReadOnlyViewsForAReadOnlyTensor() {
        long tensor = DLPackTestLibrary.produce(true, DLPack.FLAG_READ_ONLY, 2, 64, new long[] {2, 2}, null, 0, 4,
                new double[] {1, 2, 3, 4});
        try (DLPackTensor in = DLPack.fromVersioned(tensor)) {
            assertTrue(in.isReadOnly());
            MemoryView v = in.view();
            assertEquals(4.0, v.getDouble(1, 1));
            assertThrows(UnsupportedOperationException.class, () -> v.putDouble(0, 0, 9));
            assertThrows(UnsupportedOperationException.class, () -> v.putDouble(new long[] {0, 0}, 9));
            assertThrows(UnsupportedOperationException.class, () -> v.slice("0").putDouble(1, 9));
            assertThrows(UnsupportedOperationException.class, () -> v.fill(0.0));
            assertThrows(UnsupportedOperationException.class, () -> v.copyFrom(v.T()));
            assertThrows(UnsupportedOperationException.class, () -> v.castFrom(v));
            assertArrayEquals(new double[] {1, 2, 3, 4}, v.toDoubleArray());
            MemoryView copy = v.copy(pool()); // a copy is the way to write
            copy.putDouble(0, 0, 9);
            assertEquals(9.0, copy.getDouble(0, 0));
        }
    }

    @Test
    void shouldImportBoolHalfAndComplexTensors() {
        for (DType t : NEWER_TYPES) {
            long tensor = DLPackTestLibrary.produce(true, 0, DLPack.codeOf(t), 8 * t.itemsize(), new long[] {2}, null,
                    0, 2, new double[] {1, 0});
            assertEquals(t, DLPack.typeOf(DLPack.codeOf(t), 8L * t.itemsize(), 1));
            long deleted = DLPackTestLibrary.deleted();
            try (DLPackTensor in = DLPack.fromVersioned(tensor)) {
                MemoryView v = in.view();
                assertEquals(t, v.dtype());
                assertArrayEquals(new double[] {1, 0}, new double[] {get(v, new long[] {0}), get(v, new long[] {1})});
            }
            assertEquals(deleted + 1, DLPackTestLibrary.deleted());
        }
    }

    @Test
    void shouldRefuseTensorsItCannotShowAndLeaveThemToTheCaller() {
        for (int which = 0; which < 4; which++) {
            boolean versioned = which != 2;
            long tensor = DLPackTestLibrary.produce(versioned, 0, 2, 64, new long[] {2}, null, 0, 2,
                    new double[] {1, 2});
            DLPackTestLibrary.spoil(tensor, versioned, which);
            long deleted = DLPackTestLibrary.deleted();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> {
                        if (versioned) {
                            DLPack.fromVersioned(tensor);
                        } else {
                            DLPack.fromLegacy(tensor);
                        }
                    });
            assertTrue(e.getMessage().contains("DLPack"), e.getMessage());
            assertEquals(deleted, DLPackTestLibrary.deleted(), "a refused tensor's deleter is not called");
            assertTrue(DLPack.delete(tensor, versioned));
            assertEquals(deleted + 1, DLPackTestLibrary.deleted());
        }
        assertThrows(IllegalArgumentException.class, () -> DLPack.fromVersioned(0));
        long odd = DLPackTestLibrary.produce(true, 0, 2, 24, new long[] {1}, null, 0, 1, new double[] {0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DLPack.fromVersioned(odd));
        assertTrue(e.getMessage().contains("code=2 bits=24 lanes=1"), e.getMessage());
        DLPack.delete(odd, true);
    }

    @Test
    void shouldCallTheDeleterOfATensorDroppedUnclosed() throws Exception {
        long deleted = DLPackTestLibrary.deleted();
        takeAndDrop();
        for (int i = 0; i < 200 && DLPackTestLibrary.deleted() == deleted; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(deleted + 1, DLPackTestLibrary.deleted(), "the cleaner called the deleter once");
    }

    private static void takeAndDrop() {
        long tensor = DLPackTestLibrary.produce(false, 0, 0, 32, new long[] {2}, null, 0, 2, new double[] {1, 2});
        assertEquals(2, DLPack.fromLegacy(tensor).view().getInt(1));
    }

    @Test
    void shouldNotRunTheDeleterUnderANativeKernelInFlight() throws Exception {
        int n = 1 << 20;
        double[] xs = new double[n];
        for (int round = 0; round < 20; round++) {
            long tensor = DLPackTestLibrary.produce(true, 0, 2, 64, new long[] {n}, null, 0, n, xs);
            long deleted = DLPackTestLibrary.deleted();
            DLPackTensor in = DLPack.fromVersioned(tensor);
            Pool shared = Pool.openShared();
            MemoryView target = NativeArray.allocate(shared, DType.DOUBLE, n).view();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread copier = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        target.copyFrom(in.view()); // a C kernel reading the tensor's memory
                    }
                } catch (IllegalStateException expected) {
                    // the tensor closed between two copies
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            copier.start();
            Thread.sleep(round % 3);
            in.close(); // waits for a copy in flight; the deleter (a free) runs after it
            copier.join();
            shared.close();
            assertEquals(null, failure.get());
            assertEquals(deleted + 1, DLPackTestLibrary.deleted());
        }
    }
}
