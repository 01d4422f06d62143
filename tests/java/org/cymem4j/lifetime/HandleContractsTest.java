package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.junit.jupiter.api.Test;
import org.cymem4j.javacpp.PoolPointers;

/** Handles that used to bypass the lifetime core: pool-owned JavaCPP pointers, and handoff to a dead thread. */
class HandleContractsTest {

    @Test
    void shouldCheckTheInheritedAccessorsOfPoolOwnedPointers() {
        try (Pool pool = Pool.open()) {
            BytePointer bytes = PoolPointers.allocBytes(pool, 16);
            bytes.putLong(8, 42);
            assertEquals(42, bytes.getLong(8));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> bytes.getLong(12));
            assertEquals("offset=12 length=8 capacity=16", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.putInt(-1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.getDouble(9));
            assertEquals("length=1048576 capacity=16",
                    assertThrows(IndexOutOfBoundsException.class, () -> bytes.capacity(1 << 20)).getMessage());
            IntPointer ints = PoolPointers.allocInts(pool, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> ints.limit(5));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.position(5));
            ints.position(2);
            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(2)); // position 2 + index 2 = element 4
            ints.position(0);
            assertEquals(16, ints.asByteBuffer().capacity());
            assertEquals(4, ints.asBuffer().capacity());
            ints.fill(0xff);
            assertEquals(-1, ints.get(3));
            bytes.putString("hello");
            assertEquals("hello", bytes.getString());
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.putString("a string longer than sixteen"));
        }
    }

    @Test
    void shouldStopPoolOwnedPointersAndTheirViewsWhenTheBlockOrPoolGoes() {
        Pool pool = Pool.open();
        DoublePointer d = PoolPointers.allocDoubles(pool, 4);
        MemoryView v = PointerViews.of(d, DType.DOUBLE, 4);
        v.putDouble(3, 1.5);
        assertEquals(1.5, d.get(3));
        BytePointer b = PoolPointers.allocBytes(pool, 8);
        pool.free(b.address());
        assertThrows(IllegalStateException.class, () -> b.getLong(0));
        pool.close();
        assertThrows(IllegalStateException.class, () -> d.get(0));
        assertThrows(IllegalStateException.class, () -> v.getDouble(0));
        assertThrows(IllegalStateException.class, d::asBuffer);
        assertThrows(IllegalStateException.class, () -> d.capacity(2).get(0));
    }

    @Test
    void shouldRefuseAViewReachingPastAPoolOwnedPointersBlock() {
        try (Pool pool = Pool.open()) {
            IntPointer ints = PoolPointers.allocInts(pool, 4);
            // JavaCPP's position/limit cannot be widened past the block any more, so the view is bounded too
            assertThrows(IllegalArgumentException.class, () -> PointerViews.of(ints, DType.INT, 5));
            assertEquals(4, PointerViews.of(ints, DType.INT, 4).shape()[0]);
        }
    }

    @Test
    void shouldCheckOwnershipBeforeAskingTheAllocatorForAUsableSize() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 100);
            assertTrue(org.cymem4j.Allocator.usableSize(pool, p) >= 100);
            pool.free(p);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> org.cymem4j.Allocator.usableSize(pool, p)); // freed: never handed to malloc_usable_size
            assertTrue(e.getMessage().startsWith("usableSize(0x"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> org.cymem4j.Allocator.usableSize(pool, 16));
        }
    }

    @Test
    void shouldRefuseHandingAPoolOffToAThreadThatHasTerminated() throws InterruptedException {
        Thread dead = new Thread(() -> { });
        dead.start();
        dead.join();
        try (Pool pool = Pool.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.handoff(dead));
            assertTrue(e.getMessage().contains("it has terminated"), e.getMessage());
            assertEquals(Thread.currentThread(), pool.owner());
            pool.alloc(1, 8); // still ours, and closable below
        }
    }
}
