package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled and run only on JDK 22+: shared-arena safety of views, the pool's own arena and a user's. */
class ArenaCloseRaceTest {
    private static final Map<String, String> UNMAP_FREED =
            Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=131072:glibc.rtld.optional_static_tls=16384");

    @Test
    void shouldNeverReadFreedMemoryWhenAnArenaOrSharedPoolClosesUnderAView(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(SegmentCloseRaceMain.class, List.of(), UNMAP_FREED, null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("rounds=200", r.out());
    }

    @Test
    void shouldStaySafeOnTheUseCountWhenArenaAccessIsOff(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(SegmentCloseRaceMain.class, List.of("-Dcymem4j.arenaAccess=false"),
                UNMAP_FREED, null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertTrue(r.out().startsWith("rounds="), r.out());
    }
}
