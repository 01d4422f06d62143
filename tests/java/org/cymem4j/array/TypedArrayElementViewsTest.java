package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

/**
 * Cython's {@code a.data.as_*} in this library: {@code view()} (the elements in place), {@code view(DType)} (the
 * same bytes as another type), and the array's own exact accessors for unsigned and unicode elements.
 */
class TypedArrayElementViewsTest {

    @Test
    void shouldReadAndWriteEachCTypeInPlace() {
        try (TypedArray b = TypedArray.copyOf(DType.BYTE, -1, 2);
                TypedArray ub = TypedArray.copyOf(DType.UBYTE, 200);
                TypedArray h = TypedArray.copyOf(DType.SHORT, -2);
                TypedArray uh = TypedArray.copyOf(DType.USHORT, 65535);
                TypedArray i = TypedArray.copyOf(DType.INT, 1, 2, 3);
                TypedArray ui = TypedArray.copyOf(DType.UINT, 4_000_000_000L);
                TypedArray l = TypedArray.copyOf(DType.LONG, -5L);
                TypedArray q = TypedArray.copyOf(DType.LONGLONG, Long.MIN_VALUE);
                TypedArray f = TypedArray.copyOf(DType.FLOAT, 0.5);
                TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.5)) {
            assertEquals(-1, b.view().getByte(0));
            b.view().putByte(1, (byte) -7);
            assertEquals(-7L, b.get(1));
            assertEquals(200, Byte.toUnsignedInt(ub.view().getByte(0)));
            assertEquals(200L, ub.getLong(0));
            assertEquals(-2, h.view().getShort(0));
            assertEquals(65535, Short.toUnsignedInt(uh.view().getShort(0)));
            assertEquals(65535L, uh.getLong(0));
            MemoryView ints = i.view();
            ints.putInt(0, ints.getInt(1) + ints.getInt(2));
            assertEquals("array('i', [5, 2, 3])", i.toString());
            assertEquals(4_000_000_000L, Integer.toUnsignedLong(ui.view().getInt(0)));
            assertEquals(4_000_000_000L, ui.getLong(0));
            assertEquals(-5L, l.view().getLong(0));
            assertEquals(Long.MIN_VALUE, q.view().getLong(0));
            assertEquals(0.5f, f.view().getFloat(0));
            MemoryView ds = d.view();
            ds.putDouble(0, ds.getDouble(0) + ds.getDouble(1));
            assertEquals(3.5, d.get(0));
            assertEquals(3, ints.size());
            assertEquals(DType.INT, ints.dtype());
            assertEquals("this view of array('i')", String.valueOf(ints.base()));
        }
    }

    @Test
    void shouldAllowSameWidthIntegerAccessorsAcrossSignedness() {
        try (TypedArray ui = TypedArray.copyOf(DType.UINT, 4_294_967_295L); TypedArray u = TypedArray.copyOf(DType.WCHAR, "A")) {
            assertEquals(-1, ui.view().getInt(0));
            assertEquals(65, u.view().getInt(0));
            assertEquals(4_294_967_295L, Integer.toUnsignedLong(ui.view().getInt(0)));
            assertEquals(4_294_967_295L, ui.getLong(0));
        }
    }

    @Test
    void shouldRejectWrongWidthNamingBothTypes() {
        try (TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0); TypedArray i = TypedArray.copyOf(DType.INT, 1); TypedArray f = TypedArray.copyOf(DType.FLOAT, 1)) {
            assertThrows(IllegalArgumentException.class, () -> d.view().getInt(0));
            assertThrows(IllegalArgumentException.class, () -> i.view().getShort(0));
            // same width, but float bits are not int values
            assertThrows(IllegalArgumentException.class, () -> f.view().getInt(0));
            assertThrows(IllegalArgumentException.class, () -> i.view().getFloat(0));
            assertThrows(IllegalArgumentException.class, () -> d.view().getLong(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.getUnicode(0));
            assertEquals("element type is float32 ('f'), not wchar_t ('u')", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.getLong(0));
            assertEquals("element type is float64 ('d'), not an integer type (use getDouble)", e.getMessage());
            assertEquals(1, i.view(DType.WCHAR).getInt(0)); // 4-byte integers may hold code points
            e = assertThrows(IllegalArgumentException.class, i::toUnicode);
            assertEquals("element type is int32 ('i'), not wchar_t ('u')", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> i.fromUnicode("a"));
            assertThrows(IllegalArgumentException.class, () -> i.putUnicode(0, "a"));
            assertEquals(1, i.length()); // the rejected calls wrote nothing
            assertThrows(NullPointerException.class, () -> i.view(null));
        }
    }

    @Test
    void shouldReinterpretBytesWhenAskedExplicitly() {
        try (TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0, -2.0); TypedArray i = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView bits = d.view(DType.LONG);
            assertEquals(Double.doubleToRawLongBits(1.0), bits.getLong(0));
            assertEquals(Double.doubleToRawLongBits(-2.0), bits.getLong(1));
            MemoryView halves = i.view(DType.SHORT);
            assertEquals(6, halves.size());
            assertEquals(2, halves.getShort(2)); // little-endian: the low half of element 1
            assertEquals(1, i.view(DType.LONG).size()); // 12 bytes hold one whole long
            assertEquals(12, i.view(DType.BYTE).size());
            assertEquals(12, i.byteSize());
            assertEquals(DType.SHORT, halves.dtype());
            assertEquals(i.address(), halves.address());
        }
        TypedArray closed = TypedArray.copyOf(DType.INT, 1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.view(DType.BYTE));
        assertThrows(IllegalStateException.class, closed::byteSize);
        try (TypedArray empty = TypedArray.allocate(DType.DOUBLE, 0)) {
            assertEquals(0, empty.view().size());
            assertEquals(0, empty.view(DType.BYTE).size());
        }
    }

    @Test
    void shouldCheckIndicesAgainstTheLength() {
        try (TypedArray i = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView ints = i.view();
            assertThrows(IndexOutOfBoundsException.class, () -> ints.getInt(3));
            assertEquals(3, ints.getInt(-1)); // a view counts negative indices from the end, as Python does
            assertThrows(IndexOutOfBoundsException.class, () -> ints.getInt(-4));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.putInt(3, 0));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> i.get(3));
            assertEquals("index=3 length=3", e.getMessage());
        }
    }

    @Test
    void shouldRejectOutOfRangeUnsignedWrites() {
        try (TypedArray ub = TypedArray.allocate(DType.UBYTE, 1); TypedArray uh = TypedArray.allocate(DType.USHORT, 1); TypedArray ui = TypedArray.allocate(DType.UINT, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ub.put(0, 256));
            assertEquals("256 does not fit 'B' (unsigned char, 0..255)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> uh.put(0, -1));
            assertThrows(IllegalArgumentException.class, () -> ui.put(0, 1L << 32));
            assertEquals(0L, ub.get(0));
            assertEquals(0L, uh.get(0));
            assertEquals(0L, ui.get(0));
        }
    }

    @Test
    void shouldBecomeStaleWhenTheArrayResizesButNotWhenItIsWritten() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView ints = a.view();
            MemoryView bytes = a.view(DType.BYTE);
            a.put(0, 7);
            a.reverse();
            a.byteswap();
            a.byteswap();
            a.zero();
            assertEquals(0, ints.getInt(2)); // writes that keep the length keep the view
            assertEquals(0, bytes.getByte(11));
            a.append(4); // may move the buffer
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ints.getInt(0));
            assertEquals("this view of array('i') is stale: the array was resized after it was made "
                    + "(length 4 now); take a new one", e.getMessage());
            assertThrows(IllegalStateException.class, ints::toIntArray);
            assertThrows(IllegalStateException.class, () -> bytes.getByte(0));
            assertEquals(4, a.view().getInt(3));
            MemoryView again = a.view();
            a.pop(); // shrinking without a realloc ends it too
            assertThrows(IllegalStateException.class, () -> again.getInt(0));
        }
    }

    @Test
    void shouldCopyOutWithToArray() {
        try (TypedArray b = TypedArray.copyOf(DType.UBYTE, 0, 128, 255);
                TypedArray h = TypedArray.copyOf(DType.USHORT, 1, 65535);
                TypedArray ui = TypedArray.copyOf(DType.UINT, 4_294_967_295L);
                TypedArray q = TypedArray.copyOf(DType.ULONGLONG, 1L);
                TypedArray f = TypedArray.copyOf(DType.FLOAT, 0.25);
                TypedArray d = TypedArray.copyOf(DType.DOUBLE, 0.125)) {
            assertArrayEquals(new long[] {0, 128, 255}, b.toLongArray());
            assertArrayEquals(new byte[] {0, -128, -1}, b.view(DType.BYTE).toByteArray());
            assertArrayEquals(new long[] {1, 65535}, h.toLongArray());
            assertArrayEquals(new short[] {1, -1}, h.view(DType.SHORT).toShortArray());
            assertArrayEquals(new long[] {4_294_967_295L}, ui.toLongArray());
            assertArrayEquals(new long[] {1L}, q.toLongArray());
            assertArrayEquals(new float[] {0.25f}, f.view().toFloatArray());
            assertArrayEquals(new double[] {0.125}, d.view().toDoubleArray());
        }
    }

    @Test
    void shouldAccessUnicodeElementsAsStrings() {
        try (TypedArray u = TypedArray.copyOf(DType.WCHAR, "这是啥\uD83D\uDE00")) {
            assertEquals("这", u.getUnicode(0));
            assertEquals("\uD83D\uDE00", u.getUnicode(3));
            assertEquals("\uD83D\uDE00", u.getUnicode(-1));
            assertEquals(0x8FD9, u.getLong(0));
            assertEquals(0x8FD9, u.view().getInt(0));
            u.putUnicode(2, "谁");
            assertEquals("这是谁\uD83D\uDE00", u.toUnicode());
            assertArrayEquals(new int[] {0x8FD9, 0x662F, 0x8C01, 0x1F600}, u.view().toIntArray());
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> u.putUnicode(0, "ab"));
            assertEquals("character must be one code point but was \"ab\" (2)", x.getMessage());
            x = assertThrows(IllegalArgumentException.class, () -> u.put(0, 0x110000));
            assertEquals("1114112 does not fit 'u' (wchar_t, 0..1114111)", x.getMessage());
            assertEquals("array('u', '这是谁\uD83D\uDE00')", u.toString());
        }
    }
}
