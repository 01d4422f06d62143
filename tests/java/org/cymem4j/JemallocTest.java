package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jemalloc by configuration alone: with LWJGL's jemalloc ({@code org.lwjgl:lwjgl-jemalloc}, natives-linux) on the class
 * path, {@code jemalloc} from each configuration source works in a JVM whose environment has no
 * {@code GLIBC_TUNABLES}; without it, Debian's library is used when the tunable is there, and the error names both
 * fixes when it is not. Each case in a fresh JVM (the default allocator is resolved once per process).
 */
class JemallocTest {
    private static final String OK_MAVEN = "allocator=jemalloc counted=true usable=true library=maven tunables=unset";

    @TempDir
    Path dir;

    private ChildJvm.Result withoutTunables(List<String> flags, Map<String, String> env, String classPath)
            throws IOException, InterruptedException {
        return ChildJvm.run(JemallocMain.class, flags, env, List.of("GLIBC_TUNABLES"), classPath, dir, true);
    }

    private static String fullClassPath() {
        return System.getProperty("java.class.path");
    }

    @Test
    void shouldFindLwjglJemallocOnTheTestClassPath() {
        assertTrue(Jemalloc.mavenJemalloc() != null, "org.lwjgl:lwjgl-jemalloc natives-linux is a test dependency");
    }

    @Test
    void shouldLoadTheMavenJemallocFromTheSystemPropertyWithNoTunables() throws Exception {
        ChildJvm.Result r = withoutTunables(List.of("-Dcymem4j.allocator=jemalloc"), Map.of(), fullClassPath());
        assertEquals(OK_MAVEN, r.out(), r.err());
        assertEquals(0, r.exit());
    }

    @Test
    void shouldLoadTheMavenJemallocFromTheEnvironmentVariableWithNoTunables() throws Exception {
        ChildJvm.Result r = withoutTunables(List.of(), Map.of("CYMEM4J_ALLOCATOR", "jemalloc"), fullClassPath());
        assertEquals(OK_MAVEN, r.out(), r.err());
    }

    @Test
    void shouldLoadTheMavenJemallocFromThePropertiesFileWithNoTunables() throws Exception {
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("cymem4j.properties"), "cymem4j.allocator=jemalloc\n");
        ChildJvm.Result r = withoutTunables(List.of(), Map.of(),
                resources + java.io.File.pathSeparator + fullClassPath());
        assertEquals(OK_MAVEN, r.out(), r.err());
    }

    @Test
    void shouldWrapTheMavenJemallocInDebug() throws Exception {
        ChildJvm.Result r = withoutTunables(List.of("-Dcymem4j.allocator=debug:jemalloc"), Map.of(), fullClassPath());
        assertTrue(r.out().startsWith("allocator=debug(jemalloc) "), r.out() + r.err());
        assertTrue(r.out().endsWith(" library=maven tunables=unset"), r.out() + r.err());
    }

    @Test
    void shouldUseDebiansJemallocWhenTheMavenOneIsAbsentAndTheTunableIsSet() throws Exception {
        ChildJvm.Result r = ChildJvm.run(JemallocMain.class, List.of("-Dcymem4j.allocator=jemalloc"), Map.of(),
                List.of(), ChildJvm.classPathWithout("lwjgl-jemalloc", null), dir, true);
        assertEquals("allocator=jemalloc counted=true usable=true library=debian tunables=set", r.out(), r.err());
    }

    @Test
    void shouldNameBothFixesWhenNeitherJemallocCanLoad() throws Exception {
        ChildJvm.Result r = withoutTunables(List.of("-Dcymem4j.allocator=jemalloc"), Map.of(),
                ChildJvm.classPathWithout("lwjgl-jemalloc", null));
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("failed: cymem4j allocator from system property cymem4j.allocator: allocator "
                + "'jemalloc' is not available: cannot load libjemalloc.so.2 ("), r.out());
        assertTrue(r.out().contains("GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384"), r.out());
        assertTrue(r.out().endsWith("; or add the Maven dependency org.lwjgl:lwjgl-jemalloc:3.3.6:natives-linux "
                + "(its jemalloc needs no environment variable)"), r.out());
    }

    @Test
    void shouldGiveJemallocMemoryInThisJvmToo() throws Exception {
        Allocator je = Allocator.named("jemalloc");
        assertEquals("jemalloc", je.name());
        try (Pool pool = Pool.open(je)) {
            long before = je.backendAllocatedBytes();
            long p = pool.alloc(1, 4 << 20);
            assertTrue(je.backendAllocatedBytes() - before >= 4 << 20, "jemalloc's own counter grew");
            assertEquals(4 << 20, Allocator.usableSize(pool, p), "jemalloc's 4 MiB size class, exactly");
        }
    }
}
