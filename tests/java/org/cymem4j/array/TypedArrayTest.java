package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;

import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

class TypedArrayTest {

    @Test
    void shouldCreateEveryTypecodeWithPythonItemsizes() {
        String codes = "bBhHiIlLqQfdu";
        int[] sizes = {1, 1, 2, 2, 4, 4, 8, 8, 8, 8, 4, 8, 4};
        for (int k = 0; k < codes.length(); k++) {
            try (TypedArray a = TypedArray.allocate(DType.fromTypecode(codes.charAt(k)), 5)) {
                assertEquals(codes.charAt(k), a.typecode());
                assertEquals(sizes[k], a.itemsize());
                assertEquals(DType.fromTypecode(codes.charAt(k)), a.dtype());
                assertEquals(5, a.length());
                assertEquals(0.0, a.getDouble(4));
                assertTrue(a.address() != 0);
            }
        }
    }

    @Test
    void shouldRejectUnknownTypecodeAndNegativeLength() {
        int open = Pools.openCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypedArray.allocate(DType.fromTypecode('x'), 1));
        assertEquals("bad typecode 'x' (must be b, B, u, h, H, i, I, l, L, q, Q, f, d, ?, e, F or D)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.allocate(DType.INT, -1));
        assertEquals("length must be >= 0 but was -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.allocate(DType.DOUBLE, Long.MAX_VALUE / 4));
        assertTrue(e.getMessage().startsWith("count * elemSize overflows"), e.getMessage());
        assertEquals(open, Pools.openCount()); // the private pools of the rejected arrays were not left open
    }

    @Test
    void shouldRejectValuesOutOfTheTypesRangeWithoutAllocating() {
        int open = Pools.openCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypedArray.copyOf(DType.UBYTE, 1, 300));
        assertEquals("300 does not fit 'B' (unsigned char, 0..255)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.copyOf(DType.BYTE, -129));
        assertEquals("-129 does not fit 'b' (signed char, -128..127)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.copyOf(DType.UINT, -1L));
        assertEquals("-1 does not fit 'I' (unsigned int, 0..4294967295)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.copyOf(DType.INT, 1.5));
        assertEquals("array('i') holds int integers, not the float 1.5 (integer argument expected, got float)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedArray.copyOf(DType.INT, "abc"));
        assertEquals("element type is int32 ('i'), not wchar_t ('u')", e.getMessage());
        assertEquals(open, Pools.openCount());
    }

    @Test
    void shouldKeepArrayUnchangedAfterRejectedWrite() {
        try (TypedArray a = TypedArray.copyOf(DType.SHORT, 1, 2)) {
            assertThrows(IllegalArgumentException.class, () -> a.put(0, 40000));
            assertThrows(IllegalArgumentException.class, () -> a.append(-40000));
            assertThrows(IllegalArgumentException.class, () -> a.insert(0, 1 << 20));
            assertThrows(IllegalArgumentException.class, () -> a.extend(1, 2, 1 << 16));
            assertThrows(IllegalArgumentException.class, () -> a.putDouble(0, 0.5));
            assertEquals("array('h', [1, 2])", a.toString());
            assertEquals(2, a.length());
        }
    }

    @Test
    void shouldIndexFromTheEndWithNegativeIndices() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 10, 20, 30)) {
            assertEquals(30L, a.get(-1));
            assertEquals(10L, a.get(-3));
            a.put(-2, 25);
            assertEquals(25, a.getLong(1));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(-4));
            assertEquals("index=-4 length=3", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> a.put(3, 1));
            assertEquals("index=3 length=3", e.getMessage());
        }
    }

    @Test
    void shouldReadUnsignedTypesAsUnsigned() {
        try (TypedArray b = TypedArray.copyOf(DType.UBYTE, 255);
                TypedArray h = TypedArray.copyOf(DType.USHORT, 65535);
                TypedArray i = TypedArray.copyOf(DType.UINT, 4_294_967_295L);
                TypedArray q = TypedArray.allocate(DType.ULONGLONG, 1)) {
            assertEquals(255L, b.get(0));
            assertEquals(65535L, h.get(0));
            assertEquals(4_294_967_295L, i.getLong(0));
            q.view().putLong(0, -1L); // 2^64 - 1 goes in as a bit pattern
            assertEquals("array('Q', [18446744073709551615])", q.toString());
            assertEquals(1.8446744073709552E19, q.getDouble(0));
            assertEquals(0, q.indexOf(-1L)); // L and Q: a long is the bit pattern, -1L is 2^64 - 1
        }
    }

    @Test
    void shouldAppendSearchAndRemoveUnsigned64BitValuesByTheirBitPattern() {
        long top = Long.parseUnsignedLong("18446744073709551615");
        long half = Long.parseUnsignedLong("9223372036854775808");
        for (DType t : new DType[] {DType.ULONG, DType.ULONGLONG}) {
            try (TypedArray q = TypedArray.copyOf(t, 1L, top)) {
                q.append(half);
                q.insert(0, top);
                q.extend(new long[] {half, 5});
                assertEquals("array('" + t.typecode() + "', [18446744073709551615, 1, 18446744073709551615, "
                        + "9223372036854775808, 9223372036854775808, 5])", q.toString());
                assertEquals(0, q.indexOf(top));
                assertEquals(3, q.indexOf(half));
                assertEquals(2, q.count(top));
                assertEquals(2, q.count(half));
                assertEquals(2, q.count(0x1p63));           // as a number: 2^63 exactly
                assertEquals(0, q.count(-1.0));             // no element is -1
                q.remove(half);
                assertEquals(1, q.count(half));
                assertEquals("18446744073709551615", Long.toUnsignedString(q.getLong(0)));
                assertEquals(0x1p64, q.getDouble(0));
                q.remove(top);
                q.remove(top);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.remove(top));
                assertEquals("remove(18446744073709551615): 18446744073709551615 is not in the array('"
                        + t.typecode() + "')", e.getMessage());
                assertArrayEquals(new long[] {1, half, 5}, q.toLongArray());
            }
        }
    }

    @Test
    void shouldStoreIntegersInFloatArraysAndRoundFloats() {
        try (TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1, 2); TypedArray f = TypedArray.copyOf(DType.FLOAT, 0.1)) {
            d.append(3);
            d.append(2.5);
            assertEquals("array('d', [1.0, 2.0, 3.0, 2.5])", d.toString());
            assertEquals(2.0, d.get(1));
            assertEquals((double) 0.1f, f.getDouble(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.getLong(0));
            assertEquals("element type is float64 ('d'), not an integer type (use getDouble)", e.getMessage());
        }
    }

    @Test
    void shouldAppendInsertPopAndRemoveLikePython() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 3)) {
            a.insert(1, 2);
            a.insert(-100, 0);
            a.insert(100, 5);
            a.insert(-1, 4);
            assertEquals("array('i', [0, 1, 2, 3, 4, 5])", a.toString());
            assertEquals(5L, a.pop());
            assertEquals(0L, a.pop(0));
            assertEquals(2L, a.pop(-3));
            assertEquals("array('i', [1, 3, 4])", a.toString());
            a.append(3);
            a.remove(3);
            assertEquals("array('i', [1, 4, 3])", a.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.remove(7));
            assertEquals("remove(7): 7 is not in the array('i')", e.getMessage());
            assertEquals(3, a.length());
        }
        try (TypedArray empty = TypedArray.allocate(DType.DOUBLE, 0)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, empty::pop);
            assertEquals("pop from empty array('d')", e.getMessage());
        }
    }

    @Test
    void shouldKeepSpareCapacityZeroedAfterShrinking() {
        try (TypedArray a = TypedArray.copyOf(DType.LONGLONG, 7, 8, 9)) {
            a.pop();
            a.pop();
            a.resizeSmart(3); // within capacity: the popped slots must read as zero, not as 8 and 9
            assertEquals("array('q', [7, 0, 0])", a.toString());
            a.resizeSmart(1);
            a.append(5);
            a.resizeSmart(3);
            assertEquals("array('q', [7, 5, 0])", a.toString());
        }
    }

    @Test
    void shouldFindAndCountValuesNumerically() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 5, 6, 5, 7); TypedArray d = TypedArray.copyOf(DType.DOUBLE, 2.0, 0.5, Double.NaN)) {
            assertEquals(0, a.indexOf(5));
            assertEquals(3, a.indexOf(7));
            assertEquals(-1, a.indexOf(8));
            assertEquals(2, a.count(5));
            assertEquals(0, a.count(9));
            assertEquals(0, d.indexOf(2)); // 2 == 2.0
            assertEquals(1, d.indexOf(0.5));
            assertEquals(-1, d.indexOf(Double.NaN));
            assertEquals(1, d.count(0.5));
            d.remove(0.5);
            assertEquals("array('d', [2.0, nan])", d.toString());
        }
    }

    @Test
    void shouldReverseAndByteswapInPlace() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3, 4, 5);
                TypedArray h = TypedArray.copyOf(DType.SHORT, 1, 256);
                TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0)) {
            a.reverse();
            assertEquals("array('i', [5, 4, 3, 2, 1])", a.toString());
            h.byteswap();
            assertEquals("array('h', [256, 1])", h.toString()); // Python prints the same
            a.byteswap();
            assertEquals(5 << 24, a.getLong(0));
            a.byteswap();
            assertEquals(5L, a.get(0));
            d.byteswap();
            assertEquals(0x000000000000f03fL, d.view(DType.LONG).getLong(0));
        }
    }

    @Test
    void shouldRoundTripBytes() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3); TypedArray b = TypedArray.allocate(DType.INT, 0)) {
            byte[] bytes = a.toBytes();
            assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, bytes); // Python's a.tobytes()
            b.fromBytes(bytes);
            b.fromBytes(new byte[] {9, 0, 0, 0});
            assertEquals("array('i', [1, 2, 3, 9])", b.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.fromBytes(new byte[5]));
            assertEquals("bytes length 5 is not a multiple of the item size 4 of array('i')", e.getMessage());
            assertEquals(4, b.length());
        }
    }

    @Test
    void shouldConvertToJavaArraysAndLists() {
        try (TypedArray a = TypedArray.copyOf(DType.BYTE, -1, 2); TypedArray f = TypedArray.copyOf(DType.FLOAT, 0.5, 1.5)) {
            assertArrayEquals(new long[] {-1, 2}, a.toLongArray());
            assertArrayEquals(new double[] {-1.0, 2.0}, a.toDoubleArray());
            assertEquals(List.of(-1L, 2L), a.toList());
            assertEquals(List.of(0.5, 1.5), f.toList());
            assertEquals("element type is float32 ('f'), not an integer type (use toDoubleArray)",
                    assertThrows(IllegalArgumentException.class, f::toLongArray).getMessage());
            assertThrows(UnsupportedOperationException.class, () -> a.toList().add(3L));
        }
    }

    @Test
    void shouldIterateElementsAndFailFastOnResize() {
        try (TypedArray a = TypedArray.copyOf(DType.USHORT, 1, 2, 3)) {
            List<Number> seen = new ArrayList<>();
            for (Number n : a) {
                seen.add(n);
            }
            assertEquals(List.of(1L, 2L, 3L), seen);
            Iterator<Number> it = a.iterator();
            it.next();
            a.put(0, 9); // writes keep the iterator valid
            assertEquals(2L, it.next());
            a.append(4);
            assertThrows(ConcurrentModificationException.class, it::next);
        }
    }

    @Test
    void shouldCompareAndHashByContent() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
                TypedArray b = TypedArray.copyOf(DType.INT, 1, 2);
                TypedArray l = TypedArray.copyOf(DType.LONG, 1, 2, 3);
                TypedArray n1 = TypedArray.copyOf(DType.DOUBLE, Double.NaN);
                TypedArray n2 = TypedArray.copyOf(DType.DOUBLE, Double.NaN)) {
            assertNotEquals(a, b);
            b.append(3);
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotEquals(a, l); // same values, other typecode
            assertEquals(n1, n2);
            assertEquals(n1.hashCode(), n2.hashCode());
            b.put(2, 4);
            assertNotEquals(a, b);
            TypedArray closed = a.copy();
            closed.close();
            assertNotEquals(a, closed); // a closed array equals only itself
            assertEquals(closed, closed);
        }
    }

    @Test
    void shouldPrintLikePythonRepr() {
        try (TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.5);
                TypedArray e = TypedArray.copyOf(DType.DOUBLE, 1e16, 1e15, 0.0001, 0.00001, -0.0, Double.POSITIVE_INFINITY,
                        Double.NaN, 123456789.125, 1.5e-7, Math.pow(2, 70));
                TypedArray f = TypedArray.copyOf(DType.FLOAT, 0.1, 3.0);
                TypedArray u = TypedArray.copyOf(DType.WCHAR, "这是啥");
                TypedArray quote = TypedArray.copyOf(DType.WCHAR, "it's");
                TypedArray escapes = TypedArray.copyOf(DType.WCHAR, "a\tb\\\u0000\u00a0\uD83D\uDE00");
                TypedArray empty = TypedArray.allocate(DType.INT, 0);
                TypedArray b = TypedArray.copyOf(DType.BYTE, -128, 127)) {
            // expected strings are Python 3's repr of the same arrays
            assertEquals("array('d', [1.0, 2.5])", d.toString());
            assertEquals("array('d', [1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, inf, nan, 123456789.125, "
                    + "1.5e-07, 1.1805916207174113e+21])", e.toString());
            assertEquals("array('f', [0.10000000149011612, 3.0])", f.toString());
            assertEquals("array('u', '这是啥')", u.toString());
            assertEquals("array('u', \"it's\")", quote.toString());
            assertEquals("array('u', 'a\\tb\\\\\\x00\\xa0\uD83D\uDE00')", escapes.toString());
            assertEquals("array('i')", empty.toString());
            assertEquals("array('b', [-128, 127])", b.toString());
        }
    }

    @Test
    void shouldHoldCodePointsInUnicodeArrays() {
        try (TypedArray u = TypedArray.copyOf(DType.WCHAR, "a\uD83D\uDE00")) {
            assertEquals(2, u.length()); // the surrogate pair is one element
            assertEquals(0x1F600L, u.get(1));
            u.append('是');
            assertEquals("a\uD83D\uDE00是", u.toUnicode());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.append(0x110000));
            assertEquals("1114112 does not fit 'u' (wchar_t, 0..1114111)", e.getMessage());
            u.fromBytes(new byte[] {-1, -1, -1, 127}); // not a code point: readable, printable, not convertible
            e = assertThrows(IllegalArgumentException.class, u::toUnicode);
            assertEquals("element 0x7fffffff of array('u') is not a Unicode code point (range 0..0x10ffff)", e.getMessage());
            assertEquals("array('u', 'a\uD83D\uDE00是\\U7fffffff')", u.toString());
        }
    }

    @Test
    void shouldThrowOnEveryUseAfterClose() {
        TypedArray a = TypedArray.copyOf(DType.INT, 1, 2);
        MemoryView ints = a.view();
        a.close();
        a.close(); // idempotent
        assertFalse(a.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.get(0));
        assertEquals("array('i') is closed", e.getMessage());
        assertThrows(IllegalStateException.class, a::length);
        assertThrows(IllegalStateException.class, a::address);
        assertThrows(IllegalStateException.class, () -> a.append(1));
        assertThrows(IllegalStateException.class, () -> a.resize(1));
        assertThrows(IllegalStateException.class, a::copy);
        assertThrows(IllegalStateException.class, a::iterator);
        assertThrows(IllegalStateException.class, () -> ints.getInt(0));
        assertThrows(IllegalStateException.class, a::view);
        assertEquals("array('i') (closed)", a.toString());
        assertEquals('i', a.typecode());
    }

    @Test
    void shouldLiveInAPoolAndBeFreedByIt() {
        TypedArray a;
        try (Pool pool = Pool.open()) {
            a = TypedArray.allocate(pool, DType.DOUBLE, 0);
            a.extend(1.0, 2.0);
            TypedArray other = TypedArray.allocate(pool, DType.INT, 4);
            assertEquals(2, pool.liveBlocks());
            assertTrue(pool.owns(a.address()));
            a.append(3.0); // growth reallocates inside the pool
            assertEquals(2, pool.liveBlocks());
            assertTrue(pool.owns(a.address()));
            other.close(); // frees its block now
            assertEquals(1, pool.liveBlocks());
            try (TypedArray copy = a.copy()) {
                assertTrue(pool.owns(copy.address())); // a copy lives where the original lives
                assertEquals(a, copy);
            }
            assertEquals(1, pool.liveBlocks());
        }
        assertFalse(a.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.get(0));
        assertTrue(e.getMessage().startsWith("array('d') was freed with its pool: Pool#"), e.getMessage());
        a.close(); // nothing left to free
    }

    @Test
    void shouldCloseCleanlyWhenItsBlockWasFreedThroughThePool() {
        try (Pool pool = Pool.open()) {
            TypedArray a = TypedArray.allocate(pool, DType.INT, 2);
            pool.free(a.address());
            assertThrows(IllegalStateException.class, () -> a.get(0)); // the block accessor was invalidated
            a.close();
            assertFalse(a.isOpen());
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldAllocateExactlyForValues() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3); TypedArray d = TypedArray.copyOf(DType.DOUBLE, 0.5)) {
            assertEquals(3, a.capacity());
            assertEquals(1, d.capacity());
        }
    }

    @Test
    void shouldOwnAPrivatePoolWhenStandalone() {
        int before = Pools.openCount();
        TypedArray a = TypedArray.allocate(DType.INT, 3);
        assertEquals(before + 1, Pools.openCount());
        a.close();
        assertEquals(before, Pools.openCount());
    }

    @Test
    void shouldRejectUseFromAnotherThread() throws Exception {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1)) {
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    a.get(0);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            }, "intruder");
            t.start();
            t.join();
            assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
            assertTrue(thrown[0].getMessage().contains("is confined to thread"), thrown[0].getMessage());
        }
    }
}
