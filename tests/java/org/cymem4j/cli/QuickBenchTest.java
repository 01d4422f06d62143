package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.junit.jupiter.api.Test;

/** The {@code bench} command's machinery, run with tiny round counts (no timing is asserted). */
class QuickBenchTest {
    @Test
    void shouldMeasureEveryCaseAndPrintOneRowEachWithTheRatioToThePool() {
        List<Pool> opened = new ArrayList<>();
        List<QuickBench.Result> results;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            List<QuickBench.Case> cases = QuickBench.cases(opened);
            results = QuickBench.measure(cases, 1, 3, 2000,
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertEquals(cases.size(), results.size());
        } finally {
            opened.forEach(Pool::close);
        }
        assertEquals(0, Pools.openCount(), "the benchmark's pools are closed");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[1/" + results.size() + "] Pool (confined"));
        for (QuickBench.Result r : results) {
            assertTrue(r.medianNs() > 0 && r.minNs() <= r.medianNs(), r.toString());
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        QuickBench.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        List<String> lines = table.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(results.size() + 1, lines.size());
        assertTrue(lines.get(1).startsWith("Pool (confined, system) alloc+free 64 B"), lines.get(1));
        assertTrue(lines.get(1).endsWith("1.00x"), lines.get(1));
    }
}
