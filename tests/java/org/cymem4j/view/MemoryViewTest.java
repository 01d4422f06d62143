package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.ByteIndexer;
import org.bytedeco.javacpp.indexer.DoubleBufferIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.junit.jupiter.api.Test;

class MemoryViewTest {

    private static MemoryView iota(Pool pool, DType dtype, long... shape) {
        MemoryView v = NativeArray.allocate(pool, dtype, shape).view();
        long n = v.size();
        long[] values = new long[(int) n];
        for (int k = 0; k < n; k++) {
            values[k] = k;
        }
        v.castFrom(NativeArray.copyOf(pool, values, shape).view());
        return v;
    }

    // ---- element access ---------------------------------------------------------------------------------------

    @Test
    void shouldReadAndWriteEveryTypeAtEveryRank() {
        try (Pool pool = Pool.open()) {
            MemoryView b = NativeArray.allocate(pool, DType.BYTE, 2, 2, 2).view();
            b.putByte(1, 1, 1, (byte) -7);
            b.putByte(new long[] {0, 1, 0}, (byte) 5);
            assertEquals(-7, b.getByte(-1, -1, -1));
            assertEquals(5, b.getByte(0, 1, 0));
            assertEquals(5, b.slice("0, 1").getByte(0));
            MemoryView s = NativeArray.allocate(pool, DType.USHORT, 3).view();
            s.putShort(2, (short) 0xFFFF);
            assertEquals(65535, Short.toUnsignedInt(s.getShort(-1)));
            MemoryView i = NativeArray.allocate(pool, DType.INT, 2, 3).view();
            i.putInt(1, 2, 99);
            assertEquals(99, i.getInt(new long[] {1, 2}));
            MemoryView l = NativeArray.allocate(pool, DType.LONGLONG, 2, 2, 2, 2).view();
            l.putLong(new long[] {1, 0, 1, 0}, Long.MIN_VALUE);
            assertEquals(Long.MIN_VALUE, l.getLong(1, 0, 1, 0));
            assertEquals(Long.MIN_VALUE, l.slice("1, 0").getLong(1, 0));
            MemoryView f = NativeArray.allocate(pool, DType.FLOAT, 4).view();
            f.putFloat(3, 1.5f);
            assertEquals(1.5f, f.getFloat(-1));
            MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 2, 2).view();
            d.putDouble(0, 1, Math.PI);
            assertEquals(Math.PI, d.getDouble(0, 1));
            assertEquals(Math.PI, d.T().getDouble(1, 0));
            MemoryView scalar = d.slice("0, 1");
            assertEquals(0, scalar.ndim());
            assertEquals(Math.PI, scalar.getDouble());
            scalar.putDouble(new long[0], 2.0);
            assertEquals(2.0, d.getDouble(0, 1));
        }
    }

    @Test
    void shouldRejectOutOfBoundsIndicesNamingIndexAxisAndSize() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 3, 4);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> v.getInt(3, 0));
            assertEquals("index=3 length=3 axis=0", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> v.putInt(0, -5, 1));
            assertEquals("index=-5 length=4 axis=1", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> v.getInt(new long[] {0, Long.MIN_VALUE}));
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, v.toIntArray()); // nothing written
        }
    }

    @Test
    void shouldRejectIndicesJustOutsideEachAxisOnceTheAccessorIsHot() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.DOUBLE, 3, 4);
            // Warm the fixed-rank accessor up (its bounds check is shaped for the JIT) before probing the edges,
            // so the rejections below also go through compiled code, not just the interpreter.
            double sum = 0;
            for (int pass = 0; pass < 20_000; pass++) {
                for (long j = 0; j < 4; j++) {
                    for (long i = 0; i < 3; i++) {
                        sum += v.getDouble(i, j);
                    }
                }
            }
            assertEquals(20_000 * 66.0, sum);
            assertEquals(0.0, v.getDouble(-3, -4));
            assertEquals(11.0, v.getDouble(2, 3));
            assertEquals(11.0, v.getDouble(-1, -1));
            long[][] bad = {{3, 0}, {-4, 0}, {Long.MAX_VALUE, 0}, {Long.MIN_VALUE, 0}, {0, 4}, {0, -5}, {2, Long.MIN_VALUE}};
            String[] messages = {
                "index=3 length=3 axis=0",
                "index=-4 length=3 axis=0",
                "index=9223372036854775807 length=3 axis=0",
                "index=-9223372036854775808 length=3 axis=0",
                "index=4 length=4 axis=1",
                "index=-5 length=4 axis=1",
                "index=-9223372036854775808 length=4 axis=1",
            };
            for (int k = 0; k < bad.length; k++) {
                long i = bad[k][0];
                long j = bad[k][1];
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> v.getDouble(i, j));
                assertEquals(messages[k], e.getMessage());
                e = assertThrows(IndexOutOfBoundsException.class, () -> v.putDouble(i, j, -1.0));
                assertEquals(messages[k], e.getMessage());
            }
            MemoryView empty = NativeArray.allocate(pool, DType.DOUBLE, 0, 4).view();
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> empty.getDouble(0, 0));
            assertEquals("index=0 length=0 axis=0", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> empty.getDouble(-1, 0));
            assertEquals("index=-1 length=0 axis=0", e.getMessage());
            double[] expected = new double[12];
            for (int k = 0; k < 12; k++) {
                expected[k] = k;
            }
            assertArrayEquals(expected, v.toDoubleArray()); // nothing written by the rejected puts
        }
    }

    @Test
    void shouldRejectAccessorsOfTheWrongWidthOrRank() {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.allocate(pool, DType.DOUBLE, 2, 2).view();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.getInt(0, 0));
            assertEquals("element type is float64 ('d'), not int32 ('i', 'I', 'u': getInt)",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.getDouble(0));
            assertEquals("1 indices for a 2-d view (element access needs one per axis)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.putDouble(0, 0, 0, 1.0));
        }
    }

    // ---- slicing ----------------------------------------------------------------------------------------------

    @Test
    void shouldSliceTheSameWayFromTextAndFromIndexItems() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 4, 5, 6);
            MemoryView a = v.slice("None, ::-1, 3");
            MemoryView b = v.slice(Index.NEW_AXIS, Index.slice(null, null, -1L), Index.at(3));
            assertArrayEquals(new long[] {1, 4, 6}, a.shape());
            assertArrayEquals(a.shape(), b.shape());
            assertArrayEquals(a.strides(), b.strides());
            assertArrayEquals(new long[] {0, -120, 4}, a.strides());
            assertArrayEquals(a.toIntArray(), b.toIntArray());
            assertEquals(v.getInt(3, 3, 0), a.getInt(0, 0, 0));
            assertArrayEquals(v.slice("1:3, ..., -1").toIntArray(),
                    v.slice(Index.range(1, 3), Index.ELLIPSIS, Index.at(-1)).toIntArray());
            assertArrayEquals(new long[] {4, 5, 6}, v.slice("...").shape());
            assertArrayEquals(new long[] {5}, v.slice("1, ..., 2").shape());
            assertArrayEquals(new long[] {6}, v.slice("1, 2,").shape()); // trailing comma: the tuple (1, 2)
            assertArrayEquals(new long[] {0, 5, 6}, v.slice("10:20").shape()); // clamped, empty
            assertArrayEquals(new long[] {4, 5, 6}, v.slice("-100:100").shape());
        }
    }

    @Test
    void shouldRejectMalformedExpressionsQuotingTheBadPart() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 3, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.slice("1, x"));
            assertEquals("bad index [1, x]: 'x' has 'x', which is not an integer, a slice, '...' or 'None'", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.slice("::0"));
            assertEquals("bad index [::0]: '::0' has a slice step of zero (slice step cannot be zero)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.slice("..., ..."));
            assertEquals("bad index [..., ...]: an index can only have a single ellipsis ('...')", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.slice("1:2:3:4"));
            assertEquals("bad index [1:2:3:4]: '1:2:3:4' has a slice with more than two ':'", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.slice("1,,2"));
            assertEquals("bad index [1,,2]: '' has an empty index", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.slice("99999999999999999999"));
            assertTrue(e.getMessage().contains("does not fit a 64-bit index"), e.getMessage());
            IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> v.slice("0, 0, 0"));
            assertEquals("too many indices [0, 0, 0]: the view is 2-dimensional, but 3 were indexed", o.getMessage());
            o = assertThrows(IndexOutOfBoundsException.class, () -> v.slice(":, -4"));
            assertEquals("index=-4 length=3 axis=1 (in [:, -4], item '-4')", o.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Index.slice(1L, 2L, 0L));
        }
    }

    @Test
    void shouldTransposeWithAnyPermutationAndRejectOthers() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.SHORT, 2, 3, 4);
            MemoryView t = v.transpose(2, 0, 1);
            assertArrayEquals(new long[] {4, 2, 3}, t.shape());
            assertArrayEquals(new long[] {2, 24, 8}, t.strides());
            assertEquals(v.getShort(1, 2, 3), t.getShort(3, 1, 2));
            assertArrayEquals(new long[] {4, 3, 2}, v.transpose().shape());
            assertThrows(IllegalArgumentException.class, () -> v.transpose(0, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> v.transpose(0, 1));
            assertThrows(IllegalArgumentException.class, () -> v.transpose(0, 1, 3));
        }
    }

    @Test
    void shouldFollowNumpysContiguityRuleForLengthOneAxes() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.DOUBLE, 3, 4);
            assertTrue(v.isCContiguous());
            assertFalse(v.isFContiguous());
            assertTrue(v.T().isFContiguous());
            MemoryView row = v.slice("1:2, :");           // shape (1, 4): the length-1 axis does not count
            assertTrue(row.isCContiguous());
            assertTrue(row.isFContiguous());
            assertTrue(v.slice("None, 1").isCContiguous()); // stride 0 on a length-1 axis
            assertFalse(v.slice(":, ::2").isCContiguous());
            assertTrue(v.slice("0:0").isCContiguous() && v.slice("0:0").isFContiguous()); // empty: both
        }
    }

    // ---- whole-view operations --------------------------------------------------------------------------------

    @Test
    void shouldCopyOverlappingViewsAsIfThroughATemporary() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 10);
            v.copyFrom(v.slice("::-1"));                               // v[...] = v[::-1]
            assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, v.toIntArray());
            v.slice("1:").copyFrom(v.slice(":-1"));                    // shift right by one
            assertArrayEquals(new int[] {9, 9, 8, 7, 6, 5, 4, 3, 2, 1}, v.toIntArray());
            MemoryView m = iota(pool, DType.INT, 3, 3);
            m.copyFrom(m.T());                                         // in-place transpose
            assertArrayEquals(new int[] {0, 3, 6, 1, 4, 7, 2, 5, 8}, m.toIntArray());
        }
    }

    @Test
    void shouldRejectCopiesBetweenDifferentShapesOrTypesWritingNothing() {
        try (Pool pool = Pool.open()) {
            MemoryView a = iota(pool, DType.INT, 2, 3);
            MemoryView b = NativeArray.allocate(pool, DType.INT, 3, 2).view();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.copyFrom(a));
            assertEquals("cannot copy a view of shape [2, 3] into a view of shape [3, 2] (shapes must be equal)", e.getMessage());
            MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 2, 3).view();
            e = assertThrows(IllegalArgumentException.class, () -> d.copyFrom(a));
            assertEquals("cannot copy a view of 'i' into a view of 'd'; use castFrom to convert", e.getMessage());
            assertArrayEquals(new int[6], b.toIntArray());
            assertArrayEquals(new double[6], d.toDoubleArray());
            d.castFrom(a);
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, d.toDoubleArray());
        }
    }

    @Test
    void shouldCastWithCSemanticsTruncatingSaturatingAndWrapping() {
        try (Pool pool = Pool.open()) {
            MemoryView d = NativeArray.copyOf(pool, new double[] {1.9, -1.9, 300, -300, Double.NaN, 1e300}).view();
            MemoryView b = NativeArray.allocate(pool, DType.BYTE, 6).view();
            b.castFrom(d);
            assertArrayEquals(new byte[] {1, -1, 127, -128, 0, 127}, b.toByteArray());
            MemoryView u = NativeArray.allocate(pool, DType.UBYTE, 6).view();
            u.castFrom(d);
            assertArrayEquals(new byte[] {1, 0, (byte) 255, 0, 0, (byte) 255}, u.toByteArray());
            MemoryView ints = NativeArray.copyOf(pool, new int[] {257, -1, 128}).view();
            MemoryView wrapped = NativeArray.allocate(pool, DType.UBYTE, 3).view();
            wrapped.castFrom(ints);                                    // int to int wraps, as astype
            assertArrayEquals(new byte[] {1, (byte) 255, (byte) 128}, wrapped.toByteArray());
            MemoryView q = NativeArray.allocate(pool, DType.ULONGLONG, 1).view();
            q.fill(-1L >>> 1);
            assertArrayEquals(new double[] {0x1p63}, q.toDoubleArray());
        }
    }

    @Test
    void shouldFillAndRejectValuesThatDoNotFit() {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.allocate(pool, DType.UBYTE, 2, 3).view();
            v.slice(":, 1:").fill(200);
            assertArrayEquals(new byte[] {0, (byte) 200, (byte) 200, 0, (byte) 200, (byte) 200}, v.toByteArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.fill(300));
            assertEquals("300 does not fit 'B' (unsigned char, 0..255)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.fill(1.5));
            MemoryView f = NativeArray.allocate(pool, DType.FLOAT, 3).view();
            f.fill(0.25);
            f.slice("1").fill(7);
            assertArrayEquals(new float[] {0.25f, 7f, 0.25f}, f.toFloatArray());
        }
    }

    @Test
    void shouldCompareContentByValueAcrossTypesAndShapes() {
        try (Pool pool = Pool.open()) {
            MemoryView i = iota(pool, DType.INT, 2, 3);
            MemoryView d = iota(pool, DType.DOUBLE, 2, 3);
            assertTrue(i.contentEquals(d));
            assertFalse(i.contentEquals(d.slice("::-1")));
            assertFalse(i.contentEquals(iota(pool, DType.INT, 3, 2)));
            MemoryView nan = NativeArray.copyOf(pool, new double[] {Double.NaN}).view();
            assertFalse(nan.contentEquals(nan));
            MemoryView big = NativeArray.allocate(pool, DType.ULONGLONG, 1).view();
            big.putLong(0, -1L);                                       // 2^64 - 1 as a bit pattern
            MemoryView minusOne = NativeArray.copyOf(pool, new long[] {-1}).view();
            assertFalse(big.contentEquals(minusOne));
            assertTrue(big.contentEquals(big.copy()));
        }
    }

    @Test
    void shouldConvertToEveryJavaArrayTypeInCOrder() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.SHORT, 2, 3).T();
            assertArrayEquals(new short[] {0, 3, 1, 4, 2, 5}, v.toShortArray());
            assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, v.toLongArray());
            assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, v.toDoubleArray());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, v.toFloatArray());
            assertArrayEquals(new byte[] {0, 3, 1, 4, 2, 5}, v.toByteArray());
            assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, v.toIntArray());
        }
    }

    @Test
    void shouldConvertLargeStridedViewsThroughOneCopyLikeSmallOnes() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 300, 200).slice("::-3, 1::7").T();   // 29 x 100, far above the threshold
            int[] ints = v.toIntArray();
            double[] doubles = v.toDoubleArray();
            byte[] bytes = v.toByteArray();
            assertEquals(2900, ints.length);
            for (int k = 0; k < ints.length; k++) {
                int col = k / 100;
                int row = k % 100;
                int expected = (299 - 3 * row) * 200 + 1 + 7 * col;
                assertEquals(expected, ints[k], "element " + k);
                assertEquals(expected, doubles[k]);
                assertEquals((byte) expected, bytes[k]);                             // int to byte wraps
            }
            MemoryView copy = v.copy();
            assertTrue(copy.isCContiguous());
            assertTrue(copy.contentEquals(v));
            MemoryView asDouble = NativeArray.allocate(pool, DType.DOUBLE, v.shape()).view();
            asDouble.castFrom(v);
            assertTrue(asDouble.contentEquals(v));
            asDouble.putDouble(5, 5, 0.5);
            assertFalse(asDouble.contentEquals(v));
        }
    }

    // ---- lifetime -------------------------------------------------------------------------------------------

    @Test
    void shouldThrowOnEveryUseAfterThePoolCloses() {
        MemoryView v;
        MemoryView slice;
        try (Pool pool = Pool.open()) {
            v = iota(pool, DType.DOUBLE, 4, 4);
            slice = v.slice("1:, ::2");
        }
        List<Runnable> uses = new ArrayList<>();
        uses.add(() -> v.getDouble(0, 0));
        uses.add(() -> v.putDouble(0, 0, 1.0));
        uses.add(() -> v.getDouble(new long[] {0, 0}));
        uses.add(() -> slice.getDouble(0, 0));
        uses.add(v::toDoubleArray);
        uses.add(() -> v.fill(1.0));
        uses.add(() -> v.copyFrom(v));
        uses.add(v::copy);
        uses.add(v::address);
        for (Runnable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("is closed") || e.getMessage().contains("was freed"), e.getMessage());
        }
    }

    @Test
    void shouldThrowAfterTheArrayIsClosedAndLeaveThePoolUsable() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocate(pool, DType.INT, 3);
            MemoryView v = a.view();
            long blocks = pool.liveBlocks();
            a.close();
            a.close(); // idempotent
            assertEquals(blocks - 1, pool.liveBlocks());
            assertFalse(a.isOpen());
            assertThrows(IllegalStateException.class, () -> v.getInt(0));
            assertThrows(IllegalStateException.class, a::view);
            NativeArray b = NativeArray.allocate(pool, DType.INT, 3);
            b.view().putInt(0, 1);
        }
    }

    @Test
    void shouldRejectUseOfAConfinedPoolsViewFromAnotherThread() throws Exception {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.INT, 3);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    v.getInt(0);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("is confined to thread"), thrown.get().getMessage());
        }
    }

    @Test
    void shouldRecheckLivenessAfterFreeHandoffAndCloseEvenAfterFastAccesses() throws Exception {
        Pool pool = Pool.open();
        NativeArray a = NativeArray.allocate(pool, DType.INT, 4);
        NativeArray b = NativeArray.allocate(pool, DType.INT, 4);
        MemoryView va = a.view();
        MemoryView vb = b.view();
        va.putInt(0, 1);                       // verified once: later accesses take the fast path
        vb.putInt(0, 2);
        a.close();                             // frees a's block: every view's fast path is re-verified
        assertThrows(IllegalStateException.class, () -> va.getInt(0));
        assertEquals(2, vb.getInt(0));         // b is still live
        AtomicReference<Throwable> inWorker = new AtomicReference<>();
        AtomicReference<Integer> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                seen.set(vb.getInt(0));
                pool.close();
            } catch (Throwable e) {
                inWorker.set(e);
            }
        });
        pool.handoff(worker);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> vb.getInt(0));
        assertTrue(e.getMessage().contains("is confined to thread"), e.getMessage());
        worker.start();
        worker.join();
        assertNull(inWorker.get());
        assertEquals(2, seen.get());
        assertFalse(pool.isOpen());
        assertThrows(IllegalStateException.class, () -> vb.getInt(0));
    }

    @Test
    void shouldNeverTouchFreedMemoryWhenASharedPoolClosesUnderReadersAndKernels() throws Exception {
        for (int round = 0; round < 20; round++) {
            Pool pool = Pool.openShared();
            MemoryView a = NativeArray.allocate(pool, DType.DOUBLE, 64, 64).view();
            MemoryView b = NativeArray.allocate(pool, DType.DOUBLE, 64, 64).view();
            a.fill(1.0);
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            Runnable reader = () -> {
                started.countDown();
                try {
                    for (;;) {
                        if (a.getDouble(63, 63) != 1.0) {
                            throw new AssertionError("read a wrong value");
                        }
                    }
                } catch (IllegalStateException closed) {
                    // the pool closed: the only way out
                } catch (Throwable t) {
                    unexpected.set(t);
                }
            };
            Runnable copier = () -> {
                started.countDown();
                try {
                    for (;;) {
                        b.copyFrom(a.T());                      // one C call per copy, entered on the pool
                    }
                } catch (IllegalStateException closed) {
                    // the pool closed
                } catch (Throwable t) {
                    unexpected.set(t);
                }
            };
            Thread t1 = new Thread(reader);
            Thread t2 = new Thread(copier);
            t1.start();
            t2.start();
            started.await();
            pool.close();                                       // waits for calls in flight, then frees
            t1.join();
            t2.join();
            assertNull(unexpected.get());
            assertThrows(IllegalStateException.class, () -> a.getDouble(0, 0));
        }
    }

    @Test
    void shouldCallTheFreeCallbackOfAWrappedArrayExactlyOnce() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(6, Double.BYTES);
            List<Long> freed = new ArrayList<>();
            NativeArray a = NativeArray.wrap(p, DType.DOUBLE, Order.FORTRAN, new long[] {2, 3}, freed::add);
            MemoryView v = a.view();
            assertArrayEquals(new long[] {8, 16}, v.strides());
            v.putDouble(1, 2, 4.5);
            assertEquals(4.5, pool.block(p).getDouble(40));
            a.close();
            a.close();
            assertEquals(List.of(p), freed);
            assertThrows(IllegalStateException.class, () -> v.getDouble(0, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.wrap(0, DType.DOUBLE, Order.C, new long[] {1}, null));
        }
    }

    @Test
    void shouldRejectBadShapesAndArrayLengthMismatch() {
        try (Pool pool = Pool.open()) {
            long blocks = pool.liveBlocks();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.copyOf(pool, new double[5], 2, 3));
            assertEquals("shape [2, 3] holds 6 elements but the array has 5", e.getMessage());
            assertEquals(blocks, pool.liveBlocks()); // nothing leaked
            e = assertThrows(IllegalArgumentException.class, () -> NativeArray.allocate(pool, DType.INT, 2, -1));
            assertEquals("shape[1] must be >= 0 but was -1", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocate(pool, DType.DOUBLE, 1L << 40, 1L << 40));
            assertThrows(IllegalArgumentException.class, () -> NativeArray.allocate(pool, DType.DOUBLE, new long[33]));
        }
    }

    @Test
    void shouldLeaveThePoolAsItWasWhenAnArrayCannotBeAllocated() {
        try (Pool pool = Pool.builder().limit(1000).open()) {
            NativeArray small = NativeArray.allocate(pool, DType.DOUBLE, 10);
            long blocks = pool.liveBlocks();
            long bytes = pool.liveBytes();
            NativeOutOfMemoryError e = assertThrows(NativeOutOfMemoryError.class,
                    () -> NativeArray.allocate(pool, DType.DOUBLE, 200));
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
            // an indirect array: the table and the first rows fit, a later row does not
            assertThrows(NativeOutOfMemoryError.class, () -> NativeArray.allocateIndirect(pool, DType.DOUBLE, 4, 30));
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
            assertEquals(0.0, small.view().getDouble(9));
        }
    }

    // ---- views over other memory ------------------------------------------------------------------------------

    @Test
    void shouldViewAPoolBlockWithCheckedStrides() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(12, Integer.BYTES);
            Block block = pool.block(p);
            MemoryView m = MemoryView.of(block, DType.INT, 3, 4);
            m.putInt(2, 3, 5);
            assertEquals(5, block.getInt(44));
            MemoryView col = MemoryView.of(block, 44, DType.INT, new long[] {3}, new long[] {-16});
            assertEquals(5, col.getInt(0));
            assertEquals(block, m.base());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryView.of(block, 4, DType.INT, new long[] {3, 4}, new long[] {16, 4}));
            assertEquals("the view reaches bytes [4, 52) but its memory has 48 bytes (shape [3, 4], strides [16, 4], offset 4)",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MemoryView.of(block, DType.INT, 13));
            pool.free(p);
            assertThrows(IllegalStateException.class, () -> m.getInt(0, 0));
        }
    }

    @Test
    void shouldViewDirectByteBuffersOnly() {
        ByteBuffer direct = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        direct.putDouble(8, 2.5);
        MemoryView v = MemoryView.of(direct, DType.DOUBLE, 2, 2);
        assertEquals(2.5, v.getDouble(0, 1));
        v.putDouble(1, 1, -1.0);
        assertEquals(-1.0, direct.getDouble(24));
        MemoryView tail = MemoryView.of(direct.position(16), DType.DOUBLE, 2); // from the position
        assertEquals(-1.0, tail.getDouble(1));
        assertThrows(IllegalArgumentException.class, () -> MemoryView.of(ByteBuffer.allocate(8), DType.DOUBLE, 1));
        assertThrows(IllegalArgumentException.class, () -> MemoryView.of(direct.asReadOnlyBuffer(), DType.BYTE, 1));
        assertThrows(IllegalArgumentException.class, () -> MemoryView.of(direct.clear(), DType.DOUBLE, 5));
        try (Pool pool = Pool.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, v::copy);
            assertTrue(e.getMessage().contains("use copy(Pool)"), e.getMessage());
            MemoryView c = v.copy(pool);
            assertTrue(c.contentEquals(v));
        }
    }

    @Test
    void shouldGoToAndFromJavaCppPointers() {
        try (DoublePointer dp = new DoublePointer(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)) {
            MemoryView v = PointerViews.of(dp, DType.DOUBLE, 2, 3);
            assertEquals(6.0, v.getDouble(1, 2));
            v.putDouble(0, 0, 9.0);
            assertEquals(9.0, dp.get(0));
            Pointer back = PointerViews.pointer(v.slice(":, 1"));
            assertEquals(dp.address() + 8, back.address());
            assertEquals(2.0, new DoublePointer(back).get(0));
            dp.deallocate();
            assertThrows(IllegalStateException.class, () -> v.getDouble(0, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> PointerViews.of(new DoublePointer(), DType.DOUBLE, 1));
    }

    @Test
    void shouldGoToAndFromJavaCppIndexers() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, DType.DOUBLE, 3, 4);
            DoubleIndexer idx = (DoubleIndexer) PointerViews.indexer(v);
            assertArrayEquals(new long[] {3, 4}, idx.sizes());
            assertEquals(6.0, idx.get(1, 2));
            idx.put(2, 3, -1.0);
            assertEquals(-1.0, v.getDouble(2, 3));
            double[] row = new double[4];
            idx.get(1, row, 0, 4);                                        // JavaCPP: along the last axis
            assertArrayEquals(new double[] {4, 5, 6, 7}, row);
            DoubleIndexer t = (DoubleIndexer) PointerViews.indexer(v.slice("::-1, 1::2").T());
            assertEquals(9.0, t.get(0, 0));                                 // element (2, 1) of v
            assertThrows(UnsupportedOperationException.class, () -> idx.reindex(new org.bytedeco.javacpp.indexer.StrideIndex(new long[] {12})));
            ByteIndexer bytes = (ByteIndexer) PointerViews.indexer(NativeArray.allocate(pool, DType.UBYTE, 8).view());
            bytes.putInt(2, 0x11223344);
            assertEquals(0x44, bytes.get(2));                              // little-endian
            assertEquals(0x11223344, bytes.getInt(2));
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.putLong(1, 1L));
            assertEquals(0, bytes.get(1));                                 // nothing written by the rejected put

            // back from an indexer over native memory: a pointer-backed one (here the view's own), keeping strides
            MemoryView cols = v.slice(":, 1::2");
            MemoryView back = PointerViews.of(PointerViews.indexer(cols));
            assertArrayEquals(cols.shape(), back.shape());
            assertArrayEquals(new long[] {32, 16}, back.strides());
            assertEquals(DType.DOUBLE, back.dtype());
            assertArrayEquals(cols.toDoubleArray(), back.toDoubleArray());
            // and one over a direct NIO buffer (JavaCPP's raw indexers are avoided: they use sun.misc.Unsafe)
            ByteBuffer direct = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder());
            direct.asDoubleBuffer().put(new double[] {0, 1, 2, 3, 4, 5});
            MemoryView fromBuffer = PointerViews.of(new DoubleBufferIndexer(direct.asDoubleBuffer(),
                    new org.bytedeco.javacpp.indexer.StrideIndex(new long[] {2, 3})));
            assertArrayEquals(new long[] {24, 8}, fromBuffer.strides());
            assertEquals(5.0, fromBuffer.getDouble(1, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> PointerViews.of(DoubleIndexer.create(new double[4], new long[] {4})));
        }
        MemoryView gone;
        DoubleIndexer stale;
        try (Pool pool = Pool.open()) {
            gone = iota(pool, DType.DOUBLE, 2);
            stale = (DoubleIndexer) PointerViews.indexer(gone);
        }
        DoubleIndexer s = stale;
        assertThrows(IllegalStateException.class, () -> s.get(0));
    }

    // ---- indirect (PIL-style) arrays --------------------------------------------------------------------------

    @Test
    void shouldReadAndSliceAnIndirectArrayThroughItsRowPointers() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocateIndirect(pool, DType.INT, 3, 4);
            MemoryView v = a.view();
            assertArrayEquals(new long[] {0, -1}, v.suboffsets());
            assertArrayEquals(new long[] {8, 4}, v.strides());
            assertTrue(v.isIndirect());
            assertFalse(v.isCContiguous());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    v.putInt(i, j, 10 * i + j);
                }
            }
            assertEquals(23, v.getInt(-1, -1));
            MemoryView row = v.slice("1");                      // follows the pointer: a direct row
            assertFalse(row.isIndirect());
            assertArrayEquals(new int[] {10, 11, 12, 13}, row.toIntArray());
            MemoryView rev = v.slice("::-1, 1:3");
            assertArrayEquals(new int[] {21, 22, 11, 12, 1, 2}, rev.toIntArray());
            v.as("::view.indirect_contiguous, ::1");
            v.as("::view.generic, :");
            assertThrows(IllegalArgumentException.class, () -> v.as(":, ::1"));
            assertThrows(IllegalArgumentException.class, v::T);
            assertArrayEquals(new int[] {1, 11, 21}, v.slice(":, 1").toIntArray()); // a column: suboffset 4
            assertArrayEquals(new long[] {4}, v.slice(":, 1").suboffsets());
            MemoryView nested = NativeArray.allocateIndirect(pool, DType.INT, 2, 2, 2).view();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nested.slice("None, 1"));
            assertEquals("bad index [None, 1]: all dimensions preceding dimension 0 must be indexed and not sliced "
                    + "(it is indirect)", e.getMessage());
            MemoryView copy = v.copy();
            assertFalse(copy.isIndirect());
            assertTrue(copy.contentEquals(v));
            MemoryView other = NativeArray.allocateIndirect(pool, DType.INT, 3, 4).view();
            other.copyFrom(v);
            assertTrue(other.contentEquals(v));
            long blocks = pool.liveBlocks();
            a.close();
            assertEquals(blocks - 4, pool.liveBlocks());            // the table and its 3 rows
            assertThrows(IllegalStateException.class, () -> v.getInt(0, 0));
        }
    }
}
