package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

class ElementsTest {

    @Test
    void shouldReadAndWriteEachCTypeInPlace() {
        try (TypedArray b = TypedArray.of('b', -1, 2);
                TypedArray ub = TypedArray.of('B', 200);
                TypedArray h = TypedArray.of('h', -2);
                TypedArray uh = TypedArray.of('H', 65535);
                TypedArray i = TypedArray.of('i', 1, 2, 3);
                TypedArray ui = TypedArray.of('I', 4_000_000_000L);
                TypedArray l = TypedArray.of('l', -5L);
                TypedArray q = TypedArray.of('q', Long.MIN_VALUE);
                TypedArray f = TypedArray.of('f', 0.5);
                TypedArray d = TypedArray.of('d', 1.0, 2.5)) {
            assertEquals(-1, b.asChars().get(0));
            b.asSChars().set(1, (byte) -7);
            assertEquals(-7L, b.get(1));
            assertEquals(200, ub.asUChars().get(0));
            assertEquals(-2, h.asShorts().get(0));
            assertEquals(65535, uh.asUShorts().get(0));
            IntElements ints = i.asInts();
            ints.set(0, ints.get(1) + ints.get(2));
            assertEquals("array('i', [5, 2, 3])", i.toString());
            assertEquals(4_000_000_000L, ui.asUInts().get(0));
            assertEquals(-5L, l.asLongs().get(0));
            assertEquals(Long.MIN_VALUE, q.asLongLongs().get(0));
            assertEquals(0.5f, f.asFloats().get(0));
            DoubleElements ds = d.asDoubles();
            ds.set(0, ds.get(0) + ds.get(1));
            assertEquals(3.5, d.get(0));
            assertEquals(3, ints.length());
            assertEquals(DType.INT, ints.dtype());
            assertEquals("IntElements of array('i'), 3 elements", ints.toString());
        }
    }

    @Test
    void shouldAllowSameWidthIntegerAccessorsAcrossSignedness() {
        try (TypedArray ui = TypedArray.of('I', 4_294_967_295L); TypedArray u = TypedArray.of('u', "A")) {
            assertEquals(-1, ui.asInts().get(0));
            assertEquals(65, u.asInts().get(0));
            assertEquals(4_294_967_295L, ui.asUInts().get(0));
        }
    }

    @Test
    void shouldRejectWrongWidthNamingBothTypes() {
        try (TypedArray d = TypedArray.of('d', 1.0); TypedArray i = TypedArray.of('i', 1); TypedArray f = TypedArray.of('f', 1)) {
            ClassCastException e = assertThrows(ClassCastException.class, d::asInts);
            assertEquals("asInts() reads 4-byte int ('i') but array('d') holds 8-byte double: "
                    + "use reinterpret().asInts() to reinterpret the bytes", e.getMessage());
            e = assertThrows(ClassCastException.class, i::asShorts);
            assertEquals("asShorts() reads 2-byte short ('h') but array('i') holds 4-byte int: "
                    + "use reinterpret().asShorts() to reinterpret the bytes", e.getMessage());
            // same width, but float bits are not int values
            assertThrows(ClassCastException.class, f::asInts);
            assertThrows(ClassCastException.class, i::asFloats);
            assertThrows(ClassCastException.class, d::asLongs);
            assertThrows(ClassCastException.class, f::asPyUnicodes);
            assertEquals(1, i.asPyUnicodes().codePointAt(0)); // 4-byte integers may hold code points
        }
    }

    @Test
    void shouldReinterpretBytesWhenAskedExplicitly() {
        try (TypedArray d = TypedArray.of('d', 1.0, -2.0); TypedArray i = TypedArray.of('i', 1, 2, 3)) {
            LongElements bits = d.reinterpret().asLongs();
            assertEquals(Double.doubleToRawLongBits(1.0), bits.get(0));
            assertEquals(Double.doubleToRawLongBits(-2.0), bits.get(1));
            ShortElements halves = i.reinterpret().asShorts();
            assertEquals(6, halves.length());
            assertEquals(2, halves.get(2)); // little-endian: the low half of element 1
            assertEquals(1, i.reinterpret().asLongs().length()); // 12 bytes hold one whole long
            assertEquals(12, i.reinterpret().asChars().length());
        }
    }

    @Test
    void shouldCheckIndicesAgainstTheLength() {
        try (TypedArray i = TypedArray.of('i', 1, 2, 3)) {
            IntElements ints = i.asInts();
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ints.get(3));
            assertEquals("Index 3 out of bounds for length 3", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(-1)); // C-style: no negative indices
            assertThrows(IndexOutOfBoundsException.class, () -> ints.set(3, 0));
        }
    }

    @Test
    void shouldRejectOutOfRangeUnsignedWrites() {
        try (TypedArray ub = TypedArray.create('B', 1); TypedArray uh = TypedArray.create('H', 1); TypedArray ui = TypedArray.create('I', 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ub.asUChars().set(0, 256));
            assertEquals("256 does not fit 'B' (unsigned char, 0..255)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> uh.asUShorts().set(0, -1));
            assertThrows(IllegalArgumentException.class, () -> ui.asUInts().set(0, 1L << 32));
            assertEquals(0L, ub.get(0));
            assertEquals(0L, uh.get(0));
            assertEquals(0L, ui.get(0));
        }
    }

    @Test
    void shouldBecomeStaleWhenTheArrayResizesButNotWhenItIsWritten() {
        try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
            IntElements ints = a.asInts();
            a.set(0, 7);
            a.reverse();
            a.byteswap();
            a.byteswap();
            a.zero();
            assertEquals(0, ints.get(2)); // writes that keep the length keep the accessor
            a.append(4); // may move the buffer
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ints.get(0));
            assertEquals("this accessor of array('i') is stale: the array was resized after it was made "
                    + "(length 4 now); take a new one", e.getMessage());
            assertThrows(IllegalStateException.class, ints::toArray);
            assertEquals(4, a.asInts().get(3));
            IntElements again = a.asInts();
            a.pop(); // shrinking without a realloc ends it too
            assertThrows(IllegalStateException.class, () -> again.get(0));
        }
    }

    @Test
    void shouldCopyOutWithToArray() {
        try (TypedArray b = TypedArray.of('B', 0, 128, 255);
                TypedArray h = TypedArray.of('H', 1, 65535);
                TypedArray ui = TypedArray.of('I', 4_294_967_295L);
                TypedArray q = TypedArray.of('Q', 1L);
                TypedArray f = TypedArray.of('f', 0.25);
                TypedArray d = TypedArray.of('d', 0.125)) {
            assertArrayEquals(new int[] {0, 128, 255}, b.asUChars().toArray());
            assertArrayEquals(new byte[] {0, -128, -1}, b.asChars().toArray());
            assertArrayEquals(new int[] {1, 65535}, h.asUShorts().toArray());
            assertArrayEquals(new short[] {1, -1}, h.asShorts().toArray());
            assertArrayEquals(new long[] {4_294_967_295L}, ui.asUInts().toArray());
            assertArrayEquals(new long[] {1L}, q.asULongLongs().toArray());
            assertArrayEquals(new float[] {0.25f}, f.asFloats().toArray());
            assertArrayEquals(new double[] {0.125}, d.asDoubles().toArray());
        }
    }

    @Test
    void shouldAccessUnicodeElementsAsStrings() {
        try (TypedArray u = TypedArray.of('u', "这是啥\uD83D\uDE00")) {
            UnicodeElements e = u.asPyUnicodes();
            assertEquals("这", e.get(0));
            assertEquals("\uD83D\uDE00", e.get(3));
            assertEquals(0x8FD9, e.codePointAt(0));
            e.set(2, "谁");
            assertEquals("这是谁\uD83D\uDE00", e.asString());
            assertArrayEquals(new int[] {0x8FD9, 0x662F, 0x8C01, 0x1F600}, e.toArray());
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.set(0, "ab"));
            assertEquals("set(0, \"ab\"): expected one character, got 2", x.getMessage());
            x = assertThrows(IllegalArgumentException.class, () -> e.setCodePoint(0, 0x110000));
            assertEquals("1114112 does not fit 'u' (wchar_t, 0..1114111)", x.getMessage());
            assertEquals("array('u', '这是谁\uD83D\uDE00')", u.toString());
        }
    }
}
