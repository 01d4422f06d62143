package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

/** {@code TypedArray.view()}: a 1-d memoryview in place, which refuses to read after a resize or close. */
class TypedArrayViewTest {

    @Test
    void shouldViewTheBufferInPlace() {
        try (TypedArray a = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.0, 3.0)) {
            MemoryView v = a.view();
            assertArrayEquals(new long[] {3}, v.shape());
            assertArrayEquals(new long[] {8}, v.strides());
            assertEquals("d", v.format());
            assertSame(a, v.base()); // Cython: the memoryview's base is the array
            assertEquals(a.address(), v.address());
            v.putDouble(-1, 9.5);                 // negative index from the end
            assertEquals(9.5, a.getDouble(2));
            a.putDouble(0, -1.0);
            assertEquals(-1.0, v.getDouble(0));
            assertArrayEquals(new double[] {-1.0, 2.0, 9.5}, v.toDoubleArray());
        }
    }

    @Test
    void shouldThrowRatherThanReadAfterAResizeMovedOrMayHaveMovedTheBuffer() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView v = a.view();
            a.resize(1_000_000); // grows far enough that realloc usually moves the block
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.getInt(0));
            assertTrue(e.getMessage().contains("array('i')"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> v.putInt(1, 5));
            assertThrows(IllegalStateException.class, v::toIntArray);
            MemoryView fresh = a.view();
            assertEquals(1_000_000, fresh.shape()[0]);
            assertEquals(3, fresh.getInt(2));
            assertEquals(0, fresh.getInt(999_999));
        }
    }

    @Test
    void shouldThrowAfterTheArrayOrItsPoolCloses() {
        TypedArray a = TypedArray.copyOf(DType.SHORT, 7, 8);
        MemoryView v = a.view();
        a.close();
        assertThrows(IllegalStateException.class, () -> v.getShort(0));
        assertThrows(IllegalStateException.class, a::view);
        MemoryView inPool;
        try (Pool pool = Pool.open()) {
            TypedArray b = TypedArray.allocate(pool, DType.LONGLONG, 2);
            inPool = b.view();
            inPool.putLong(1, 5L);
            assertEquals(5L, b.getLong(1));
        }
        assertThrows(IllegalStateException.class, () -> inPool.getLong(1));
    }
}
