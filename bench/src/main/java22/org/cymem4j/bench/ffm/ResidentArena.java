package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;

import org.cymem4j.bench.Resident;

/**
 * {@link Resident}'s measurement for an FFM confined arena (JDK 22+): {@code Arena.ofConfined()}, 1,000,000 x
 * {@code allocate(64)}, then {@code close()}. Run as {@code java ... -cp benchmarks.jar
 * org.cymem4j.bench.ffm.ResidentArena} with the same JVM options as {@link Resident}.
 */
public final class ResidentArena {
    private ResidentArena() {
    }

    public static void main(String[] args) {
        Resident.measure("arena", new Resident.Mechanism() {
            private Arena arena;

            @Override
            public void open() {
                arena = Arena.ofConfined();
            }

            @Override
            public long alloc(int size) {
                return arena.allocate(size).address();
            }

            @Override
            public void release(long[] addresses, int count) {
                arena.close();
            }
        });
    }
}
