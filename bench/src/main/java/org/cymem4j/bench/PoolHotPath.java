package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.cymem4j.internal.jni.NativePool;
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
 * Where the time of {@code Pool.alloc} + {@code Pool.free} of 64 B goes: the public methods against the two JNI
 * bridge calls alone (no Java checks), on a confined pool. The difference is the Java-side cost of the checks. Taking
 * the pool's {@code nativeHandle()} ends its block cache, so {@code publicApi} is the C path every call takes.
 * {@code openClose} is the fixed cost of an empty pool (Java object, Cleaner registration, C create/destroy), which
 * the 1000-block batch pays once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PoolHotPath {
    private Pool pool;
    private long handle;

    @Setup
    public void open() {
        pool = Pool.open();
        handle = pool.nativeHandle();
    }

    @TearDown
    public void close() {
        pool.close();
    }

    @Benchmark
    public long publicApi() {
        long p = pool.alloc(1, 64);
        pool.free(p);
        return p;
    }

    @Benchmark
    public boolean openClose() {
        Pool p = Pool.open();
        p.close();
        return p.isOpen();
    }

    @Benchmark
    public long bridgeOnly() {
        long p = NativePool.cym_j_pool_alloc(handle, 1, 64);
        NativePool.cym_j_pool_free(handle, p);
        return p;
    }
}
