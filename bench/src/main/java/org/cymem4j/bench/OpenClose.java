package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Pool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An empty pool opened and closed, ns per pair (issue 20: within 2x of {@code Arena.ofConfined()} + {@code close()},
 * which is {@code ffm.OpenClose}, a JDK 22+ class). Nothing is allocated. The pool is returned, so the JIT cannot drop
 * it. Release 17: runs on JDK 17 too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class OpenClose {
    @Benchmark
    public Pool poolConfined() {
        Pool p = Pool.open();
        p.close();
        return p;
    }

    @Benchmark
    public Pool poolShared() {
        Pool p = Pool.openShared();
        p.close();
        return p;
    }
}
