package org.cymem4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the NumPy-side scripts of tests/python with {@code python3}, for the tests that compare with NumPy.
 * Without python3 or NumPy the calling test fails (it never skips), saying what to install.
 */
public final class Python {
    private Python() {
    }

    /**
     * Runs {@code tests/python/<script> args...} and returns its output (standard output and error, trimmed).
     *
     * @param tag prefixed to every failure message (a test's seed, say); may be empty
     * @param minutes how long the script may take
     */
    public static String run(String tag, String script, long minutes, String... args)
            throws IOException, InterruptedException {
        Path path = Path.of("tests/python", script).toAbsolutePath();
        assertTrue(Files.exists(path), "missing " + path);
        List<String> command = new ArrayList<>(List.of("python3", path.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(tag + "python3 is not installed: install python3 and python3-numpy "
                    + "(apt-get install python3-numpy) to run " + script, e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(tag + script + " did not finish");
        }
        if (output.contains("No module named 'numpy'")) {
            fail(tag + "NumPy is not installed for python3: install python3-numpy (apt-get install python3-numpy) "
                    + "to run " + script);
        }
        assertEquals(0, p.exitValue(), tag + script + " failed:\n" + output);
        return output;
    }
}
