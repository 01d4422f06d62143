package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory-mapped {@code .npy} file closed while another thread reads or writes it: the read fails with
 * {@link IllegalStateException}, never touches unmapped memory (which would kill the child JVM with SIGSEGV). Run
 * with FFM arena access (JDK 22+: the arena's handshake) and without it (the JDK 17 use count).
 */
class MappedCloseRaceTest {

    @Test
    void shouldNeverTouchAnUnmappedFileThroughAView(@TempDir Path dir) throws Exception {
        for (String arenaAccess : new String[] {"true", "false"}) {
            ChildJvm.Result r = ChildJvm.run(MappedRaceMain.class,
                    List.of("-Dcymem4j.arenaAccess=" + arenaAccess, "-Dmapped.file=" + dir.resolve("race.npy"),
                            "-Dmapped.rounds=150"), Map.of(), null, dir, true);
            assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + ", arenaAccess=" + arenaAccess + "): "
                    + r.err());
            assertEquals("rounds=150 closedUnderReader=150", r.out(), "arenaAccess=" + arenaAccess);
        }
    }
}
