package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default allocator from each configuration source, each in a fresh JVM (the default is resolved once). */
class AllocatorConfigTest {
    @TempDir
    Path dir;

    /** Exit code, stdout, stderr of a child JVM running {@link AllocatorConfigMain}. */
    private ChildJvm.Result run(List<String> jvmFlags, Map<String, String> env, String extraClassPath)
            throws IOException, InterruptedException {
        // The choice is logged at DEBUG (java.util.logging FINE): enabled here so the tests can see its source.
        Path logging = dir.resolve("logging.properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n.level=INFO\norg.cymem4j.level=ALL\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n");
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add("-Djava.util.logging.config.file=" + logging);
        return ChildJvm.run(AllocatorConfigMain.class, flags, env, extraClassPath, dir);
    }

    @Test
    void shouldSayNothingAtDefaultLoggingLevels() throws Exception {
        ChildJvm.Result r = ChildJvm.run(AllocatorConfigMain.class, List.of("-Dcymem4j.allocator=mimalloc"), Map.of(),
                null, dir);
        assertEquals("allocator=mimalloc counted=true usable=true", r.out(), r.err());
        assertEquals("", r.err());
    }

    private static final List<String> BACKENDS = List.of("jemalloc", "mimalloc", "tcmalloc");

    @Test
    void shouldTakeEachBackendFromTheSystemProperty() throws Exception {
        for (String backend : BACKENDS) {
            ChildJvm.Result r = run(List.of("-Dcymem4j.allocator=" + backend), Map.of(), null);
            assertEquals("allocator=" + backend + " counted=true usable=true", r.out(), r.err());
            assertTrue(r.err().contains("FINE: cymem4j allocator: " + backend
                    + " (from system property cymem4j.allocator)"), r.err());
            assertEquals(0, r.exit());
        }
    }

    @Test
    void shouldTakeEachBackendFromTheEnvironment() throws Exception {
        for (String backend : BACKENDS) {
            ChildJvm.Result r = run(List.of(), Map.of("CYMEM4J_ALLOCATOR", backend), null);
            assertEquals("allocator=" + backend + " counted=true usable=true", r.out(), r.err());
            assertTrue(r.err().contains("FINE: cymem4j allocator: " + backend
                    + " (from environment variable CYMEM4J_ALLOCATOR)"), r.err());
        }
    }

    @Test
    void shouldTakeEachBackendFromThePropertiesFileOnTheClassPath() throws Exception {
        for (String backend : BACKENDS) {
            Path resources = Files.createDirectories(dir.resolve("resources-" + backend));
            Files.writeString(resources.resolve("cymem4j.properties"), "cymem4j.allocator=" + backend + "\n");
            ChildJvm.Result r = run(List.of(), Map.of(), resources.toString());
            assertEquals("allocator=" + backend + " counted=true usable=true", r.out(), r.err());
            assertTrue(r.err().contains("FINE: cymem4j allocator: " + backend
                    + " (from class-path resource cymem4j.properties)"), r.err());
        }
    }

    @Test
    void shouldPreferThePropertyOverTheEnvironmentAndTheEnvironmentOverTheFile() throws Exception {
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("cymem4j.properties"), "cymem4j.allocator=mimalloc\n");
        ChildJvm.Result both = run(List.of("-Dcymem4j.allocator=jemalloc"), Map.of("CYMEM4J_ALLOCATOR", "tcmalloc"),
                resources.toString());
        assertEquals("allocator=jemalloc counted=true usable=true", both.out(), both.err());
        ChildJvm.Result envAndFile = run(List.of(), Map.of("CYMEM4J_ALLOCATOR", "tcmalloc"), resources.toString());
        assertEquals("allocator=tcmalloc counted=true usable=true", envAndFile.out(), envAndFile.err());
    }

    @Test
    void shouldDefaultToSystemWhenNothingIsConfigured() throws Exception {
        ChildJvm.Result r = run(List.of(), Map.of(), null);
        assertEquals("allocator=system counted=false usable=true", r.out(), r.err());
        assertTrue(r.err().contains("FINE: cymem4j allocator: system (from default)"), r.err());
    }

    @Test
    void shouldWrapTheConfiguredInnerAllocatorInDebug() throws Exception {
        ChildJvm.Result r = run(List.of("-Dcymem4j.allocator=debug:tcmalloc"), Map.of(), null);
        assertEquals("allocator=debug(tcmalloc) counted=false usable=true", r.out(), r.err());
    }

    @Test
    void shouldFailAnUnknownValueListingTheValidOnes() throws Exception {
        ChildJvm.Result r = run(List.of("-Dcymem4j.allocator=jemaloc"), Map.of(), null);
        assertEquals("failed: cymem4j allocator from system property cymem4j.allocator: unknown allocator 'jemaloc'; "
                + "valid values: system, jemalloc, mimalloc, mimalloc-heap, tcmalloc, debug, debug:<inner>, "
                + "path:/abs/libfoo.so", r.out(), r.err());
        assertEquals(3, r.exit());
    }

    @Test
    void shouldFailAMissingLibraryNamingTheFile() throws Exception {
        ChildJvm.Result r = run(List.of(), Map.of("CYMEM4J_ALLOCATOR", "path:/nonexistent/libfoo.so"), null);
        assertEquals("failed: cymem4j allocator from environment variable CYMEM4J_ALLOCATOR: allocator library "
                + "/nonexistent/libfoo.so is not available: cannot load /nonexistent/libfoo.so "
                + "(/nonexistent/libfoo.so: cannot open shared object file: No such file or directory)", r.out(), r.err());
        assertEquals(3, r.exit());
    }

    @Test
    void shouldTellHowToLoadJemallocWhenStaticTlsIsShort() throws Exception {
        // Debian's jemalloc only: LWJGL's (a test dependency) would load without the tunable (JemallocTest).
        ChildJvm.Result r = ChildJvm.run(AllocatorConfigMain.class, List.of("-Dcymem4j.allocator=jemalloc"), Map.of(),
                List.of("GLIBC_TUNABLES"), ChildJvm.classPathWithout("lwjgl-jemalloc", null), dir, true);
        assertTrue(r.out().startsWith("failed: cymem4j allocator from system property cymem4j.allocator: allocator "
                + "'jemalloc' is not available: cannot load libjemalloc.so.2 ("), r.out());
        assertTrue(r.out().endsWith("; it is provided by the Debian package libjemalloc2; the library needs static TLS: "
                + "start the process with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384; or add the Maven "
                + "dependency org.lwjgl:lwjgl-jemalloc:3.3.6:natives-linux (its jemalloc needs no environment variable)"),
                r.out());
    }
}
