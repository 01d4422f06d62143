package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Address;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

/** Cython's C-level operations: resize, resize_smart, clone, copy, extend_buffer, extend, zero. */
class TypedArrayResizeTest {

    @Test
    void shouldResizeExactlyAndZeroNewElements() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            a.resize(5);
            assertEquals(5, a.capacity());
            assertEquals("array('i', [1, 2, 3, 0, 0])", a.toString());
            a.resize(2);
            assertEquals(2, a.capacity());
            a.resize(4);
            assertEquals("array('i', [1, 2, 0, 0])", a.toString()); // the dropped 3 does not come back
            a.resize(0);
            assertEquals("array('i')", a.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.resize(-1));
            assertEquals("length must be >= 0 but was -1", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.resize(Long.MAX_VALUE / 2));
            assertEquals(0, a.length());
        }
    }

    @Test
    void shouldGrowGeometricallyWithResizeSmart() {
        try (TypedArray a = TypedArray.allocate(DType.DOUBLE, 0)) {
            long capacity = a.capacity();
            int reallocations = 0;
            for (int i = 0; i < 1_000_000; i++) {
                a.append((double) i);
                if (a.capacity() != capacity) {
                    // each growth is to n + n/2 + 1, Cython's resize_smart rule
                    assertEquals(a.length() + a.length() / 2 + 1, a.capacity());
                    capacity = a.capacity();
                    reallocations++;
                }
            }
            // 1.5x growth: about log(1e6)/log(1.5) = 34 reallocations for a million appends, not a million
            assertTrue(reallocations <= 36, "reallocations=" + reallocations);
            assertEquals(999_999.0, a.getDouble(-1));
            assertEquals(1_000_000, a.length());
        }
    }

    @Test
    void shouldShrinkInPlaceAboveAQuarterAndReallocateBelow() {
        try (TypedArray a = TypedArray.allocate(DType.INT, 0)) {
            a.resizeSmart(100);
            assertEquals(151, a.capacity());
            a.resizeSmart(40);
            assertEquals(151, a.capacity()); // 40 > 151 / 4: kept
            a.resizeSmart(20);
            assertEquals(31, a.capacity()); // 20 <= 151 / 4: shrunk to 20 + 10 + 1
            a.resizeSmart(31);
            assertEquals(31, a.capacity());
            assertEquals(0L, a.get(30));
            assertThrows(IllegalArgumentException.class, () -> a.resizeSmart(-5));
            assertEquals(31, a.length());
        }
    }

    @Test
    void shouldLeaveArrayUnchangedWhenGrowthFails() {
        try (Pool pool = Pool.builder().limit(64).open()) {
            TypedArray a = TypedArray.allocate(pool, DType.LONGLONG, 0);
            a.extend(1L, 2L, 3L);
            long address = a.address();
            assertThrows(NativeOutOfMemoryError.class, () -> a.resize(1000));
            assertThrows(NativeOutOfMemoryError.class, () -> a.extend(new long[1000]));
            assertEquals("array('q', [1, 2, 3])", a.toString());
            assertEquals(address, a.address());
        }
    }

    @Test
    void shouldCloneWithTemplateTypeAndPlace() {
        try (TypedArray t = TypedArray.copyOf(DType.SHORT, 1, 2); TypedArray c = TypedArray.clone(t, 4, true)) {
            assertEquals("array('h', [0, 0, 0, 0])", c.toString());
            try (TypedArray unzeroed = TypedArray.clone(t, 2, false)) {
                assertEquals("array('h', [0, 0])", unzeroed.toString()); // pool memory is always zeroed
            }
            assertThrows(IllegalArgumentException.class, () -> TypedArray.clone(t, -1, true));
        }
        try (Pool pool = Pool.open()) {
            TypedArray t = TypedArray.allocate(pool, DType.FLOAT, 1);
            TypedArray c = TypedArray.clone(t, 3, true);
            assertTrue(pool.owns(c.address()));
            assertEquals(2, pool.liveBlocks());
        }
    }

    @Test
    void shouldCopyIndependently() {
        try (TypedArray a = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.0); TypedArray b = a.copy()) {
            assertEquals(a, b);
            assertNotEquals(a.address(), b.address());
            b.putDouble(0, 9.0);
            assertEquals("array('d', [1.0, 2.0])", a.toString());
            assertEquals("array('d', [9.0, 2.0])", b.toString());
        }
    }

    @Test
    void shouldExtendBufferByElementCount() {
        try (Address src = new Address(3, Integer.BYTES); TypedArray a = TypedArray.copyOf(DType.INT, 1)) {
            src.putInt(0, 7);
            src.putInt(4, 8);
            src.putInt(8, 9);
            a.extendBuffer(src.address(), 3);
            assertEquals("array('i', [1, 7, 8, 9])", a.toString());
            a.extendBuffer(0, 0); // nothing to read: no address needed
            assertEquals(4, a.length());
        }
    }

    @Test
    void shouldRejectBadExtendBufferArgumentsBeforeCopying() {
        try (TypedArray a = TypedArray.copyOf(DType.DOUBLE, 1.0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.extendBuffer(64, -1));
            assertEquals("count must be >= 0 but was -1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> a.extendBuffer(64, Long.MAX_VALUE / 4));
            assertEquals("count * elemSize overflows: count=2305843009213693951 elemSize=8 (limit 9223372036854775807 bytes)",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> a.extendBuffer(64, Long.MAX_VALUE / 8));
            assertEquals("extendBuffer: length 1 + count 1152921504606846975 overflows (limit 1152921504606846975 "
                    + "elements of 8 bytes)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> a.extendBuffer(0, 2));
            assertEquals("extendBuffer: address 0x0 with count=2", e.getMessage());
            assertEquals("array('d', [1.0])", a.toString());
        }
    }

    @Test
    void shouldExtendBufferFromItsOwnBufferEvenWhenItMoves() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            a.resize(3); // capacity 3: the next growth reallocates
            a.extendBuffer(a.address() + 4, 2);
            assertEquals("array('i', [1, 2, 3, 2, 3])", a.toString());
            long address = a.address();
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> a.extendBuffer(address + 16, 2));
            assertEquals("offset=16 length=8 capacity=20", e.getMessage());
            assertEquals(5, a.length());
        }
    }

    @Test
    void shouldExtendWithSameTypecodeOnly() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2); TypedArray b = TypedArray.copyOf(DType.INT, 3); TypedArray d = TypedArray.copyOf(DType.DOUBLE, 1.0)) {
            a.extend(b);
            a.extend(a);
            assertEquals("array('i', [1, 2, 3, 1, 2, 3])", a.toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.extend(d));
            assertEquals("cannot extend array('i') with array('d'): the typecodes must be the same", e.getMessage());
            assertEquals(6, a.length());
            d.extend(2.5, 3.0);
            d.extend(new double[0]);
            assertEquals("array('d', [1.0, 2.5, 3.0])", d.toString());
        }
    }

    @Test
    void shouldZeroEveryElement() {
        try (TypedArray a = TypedArray.copyOf(DType.LONGLONG, 1, 2, 3)) {
            a.zero();
            assertEquals("array('q', [0, 0, 0])", a.toString());
            assertEquals(3, a.length());
        }
    }
}
