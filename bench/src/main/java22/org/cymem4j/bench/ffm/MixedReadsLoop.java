package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Element reads as a program that uses every kind of memory sees them: one JVM, one summing loop per kind of handle
 * (a {@code Block} and a {@code MemoryView} each take one static method, shared by every owner kind), all kinds run
 * in turn, round after round, so the JIT compiles each loop with the profile of every kind. This is the setting of
 * the lifetime issue's target (reads within 1.3x of an FFM shared segment's); JMH's {@code MixedReads} forks a JVM
 * per benchmark and compiles each benchmark's own loop, which hides what a shared accessor's profile does.
 *
 * <p>Prints one JSON line per kind: the best and the median of the last {@code rounds - warmup} passes, in ms per
 * 10M doubles. Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * org.cymem4j.bench.ffm.MixedReadsLoop [rounds]}.
 */
public final class MixedReadsLoop {
    static final int N = 10_000_000;

    private MixedReadsLoop() {
    }

    static double sum(Block b) {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += b.getDouble(i * Double.BYTES);
        }
        return s;
    }

    static double sum(MemoryView v) {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += v.getDouble(i);
        }
        return s;
    }

    static double sum(MemorySegment m) {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return s;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        int warmup = Math.min(10, rounds / 2);
        try (Arena arena = Arena.ofShared(); Pool confined = Pool.open(); Pool shared = Pool.openShared()) {
            MemorySegment segment = arena.allocate((long) N * Double.BYTES, Double.BYTES);
            Block confinedBlock = confined.block(confined.alloc(N, Double.BYTES));
            Block sharedBlock = shared.block(shared.alloc(N, Double.BYTES));
            NativeArray array = NativeArray.allocate(confined, DType.DOUBLE, N);
            TypedArray typed = TypedArray.allocate(confined, DType.DOUBLE, N);
            Map<String, ToDoubleFunction<Object>> kinds = new LinkedHashMap<>();
            kinds.put("segment", o -> sum(segment));
            kinds.put("confinedBlock", o -> sum(confinedBlock));
            kinds.put("sharedBlock", o -> sum(sharedBlock));
            MemoryView confinedView = MemoryView.of(confinedBlock, DType.DOUBLE, N);
            MemoryView sharedView = MemoryView.of(sharedBlock, DType.DOUBLE, N);
            MemoryView arrayView = array.view();
            MemoryView typedView = typed.view();
            kinds.put("confinedBlockView", o -> sum(confinedView));
            kinds.put("sharedBlockView", o -> sum(sharedView));
            kinds.put("nativeArrayView", o -> sum(arrayView));
            kinds.put("typedArrayView", o -> sum(typedView));
            Map<String, double[]> times = new LinkedHashMap<>();
            kinds.keySet().forEach(k -> times.put(k, new double[rounds - warmup]));
            double sink = 0;
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, ToDoubleFunction<Object>> e : kinds.entrySet()) {
                    long t0 = System.nanoTime();
                    sink += e.getValue().applyAsDouble(null);
                    long t1 = System.nanoTime();
                    if (r >= warmup) {
                        times.get(e.getKey())[r - warmup] = (t1 - t0) / 1e6;
                    }
                }
            }
            String java = System.getProperty("java.specification.version");
            for (Map.Entry<String, double[]> e : times.entrySet()) {
                double[] t = e.getValue().clone();
                Arrays.sort(t);
                System.out.printf("{\"kind\": \"%s\", \"java\": \"%s\", \"best_ms\": %.3f, \"median_ms\": %.3f, "
                        + "\"passes\": %d}%n", e.getKey(), java, t[0], t[t.length / 2], t.length);
            }
            if (sink != 0) {
                System.err.println("sink " + sink); // zeroed memory: never printed, but the sums stay live
            }
        }
    }
}
