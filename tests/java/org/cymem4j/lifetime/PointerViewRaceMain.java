package org.cymem4j.lifetime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.bytedeco.javacpp.DoublePointer;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.javacpp.PoolPointers;

/**
 * Child JVM for {@link SharedCloseRaceTest}: views over a shared pool's own JavaCPP pointer are read, filled and summed
 * while another thread closes the pool. Run with {@code glibc.malloc.mmap_threshold} below the block size, so a freed
 * block is unmapped and a read after free is a SIGSEGV, not luck. Prints {@code rounds=N closedUnderReader=M}.
 */
public final class PointerViewRaceMain {
    private PointerViewRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "200");
        int elements = 64 * 1024; // 512 KiB: above the child's mmap threshold
        int closedUnderReader = 0;
        for (int round = 0; round < rounds; round++) {
            Pool pool = Pool.openShared();
            DoublePointer p = PoolPointers.allocDoubles(pool, elements);
            MemoryView view = PointerViews.of(p, DType.DOUBLE, elements);
            view.fill(1.0);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int kind = round % 3;
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    for (;;) {
                        if (kind == 0) {
                            double sum = 0;
                            for (int i = 0; i < elements; i += 8) {
                                sum += view.getDouble(i);
                            }
                            if (sum != elements / 8) {
                                throw new AssertionError("read " + sum + " instead of " + elements / 8);
                            }
                        } else if (kind == 1) {
                            view.fill(1.0); // a C kernel
                        } else {
                            for (int i = 0; i < elements; i += 8) {
                                if (p.get(i) != 1.0) { // the pointer itself
                                    throw new AssertionError("element " + i + " is " + p.get(i));
                                }
                            }
                        }
                    }
                } catch (IllegalStateException closed) {
                    if (!closed.getMessage().contains("is closed") && !closed.getMessage().contains("was freed")) {
                        failure.set(closed);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            started.await();
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
            pool.close();
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("round " + round, failure.get());
            }
            closedUnderReader++;
        }
        System.out.println("rounds=" + rounds + " closedUnderReader=" + closedUnderReader);
    }
}
