package org.cymem4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** What a program that prints to a {@link PrintStream} (an example, the tour) printed, for tests to compare. */
public final class Printed {
    private Printed() {
    }

    /** Everything {@code program} printed, as one string. */
    public static String text(Consumer<PrintStream> program) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        program.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What {@code program} printed, line by line. */
    public static List<String> lines(Consumer<PrintStream> program) {
        return List.of(text(program).split("\\R"));
    }
}
