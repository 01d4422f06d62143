package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code MemorySegment} (confined arena) baselines of {@code org.cymem4j.bench.Access} (JDK 22+): the sum of 10M
 * doubles and the 2500 x 4000 walks in row and column order, over the same values; ms per pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class Access {
    static final int ROWS = 2500;
    static final int COLS = 4000;
    static final int N = ROWS * COLS;

    private Arena arena;
    private MemorySegment segment;

    @Setup
    public void fill() {
        double[] array = new double[N];
        for (int i = 0; i < N; i++) {
            array[i] = (i % 1000) * 0.5;
        }
        arena = Arena.ofConfined();
        segment = arena.allocate((long) N * Double.BYTES, Double.BYTES);
        segment.copyFrom(MemorySegment.ofArray(array));
    }

    @TearDown
    public void free() {
        arena.close();
    }

    @Benchmark
    public double sumSegment() {
        MemorySegment m = segment;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return s;
    }

    @Benchmark
    public double rowsSegment() {
        MemorySegment m = segment;
        double s = 0;
        for (long i = 0; i < ROWS; i++) {
            for (long j = 0; j < COLS; j++) {
                s += m.getAtIndex(ValueLayout.JAVA_DOUBLE, i * COLS + j);
            }
        }
        return s;
    }

    @Benchmark
    public double columnsSegment() {
        MemorySegment m = segment;
        double s = 0;
        for (long j = 0; j < COLS; j++) {
            for (long i = 0; i < ROWS; i++) {
                s += m.getAtIndex(ValueLayout.JAVA_DOUBLE, i * COLS + j);
            }
        }
        return s;
    }
}
