package org.cymem4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.internal.Settings;

/**
 * {@code doctor}: checks what this library needs from its environment and says how to fix what is wrong. Each
 * check prints {@code ok}, {@code warn} (works, but not as well as it could) or {@code FAIL} (something will not
 * work); the exit status is 1 if any check failed.
 */
final class Doctor {
    private Doctor() {
    }

    /** One finding: its level, what was checked, and what to do. */
    record Finding(String level, String check, String advice) {
    }

    static int run(PrintStream out) {
        List<Finding> findings = check(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv(),
                Path.of("/proc/self/limits"));
        for (Finding f : findings) {
            out.printf("%-4s  %s%s%n", f.level(), f.check(), f.advice().isEmpty() ? "" : "\n      -> " + f.advice());
        }
        boolean failed = findings.stream().anyMatch(f -> f.level().equals("FAIL"));
        out.println(failed ? "doctor: problems found (FAIL above)" : "doctor: no problems that stop cymem4j");
        return failed ? 1 : 0;
    }

    /** The checks, on the given JVM arguments, environment and limits file (parameters so tests can vary them). */
    static List<Finding> check(List<String> jvmArgs, Map<String, String> env, Path limits) {
        List<Finding> findings = new ArrayList<>();
        boolean nativeAccess = jvmArgs.stream().anyMatch(a -> a.startsWith("--enable-native-access"));
        if (nativeAccess || Runtime.version().feature() < 22) {
            findings.add(new Finding("ok", "native access: " + (nativeAccess ? "enabled" : "not needed before JDK 22"), ""));
        } else {
            findings.add(new Finding("warn", "native access: not enabled on JDK " + Runtime.version().feature()
                    + " (JavaCPP's System.load prints a restricted-method warning)",
                    "run java with --enable-native-access=ALL-UNNAMED (java -jar reads Enable-Native-Access from the manifest)"));
        }
        boolean refused = !Settings.valid();
        findings.add(new Finding(refused ? "FAIL" : "ok", "cymem4j.* properties: " + Settings.describe(),
                refused ? "correct each value named (README, System properties) and restart the JVM" : ""));
        try (Pool pool = Pool.open()) {
            pool.free(pool.alloc(1, 64));
            findings.add(new Finding("ok", "native library: loaded from " + Pools.nativeLibrary()
                    + ", a pool allocated and freed", ""));
        } catch (IllegalArgumentException e) {
            if (!refused) { // a refused property is the finding above, not the library's
                findings.add(new Finding("FAIL", "pool open: " + e.getMessage(), ""));
            }
        } catch (RuntimeException | LinkageError e) {
            findings.add(new Finding("FAIL", "native library: " + e,
                    "the jar and the JavaCPP jars (javacpp and javacpp-linux-x86_64) must be on the class path"));
        }
        String configured = Info.configuredAllocator();
        findings.add(configured.startsWith("unusable")
                ? new Finding("FAIL", "configured allocator: " + configured,
                        "fix -Dcymem4j.allocator / CYMEM4J_ALLOCATOR / cymem4j.properties, or remove it to use the system allocator")
                : new Finding("ok", "configured allocator: " + configured, ""));
        for (Map.Entry<String, String> e : Info.backends().entrySet()) {
            if (e.getValue().equals("available")) {
                findings.add(new Finding("ok", "allocator " + e.getKey() + ": available", ""));
            } else {
                findings.add(new Finding("warn", "allocator " + e.getKey() + ": " + e.getValue(),
                        "only needed if you choose it; the message says which file and package"));
            }
        }
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        if (!tunables.contains("glibc.rtld.optional_static_tls")) {
            findings.add(new Finding("warn", "GLIBC_TUNABLES has no glibc.rtld.optional_static_tls",
                    "to use jemalloc, start the JVM with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 "
                            + "(Debian's jemalloc needs static TLS that glibc reserves only at start-up)"));
        }
        findings.add(addressSpace(limits));
        return findings;
    }

    /** {@code ulimit -v}: a small address-space limit makes large pools fail early. */
    static Finding addressSpace(Path limits) {
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max address space")) {
                    String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
                    if (soft.equals("unlimited")) {
                        return new Finding("ok", "address space (ulimit -v): unlimited", "");
                    }
                    return new Finding("warn", "address space (ulimit -v): limited to " + soft + " bytes",
                            "the JVM and native pools share it; raise it with ulimit -v unlimited if allocations fail");
                }
            }
            return new Finding("warn", "address space: no 'Max address space' line in " + limits, "");
        } catch (IOException e) {
            return new Finding("warn", "address space: cannot read " + limits + " (" + e.getMessage() + ")", "");
        }
    }
}
