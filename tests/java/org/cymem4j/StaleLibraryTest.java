package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Comparator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Loader;
import org.cymem4j.internal.extract.NativeFiles;
import org.cymem4j.internal.jni.NativeLib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two different builds of {@code cymem4j.jar}: the same file name, the same entry time stamps (as a reproducible
 * build makes them) and a {@code libjnicymem4j.so} of the same size that differs in one byte (in its unloaded
 * {@code .comment} section, so both load). JavaCPP's own cache, keyed by the jar's file name and checked by size and
 * time, hands the second build the first one's library; cymem4j's loader never does.
 */
class StaleLibraryTest {
    private static final long BUILD_TIME = 1_577_836_800_000L; // 2020-01-01, like project.build.outputTimestamp
    private static final String SO = "org/cymem4j/internal/jni/" + Loader.getPlatform() + "/libjnicymem4j.so";

    @TempDir
    Path dir;

    private static Path classesDir() throws Exception {
        Path source = Path.of(NativeLib.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // The suite runs against target/cymem4j.jar; the classes it was packed from are beside it.
        Path classes = Files.isDirectory(source) ? source : source.resolveSibling("classes");
        assertTrue(Files.isRegularFile(classes.resolve(SO)), "no " + SO + " under " + classes);
        return classes;
    }

    /** The built library with the first byte of its "GCC: (" compiler note changed: same size, other content. */
    private static byte[] otherBuild(byte[] so) {
        byte[] copy = so.clone();
        byte[] marker = "GCC: (".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= copy.length; i++) {
            boolean match = true;
            for (int j = 0; j < marker.length && match; j++) {
                match = copy[i + j] == marker[j];
            }
            if (match) {
                copy[i] = 'g';
                return copy;
            }
        }
        throw new AssertionError("no compiler note in libjnicymem4j.so");
    }

    /** dir/cymem4j.jar with every file of classes, every entry stamped BUILD_TIME, the library replaced by so. */
    private static Path jar(Path dir, Path classes, byte[] so) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("cymem4j.jar");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            for (Path f : files) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                JarEntry e = new JarEntry(name);
                e.setTime(BUILD_TIME);
                jos.putNextEntry(e);
                jos.write(name.equals(SO) ? so : Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
        return jar;
    }

    /** The child's class path: the jar, JavaCPP's jars, and the test classes (for StaleLibraryMain). */
    private static String classPath(Path jar) throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(jar.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("javacpp")) {
                cp.add(entry);
            }
        }
        cp.add(Path.of(StaleLibraryMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, cp);
    }

    private static String[] loadFrom(Path jar, Path cache) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dorg.bytedeco.javacpp.cachedir=" + cache, "-cp",
                classPath(jar), StaleLibraryMain.class.getName());
        Path err = Files.createTempFile(cache.getParent(), "child", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), () -> out + "\n" + readQuietly(err));
        String[] parts = out.split(" ");
        assertEquals(2, parts.length, out);
        return parts;
    }

    @Test
    void shouldLoadEachBuildsOwnLibraryFromOneCacheDirectory() throws Exception {
        byte[] soA = Files.readAllBytes(classesDir().resolve(SO));
        byte[] soB = otherBuild(soA);
        assertEquals(soA.length, soB.length);
        Path jarA = jar(dir.resolve("a"), classesDir(), soA);
        Path jarB = jar(dir.resolve("b"), classesDir(), soB);
        Path cache = dir.resolve("cache");

        String[] first = loadFrom(jarA, cache);
        assertEquals(NativeFiles.sha256(soA), first[1], "build A's library");
        String[] second = loadFrom(jarB, cache);
        assertEquals(NativeFiles.sha256(soB), second[1], "build B's library, not A's from the cache");
        assertNotEquals(first[0], second[0]);
        assertTrue(Path.of(second[0]).getParent().getFileName().toString()
                .matches("cymem4j-dev-" + NativeFiles.sha256(soB).substring(0, 16)), second[0]);
        // Build A again: its own file, still there and unchanged.
        assertEquals(NativeFiles.sha256(soA), loadFrom(jarA, cache)[1]);
        // JavaCPP's entry for "cymem4j.jar" now points at the file that was loaded.
        Path javacppEntry = cache.resolve("cymem4j.jar").resolve(SO);
        assertEquals(Path.of(first[0]).toRealPath(), javacppEntry.toRealPath());
    }

    @Test
    void shouldShowThatJavaCppsCacheAloneServesTheFirstBuild() throws Exception {
        byte[] soA = Files.readAllBytes(classesDir().resolve(SO));
        byte[] soB = otherBuild(soA);
        Path jarA = jar(dir.resolve("a"), classesDir(), soA);
        Path jarB = jar(dir.resolve("b"), classesDir(), soB);
        // Loader.cacheResource is what Loader.load uses for a library inside a jar (this JVM's cache directory, from
        // which an earlier run's entry is removed first).
        deleteTree(Loader.getCacheDir().toPath().resolve("cymem4j.jar"));
        File fromA = Loader.cacheResource(URI.create("jar:" + jarA.toUri() + "!/" + SO).toURL());
        File fromB = Loader.cacheResource(URI.create("jar:" + jarB.toUri() + "!/" + SO).toURL());
        assertEquals(fromA, fromB, "one cache entry for both jars");
        assertArrayEquals(soA, Files.readAllBytes(fromB.toPath()), "build B would have loaded build A's library");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
