package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiled and run only on JDK 22+: an exported segment or checked ByteBuffer read on one thread while its block is
 * freed or reallocated, its pool closed or its typed array resized on another never reads freed memory (a SIGSEGV
 * would kill the child JVM): each read gives the right value or IllegalStateException.
 */
class ExportRaceTest {
    private static final Map<String, String> UNMAP_FREED =
            Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=131072:glibc.rtld.optional_static_tls=16384");

    @Test
    void shouldNeverReadFreedMemoryThroughAnExportRacingFreeReallocCloseOrResize(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ExportRaceMain.class, List.of(), UNMAP_FREED, null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("rounds=200", r.out());
    }
}
