package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
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
 * Element reads in a program that uses every kind of memory: the sum of 10M doubles through one kind, measured after
 * {@link #warmEveryKind} has run the same loops over every other kind in the same JVM (a confined and a shared pool's
 * blocks, views over a pool block, a shared pool's block, a {@code NativeArray} and a {@code TypedArray}). JMH forks a
 * JVM per benchmark, so without that warm-up each benchmark would see one kind only and the JIT's type and branch
 * profiles would flatter it; real programs mix kinds. ms per pass. The baseline is an FFM shared-arena segment,
 * warmed the same way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class MixedReads {
    static final int N = 10_000_000;

    private Arena arena;
    private MemorySegment segment;
    private Pool confined;
    private Pool shared;
    private Block confinedBlock;
    private Block sharedBlock;
    private MemoryView blockView;
    private MemoryView sharedView;
    private MemoryView arrayView;
    private MemoryView typedView;
    private TypedArray typed;

    @Setup
    public void warmEveryKind() {
        arena = Arena.ofShared();
        segment = arena.allocate((long) N * Double.BYTES, Double.BYTES);
        confined = Pool.open();
        shared = Pool.openShared();
        confinedBlock = confined.block(confined.alloc(N, Double.BYTES));
        sharedBlock = shared.block(shared.alloc(N, Double.BYTES));
        blockView = MemoryView.of(confinedBlock, DType.DOUBLE, N);
        sharedView = MemoryView.of(sharedBlock, DType.DOUBLE, N);
        arrayView = NativeArray.allocate(confined, DType.DOUBLE, N).view();
        typed = TypedArray.allocate(confined, DType.DOUBLE, N);
        typedView = typed.view();
        for (int round = 0; round < 3; round++) { // every kind through the same accessors, so the profiles are mixed
            segment();
            confinedBlock();
            sharedBlock();
            confinedBlockView();
            sharedBlockView();
            nativeArrayView();
            typedArrayView();
        }
    }

    @TearDown
    public void close() {
        shared.close();
        confined.close();
        arena.close();
    }

    private static double sum(Block b) {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += b.getDouble(i * Double.BYTES);
        }
        return s;
    }

    private static double sum(MemoryView v) {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += v.getDouble(i);
        }
        return s;
    }

    @Benchmark
    public double segment() {
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += segment.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return s;
    }

    @Benchmark
    public double confinedBlock() {
        return sum(confinedBlock);
    }

    @Benchmark
    public double sharedBlock() {
        return sum(sharedBlock);
    }

    @Benchmark
    public double confinedBlockView() {
        return sum(blockView);
    }

    @Benchmark
    public double sharedBlockView() {
        return sum(sharedView);
    }

    @Benchmark
    public double nativeArrayView() {
        return sum(arrayView);
    }

    @Benchmark
    public double typedArrayView() {
        return sum(typedView);
    }
}
