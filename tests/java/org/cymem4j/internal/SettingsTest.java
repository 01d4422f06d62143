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
 * {@link IllegalArgumentException} naming it (never a class initialisation error), {@code cymem4j info} says so, and
 * the property keeps its default. In child JVMs, since the properties are read once per process.
 */
class SettingsTest {
    /** {@code values=} as SettingsMain prints them with nothing set: each setting's default, in Settings' order. */
    private static final String DEFAULTS = "values=SAMPLED 1048576 true false true true true true 16";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cymem4j.leakDetection=paranoid | -Dcymem4j.leakDetection=paranoid is not a level; use disabled, sampled or full",
        "cymem4j.leakSites=yes | -Dcymem4j.leakSites=yes is not a boolean; use true or false",
        "cymem4j.jfr.largeAllocationBytes=1MB"
            + " | -Dcymem4j.jfr.largeAllocationBytes=1MB is not a count; use a whole number, 0 or more",
        "cymem4j.jfr.largeAllocationBytes=-1"
            + " | -Dcymem4j.jfr.largeAllocationBytes=-1 is not a count; use a whole number, 0 or more",
        "cymem4j.jmx=off | -Dcymem4j.jmx=off is not a boolean; use true or false",
        "cymem4j.processBytes=yes | -Dcymem4j.processBytes=yes is not a boolean; use true or false",
        "cymem4j.hugePages=ture | -Dcymem4j.hugePages=ture is not a boolean; use true or false",
        "cymem4j.criticalCalls=0 | -Dcymem4j.criticalCalls=0 is not a boolean; use true or false",
        "cymem4j.blockCache=flase | -Dcymem4j.blockCache=flase is not a boolean; use true or false",
        "cymem4j.arenaAccess=off | -Dcymem4j.arenaAccess=off is not a boolean; use true or false",
        "cymem4j.view.nativeThreshold=1k"
            + " | -Dcymem4j.view.nativeThreshold=1k is not a count; use a whole number, 0 or more",
    })
    void shouldRefuseEveryOpenNamingAValueThePropertyDoesNotTake(String property, String message) throws Exception {
        String said = "cymem4j.* properties: refused, so every Pool.open throws: " + message;
        assertEquals(List.of("refused=" + message, "refused=" + message, said, "doctor: FAIL  " + said, DEFAULTS),
                childSays("-D" + property)); // doctor blames the property, not the native library
    }

    @Test
    void shouldNameEveryRefusedValueFirstInTheTablesOrder() throws Exception {
        String level = "-Dcymem4j.leakDetection=everything is not a level; use disabled, sampled or full";
        String cache = "-Dcymem4j.blockCache=no is not a boolean; use true or false";
        String said = "cymem4j.* properties: refused, so every Pool.open throws: " + level + "; " + cache;
        assertEquals(List.of("refused=" + level + " | " + cache, "refused=" + level + " | " + cache, said,
                "doctor: FAIL  " + said, DEFAULTS),
                childSays("-Dcymem4j.blockCache=no", "-Dcymem4j.leakDetection=everything"));
    }

    @Test
    void shouldTakeEveryValueInAnyCaseTrimmed() throws Exception {
        assertEquals(List.of("opened", "opened", "cymem4j.* properties: all valid",
                "doctor: ok    cymem4j.* properties: all valid", "values=DISABLED 4096 false true false false false false 0"),
                childSays(
                "-Dcymem4j.leakDetection= Disabled", "-Dcymem4j.jfr.largeAllocationBytes= 4096 ", "-Dcymem4j.jmx=False",
                "-Dcymem4j.processBytes=TRUE", "-Dcymem4j.hugePages=false ", "-Dcymem4j.criticalCalls=fAlse",
                "-Dcymem4j.blockCache=FALSE", "-Dcymem4j.arenaAccess=false", "-Dcymem4j.view.nativeThreshold=0"));
        assertEquals("values=FULL", childSays("-Dcymem4j.leakSites=true").get(4).substring(0, "values=FULL".length()));
    }

    /** An empty value (a bare {@code -Dname}, or {@code -Dname=}) counts as unset: the default. */
    @Test
    void shouldTakeAnEmptyValueAsUnset() throws Exception {
        assertEquals(List.of("opened", "opened", "cymem4j.* properties: all valid",
                "doctor: ok    cymem4j.* properties: all valid", DEFAULTS),
                childSays("-Dcymem4j.leakDetection=", "-Dcymem4j.blockCache", "-Dcymem4j.jmx= ",
                        "-Dcymem4j.jfr.largeAllocationBytes="));
    }

    private List<String> childSays(String... flags) throws Exception {
        // Without CYMEM4J_ALLOCATOR: an unusable allocator would fail the open before the properties are checked.
        ChildJvm.Result r = ChildJvm.run(SettingsMain.class, List.of(flags), Map.of(), List.of("CYMEM4J_ALLOCATOR"),
                System.getProperty("java.class.path"), dir, true);
        assertEquals(0, r.exit(), r.out() + "\n" + r.err());
        return r.out().lines().filter(l -> l.startsWith("refused=") || l.equals("opened")
                || l.startsWith("cymem4j.* properties:") || l.startsWith("doctor: ") && !l.startsWith("doctor: ok    native library:")
                || l.startsWith("values=")).collect(Collectors.toList());
    }
}
