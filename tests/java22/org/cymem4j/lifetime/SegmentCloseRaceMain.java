package org.cymem4j.lifetime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.Segments;

/**
 * Child JVM for {@link ArenaCloseRaceTest}: one thread sums a view while another closes what the view's memory
 * belongs to, either a user's shared FFM arena (a view made by {@code Segments.view}) or a shared pool (whose Java
 * reads go through the pool's own arena on JDK 22+). Run with {@code glibc.malloc.mmap_threshold} below the
 * allocation size, so freed memory is unmapped and a read after free is a SIGSEGV. Prints {@code rounds=N}.
 */
public final class SegmentCloseRaceMain {
    private SegmentCloseRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "200");
        int n = 64 * 1024;
        for (int round = 0; round < rounds; round++) {
            boolean userArena = round % 2 == 0;
            Arena arena = userArena ? Arena.ofShared() : null;
            Pool pool = userArena ? null : Pool.openShared();
            MemoryView view = userArena ? Segments.view(arena.allocate(8L * n, 8), DType.DOUBLE, n)
                    : MemoryView.of(pool.block(pool.alloc(n, 8)), DType.DOUBLE, n);
            view.fill(1.0);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    for (;;) {
                        double sum = 0;
                        for (int i = 0; i < n; i++) {
                            sum += view.getDouble(i);
                        }
                        if (sum != n) {
                            throw new AssertionError("read " + sum + " instead of " + n);
                        }
                    }
                } catch (IllegalStateException closed) {
                    // the memory's owner closed: the only outcome allowed besides correct sums
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            started.await();
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(300_000));
            if (userArena) {
                arena.close();
            } else {
                pool.close();
            }
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("round " + round, failure.get());
            }
        }
        System.out.println("rounds=" + rounds);
    }
}
