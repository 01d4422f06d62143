package org.cymem4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cymem4j.cli.SettingsMain;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every {@code cymem4j.*} system property refuses a value it does not take: each open throws
 * {@link IllegalArgumentException} naming it (never a class initialisation error), and {@code cymem4j info} says so.
 * In child JVMs, since the properties are read once per process.
 */
class SettingsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cymem4j.leakDetection=paranoid | -Dcymem4j.leakDetection=paranoid is not a level; use disabled, sampled or full",
        "cymem4j.leakSites=yes | -Dcymem4j.leakSites=yes is not a boolean; use true or false",
        "cymem4j.jfr.largeAllocationBytes=1MB"
            + " | -Dcymem4j.jfr.largeAllocationBytes=1MB is not a byte count; use a whole number, 0 or more",
        "cymem4j.jfr.largeAllocationBytes=-1"
            + " | -Dcymem4j.jfr.largeAllocationBytes=-1 is not a byte count; use a whole number, 0 or more",
        "cymem4j.jmx=off | -Dcymem4j.jmx=off is not a boolean; use true or false",
        "cymem4j.processBytes=yes | -Dcymem4j.processBytes=yes is not a boolean; use true or false",
        "cymem4j.hugePages=ture | -Dcymem4j.hugePages=ture is not a boolean; use true or false",
        "cymem4j.criticalCalls=0 | -Dcymem4j.criticalCalls=0 is not a boolean; use true or false",
        "cymem4j.blockCache=flase | -Dcymem4j.blockCache=flase is not a boolean; use true or false",
    })
    void shouldRefuseEveryOpenNamingAValueThePropertyDoesNotTake(String property, String message) throws Exception {
        assertEquals(List.of("refused=" + message, "refused=" + message,
                "cymem4j.* properties: refused, so every Pool.open throws: " + message), childSays("-D" + property));
    }

    @Test
    void shouldNameEveryRefusedValueFirstInTheTablesOrder() throws Exception {
        String level = "-Dcymem4j.leakDetection=everything is not a level; use disabled, sampled or full";
        String cache = "-Dcymem4j.blockCache=no is not a boolean; use true or false";
        assertEquals(List.of("refused=" + level + " | " + cache, "refused=" + level + " | " + cache,
                "cymem4j.* properties: refused, so every Pool.open throws: " + level + "; " + cache),
                childSays("-Dcymem4j.blockCache=no", "-Dcymem4j.leakDetection=everything"));
    }

    @Test
    void shouldTakeTrueAndFalseInAnyCase() throws Exception {
        assertEquals(List.of("opened", "opened", "cymem4j.* properties: all valid"), childSays(
                "-Dcymem4j.blockCache=FALSE", "-Dcymem4j.jmx=False", "-Dcymem4j.hugePages=TRUE",
                "-Dcymem4j.leakDetection=FULL", "-Dcymem4j.jfr.largeAllocationBytes= 4096 "));
    }

    private List<String> childSays(String... flags) throws Exception {
        ChildJvm.Result r = ChildJvm.run(SettingsMain.class, List.of(flags), Map.of(), null, dir);
        assertEquals(0, r.exit(), r.out() + "\n" + r.err());
        return r.out().lines().filter(l -> l.startsWith("refused=") || l.equals("opened")
                || l.startsWith("cymem4j.* properties:")).collect(Collectors.toList());
    }
}
