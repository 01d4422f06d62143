package org.cymem4j.lifetime;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MappedArray;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.cymem4j.view.Npy;

/**
 * Child JVM for {@link MappedCloseRaceTest}: a memory-mapped {@code .npy} file is read from Java, filled by a C kernel
 * and copied out by a C kernel while another thread closes (unmaps) it. An access to unmapped memory is a SIGSEGV that
 * kills this JVM, so surviving every round with only {@link IllegalStateException}s is the test. Prints
 * {@code rounds=N closedUnderReader=M}.
 */
public final class MappedRaceMain {
    private MappedRaceMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(System.getProperty("mapped.file"));
        int rounds = Integer.getInteger("mapped.rounds", 150);
        int elements = 64 * 1024; // 512 KiB of data: many pages to unmap
        try (Pool pool = Pool.open()) {
            NativeArray ones = NativeArray.allocate(pool, DType.DOUBLE, elements);
            ones.view().fill(1.0);
            Npy.write(ones.view(), file);
        }
        int closedUnderReader = 0;
        try (Pool pool = Pool.openShared()) {
            MemoryView copy = NativeArray.allocate(pool, DType.DOUBLE, elements).view();
            for (int round = 0; round < rounds; round++) {
                MappedArray m = Npy.map(file, FileChannel.MapMode.READ_WRITE);
                MemoryView view = m.view();
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
                                view.fill(1.0); // a C kernel writing the mapping
                            } else {
                                copy.copyFrom(view); // a C kernel reading it
                            }
                        }
                    } catch (IllegalStateException closed) {
                        if (!closed.getMessage().contains("is closed")) {
                            failure.set(closed);
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                reader.start();
                started.await();
                Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
                m.close();
                reader.join();
                if (failure.get() != null) {
                    throw new AssertionError("round " + round, failure.get());
                }
                closedUnderReader++;
            }
        }
        System.out.println("rounds=" + rounds + " closedUnderReader=" + closedUnderReader);
    }
}
