package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.Test;

/** Closing an array frees the block it owns, never another block that happens to sit at the same address. */
class OwnershipTest {

    /** Allocates blocks of {@code bytes} until one lands at {@code address} (the allocator's free list makes it likely). */
    private static long reuse(Pool pool, long address, long bytes) {
        long q = 0;
        for (int i = 0; i < 64 && q != address; i++) {
            q = pool.alloc(1, bytes);
        }
        return q;
    }

    @Test
    void shouldNotFreeAnotherBlockAtTheAddressOfATypedArraysFreedBuffer() {
        try (Pool pool = Pool.open()) {
            TypedArray a = TypedArray.allocate(pool, DType.DOUBLE, 8);
            long address = a.address();
            pool.free(address); // the user's mistake: the array's buffer freed behind its back
            long other = reuse(pool, address, 64);
            pool.block(other).putLong(0, 42);
            long blocks = pool.liveBlocks();
            a.close();
            assertTrue(pool.owns(other), "the array's close() freed a block it did not own");
            assertEquals(42, pool.block(other).getLong(0));
            assertEquals(blocks, pool.liveBlocks());
        }
    }

    @Test
    void shouldNotFreeAnotherBlockAtTheAddressOfANativeArraysFreedBlock() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocate(pool, DType.LONG, 8);
            MemoryView v = a.view();
            long address = a.address();
            pool.free(address);
            assertFalse(a.isOpen());
            assertThrows(IllegalStateException.class, () -> v.getLong(0));
            long other = reuse(pool, address, 64);
            pool.block(other).putLong(0, 42);
            a.close();
            assertTrue(pool.owns(other), "the array's close() freed a block it did not own");
            assertEquals(42, pool.block(other).getLong(0));
        }
    }

    @Test
    void shouldStopFollowingAnIndirectRowThatWasFreedOrMovedThroughThePool() {
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocateIndirect(pool, DType.DOUBLE, 3, 4);
            MemoryView v = a.view();
            v.putDouble(1, 2, 2.5);
            long table = a.address();
            long row1 = pool.block(table).getLong(Long.BYTES);
            long row2 = pool.block(table).getLong(2 * Long.BYTES);
            pool.free(row1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.getDouble(1, 2));
            assertTrue(e.getMessage().contains("was freed"), e.getMessage());
            long moved = pool.realloc(row2, 4096);
            assertThrows(IllegalStateException.class, () -> v.getDouble(2, 0));
            assertEquals(0.0, v.getDouble(0, 3)); // row 0 is untouched and still readable
            a.close(); // frees the table and row 0 only: row 1 is gone, row 2's block is the user's now
            assertTrue(pool.owns(moved));
            assertEquals(1, pool.liveBlocks());
        }
    }

    @Test
    void shouldKeepAFreedBlocksViewDeadAcrossAnyNumberOfFrees() {
        // Validity is per block, not a counter that could wrap: no number of frees brings a dead view back.
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 64);
            MemoryView v = MemoryView.of(pool.block(p), DType.LONG, 8);
            pool.free(p);
            for (int i = 0; i < 200_000; i++) {
                pool.free(pool.alloc(1, 64));
            }
            long again = reuse(pool, p, 64);
            pool.block(again).putLong(0, 7);
            assertThrows(IllegalStateException.class, () -> v.getLong(0));
        }
    }
}
