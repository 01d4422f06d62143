package org.cymem4j.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a main class in a fresh JVM with this test run's class path, for what is decided once per process (the
 * configured allocator, leak-detection level): same {@code java}, native access enabled, same JavaCPP cache.
 */
public final class ChildJvm {
    /** Exit code, standard output (trimmed) and standard error of a child JVM. */
    public record Result(int exit, String out, String err) {
    }

    private ChildJvm() {
    }

    /**
     * @param mainClass the class whose {@code main} runs
     * @param jvmFlags extra JVM flags (system properties)
     * @param env environment variables to set (CYMEM4J_ALLOCATOR is removed unless given here)
     * @param extraClassPath prepended to the class path, or null
     * @param dir where the output files go
     */
    public static Result run(Class<?> mainClass, List<String> jvmFlags, Map<String, String> env, String extraClassPath,
            Path dir) throws IOException, InterruptedException {
        return run(mainClass, jvmFlags, env, extraClassPath, dir, true);
    }

    /** {@link #run(Class, List, Map, String, Path)}, with or without {@code --enable-native-access=ALL-UNNAMED}. */
    public static Result run(Class<?> mainClass, List<String> jvmFlags, Map<String, String> env, String extraClassPath,
            Path dir, boolean nativeAccess) throws IOException, InterruptedException {
        String cp = System.getProperty("java.class.path");
        return run(mainClass, jvmFlags, env, List.of(), extraClassPath == null ? cp : extraClassPath + File.pathSeparator
                + cp, dir, nativeAccess);
    }

    /**
     * This run's class path without the entries whose path contains {@code fragment} (for example
     * {@code "lwjgl-jemalloc"}), with {@code extra} (may be null) in front.
     */
    public static String classPathWithout(String fragment, String extra) {
        List<String> kept = new ArrayList<>();
        if (extra != null) {
            kept.add(extra);
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains(fragment)) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /**
     * The general form: {@code unsetEnv} names environment variables the child must not have (even those this class
     * sets by default, such as {@code GLIBC_TUNABLES}); {@code classPath} is the child's whole class path.
     */
    public static Result run(Class<?> mainClass, List<String> jvmFlags, Map<String, String> env, List<String> unsetEnv,
            String classPath, Path dir, boolean nativeAccess) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (nativeAccess) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("CYMEM4J_ALLOCATOR");
        pb.environment().put("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=16384");
        pb.environment().putAll(env);
        unsetEnv.forEach(pb.environment()::remove);
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        int exit = pb.start().waitFor();
        return new Result(exit, Files.readString(out, StandardCharsets.UTF_8).trim(),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
