package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code cymem4j --help}, {@code --version} and an unknown command; the commands themselves have their own tests. */
class MainTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandAndOption() {
        for (String flag : List.of("--help", "-h", "help")) {
            Run r = run(flag);
            assertEquals(0, r.exit());
            assertEquals("", r.err());
            for (String command : List.of("tour", "info", "doctor", "bench", "--help", "--version")) {
                assertTrue(r.out().contains("  " + command) || r.out().contains(", " + command), command + ":\n" + r.out());
            }
        }
    }

    /** The build runs the tests against the packaged jar, whose manifest carries the project's version. */
    @Test
    void versionIsTheManifestsImplementationVersion() {
        String expected = System.getProperty("cymem4j.expectedVersion");
        assertNotNull(expected, "the build passes -Dcymem4j.expectedVersion=${project.version} to the tests");
        for (String flag : List.of("--version", "-V")) {
            Run r = run(flag);
            assertEquals(0, r.exit());
            assertEquals("cymem4j " + expected + System.lineSeparator(), r.out());
        }
    }

    @Test
    void anUnknownCommandFailsWithTheUsage() {
        Run r = run("tuor");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("unknown command 'tuor'"), r.err());
        assertTrue(r.err().contains(Main.USAGE), r.err());
    }
}
