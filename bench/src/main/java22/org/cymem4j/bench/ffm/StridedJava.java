package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
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
 * The Java baselines for the strided kernels, ms per pass: transpose-copy of a 4096 x 4096 float64 matrix into a
 * C-contiguous one, every 2nd element of 64 Mi float64 into a contiguous array, fill, and float64 to float32 cast;
 * each against the bulk copy of the same bytes ({@code System.arraycopy}, {@code MemorySegment.copy}: the floor).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class StridedJava {
    static final int T = 4096;
    static final int TILE = 32;
    static final long STRIDE2_N = 64L << 20;

    /** Two 4096 x 4096 float64 matrices, on the heap and off it (128 MiB each). */
    @State(Scope.Thread)
    public static class Square {
        double[] a;
        double[] b;
        float[] f;
        Arena arena;
        MemorySegment sa;
        MemorySegment sb;

        @Setup
        public void make() {
            a = new double[T * T];
            b = new double[T * T];
            f = new float[T * T];
            for (int i = 0; i < a.length; i++) {
                a[i] = i;
            }
            arena = Arena.ofConfined();
            sa = arena.allocate((long) T * T * 8, 64);
            sb = arena.allocate((long) T * T * 8, 64);
            sa.copyFrom(MemorySegment.ofArray(a));
        }

        @TearDown
        public void free() {
            arena.close();
        }
    }

    /** 64 Mi float64 source (512 MiB) and a 32 Mi float64 destination, off heap. */
    @State(Scope.Thread)
    public static class Long1d {
        Arena arena;
        MemorySegment src;
        MemorySegment dst;

        @Setup
        public void make() {
            arena = Arena.ofConfined();
            src = arena.allocate(STRIDE2_N * 8, 64);
            dst = arena.allocate(STRIDE2_N * 4, 64);
            src.fill((byte) 1);
        }

        @TearDown
        public void free() {
            arena.close();
        }
    }

    @Benchmark
    public double[] transposeArrayNaive(Square s) {
        double[] a = s.a;
        double[] b = s.b;
        for (int i = 0; i < T; i++) {
            for (int j = 0; j < T; j++) {
                b[i * T + j] = a[j * T + i];
            }
        }
        return b;
    }

    @Benchmark
    public double[] transposeArrayTiled(Square s) {
        double[] a = s.a;
        double[] b = s.b;
        for (int ii = 0; ii < T; ii += TILE) {
            for (int jj = 0; jj < T; jj += TILE) {
                for (int i = ii; i < ii + TILE; i++) {
                    for (int j = jj; j < jj + TILE; j++) {
                        b[i * T + j] = a[j * T + i];
                    }
                }
            }
        }
        return b;
    }

    @Benchmark
    public MemorySegment transposeSegmentTiled(Square s) {
        MemorySegment a = s.sa;
        MemorySegment b = s.sb;
        for (long ii = 0; ii < T; ii += TILE) {
            for (long jj = 0; jj < T; jj += TILE) {
                for (long i = ii; i < ii + TILE; i++) {
                    for (long j = jj; j < jj + TILE; j++) {
                        b.setAtIndex(ValueLayout.JAVA_DOUBLE, i * T + j, a.getAtIndex(ValueLayout.JAVA_DOUBLE, j * T + i));
                    }
                }
            }
        }
        return b;
    }

    /** The floor for the transpose: a contiguous copy of the same 128 MiB. */
    @Benchmark
    public MemorySegment copy128MiBSegment(Square s) {
        MemorySegment.copy(s.sa, 0, s.sb, 0, s.sa.byteSize());
        return s.sb;
    }

    @Benchmark
    public double[] copy128MiBArray(Square s) {
        System.arraycopy(s.a, 0, s.b, 0, s.a.length);
        return s.b;
    }

    @Benchmark
    public MemorySegment stride2Segment(Long1d s) {
        MemorySegment src = s.src;
        MemorySegment dst = s.dst;
        long m = STRIDE2_N / 2;
        for (long k = 0; k < m; k++) {
            dst.setAtIndex(ValueLayout.JAVA_DOUBLE, k, src.getAtIndex(ValueLayout.JAVA_DOUBLE, 2 * k));
        }
        return dst;
    }

    /** The floor for the stride-2 copy: a contiguous copy of the 256 MiB it writes. */
    @Benchmark
    public MemorySegment copy256MiBSegment(Long1d s) {
        MemorySegment.copy(s.src, 0, s.dst, 0, s.dst.byteSize());
        return s.dst;
    }

    @Benchmark
    public double[] fillArray(Square s) {
        Arrays.fill(s.b, 1.5);
        return s.b;
    }

    @Benchmark
    public MemorySegment fillSegment(Square s) {
        MemorySegment b = s.sb;
        long n = (long) T * T;
        for (long i = 0; i < n; i++) {
            b.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 1.5);
        }
        return b;
    }

    @Benchmark
    public float[] castArrayF64toF32(Square s) {
        double[] a = s.a;
        float[] f = s.f;
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
