package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Element reads through a {@link MemoryView} against the same loop over a {@code double[]}: the sum of a 1000×1000
 * float64 matrix read with {@code getDouble(i, j)} (2-d view), {@code getDouble(k)} (1-d view) and {@code a[i * m + j]}.
 * The score is ns per element; the view must stay within 1.3× of the array (it reads through a direct
 * {@code ByteBuffer} after one liveness check that, on a confined pool, is verified once and then skipped until the
 * pool frees, moves, hands off or closes something).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar MemoryViewReadBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class MemoryViewReadBench {
    private static final int N = 1000;
    private static final int M = 1000;

    private Pool pool;
    private double[] array;
    private MemoryView view2d;
    private MemoryView view1d;

    @Setup(Level.Trial)
    public void setUp() {
        pool = Pool.open();
        array = new double[N * M];
        for (int k = 0; k < array.length; k++) {
            array[k] = k;
        }
        view2d = NativeArray.fromArray(pool, array, N, M).view();
        view1d = NativeArray.fromArray(pool, array).view();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(N * M)
    public double doubleArray() {
        double s = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                s += array[i * M + j];
            }
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N * M)
    public double view2d() {
        MemoryView v = view2d;
        double s = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                s += v.getDouble(i, j);
            }
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N * M)
    public double view1d() {
        MemoryView v = view1d;
        double s = 0;
        for (int k = 0; k < N * M; k++) {
            s += v.getDouble(k);
        }
        return s;
    }
}
