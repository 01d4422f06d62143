package org.cymem4j.internal.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform with no native library (simulated with JavaCPP's {@code -Dorg.bytedeco.javacpp.platform}): the first use
 * of cymem4j throws an {@link UnsatisfiedLinkError} that names the platform, lists the platforms whose library the
 * class path holds (found in its jars and directories, here the suite's jar plus two made up for the test) and says
 * how to add one.
 */
class MissingPlatformTest {
    private static final String DIR = "org/cymem4j/internal/jni/";

    @TempDir
    Path tmp;

    /** A directory with DIR/linux-riscv64/libjnicymem4j.so, as an exploded build has it. */
    private Path exploded() throws IOException {
        Path dir = tmp.resolve("exploded");
        Path so = dir.resolve(DIR + "linux-riscv64/libjnicymem4j.so");
        Files.createDirectories(so.getParent());
        Files.write(so, new byte[] {0x7f, 'E', 'L', 'F'});
        return dir;
    }

    /** A classifier jar as Maven makes it (directory entries included) holding DIR/linux-s390x/libjnicymem4j.so. */
    private Path classifierJar() throws IOException {
        Path jar = tmp.resolve("cymem4j-linux-s390x.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String d : List.of("org/", "org/cymem4j/", "org/cymem4j/internal/", DIR, DIR + "linux-s390x/")) {
                out.putNextEntry(new JarEntry(d));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(DIR + "linux-s390x/libjnicymem4j.so"));
            out.write(new byte[] {0x7f, 'E', 'L', 'F'});
            out.closeEntry();
            // Another library of the platform's directory is not cymem4j's: it must not count.
            out.putNextEntry(new JarEntry(DIR + "linux-s390x/libother.so"));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void shippedPlatformsAreReadFromTheJarsAndDirectoriesOfTheClassPath() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {exploded().toUri().toURL(),
                classifierJar().toUri().toURL()}, getClass().getClassLoader())) {
            SortedSet<String> platforms = NativeFiles.shippedPlatforms(loader, DIR, "jnicymem4j");
            // The suite's jar (parent loader) carries linux-x86_64; the two others come from the files above.
            assertEquals(List.of("linux-riscv64", "linux-s390x", "linux-x86_64"), List.copyOf(platforms));
            assertEquals(List.of("linux-x86_64"), List.copyOf(NativeFiles.shippedPlatforms(getClass().getClassLoader(),
                    DIR, "jnicymem4j")));
            assertEquals(List.of(), List.copyOf(NativeFiles.shippedPlatforms(loader, DIR, "nosuchlibrary")));
        }
    }

    @Test
    void firstUseOnAPlatformWithoutALibraryNamesItListsTheShippedOnesAndSaysHowToAddOne() throws Exception {
        String extra = exploded() + File.pathSeparator + classifierJar();
        ChildJvm.Result r = ChildJvm.run(MissingPlatformMain.class, List.of(
                "-Dorg.bytedeco.javacpp.platform=linux-ppc64le", "-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("cache")),
                Map.of(), extra, tmp);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("threw java.lang.UnsatisfiedLinkError", lines.get(0), r.out());
        String message = lines.get(1);
        assertTrue(message.startsWith("cymem4j has no native library for this platform, linux-ppc64le (os.name Linux,"
                + " os.arch "), message);
        assertTrue(message.contains("holds org/cymem4j/internal/jni/linux-ppc64le/libjnicymem4j.so."), message);
        assertTrue(message.contains("Platforms on this class path: linux-riscv64, linux-s390x, linux-x86_64."), message);
        assertTrue(message.contains("org.cymem4j:cymem4j:" + System.getProperty("cymem4j.expectedVersion",
                "0.1.0-SNAPSHOT") + ":linux-ppc64le"), message);
        assertTrue(message.contains("org.cymem4j:cymem4j-platform"), message);
        assertTrue(message.contains("./mvnw install -Djavacpp.platform=linux-ppc64le"), message);
        assertEquals(2, lines.size(), r.out());
    }
}
