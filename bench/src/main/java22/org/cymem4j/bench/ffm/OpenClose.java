package org.cymem4j.bench.ffm;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

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
 * An empty FFM arena opened and closed, ns per pair: the baseline of {@code org.cymem4j.bench.OpenClose} (JDK 22+).
 * A shared arena's close is a handshake with every thread, so {@code arenaShared} is shown for reference only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class OpenClose {
    @Benchmark
    public Arena arenaConfined() {
        Arena a = Arena.ofConfined();
        a.close();
        return a;
    }

    @Benchmark
    public Arena arenaShared() {
        Arena a = Arena.ofShared();
        a.close();
        return a;
    }
}
