package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;

/**
 * The contract a view over a TypedArray relies on: it is a window of the array's buffer that throws once the buffer
 * may have moved or the length changed.
 */
class TypedArrayLeaseTest {

    @Test
    void shouldDescribeTheWholeBuffer() {
        try (TypedArray a = TypedArray.copyOf(DType.DOUBLE, 1.0, 2.5)) {
            MemoryView v = a.view();
            assertEquals(DType.DOUBLE, v.dtype());
            assertEquals(2, v.size());
            assertEquals(a.address(), v.address());
            assertEquals(16, v.byteSize());
            assertEquals(a.byteSize(), v.byteSize());
            assertEquals(2.5, v.getDouble(1));
            assertSame(a, v.base());
        }
    }

    @Test
    void shouldEndWhenTheBufferMovesAndNeverReadFreedMemory() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView v = a.view();
            a.resize(1000); // moves the buffer (or at least reallocates it)
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.getInt(0));
            assertTrue(e.getMessage().contains("is stale"), e.getMessage());
            // every access checks the same window: it cannot read the old block
            assertThrows(IllegalStateException.class, v::toIntArray);
        }
    }

    @Test
    void shouldSurviveWritesThatKeepTheLength() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView v = a.view();
            a.put(0, 5);
            a.reverse();
            assertEquals(5, v.getInt(2));
        }
    }

    @Test
    void shouldEndWhenTheArrayOrItsPoolCloses() {
        TypedArray a = TypedArray.copyOf(DType.INT, 1);
        MemoryView v = a.view();
        a.close();
        assertEquals("this view of array('i') is stale: array('i') is closed",
                assertThrows(IllegalStateException.class, () -> v.getInt(0)).getMessage());

        MemoryView inPool;
        try (Pool pool = Pool.open()) {
            inPool = TypedArray.allocate(pool, DType.SHORT, 2).view();
            inPool.getShort(1);
        }
        assertThrows(IllegalStateException.class, () -> inPool.getShort(0));
    }
}
