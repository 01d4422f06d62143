package org.cymem4j.lifetime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.Segments;

/**
 * Child JVM for {@link ExportRaceTest}: one thread sums an exported segment or checked ByteBuffer while the owner
 * frees the block, reallocates it, closes the pool (shared and confined) or resizes the typed array it came from.
 * Run with {@code glibc.malloc.mmap_threshold} below the block size, so freed memory is unmapped and a read after
 * free would be a SIGSEGV. Prints {@code rounds=N}.
 */
public final class ExportRaceMain {
    private static final int N = 64 * 1024; // longs: 512 KiB, above the mmap threshold

    private ExportRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "200");
        for (int round = 0; round < rounds; round++) {
            int kind = round % 5;
            Pool pool = kind == 0 ? Pool.open() : Pool.openShared();
            TypedArray array = null;
            long p = 0;
            MemorySegment seg;
            ByteBuffer buf;
            if (kind == 4) {
                array = TypedArray.allocate(pool, DType.LONG, N);
                array.view().fill(1L);
                seg = Segments.asSegment(array.view());
                buf = array.asByteBuffer();
            } else {
                p = pool.alloc(N, 8);
                pool.block(p).fill(0, 8L * N, (byte) 0);
                seg = Segments.asSegment(pool.block(p));
                for (long i = 0; i < N; i++) {
                    seg.setAtIndex(ValueLayout.JAVA_LONG, i, 1L);
                }
                buf = pool.block(p).asByteBuffer();
            }
            boolean viaBuffer = (round / 5) % 2 == 1;
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    for (;;) {
                        long sum = 0;
                        for (int i = 0; i < N; i++) {
                            sum += viaBuffer ? buf.getLong(i * 8) : seg.getAtIndex(ValueLayout.JAVA_LONG, i);
                        }
                        if (sum != N) {
                            throw new AssertionError("read " + sum + " instead of " + N);
                        }
                    }
                } catch (IllegalStateException ended) {
                    // the export ended: the only outcome allowed besides correct sums
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            started.await();
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(300_000));
            switch (kind) {
                case 0, 1 -> pool.free(p);            // confined, then shared
                case 2 -> pool.realloc(p, 16L * N);   // always a new mapping at this size
                case 3 -> pool.close();
                default -> array.resize(4L * N);
            }
            reader.join();
            pool.close();
            if (failure.get() != null) {
                throw new AssertionError("round " + round + " kind " + kind, failure.get());
            }
        }
        System.out.println("rounds=" + rounds);
    }
}
