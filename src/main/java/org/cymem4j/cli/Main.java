package org.cymem4j.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The command line: {@code java --enable-native-access=ALL-UNNAMED -jar cymem4j.jar <command>}.
 * Commands: {@code tour} (the guided tour of the library), {@code info} (version, platform, native library,
 * allocators), {@code doctor} (checks the environment and says how to fix what is wrong), {@code bench} (a quick
 * side-by-side allocation benchmark with a progress display).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "tour" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        PrintStream out = System.out;
        switch (command) {
            case "tour":
                Tour.run(out, rest);
                break;
            case "info":
                Info.print(out);
                break;
            case "doctor":
                System.exit(Doctor.run(out));
                break;
            case "bench":
                QuickBench.run(out, System.err);
                break;
            default:
                System.err.println("unknown command '" + command + "'; commands: tour, info, doctor, bench");
                System.exit(2);
        }
    }
}
