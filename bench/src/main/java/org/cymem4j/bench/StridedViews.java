package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
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
 * cymem4j's strided kernels called from Java through {@link MemoryView} (one JNI call per operation), ms per pass:
 * the same shapes as {@code ffm.StridedJava} (JDK 22+) and {@code bench/numpy_strided.py}: transpose-copy of
 * 4096 x 4096 float64, every 2nd of 64 Mi float64 into a contiguous array, fill, and float64 to float32 cast.
 * JDK 17 and JDK 22+ run the same code here (the kernels have no FFM path: {@code Kernels} to {@code NativeStrided}'s
 * JNI call into the one {@code libjnicymem4j.so}), so the two JDKs' scores differ only by what else ran on the
 * machine ({@code bench/strided_jdks.sh} alternates them and records the load). The destinations are written once
 * in the setup, so no iteration pays the first touch of their pages.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StridedViews {
    static final int T = 4096;
    static final long STRIDE2_N = 64L << 20;

    /** Two 4096 x 4096 float64 arrays and a float32 one, in one confined pool. */
    @State(Scope.Thread)
    public static class Square {
        Pool pool;
        MemoryView a;
        MemoryView b;
        MemoryView f;

        @Setup
        public void make() {
            pool = Pool.open();
            a = NativeArray.allocate(pool, DType.DOUBLE, T, T).view();
            b = NativeArray.allocate(pool, DType.DOUBLE, T, T).view();
            f = NativeArray.allocate(pool, DType.FLOAT, T, T).view();
            a.fill(1.25);
            b.fill(0.0);
            f.fill(0.0);
        }

        @TearDown
        public void free() {
            pool.close();
        }
    }

    /** 64 Mi float64 source and a 32 Mi float64 destination. */
    @State(Scope.Thread)
    public static class Long1d {
        Pool pool;
        MemoryView src;
        MemoryView everyOther;
        MemoryView dst;

        @Setup
        public void make() {
            pool = Pool.open();
            src = NativeArray.allocate(pool, DType.DOUBLE, STRIDE2_N).view();
            src.fill(1.0);
            everyOther = src.slice("::2");
            dst = NativeArray.allocate(pool, DType.DOUBLE, STRIDE2_N / 2).view();
            dst.fill(0.0);
        }

        @TearDown
        public void free() {
            pool.close();
        }
    }

    @Benchmark
    public MemoryView transposeCopy(Square s) {
        s.b.copyFrom(s.a.T());
        return s.b;
    }

    @Benchmark
    public MemoryView contiguousCopy128MiB(Square s) {
        s.b.copyFrom(s.a);
        return s.b;
    }

    @Benchmark
    public MemoryView stride2Copy(Long1d s) {
        s.dst.copyFrom(s.everyOther);
        return s.dst;
    }

    @Benchmark
    public MemoryView fill(Square s) {
        s.b.fill(1.5);
        return s.b;
    }

    @Benchmark
    public MemoryView castF64toF32(Square s) {
        s.f.castFrom(s.a);
        return s.f;
    }
}
