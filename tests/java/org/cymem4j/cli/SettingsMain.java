package org.cymem4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.cymem4j.Pool;

/**
 * {@code org.cymem4j.internal.SettingsTest}'s child JVM: what two opens throw (or that they open), with suppressed messages, and the
 * properties line of {@code cymem4j info}.
 */
public final class SettingsMain {
    private SettingsMain() {
    }

    public static void main(String[] args) throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Pool pool = attempt == 0 ? Pool.open() : Pool.openShared()) {
                pool.alloc(1, 8);
                System.out.println("opened");
            } catch (IllegalArgumentException e) {
                StringBuilder line = new StringBuilder("refused=").append(e.getMessage());
                for (Throwable s : e.getSuppressed()) {
                    line.append(" | ").append(s.getMessage());
                }
                System.out.println(line);
            }
        }
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(info, true, StandardCharsets.UTF_8);
        Main.run(new String[] {"info"}, out, out);
        info.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("cymem4j.* properties:"))
                .forEach(System.out::println);
    }
}
