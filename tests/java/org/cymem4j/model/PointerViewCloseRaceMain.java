package org.cymem4j.model;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

/**
 * Child-JVM program for {@link KnownFailuresTest}: reads and fills a MemoryView over a shared pool's own JavaCPP
 * pointer while another thread closes the pool, 300 times. Every access must return the written value or throw
 * IllegalStateException; prints "RACE OK" at the end (a crash ends the JVM before that).
 */
public final class PointerViewCloseRaceMain {
    private PointerViewCloseRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 300; round++) {
            Pool pool = Pool.openShared();
            IntPointer p = pool.allocInts(1 << 16);
            MemoryView v = MemoryView.of(p, DType.INT, 1 << 16);
            v.fill(7);
            Thread closer = new Thread(pool::close);
            closer.start();
            try {
                for (int i = 0; i < 2000; i++) {
                    if ((i & 7) == 0) {
                        v.fill(7);
                    } else if (v.getInt((i * 31L) & 0xFFFF) != 7) {
                        throw new AssertionError("wrong data read racing close()");
                    }
                }
            } catch (IllegalStateException expected) {
                // closed: the only allowed refusal
            }
            closer.join();
        }
        System.out.println("RACE OK");
    }
}
