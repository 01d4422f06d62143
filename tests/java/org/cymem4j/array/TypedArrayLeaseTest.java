package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Pool;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

/** The contract a one-dimensional view over a TypedArray relies on: a lease that throws once the buffer may have moved. */
class TypedArrayLeaseTest {

    @Test
    void shouldDescribeTheWholeBuffer() {
        try (TypedArray a = TypedArray.of('d', 1.0, 2.5)) {
            BufferLease lease = a.lease();
            lease.check();
            assertEquals(DType.DOUBLE, lease.dtype());
            assertEquals(2, lease.length());
            assertEquals(a.address(), lease.memory().address());
            assertEquals(2.5, lease.memory().getDouble(8));
            assertEquals("array('d')", lease.ownerName());
        }
    }

    @Test
    void shouldEndWhenTheBufferMovesAndNeverReadFreedMemory() {
        try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
            BufferLease lease = a.lease();
            a.resize(1000); // moves the buffer (or at least reallocates it)
            IllegalStateException e = assertThrows(IllegalStateException.class, lease::check);
            assertTrue(e.getMessage().contains("is stale"), e.getMessage());
            // even a holder that skips check() cannot read the old block: the pool invalidated it on realloc
            assertThrows(IllegalStateException.class, () -> lease.memory().getInt(0));
        }
    }

    @Test
    void shouldSurviveWritesThatKeepTheLength() {
        try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
            BufferLease lease = a.lease();
            a.set(0, 5);
            a.reverse();
            lease.check();
            assertEquals(5, lease.memory().getInt(8));
        }
    }

    @Test
    void shouldEndWhenTheArrayOrItsPoolCloses() {
        TypedArray a = TypedArray.of('i', 1);
        BufferLease lease = a.lease();
        a.close();
        assertEquals("array('i') is closed", assertThrows(IllegalStateException.class, lease::check).getMessage());

        BufferLease inPool;
        try (Pool pool = Pool.open()) {
            inPool = TypedArray.create(pool, 'h', 2).lease();
            inPool.check();
        }
        assertThrows(IllegalStateException.class, inPool::check);
        assertThrows(IllegalStateException.class, () -> inPool.memory().getShort(0));
    }
}
