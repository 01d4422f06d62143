package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The confined pool's check is a plain read of the thread that confirmed ownership (so element loops can hoist it).
 * These tests warm the accessors up in loops, so that the checks are compiled, and then change what the checks guard:
 * closing, freeing and handing off must still be seen, on this thread and on the new owner.
 */
class ConfinementFastPathTest {
    private static final int WARM = 200_000;

    private static double sum(NativeMemory m, int count) {
        double s = 0;
        for (int round = 0; round < WARM / count; round++) {
            for (int i = 0; i < count; i++) {
                s += m.getDouble((long) i * Double.BYTES);
            }
        }
        return s;
    }

    @Test
    void shouldThrowClosedOnTheFirstReadAfterCloseEvenWhenTheLoopWasHot() {
        Address a = new Address(16, Double.BYTES);
        a.putDouble(8, 2.0);
        assertEquals(2.0 * (WARM / 16), sum(a, 16));
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.getDouble(8));
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
    }

    @Test
    void shouldThrowFreedOnTheFirstReadAfterFreeEvenWhenTheLoopWasHot() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(16, Double.BYTES);
            Block b = pool.block(p);
            b.putDouble(0, 1.0);
            assertEquals(WARM / 16, sum(b, 16));
            pool.free(p);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.getDouble(0));
            assertTrue(e.getMessage().endsWith("was freed"), e.getMessage());
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void shouldRefuseTheOldOwnerAndServeTheNewOneAfterAHandoffAndBack() throws InterruptedException {
        Pool pool = Pool.open();
        long p = pool.alloc(16, Double.BYTES);
        Block b = pool.block(p);
        b.putDouble(0, 3.0);
        assertEquals(3.0 * (WARM / 16), sum(b, 16));
        Thread main = Thread.currentThread();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                double s = sum(b, 16);
                b.putDouble(8, 4.0);
                pool.handoff(main);
                seen.set(s);
            } catch (RuntimeException | Error e) {
                seen.set(e);
            }
        }, "worker");
        pool.handoff(worker);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> b.getDouble(0));
        assertTrue(refused.getMessage().contains("is confined to thread 'worker'"), refused.getMessage());
        worker.start();
        worker.join();
        assertEquals(3.0 * (WARM / 16), seen.get());
        assertEquals(4.0, b.getDouble(8)); // ours again, with the worker's write visible
        pool.close();
    }

    @Test
    void shouldShowTheNewOwnerABlockFreedBeforeTheHandoffAsFreed() throws InterruptedException {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(16, Double.BYTES);
            Block b = pool.block(p);
            assertEquals(0.0, sum(b, 16));
            pool.free(p);
            Thread main = Thread.currentThread();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    b.getDouble(0);
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
                pool.handoff(main);
            }, "worker");
            pool.handoff(worker);
            worker.start();
            worker.join();
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().endsWith("was freed"), thrown.get().getMessage());
            assertEquals(main, pool.owner());
        }
    }
}
