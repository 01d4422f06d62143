package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mimalloc-heap} as the process default: confined pools get a heap each, and {@link Pool#openShared()} (which
 * names no allocator) uses {@code mimalloc}, the same library's process-wide heap, saying so at DEBUG, instead of
 * throwing. Naming {@code mimalloc-heap} for a shared pool is still refused.
 */
class SharedDefaultTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveSharedPoolsMimallocWhenTheDefaultIsMimallocHeap() throws Exception {
        Path logging = dir.resolve("logging.properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n.level=INFO\norg.cymem4j.level=ALL\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n");
        ChildJvm.Result r = ChildJvm.run(SharedDefaultMain.class, List.of("-Dcymem4j.allocator=mimalloc-heap",
                "-Djava.util.logging.config.file=" + logging), Map.of(), null, dir);
        assertEquals("confined=mimalloc-heap shared=mimalloc usable=true default=mimalloc-heap", r.out(), r.err());
        assertTrue(r.err().contains("FINE: cymem4j allocator: shared pools use mimalloc (the default, mimalloc-heap, "
                + "gives each pool a heap only its opening thread may use)"), r.err());
        assertEquals(0, r.exit());
    }

    @Test
    void shouldStillRefuseAnExplicitMimallocHeapForASharedPool() {
        Allocator heap = Allocator.named("mimalloc-heap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pool.openShared(heap));
        assertEquals("the mimalloc-heap allocator gives each pool a heap that belongs to one thread: use "
                + "Pool.open(allocator), not openShared", e.getMessage());
    }
}
