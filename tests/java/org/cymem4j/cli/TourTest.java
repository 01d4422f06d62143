package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.cymem4j.Pools;
import org.junit.jupiter.api.Test;

/** The README's first command runs the tour: it must complete, cover every section, and leave nothing allocated. */
class TourTest {
    @Test
    void shouldRunEverySectionToCompletionWithoutLeaking() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tour.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), new String[0]);
        String out = bytes.toString(StandardCharsets.UTF_8);
        long sections = out.lines().filter(l -> l.startsWith("== ")).count();
        assertTrue(sections >= 5, out);
        assertTrue(out.endsWith("tour complete; native blocks still allocated: 0" + System.lineSeparator()), out);
        assertEquals(0, Pools.openCount());
    }
}
