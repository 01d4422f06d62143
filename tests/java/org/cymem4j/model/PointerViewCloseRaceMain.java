package org.cymem4j.model;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.javacpp.PoolPointers;

/**
 * Child-JVM program for {@link LifetimeRegressionTest}: reads and fills a MemoryView over a shared pool's own JavaCPP
 * pointer while another thread closes the pool, 1000 times. Every access must return the written value or throw
 * IllegalStateException, and once the pool refuses an access through an ordinary Block the view must refuse too; exits 2 (wrong data) or 3 (an access
 * after a refusal) otherwise, and prints "RACE OK" at the end (a crash ends the JVM before that).
 */
public final class PointerViewCloseRaceMain {
    private PointerViewCloseRaceMain() {
    }

    /**
     * Joins {@code t}; an interrupt of this thread while it waits is waited out (reported on stderr), because what is
     * checked is the closer's effect, and two runs saw this thread interrupted by something outside the library.
     */
    private static void joinWaitingOutInterrupts(Thread t) {
        for (;;) {
            try {
                t.join();
                return;
            } catch (InterruptedException e) {
                System.err.println("note: the main thread was interrupted while joining the closer; waiting on");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 1000; round++) {
            Pool pool = Pool.openShared();
            IntPointer p = PoolPointers.allocInts(pool, 1 << 16);
            MemoryView v = PointerViews.of(p, DType.INT, 1 << 16);
            v.fill(7);
            org.cymem4j.Block b = pool.block(pool.alloc(8, 1)); // an ordinary handle of the same pool
            Thread closer = new Thread(pool::close);
            closer.start();
            boolean closed = false;
            for (int i = 0; i < 4000; i++) {
                if (!closed) {
                    try {
                        b.getInt(0);
                    } catch (IllegalStateException e) {
                        closed = true; // the pool is closing or closed: the view must refuse from now on too
                    }
                }
                try {
                    if ((i & 1) == 0) {
                        v.fill(7);
                    } else if (v.getInt((i * 31L) & 0xFFFF) != 7) {
                        System.out.println("WRONG DATA read racing close() in round " + round);
                        System.exit(2);
                    }
                    if (closed) {
                        System.out.println("ACCESS AFTER CLOSE: the view worked after the pool refused a Block access, "
                                + "round " + round);
                        System.exit(3);
                    }
                } catch (IllegalStateException expected) {
                    closed = true; // closed: the only allowed refusal, and from now on every access is refused
                }
            }
            joinWaitingOutInterrupts(closer);
        }
        System.out.println("RACE OK");
    }
}
