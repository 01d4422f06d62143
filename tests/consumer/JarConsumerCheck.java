// JarConsumerCheck.java: the deployment case, run by check-package.sh with the JDK's source launcher:
//   java -cp cymem4j.jar:lib/* -Dcymem4j.consumer.library=... JarConsumerCheck.java
// The JVM takes libjnicymem4j.so from the jar (JavaCPP extracts it to its cache directory), then loads the
// consumer library, which was linked against a different file (an unpacked jar or an install tree). The
// consumer's cym_* calls must bind to the JVM's copy: one core in the process. Exits non-zero otherwise.
package org.cymem4j.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cymem4j.Pool;
import org.cymem4j.Pools;

final class ConsumerLibrary {
    static native int fill(long pool, int count, long size);

    static native String corePath();

    public static void main(String[] args) throws Exception {
        Path loaded = Path.of(Pools.nativeLibrary()).toRealPath();
        System.load(System.getProperty("cymem4j.consumer.library"));
        Path bound = Path.of(corePath()).toRealPath();
        Set<String> copies;
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            copies = maps.filter(l -> l.endsWith("libjnicymem4j.so")).map(l -> l.substring(l.indexOf('/')))
                    .collect(Collectors.toSet());
        }
        long blocks;
        try (Pool pool = Pool.open()) {
            if (fill(pool.nativeHandle(), 7, 16) != 0) {
                throw new AssertionError("consumer_fill failed");
            }
            blocks = pool.liveBlocks();
        }
        System.out.println("JVM loaded " + loaded + "; consumer bound to " + bound + "; mapped copies " + copies
                + "; blocks seen by Java " + blocks);
        if (!loaded.equals(bound) || !copies.equals(Set.of(loaded.toString())) || blocks != 7) {
            throw new AssertionError("the consumer did not share the JVM's copy of the core");
        }
    }
}
