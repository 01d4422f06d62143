package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.internal.jni.NativeConstants;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bool, float16, complex64/128 and the big-endian twin of every multi-byte numeric type, through the public accessors
 * and the kernels on both paths (the Java walk and the C kernels, called directly so the size threshold does not
 * choose), against what NumPy stores, reads, casts and compares for the same values (tests/python/element_types.py).
 */
class ElementTypesTest {
    private static final int N = 24;
    private static final HexFormat HEX = HexFormat.of();

    /** NumPy's account of one type: its stored bytes and values, each cast's bytes, each comparison. */
    private record Case(String type, byte[] bytes, String[] values, Map<String, byte[]> casts,
                        Map<String, Boolean> equal) {
    }

    private static final List<Case> CASES = new ArrayList<>();
    private Pool pool;

    @BeforeAll
    static void askNumPy() throws Exception {
        Case current = null;
        for (String line : Python.run("", "element_types.py", 2, "18", String.valueOf(N)).split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "T":
                    current = new Case(f[1], HEX.parseHex(f[2]), null, new LinkedHashMap<>(), new LinkedHashMap<>());
                    CASES.add(current);
                    break;
                case "V":
                    CASES.set(CASES.size() - 1, current = new Case(current.type, current.bytes,
                            Arrays.copyOfRange(f, 1, f.length), current.casts, current.equal));
                    break;
                case "C":
                    current.casts.put(f[1], HEX.parseHex(f[2]));
                    break;
                default:
                    current.equal.put(f[1], "1".equals(f[2]));
            }
        }
        assertEquals(25, CASES.size());
    }

    @BeforeEach
    void open() {
        pool = Pool.open();
    }

    @AfterEach
    void close() {
        pool.close();
    }

    static DType typeOf(String numpy) {
        DType t = DType.fromTypecode(numpy.charAt(numpy.length() - 1));
        return numpy.startsWith(">") ? t.withOrder(ByteOrder.BIG_ENDIAN) : t;
    }

    private MemoryView viewOf(DType t, byte[] bytes) {
        MemoryView v = NativeArray.allocate(pool, t, bytes.length / t.itemsize()).view();
        v.asByteBufferUnchecked().put(bytes);
        return v;
    }

    private static byte[] bytesOf(MemoryView v) {
        byte[] out = new byte[(int) v.byteSize()];
        v.asByteBufferUnchecked().get(out);
        return out;
    }

    // ---- element access ------------------------------------------------------------------------------------------

    @Test
    void shouldReadEveryTypeAsNumPyDoes() {
        for (Case c : CASES) {
            DType t = typeOf(c.type);
            MemoryView v = viewOf(t, c.bytes);
            for (int i = 0; i < N; i++) {
                String expected = c.values[i];
                String where = c.type + "[" + i + "]";
                switch (t.kind()) {
                    case BOOL:
                        assertEquals("1".equals(expected), v.getBoolean(i), where);
                        assertEquals("1".equals(expected), v.getBoolean(new long[] {i}), where);
                        break;
                    case FLOATING:
                        if (t.itemsize() == 8) {
                            assertEquals(Double.parseDouble(expected), v.getDouble(i), where);
                            assertEquals(Double.parseDouble(expected), v.getDouble(new long[] {i}), where);
                        } else {
                            assertEquals((float) Double.parseDouble(expected), v.getFloat(i), where);
                            assertEquals((float) Double.parseDouble(expected), v.getFloat(new long[] {i}), where);
                        }
                        break;
                    case COMPLEX: {
                        String[] parts = expected.split("/");
                        assertArrayEquals(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])},
                                v.getComplex(i), where);
                        break;
                    }
                    default:
                        assertEquals(parse(expected), integer(v, t, i), where);
                }
            }
        }
    }

    /** A decimal integer; one above {@code Long.MAX_VALUE} (a uint64) as its bit pattern. */
    private static long parse(String decimal) {
        return decimal.startsWith("-") ? Long.parseLong(decimal) : Long.parseUnsignedLong(decimal);
    }

    /** The integer at {@code i} through the accessor of its width, zero-extended for unsigned types. */
    private static long integer(MemoryView v, DType t, long i) {
        boolean signed = t.isSigned();
        switch (t.itemsize()) {
            case 1: return signed ? v.getByte(i) : Byte.toUnsignedLong(v.getByte(i));
            case 2: return signed ? v.getShort(i) : Short.toUnsignedLong(v.getShort(i));
            case 4: return signed ? v.getInt(i) : Integer.toUnsignedLong(v.getInt(i));
            default: return v.getLong(i); // uint64: the bit pattern, as Long.parseUnsignedLong gives it
        }
    }

    @Test
    void shouldWriteEveryTypeAsNumPyStoresIt() {
        for (Case c : CASES) {
            DType t = typeOf(c.type);
            MemoryView v = NativeArray.allocate(pool, t, N).view();
            MemoryView w = NativeArray.allocate(pool, t, 2, N / 2).view(); // the 2-d fixed-rank accessors
            for (int i = 0; i < N; i++) {
                String x = c.values[i];
                long[] at2 = {i / (N / 2), i % (N / 2)};
                switch (t.kind()) {
                    case BOOL:
                        v.putBoolean(i, "1".equals(x));
                        w.putBoolean(at2[0], at2[1], "1".equals(x));
                        break;
                    case FLOATING:
                        if (t.itemsize() == 8) {
                            v.putDouble(i, Double.parseDouble(x));
                            w.putDouble(at2[0], at2[1], Double.parseDouble(x));
                        } else {
                            v.putFloat(i, (float) Double.parseDouble(x));
                            w.putFloat(at2[0], at2[1], (float) Double.parseDouble(x));
                        }
                        break;
                    case COMPLEX: {
                        String[] parts = x.split("/");
                        v.putComplex(new long[] {i}, Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
                        w.putComplex(at2, Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
                        break;
                    }
                    default: {
                        long bits = parse(x);
                        switch (t.itemsize()) {
                            case 1: v.putByte(i, (byte) bits); w.putByte(at2[0], at2[1], (byte) bits); break;
                            case 2: v.putShort(i, (short) bits); w.putShort(at2[0], at2[1], (short) bits); break;
                            case 4: v.putInt(i, (int) bits); w.putInt(at2[0], at2[1], (int) bits); break;
                            default: v.putLong(i, bits); w.putLong(at2[0], at2[1], bits);
                        }
                    }
                }
            }
            assertArrayEquals(c.bytes, bytesOf(v), c.type);
            assertArrayEquals(c.bytes, bytesOf(w), c.type + " 2-d");
        }
    }

    @Test
    void shouldRoundFloatsToHalfAsNumPyDoes() throws Exception {
        MemoryView h = NativeArray.allocate(pool, DType.HALF, 1).view();
        MemoryView hb = NativeArray.allocate(pool, DType.HALF.withOrder(ByteOrder.BIG_ENDIAN), 1).view();
        String[] lines = Python.run("", "element_types.py", 2, "halves", "18", "4000").split("\n");
        assertEquals(4000, lines.length);
        for (String line : lines) {
            float f = Float.intBitsToFloat(Integer.parseUnsignedInt(line.substring(0, 8), 16));
            short expected = (short) Integer.parseInt(line.substring(9), 16);
            h.putFloat(0, f);
            assertEquals(expected, h.asByteBufferUnchecked().getShort(0), line);
            hb.putFloat(0, f);
            assertEquals(expected, hb.asByteBufferUnchecked().order(ByteOrder.BIG_ENDIAN).getShort(0), line);
            float back = h.getFloat(0);
            float backBig = hb.getFloat(0);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(back) && Float.isNaN(backBig), line);
            } else {
                assertEquals(expected, ElementCodec.halfFromDouble(back), line); // a float16 reads exactly
                assertEquals(back, backBig, line);
            }
        }
    }

    // ---- kernels -------------------------------------------------------------------------------------------------

    @Test
    void shouldCastEveryPairAsNumPyOnBothPaths() {
        for (Case c : CASES) {
            MemoryView src = viewOf(typeOf(c.type), c.bytes);
            for (Map.Entry<String, byte[]> e : c.casts.entrySet()) {
                DType to = typeOf(e.getKey());
                String what = c.type + " -> " + e.getKey();
                MemoryView java = NativeArray.allocate(pool, to, N).view();
                Kernels.castJava(java, src);
                assertArrayEquals(e.getValue(), bytesOf(java), what + " (Java)");
                MemoryView c2 = NativeArray.allocate(pool, to, N).view();
                Kernels.castNative(c2, src);
                assertArrayEquals(e.getValue(), bytesOf(c2), what + " (C)");
                MemoryView pub = NativeArray.allocate(pool, to, 4).view();
                pub.castFrom(src.slice("3:7"));
                assertArrayEquals(Arrays.copyOfRange(e.getValue(), 3 * to.itemsize(), 7 * to.itemsize()),
                        bytesOf(pub), what + " (castFrom)");
            }
        }
    }

    @Test
    void shouldCompareEveryPairAsNumPyOnBothPaths() {
        for (Case c : CASES) {
            MemoryView a = viewOf(typeOf(c.type), c.bytes);
            for (Map.Entry<String, Boolean> e : c.equal.entrySet()) {
                MemoryView b = viewOf(typeOf(e.getKey()), c.casts.get(e.getKey()));
                String what = c.type + " == " + e.getKey();
                assertEquals(e.getValue(), Kernels.equalJava(a, b), what + " (Java)");
                assertEquals(e.getValue(), Kernels.equalNative(a, b), what + " (C)");
                assertEquals(e.getValue(), Kernels.equalJava(b, a), what + " (Java, swapped operands)");
                assertEquals(e.getValue(), Kernels.equalNative(b, a), what + " (C, swapped operands)");
            }
        }
    }

    @Test
    void shouldCopyReversedAndFillInEveryByteOrderOnBothPaths() {
        for (Case c : CASES) {
            DType t = typeOf(c.type);
            MemoryView src = viewOf(t, c.bytes);
            int es = t.itemsize();
            byte[] reversed = new byte[c.bytes.length];
            for (int i = 0; i < N; i++) {
                System.arraycopy(c.bytes, (N - 1 - i) * es, reversed, i * es, es);
            }
            MemoryView java = NativeArray.allocate(pool, t, N).view();
            Kernels.copyJava(java, src.slice("::-1"));
            assertArrayEquals(reversed, bytesOf(java), c.type + " (Java)");
            MemoryView c2 = NativeArray.allocate(pool, t, N).view();
            Kernels.copyNative(c2, src.slice("::-1"));
            assertArrayEquals(reversed, bytesOf(c2), c.type + " (C)");
            // fill with 1: NumPy's bytes of a 1 in t come from the bool case's cast to t
            MemoryView fj = NativeArray.allocate(pool, t, N).view();
            MemoryView fc = NativeArray.allocate(pool, t, N).view();
            Kernels.fillJava(fj, Kernels.fillBits(t, 1L));
            Kernels.fillNative(fc, Kernels.fillBits(t, 1L));
            Case bools = CASES.get(0);
            int k = List.of(bools.values).indexOf("1");
            byte[] one = new byte[N * es];
            for (int i = 0; i < N; i++) {
                System.arraycopy(bools.casts.get(c.type), k * es, one, i * es, es);
            }
            assertArrayEquals(one, bytesOf(fj), c.type + " fill (Java)");
            assertArrayEquals(one, bytesOf(fc), c.type + " fill (C)");
        }
    }

    @Test
    void shouldConvertToJavaArraysOnBothPaths() {
        for (Case c : CASES) {
            DType t = typeOf(c.type);
            MemoryView big = viewOf(t, c.bytes);           // 24 elements: through C
            MemoryView small = big.slice(":8");            // 8: walked in Java
            for (MemoryView v : List.of(big, small)) {
                int n = (int) v.size();
                double[] z = v.toComplexArray();
                double[] d = v.toDoubleArray();
                boolean[] b = v.toBooleanArray();
                float[] f = v.toFloatArray();
                MemoryView asD = viewOf(DType.CDOUBLE, c.casts.get("D"));
                MemoryView asB = viewOf(DType.BOOL, c.casts.get("?"));
                MemoryView asF = viewOf(DType.FLOAT, c.casts.get("f"));
                MemoryView asDouble = viewOf(DType.DOUBLE, c.casts.get("d"));
                for (int i = 0; i < n; i++) {
                    String where = c.type + "[" + i + "] of " + n;
                    assertArrayEquals(asD.getComplex(i), new double[] {z[2 * i], z[2 * i + 1]}, where);
                    assertEquals(asB.getBoolean(i), b[i], where);
                    assertEquals(asF.getFloat(i), f[i], where);
                    assertEquals(asDouble.getDouble(i), d[i], where);
                }
            }
        }
    }

    @Test
    void shouldReadAndConvertIndirectViewsOfTheNewTypes() {
        // indirect views always take the Java path, which follows each row pointer
        MemoryView d = NativeArray.copyOf(pool, new double[] {0.5, -2, 65504, 1e6, 3, 0}, 2, 3).view();
        for (DType t : List.of(DType.HALF.withOrder(ByteOrder.BIG_ENDIAN), DType.CFLOAT, DType.BOOL,
                DType.INT.withOrder(ByteOrder.BIG_ENDIAN))) {
            MemoryView v = NativeArray.allocateIndirect(pool, t, 2, 3).view();
            assertTrue(v.isIndirect());
            v.castFrom(d);
            MemoryView direct = NativeArray.allocate(pool, t, 2, 3).view();
            direct.castFrom(d);
            assertTrue(v.contentEquals(direct), t.toString());
            assertArrayEquals(direct.toComplexArray(), v.toComplexArray(), t.toString());
        }
        MemoryView h = NativeArray.allocateIndirect(pool, DType.HALF, 2, 3).view();
        h.castFrom(d);
        assertArrayEquals(new float[] {0.5f, -2, 65504, Float.POSITIVE_INFINITY, 3, 0}, h.toFloatArray());
        h.putFloat(1, 2, 0.1f);
        assertEquals(0.0999755859375f, h.getFloat(1, 2)); // float16 0x2E66, NumPy's np.float16(0.1)
    }

    @Test
    void shouldReadUnsigned64BitValuesAsTheirBitPattern() {
        MemoryView q = NativeArray.allocate(pool, DType.ULONGLONG, 2).view();
        q.putLong(0, -1L);                                  // 2^64 - 1
        q.putLong(1, Long.parseUnsignedLong("9223372036854777856")); // 2^63 + 2^11
        assertEquals("18446744073709551615", Long.toUnsignedString(q.getLong(0)));
        assertArrayEquals(new double[] {0x1p64, 0x1p63 + 0x1p11}, q.toDoubleArray());
        MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 2).view();
        d.putDouble(0, 1e19);
        d.putDouble(1, 0x1p63);
        q.castFrom(d);
        assertEquals("10000000000000000000", Long.toUnsignedString(q.getLong(0)));
        assertEquals(Long.MIN_VALUE, q.getLong(1));
        assertTrue(q.contentEquals(d));
        q.fill(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, q.getLong(1));
    }

    // ---- errors --------------------------------------------------------------------------------------------------

    @Test
    void shouldNameTheElementTypeOfAWrongAccessor() {
        MemoryView b = NativeArray.allocate(pool, DType.BOOL, 3).view();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.getInt(0));
        assertEquals("element type is bool ('?'), not int32 ('i', 'I', 'u': getInt)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.getByte(0));
        assertEquals("element type is bool ('?'), not int8 ('b', 'B': getByte)", e.getMessage());
        MemoryView i = NativeArray.allocate(pool, DType.INT.withOrder(ByteOrder.BIG_ENDIAN), 3).view();
        e = assertThrows(IllegalArgumentException.class, () -> i.getBoolean(0));
        assertEquals("element type is >int32 ('>i'), not bool ('?': getBoolean)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> i.putFloat(0, 1f));
        assertEquals("element type is >int32 ('>i'), not float32 ('f': getFloat)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> i.getComplex(0));
        assertEquals("element type is >int32 ('>i'), not complex ('Zf', 'Zd': getComplex)", e.getMessage());
        MemoryView z = NativeArray.allocate(pool, DType.CDOUBLE, 3).view();
        e = assertThrows(IllegalArgumentException.class, () -> z.getDouble(0));
        assertEquals("element type is complex128 ('Zd'), not float64 ('d': getDouble)", e.getMessage());
        MemoryView h = NativeArray.allocate(pool, DType.HALF, 3).view();
        e = assertThrows(IllegalArgumentException.class, () -> h.getShort(0));
        assertEquals("element type is float16 ('e'), not int16 ('h', 'H': getShort)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.fill(1.5));
        assertTrue(e.getMessage().contains("bool ('?')"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.fill(2));
        assertTrue(e.getMessage().startsWith("2 does not fit '?'"), e.getMessage());
        // a copy needs one element type, byte order included
        MemoryView native_ = NativeArray.allocate(pool, DType.INT, 3).view();
        e = assertThrows(IllegalArgumentException.class, () -> native_.copyFrom(i));
        assertEquals("cannot copy a view of '>i' into a view of 'i'; use castFrom to convert", e.getMessage());
        native_.castFrom(i);
        // a struct's elements are records: read by field, never by a scalar accessor
        DType pair = DType.struct().add("x", DType.INT).add("y", DType.DOUBLE).build();
        MemoryView records = NativeArray.allocate(pool, pair, 2).view();
        e = assertThrows(IllegalArgumentException.class, () -> records.getInt(0));
        assertTrue(e.getMessage().startsWith("element type is " + pair.displayName() + ", not int32"), e.getMessage());
        // Python's array module has none of the new types: neither has TypedArray
        for (DType t : List.of(DType.BOOL, DType.HALF, DType.CFLOAT, DType.CDOUBLE,
                DType.INT.withOrder(ByteOrder.BIG_ENDIAN))) {
            e = assertThrows(IllegalArgumentException.class, () -> TypedArray.allocate(pool, t, 2));
            assertTrue(e.getMessage().startsWith("a typed array holds the array module's types"), e.getMessage());
        }
    }

    @Test
    void shouldCheckLivenessAndReadOnlyMemoryOnTheConvertingPath() {
        NativeArray half = NativeArray.allocate(pool, DType.HALF, 2);
        NativeArray big = NativeArray.allocate(pool, DType.DOUBLE.withOrder(ByteOrder.BIG_ENDIAN), 2);
        NativeArray z = NativeArray.allocate(pool, DType.CFLOAT, 2);
        MemoryView h = half.view();
        MemoryView b = big.view();
        MemoryView c = z.view();
        half.close();
        big.close();
        z.close();
        assertThrows(IllegalStateException.class, () -> h.getFloat(0));
        assertThrows(IllegalStateException.class, () -> h.putFloat(0, 1f));
        assertThrows(IllegalStateException.class, () -> b.getDouble(1));
        assertThrows(IllegalStateException.class, () -> c.getComplex(0));
        assertThrows(IllegalStateException.class, () -> c.putComplex(new long[] {0}, 1, 2));
        assertThrows(IllegalStateException.class, h::toFloatArray);
        for (DType t : List.of(DType.HALF, DType.BOOL, DType.CDOUBLE)) {
            long tensor = DLPackTestLibrary.produce(true, DLPack.FLAG_READ_ONLY, DLPack.codeOf(t), 8 * t.itemsize(),
                    new long[] {2}, null, 0, 2, new double[] {1, 0});
            try (DLPackTensor in = DLPack.fromVersioned(tensor)) {
                MemoryView v = in.view();
                assertTrue(v.isReadOnly());
                assertThrows(UnsupportedOperationException.class, () -> v.fill(0));
                if (t == DType.HALF) {
                    assertEquals(1f, v.getFloat(0));
                    assertThrows(UnsupportedOperationException.class, () -> v.putFloat(0, 2f));
                } else if (t == DType.BOOL) {
                    assertTrue(v.getBoolean(0));
                    assertThrows(UnsupportedOperationException.class, () -> v.putBoolean(0, false));
                } else {
                    assertArrayEquals(new double[] {1, 0}, v.getComplex(0));
                    assertThrows(UnsupportedOperationException.class, () -> v.putComplex(new long[] {0}, 2, 0));
                }
            }
        }
    }

    @Test
    void shouldNeverReadFreedMemoryWhenASharedPoolClosesUnderTheConvertingPath() throws Exception {
        // 1 MiB blocks are mmap'ed by malloc and unmapped by free: a read after free would crash this JVM
        for (int round = 0; round < 20; round++) {
            Pool shared = Pool.openShared();
            MemoryView h = NativeArray.allocate(shared, DType.HALF.withOrder(ByteOrder.BIG_ENDIAN), 1 << 19).view();
            MemoryView z = NativeArray.allocate(shared, DType.CDOUBLE, 1 << 16).view();
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    for (long i = 0; ; i = (i + 7919) & ((1 << 16) - 1)) {
                        h.putFloat(new long[] {i}, h.getFloat(new long[] {i}) + 1);
                        z.putComplex(new long[] {i}, z.getComplex(i)[0] + 1, 0);
                        started.countDown();
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            });
            reader.start();
            started.await();
            shared.close();
            reader.join();
            assertTrue(ended.get() instanceof IllegalStateException, String.valueOf(ended.get()));
        }
    }

    @Test
    void shouldShareKernelCodesWithC() {
        assertEquals(NativeConstants.cym_j_constant("CYM_DTYPE_RAW"), Kernels.RAW_CODE);
        assertEquals(NativeConstants.cym_j_constant("CYM_J_DESC_ITEMSIZE_SHIFT"), Kernels.ITEMSIZE_SHIFT);
        assertEquals(NativeConstants.cym_j_constant("CYM_DTYPE_SWAPPED"), DType.SWAPPED_CODE);
        for (DType t : DType.scalars()) {
            DType big = t.withOrder(ByteOrder.BIG_ENDIAN);
            assertEquals(t.itemsize() == 1 ? t.nativeCode() : t.nativeCode() | DType.SWAPPED_CODE, big.nativeCode(),
                    big.toString());
        }
    }
}
