package org.cymem4j;

import java.util.function.Consumer;

import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;

/**
 * Run in a child JVM by {@link BlockCacheHostileTest} once with {@code -Dcymem4j.blockCache=false} (the oracle) and
 * once with the cache: scenarios of one confined pool each, printing what a user can observe (stats, sizes, the
 * class of a refusal), with no addresses. Both runs must print the same.
 */
public final class BlockCacheOracleMain {
    private BlockCacheOracleMain() {
    }

    private static void run(String name, Consumer<Pool> scenario) {
        StringBuilder out = new StringBuilder(name).append(':');
        try (Pool pool = Pool.open()) {
            try {
                scenario.accept(pool);
            } catch (RuntimeException e) {
                out.append(" threw ").append(e.getClass().getSimpleName());
            }
            out.append(' ').append(pool.stats());
        }
        System.out.println(out);
    }

    private static void refused(Runnable r) {
        try {
            r.run();
            throw new AssertionError("not refused");
        } catch (IllegalArgumentException | IllegalStateException e) {
            // expected: the same refusal with and without the cache
        }
    }

    public static void main(String[] args) {
        run("realloc-grow", p -> p.realloc(p.alloc(1, 64), 4000));
        run("realloc-grow-free", p -> p.free(p.realloc(p.alloc(1, 64), 4000)));
        run("realloc-shrink-table", p -> p.free(p.realloc(p.alloc(1, 8000), 64)));
        run("realloc-in-class", p -> p.free(p.realloc(p.alloc(1, 64), 60)));
        run("realloc-zero", p -> p.free(p.realloc(p.alloc(1, 64), 0)));
        run("zero-bytes", p -> {
            p.free(p.alloc(0, 8));
            p.free(p.alloc(0, 8));
        });
        run("twenty", p -> {
            long[] b = new long[20];
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = p.alloc(1, 64 + (i % 3) * 16);
                }
                for (int i = 0; i < b.length - round; i++) {
                    p.free(b[i]);
                }
            }
        });
        run("double-free", p -> {
            long a = p.alloc(1, 64);
            p.free(a);
            refused(() -> p.free(a));
        });
        run("double-free-then-size", p -> {
            long a = p.alloc(1, 64);
            p.free(a);
            refused(() -> p.sizeOf(a));
            refused(() -> p.realloc(a, 128));
            refused(() -> p.block(a));
        });
        run("inside-free", p -> {
            long a = p.alloc(1, 64);
            p.free(a);
            refused(() -> p.free(a + 8));
        });
        run("block-then-free", p -> {
            long a = p.alloc(1, 64);
            Block b = p.block(a);
            p.free(a);
            refused(() -> b.getLong(0));
            long c = p.alloc(1, 64);
            p.block(c).putLong(0, 7);
            p.free(c);
        });
        run("peak", p -> {
            p.free(p.alloc(1, 64));
            p.free(p.alloc(1, 64));
            long a = p.alloc(1, 128);
            p.realloc(a, 2000);
        });
        run("usable", p -> {
            long a = p.alloc(1, 64);
            p.free(a);
            long b = p.alloc(1, 64);
            System.out.print("usable=" + Allocator.usableSize(p, b) + " ");
        });
        run("typed-array", p -> {
            for (int i = 0; i < 3; i++) {
                try (TypedArray t = TypedArray.allocate(p, DType.INT, 4)) {
                    for (int k = 0; k < 100; k++) {
                        t.append(k);
                    }
                }
            }
        });
        run("addresses", p -> {
            long a = p.alloc(1, 64);
            p.alloc(1, 32);
            p.free(a);
            System.out.print("n=" + p.addresses().size() + " ");
        });
        run("aligned-realloc", p -> {
            long a = p.realloc(p.allocAligned(1, 1000, 64), 2000);
            p.free(p.alloc(1, 64));
            System.out.print("n=" + p.addresses().size() + " ");
            p.free(a);
        });
        run("aligned-reuse", p -> {
            long a = p.allocAligned(1, 64, 256);
            p.free(a);
            long b = p.alloc(1, 64);
            System.out.print("same-class-realloc-in-place=" + (p.realloc(b, 60) == b) + " ");
        });
        run("native-handle", p -> {
            long a = p.alloc(1, 64);
            p.free(a);
            p.free(p.alloc(1, 64));
            p.nativeHandle();
            p.free(p.alloc(1, 64));
            refused(() -> p.free(a));
        });
        run("handoff", p -> {
            p.free(p.alloc(1, 64));
            Thread t = new Thread(() -> {
                p.free(p.alloc(1, 64));
                p.handoff(MAIN);
            });
            p.handoff(t);
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Pool forgotten = Pool.open();
        forgotten.free(forgotten.alloc(1, 64));
        forgotten.alloc(1, 64);
        forgotten = null;
        for (int i = 0; i < 50 && Pools.stats().closedByCleaner() == 0; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        NativeMemoryStats s = Pools.stats();
        System.out.println("process: live=" + s.liveBytes() + " blocks=" + s.liveBlocks() + " allocs=" + s.totalAllocs()
                + " frees=" + s.totalFrees() + " cleaner=" + s.closedByCleaner());
    }

    private static final Thread MAIN = Thread.currentThread();
}
