package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.cymem4j.testing.ChildJvm;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every program under {@code examples/} runs the README's way,
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/cymem4j.jar org.cymem4j.examples.<Name>}: in a child JVM
 * whose class path is the packaged jar alone (its manifest brings JavaCPP from {@code lib/} beside it), it exits 0, writes
 * nothing to standard error, and prints what the example prints in process (which the per-example tests check
 * against the seeds).
 */
class ExampleMainsTest {
    /** Each example, and what its {@code main} prints (its {@code run} on standard output). */
    private static final Map<Class<?>, Consumer<PrintStream>> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put(PoolOverview.class, PoolOverview::run);
        EXAMPLES.put(ManualAllocation.class, ManualAllocation::run);
        EXAMPLES.put(RandomNoise.class, out -> RandomNoise.run(out, 42));
        EXAMPLES.put(SomeMemory.class, SomeMemory::run);
        EXAMPLES.put(MatrixArray.class, MatrixArray::run);
        EXAMPLES.put(PointersAndManualFree.class, PointersAndManualFree::run);
        EXAMPLES.put(CustomAllocators.class, CustomAllocators::run);
        EXAMPLES.put(ArrayOperations.class, ArrayOperations::run);
        EXAMPLES.put(MemoryViews.class, MemoryViews::run);
        EXAMPLES.put(MemoryViewLayouts.class, MemoryViewLayouts::run);
        EXAMPLES.put(MemoryViewSources.class, MemoryViewSources::run);
        EXAMPLES.put(ArraysAndBuffers.class, ArraysAndBuffers::run);
    }

    @TempDir
    Path dir;

    /** The packaged jar the suite runs against ({@code target/cymem4j.jar}). */
    private static String jar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("cymem4j.jar")) {
                return entry;
            }
        }
        throw new AssertionError("the tests run against the packaged jar, not found in "
                + System.getProperty("java.class.path"));
    }

    @Test
    void everyProgramInTheExamplesPackageIsListedAndHasAMain() throws IOException, ReflectiveOperationException {
        TreeSet<String> inJar = new TreeSet<>();
        try (JarFile file = new JarFile(jar())) {
            String dirName = "org/cymem4j/examples/";
            file.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith(dirName) && name.endsWith(".class") && !name.contains("$")
                            && name.indexOf('/', dirName.length()) < 0)
                    .forEach(name -> inJar.add(name.substring(0, name.length() - ".class".length()).replace('/', '.')));
        }
        TreeSet<String> listed = new TreeSet<>();
        EXAMPLES.keySet().forEach(c -> listed.add(c.getName()));
        assertEquals(inJar, listed, "every class under examples/ is run by this test");
        for (Class<?> c : EXAMPLES.keySet()) {
            Method main = c.getMethod("main", String[].class);
            assertTrue(Modifier.isPublic(main.getModifiers()) && Modifier.isStatic(main.getModifiers()), c.getName());
            assertEquals(void.class, main.getReturnType(), c.getName());
        }
    }

    /**
     * The README's layout, {@code target/cymem4j.jar} beside {@code target/lib/} with the jars its manifest's
     * {@code Class-Path} names, rebuilt in {@code dir} (the suite runs in the package phase, before the build fills
     * {@code target/lib}): the packaged jar and, from this run's class path, each jar the manifest names.
     */
    private static Path readmeLayout(Path dir) throws IOException {
        Path jar = Path.of(jar());
        Path target = Files.createDirectories(dir.resolve("target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        Files.copy(jar, target.resolve("cymem4j.jar"));
        String classPath;
        try (JarFile file = new JarFile(jar.toFile())) {
            classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
        }
        assertTrue(classPath != null && !classPath.isBlank(), "the jar's manifest names its runtime jars");
        for (String entry : classPath.trim().split("\\s+")) {
            assertTrue(entry.startsWith("lib/"), entry);
            String name = entry.substring("lib/".length());
            Path found = null;
            for (String cp : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (Path.of(cp).getFileName().toString().equals(name)) {
                    found = Path.of(cp);
                }
            }
            assertTrue(found != null, name + " (named by the manifest) is not on this run's class path");
            Files.copy(found, lib.resolve(name));
        }
        return target.resolve("cymem4j.jar");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRunsAsTheReadmeSays() throws IOException {
        String jar = readmeLayout(dir).toString();
        return EXAMPLES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().getSimpleName(), () -> {
            // the seeds print Chinese text (ArrayOperations): ask for UTF-8 on standard output on JDK 17 and 18+
            ChildJvm.Result r = ChildJvm.run(e.getKey(), List.of("-Dsun.stdout.encoding=UTF-8",
                    "-Dstdout.encoding=UTF-8"), Map.of(), List.of(), jar, dir, true);
            assertEquals(0, r.exit(), e.getKey().getSimpleName() + " failed:\n" + r.out() + "\n" + r.err());
            assertTrue(r.err().isBlank(), "standard error of " + e.getKey().getSimpleName() + ":\n" + r.err());
            String expected = Printed.text(e.getValue()).trim();
            assertTrue(expected.lines().count() >= 2, expected);
            assertEquals(expected, r.out());
        }));
    }
}
