package org.cymem4j.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The command line: {@code java --enable-native-access=ALL-UNNAMED -jar cymem4j.jar <command>}.
 * Commands: {@code tour} (the guided tour of the library), {@code info} (version, platform, native library,
 * allocators), {@code doctor} (checks the environment and says how to fix what is wrong).
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
            default:
                System.err.println("unknown command '" + command + "'; commands: tour, info, doctor");
                System.exit(2);
        }
    }
}
