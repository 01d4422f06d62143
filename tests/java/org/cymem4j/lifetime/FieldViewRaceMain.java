package org.cymem4j.lifetime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Child JVM for {@link FieldViewLifetimeTest}: field views and record operations over an array of structs in a shared
 * pool run while another thread closes the pool. Run with {@code glibc.malloc.mmap_threshold} below the array's size,
 * so a freed array is unmapped and a read after free is a SIGSEGV, not luck. Prints {@code rounds=N closedUnderReader=M}.
 */
public final class FieldViewRaceMain {
    private FieldViewRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "200");
        DType row = DType.struct().add("length", DType.ULONG).add("indices", DType.POINTER)
                .add("values", DType.POINTER).build();
        int records = 32 * 1024; // 768 KiB: above the child's mmap threshold
        int closedUnderReader = 0;
        for (int round = 0; round < rounds; round++) {
            Pool pool = Pool.openShared();
            MemoryView rows = NativeArray.allocate(pool, row, records).view();
            MemoryView lengths = rows.field("length");
            lengths.fill(7);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int kind = round % 4;
            Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    for (;;) {
                        if (kind == 0) {
                            for (int i = 0; i < records; i += 16) {
                                if (lengths.getLong(i) != 7) {
                                    throw new AssertionError("length " + i + " is " + lengths.getLong(i));
                                }
                            }
                        } else if (kind == 1) {
                            lengths.fill(7); // a C kernel over a strided field
                        } else if (kind == 2) {
                            rows.slice(":" + records / 2).copyFrom(rows.slice(records / 2 + ":")); // records, in C
                        } else if (!rows.slice("::2").contentEquals(rows.slice("1::2"))) {
                            throw new AssertionError("records differ");
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
                throw new AssertionError("round " + round + " kind " + kind, failure.get());
            }
            closedUnderReader++;
        }
        System.out.println("rounds=" + rounds + " closedUnderReader=" + closedUnderReader);
    }
}
