package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Pool;
import org.lwjgl.system.MemoryUtil;
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
 * Allocate 1000 zeroed blocks of 64 bytes, then release them all: ns per block. A pool or arena releases them in
 * one {@code close()}; the malloc-style APIs free them one by one in allocation order. The pool and arena are
 * created inside the measured code, so their set-up cost is included (amortised over the 1000 blocks). Release 17:
 * runs on JDK 17 too; the FFM baselines (the arena, a downcall of {@code calloc}, slices of one arena segment) are
 * {@code ffm.Batch}, a JDK 22+ class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class Batch {
    static final int N = 1000;
    static final int SIZE = 64;

    private final long[] addresses = new long[N];
    private final Pointer[] pointers = new Pointer[N];
    private final ByteBuf[] buffers = new ByteBuf[N];

    @Benchmark
    @OperationsPerInvocation(N)
    public long poolConfined() {
        long last = 0;
        try (Pool pool = Pool.open()) {
            for (int i = 0; i < N; i++) {
                last = pool.alloc(1, SIZE);
            }
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long poolShared() {
        long last = 0;
        try (Pool pool = Pool.openShared()) {
            for (int i = 0; i < N; i++) {
                last = pool.alloc(1, SIZE);
            }
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long lwjglCalloc() {
        for (int i = 0; i < N; i++) {
            addresses[i] = MemoryUtil.nmemCalloc(1, SIZE);
        }
        for (int i = 0; i < N; i++) {
            MemoryUtil.nmemFree(addresses[i]);
        }
        return addresses[N - 1];
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long jniCalloc() {
        for (int i = 0; i < N; i++) {
            pointers[i] = Pointer.calloc(1, SIZE);
        }
        long last = pointers[N - 1].address();
        for (int i = 0; i < N; i++) {
            Pointer.free(pointers[i]);
            pointers[i] = null;
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long nettyPooled() {
        for (int i = 0; i < N; i++) {
            buffers[i] = PooledByteBufAllocator.DEFAULT.directBuffer(SIZE);
        }
        long last = buffers[N - 1].memoryAddress();
        for (int i = 0; i < N; i++) {
            buffers[i].release();
            buffers[i] = null;
        }
        return last;
    }
}
