package org.cymem4j.bench;

import java.util.Arrays;
import java.util.Locale;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * The two strided copies of {@link StridedViews} timed call by call, not JMH: {@code java -cp benchmarks.jar
 * org.cymem4j.bench.StridedCalls}, one JVM per JDK, the JDKs alternated. Prints one JSON line with the minimum, 10th
 * percentile and median ms of 100 transpose-copies and 60 stride-2 copies (after 20 of each as warm-up). On a shared
 * machine a JMH average moves with the neighbours' load (a second runnable task on the CPU doubles it); the fastest
 * calls are the ones nothing interrupted, so their minimum compares the JDKs' paths (performance notes, "Stride-2
 * copy on JDK 17").
 */
public final class StridedCalls {
    private StridedCalls() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            MemoryView a = NativeArray.allocate(pool, DType.DOUBLE, StridedViews.T, StridedViews.T).view();
            MemoryView b = NativeArray.allocate(pool, DType.DOUBLE, StridedViews.T, StridedViews.T).view();
            a.fill(1.25);
            b.fill(0.0);
            MemoryView src = NativeArray.allocate(pool, DType.DOUBLE, StridedViews.STRIDE2_N).view();
            src.fill(1.0);
            MemoryView everyOther = src.slice("::2");
            MemoryView dst = NativeArray.allocate(pool, DType.DOUBLE, StridedViews.STRIDE2_N / 2).view();
            dst.fill(0.0);
            for (int i = 0; i < 20; i++) {
                b.copyFrom(a.T());
                dst.copyFrom(everyOther);
            }
            long[] transpose = new long[100];
            for (int i = 0; i < transpose.length; i++) {
                long t0 = System.nanoTime();
                b.copyFrom(a.T());
                transpose[i] = System.nanoTime() - t0;
            }
            long[] stride2 = new long[60];
            for (int i = 0; i < stride2.length; i++) {
                long t0 = System.nanoTime();
                dst.copyFrom(everyOther);
                stride2[i] = System.nanoTime() - t0;
            }
            System.out.println("{\"java\": \"" + System.getProperty("java.version") + "\", \"transposeCopy\": "
                    + stats(transpose) + ", \"stride2Copy\": " + stats(stride2) + "}");
        }
    }

    /** {"min_ms", "p10_ms", "median_ms"} of the call times (sorts them). */
    private static String stats(long[] nanos) {
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "{\"min_ms\": %.2f, \"p10_ms\": %.2f, \"median_ms\": %.2f}", nanos[0] / 1e6,
                nanos[nanos.length / 10] / 1e6, nanos[nanos.length / 2] / 1e6);
    }
}
