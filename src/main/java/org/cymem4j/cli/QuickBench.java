package org.cymem4j.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Allocator;
import org.cymem4j.Pool;

/**
 * {@code bench}: a quick side-by-side measurement (about ten seconds) of allocate + free of a zeroed 64-byte block
 * and of the pool pattern (1000 blocks, then release them all), for cymem4j and the alternatives a Java program has
 * without extra dependencies. Each case runs warm-up rounds, then timed rounds; the table shows the median ns per
 * block and the ratio to cymem4j's confined pool. It is a plain {@code System.nanoTime} loop, good for a first look on
 * this machine; the rigorous numbers come from JMH: {@code bench/run.sh --quick} regenerates BENCHMARKS.md.
 */
final class QuickBench {
    private QuickBench() {
    }

    /** One measured case: a name and a body that performs {@code n} operations and returns a value to keep. */
    record Case(String name, LongUnaryOperator body) {
    }

    /** A result: median and min ns per operation over the timed rounds. */
    record Result(String name, double medianNs, double minNs) {
    }

    /** The cases; the pools they use are added to {@code opened}, for the caller to close. */
    static List<Case> cases(List<Pool> opened) {
        List<Case> cases = new ArrayList<>();
        Pool confined = Pool.open();
        opened.add(confined);
        cases.add(allocFree("Pool (confined, system) alloc+free 64 B", confined));
        Pool shared = Pool.openShared();
        opened.add(shared);
        cases.add(allocFree("Pool (shared, system) alloc+free 64 B", shared));
        try {
            Pool mi = Pool.open(Allocator.named("mimalloc"));
            opened.add(mi);
            cases.add(allocFree("Pool (confined, mimalloc) alloc+free 64 B", mi));
        } catch (IllegalStateException notInstalled) {
            // mimalloc is optional: the table simply has no row for it
        }
        cases.add(new Case("JavaCPP Pointer.calloc + Pointer.free (JNI) 64 B", n -> {
            long x = 0;
            for (long i = 0; i < n; i++) {
                Pointer p = Pointer.calloc(1, 64);
                x += p.address();
                Pointer.free(p);
            }
            return x;
        }));
        cases.add(new Case("JavaCPP new BytePointer(64) + close()", n -> {
            long x = 0;
            for (long i = 0; i < n; i++) {
                try (BytePointer p = new BytePointer(64)) {
                    x += p.address();
                }
            }
            return x;
        }));
        cases.add(new Case("ByteBuffer.allocateDirect(64) (freed by GC)", n -> {
            long x = 0;
            for (long i = 0; i < n; i++) {
                x += ByteBuffer.allocateDirect(64).capacity();
            }
            return x;
        }));
        cases.add(new Case("Pool: 1000 x 64 B then close(), per block", n -> {
            long x = 0;
            for (long round = 0; round < n / 1000; round++) {
                try (Pool p = Pool.open()) {
                    for (int i = 0; i < 1000; i++) {
                        x += p.alloc(1, 64);
                    }
                }
            }
            return x;
        }));
        cases.add(new Case("JavaCPP calloc x 1000 then free x 1000, per block", n -> {
            long x = 0;
            Pointer[] ps = new Pointer[1000];
            for (long round = 0; round < n / 1000; round++) {
                for (int i = 0; i < 1000; i++) {
                    ps[i] = Pointer.calloc(1, 64);
                    x += ps[i].address();
                }
                for (int i = 0; i < 1000; i++) {
                    Pointer.free(ps[i]);
                }
            }
            return x;
        }));
        return cases;
    }

    /** alloc + free of a 64-byte block in {@code pool}, {@code n} times. */
    private static Case allocFree(String name, Pool pool) {
        return new Case(name, n -> {
            long x = 0;
            for (long i = 0; i < n; i++) {
                long p = pool.alloc(1, 64);
                x += p;
                pool.free(p);
            }
            return x;
        });
    }

    /** Measures every case: {@code warmups} then {@code rounds} rounds of {@code opsPerRound} operations each. */
    static List<Result> measure(List<Case> cases, int warmups, int rounds, long opsPerRound, PrintStream progress) {
        List<Result> results = new ArrayList<>();
        long sink = 0;
        for (int c = 0; c < cases.size(); c++) {
            Case bench = cases.get(c);
            double[] ns = new double[rounds];
            for (int r = 0; r < warmups + rounds; r++) {
                long t0 = System.nanoTime();
                sink += bench.body().applyAsLong(opsPerRound);
                long t1 = System.nanoTime();
                if (r >= warmups) {
                    ns[r - warmups] = (t1 - t0) / (double) opsPerRound;
                }
                progress.printf("\r[%d/%d] %-52s %3d%%", c + 1, cases.size(), bench.name(),
                        100 * (r + 1) / (warmups + rounds));
            }
            Arrays.sort(ns);
            results.add(new Result(bench.name(), ns[rounds / 2], ns[0]));
        }
        progress.printf("\r%-80s\r", "");
        if (sink == 42) {
            progress.println(); // keeps the loops' results alive
        }
        return results;
    }

    /** The comparison table: one row per case, with the ratio to the first row (the confined pool). */
    static void print(List<Result> results, PrintStream out) {
        double base = results.get(0).medianNs();
        out.printf("%-52s %12s %10s %10s%n", "allocate + free", "median ns", "min ns", "vs Pool");
        for (Result r : results) {
            out.printf("%-52s %12.1f %10.1f %9.2fx%n", r.name(), r.medianNs(), r.minNs(), r.medianNs() / base);
        }
    }

    static void run(PrintStream out, PrintStream progress) {
        out.println("quick benchmark (System.nanoTime loops on " + Runtime.getRuntime().availableProcessors()
                + " cpus, JDK " + Runtime.version() + "); the JMH suite is bench/run.sh --quick");
        List<Pool> opened = new ArrayList<>();
        try {
            print(measure(cases(opened), 5, 15, 200_000, progress), out);
        } finally {
            opened.forEach(Pool::close);
        }
    }
}
