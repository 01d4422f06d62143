package org.cymem4j.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending to a {@code TypedArray('d')} one element at a time, as {@code array.append} in a loop: the score is ns per
 * append. {@code resizeSmart} grows the buffer to {@code n + n/2 + 1}, so the cost per append must stay flat from
 * 1,000,000 to 10,000,000 appends (linear total time); a {@code resize}-per-append array would grow quadratically.
 * The {@code javaArray} benchmarks do the same growth on the Java heap, as the baseline a Java user would write.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar TypedArrayAppendBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class TypedArrayAppendBench {
    private static final int MILLION = 1_000_000;
    private static final int TEN_MILLION = 10_000_000;

    @Benchmark
    @OperationsPerInvocation(MILLION)
    public double typedArrayAppend1M() {
        return appendTypedArray(MILLION);
    }

    @Benchmark
    @OperationsPerInvocation(TEN_MILLION)
    public double typedArrayAppend10M() {
        return appendTypedArray(TEN_MILLION);
    }

    @Benchmark
    @OperationsPerInvocation(MILLION)
    public double javaArrayAppend1M() {
        return appendJavaArray(MILLION);
    }

    @Benchmark
    @OperationsPerInvocation(TEN_MILLION)
    public double javaArrayAppend10M() {
        return appendJavaArray(TEN_MILLION);
    }

    private static double appendTypedArray(int n) {
        try (TypedArray a = TypedArray.allocate(DType.DOUBLE, 0)) {
            for (int i = 0; i < n; i++) {
                a.append((double) i);
            }
            return a.getDouble(-1);
        }
    }

    private static double appendJavaArray(int n) {
        double[] a = new double[0];
        int length = 0;
        for (int i = 0; i < n; i++) {
            if (length == a.length) {
                a = Arrays.copyOf(a, length + length / 2 + 1);
            }
            a[length++] = i;
        }
        return a[length - 1];
    }
}
