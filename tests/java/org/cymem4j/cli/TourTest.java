package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

import org.cymem4j.Pools;
import org.cymem4j.examples.ManualAllocation;
import org.cymem4j.examples.MemoryViewLayouts;
import org.cymem4j.examples.MemoryViewSources;
import org.cymem4j.examples.MemoryViews;
import org.cymem4j.examples.PoolOverview;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.Test;

/** The README's first command runs the tour: it must complete, cover every section, and leave nothing allocated. */
class TourTest {
    @Test
    void shouldRunEverySectionToCompletionWithoutLeaking() {
        String out = Printed.text(stream -> Tour.run(stream, new String[0]));
        long sections = out.lines().filter(l -> l.startsWith("== ")).count();
        assertTrue(sections >= 5, out);
        assertTrue(out.endsWith("tour complete; native blocks still allocated: 0" + System.lineSeparator()), out);
        assertEquals(0, Pools.openCount());
    }

    /** The examples added for the seed snippets that had none appear in the tour, each printing what it prints alone. */
    @Test
    void shouldShowTheSeedSnippetExamples() {
        String out = Printed.text(stream -> Tour.run(stream, new String[0]));
        for (Consumer<PrintStream> example : List.<Consumer<PrintStream>>of(PoolOverview::run, ManualAllocation::run,
                MemoryViews::run, MemoryViewLayouts::run, MemoryViewSources::run)) {
            String printed = Printed.text(example);
            assertTrue(out.contains(printed), printed + "\nnot in the tour:\n" + out);
        }
        assertEquals(0, Pools.openCount());
    }
}
