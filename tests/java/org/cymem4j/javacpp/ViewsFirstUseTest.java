package org.cymem4j.javacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TypedArray.view()} and {@code PointerViews.of} reach MemoryView's package-private factories through
 * {@code internal/Handles}, which MemoryView's static initializer fills: in a fresh JVM where neither has loaded it
 * yet, the first call must load it instead of failing with a NullPointerException.
 */
class ViewsFirstUseTest {
    @TempDir
    Path dir;

    @Test
    void shouldMakeATypedArraysViewBeforeAnythingLoadedMemoryView() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ViewsFirstUseMain.class, List.of("-Dfirst=typedArray"), Map.of(), null, dir);
        assertEquals("typedArray 7", r.out(), r.err());
        assertEquals(0, r.exit());
    }

    @Test
    void shouldMakeAPointersViewBeforeAnythingLoadedMemoryView() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ViewsFirstUseMain.class, List.of("-Dfirst=pointer"), Map.of(), null, dir);
        assertEquals("pointer 9", r.out(), r.err());
        assertEquals(0, r.exit());
    }
}
