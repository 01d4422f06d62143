package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.cymem4j.Pools;
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
}
