package org.cymem4j.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The command line: {@code java --enable-native-access=ALL-UNNAMED -jar cymem4j.jar <command>}.
 * Commands: {@code tour} (the guided tour of the library, also what no command runs), {@code info} (version, platform,
 * native library, allocators), {@code doctor} (checks the environment and says how to fix what is wrong),
 * {@code bench} (a quick side-by-side allocation benchmark with a progress display); options {@code --help} and
 * {@code --version}.
 */
public final class Main {
    /** What {@code --help} prints: one line per command and option. */
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java --enable-native-access=ALL-UNNAMED -jar cymem4j.jar [command] [arguments]",
            "",
            "commands:",
            "  tour           the guided tour of the library, every example explained (the default)",
            "  info           version, platform, native library, JDK, allocators",
            "  doctor         checks the environment and says how to fix what is wrong (exit 1 on FAIL)",
            "  bench          about 10 s of side-by-side allocation timings, with progress",
            "",
            "options:",
            "  -h, --help     this text",
            "  -V, --version  the version of cymem4j");

    private Main() {
    }

    /**
     * Runs one command.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command, returning the exit code (the commands that print output print it to {@code out}). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "tour" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "tour":
                Tour.run(out, rest);
                return 0;
            case "info":
                Info.print(out);
                return 0;
            case "doctor":
                return Doctor.run(out);
            case "bench":
                QuickBench.run(out, err);
                return 0;
            case "-h":
            case "--help":
            case "help":
                out.println(USAGE);
                return 0;
            case "-V":
            case "--version":
                out.println("cymem4j " + Info.version());
                return 0;
            default:
                err.println("unknown command '" + command + "'");
                err.println(USAGE);
                return 2;
        }
    }
}
