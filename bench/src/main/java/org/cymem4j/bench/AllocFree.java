package org.cymem4j.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.lwjgl.system.MemoryUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocate one block and free it again, ns per pair. Every mechanism but JavaCPP's {@code BytePointer} and Netty's
 * pooled buffers hands out zeroed memory (those two do not zero, which favours them). {@code ByteBuffer.allocateDirect}
 * is freed by the GC's Cleaner, so its figure includes the amortised collection work. Release 17: runs on JDK 17 too;
 * the FFM baselines (arenas, a downcall of {@code calloc}) are {@code ffm.AllocFree}, a JDK 22+ class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AllocFree {
    @Param({"16", "64", "1024", "65536"})
    public int size;

    @Benchmark
    public long poolConfined(PoolPair pools) {
        return PoolPair.pair(pools.confined, size);
    }

    @Benchmark
    public long poolShared(PoolPair pools) {
        return PoolPair.pair(pools.shared, size);
    }

    @Benchmark
    public ByteBuffer byteBufferDirect() {
        return ByteBuffer.allocateDirect(size);
    }

    @Benchmark
    public long javacppBytePointer() {
        BytePointer p = new BytePointer(size);
        long a = p.address();
        p.close();
        return a;
    }

    @Benchmark
    public long lwjglCalloc() {
        long p = MemoryUtil.nmemCalloc(1, size);
        MemoryUtil.nmemFree(p);
        return p;
    }

    @Benchmark
    public long nettyPooled() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        long a = b.memoryAddress();
        b.release();
        return a;
    }

    /** JavaCPP's static natives {@code Pointer.calloc}/{@code free}: one JNI crossing each, the raw JNI floor. */
    @Benchmark
    public long jniCalloc() {
        Pointer p = Pointer.calloc(1, size);
        long a = p.address();
        Pointer.free(p);
        return a;
    }
}
