package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.NativeMemory;
import org.cymem4j.Pool;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

/** The contract a one-dimensional view over a TypedArray relies on: a lease that throws once the buffer may have moved. */
class TypedArrayLeaseTest {
    private static NativeMemory memory(BufferLease lease) {
        return (NativeMemory) lease.memory();
    }

    @Test
    void shouldDescribeTheWholeBuffer() {
        try (TypedArray a = TypedArray.of('d', 1.0, 2.5)) {
            BufferLease lease = a.lease();
            lease.span().check();
            assertEquals(DType.DOUBLE, lease.dtype());
            assertEquals(2, lease.length());
            assertEquals(a.address(), memory(lease).address());
            assertEquals(16, lease.span().bytes());
            assertEquals(2.5, memory(lease).getDouble(8));
            assertEquals("array('d')", lease.ownerName());
        }
    }

    @Test
    void shouldEndWhenTheBufferMovesAndNeverReadFreedMemory() {
        try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
            BufferLease lease = a.lease();
            a.resize(1000); // moves the buffer (or at least reallocates it)
            IllegalStateException e = assertThrows(IllegalStateException.class, lease.span()::check);
            assertTrue(e.getMessage().contains("is stale"), e.getMessage());
            // the lease's memory checks the same span on every access: it cannot read the old block
            assertThrows(IllegalStateException.class, () -> memory(lease).getInt(0));
        }
    }

    @Test
    void shouldSurviveWritesThatKeepTheLength() {
        try (TypedArray a = TypedArray.of('i', 1, 2, 3)) {
            BufferLease lease = a.lease();
            a.set(0, 5);
            a.reverse();
            lease.span().check();
            assertEquals(5, memory(lease).getInt(8));
        }
    }

    @Test
    void shouldEndWhenTheArrayOrItsPoolCloses() {
        TypedArray a = TypedArray.of('i', 1);
        BufferLease lease = a.lease();
        a.close();
        assertEquals("this view of array('i') is stale: array('i') is closed",
                assertThrows(IllegalStateException.class, lease.span()::check).getMessage());

        BufferLease inPool;
        try (Pool pool = Pool.open()) {
            inPool = TypedArray.create(pool, 'h', 2).lease();
            inPool.span().check();
        }
        assertThrows(IllegalStateException.class, inPool.span()::check);
        assertThrows(IllegalStateException.class, () -> memory(inPool).getShort(0));
    }
}
