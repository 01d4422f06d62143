package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.BytePointer;
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

/** {@link AllocFree#javacppBytePointer} in a JVM with JavaCPP's pointer GC tracking off (its own fork). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dorg.bytedeco.javacpp.nopointergc=true"})
public class AllocFreeJavaCppNoGc {
    @Param({"16", "64", "1024", "65536"})
    public int size;

    @Benchmark
    public long javacppBytePointerNoGc() {
        BytePointer p = new BytePointer(size);
        long a = p.address();
        p.close();
        return a;
    }
}
