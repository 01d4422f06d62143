package org.cymem4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.cymem4j.Pool;
import org.cymem4j.internal.Settings;

/**
 * {@code org.cymem4j.internal.SettingsTest}'s child JVM: what two opens throw (or that they open), with suppressed
 * messages, the properties line of {@code cymem4j info}, and the value each setting took.
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
        ByteArrayOutputStream doctor = new ByteArrayOutputStream();
        PrintStream doctorOut = new PrintStream(doctor, true, StandardCharsets.UTF_8);
        Main.run(new String[] {"doctor"}, doctorOut, doctorOut);
        doctor.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("cymem4j.* properties:")
                || l.contains("pool open:") || l.contains("native library:")).map(l -> "doctor: " + l.trim())
                .forEach(System.out::println);
        System.out.println("values=" + Settings.LEAK_DETECTION + " " + Settings.LARGE_ALLOCATION_BYTES + " "
                + Settings.JMX + " " + Settings.PROCESS_BYTES + " " + Settings.HUGE_PAGES + " " + Settings.CRITICAL_CALLS
                + " " + Settings.BLOCK_CACHE + " " + Settings.ARENA_ACCESS + " " + Settings.VIEW_NATIVE_THRESHOLD);
    }
}
