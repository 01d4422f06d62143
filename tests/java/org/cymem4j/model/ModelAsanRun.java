package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-based test ({@link ModelMain}) in a child JVM with AddressSanitizer's runtime preloaded, as the -Pasan
 * profile runs NativeConsumerTest. Its name keeps it out of Surefire's default includes (a skipped test would print
 * a [WARNING] line, which .ci/run fails on); it runs when asked for by name, as .ci/run does:
 * {@code ./mvnw -B -Pasan verify -DskipNativeTests -Dtest=NativeConsumerTest,ModelAsanRun
 * -Dasan.runtime="$(gcc -print-file-name=libasan.so)"} (op count: {@code -Dcymem4j.model.asanOps}, default
 * 100000; seed: {@code -Dcymem4j.model.seed}). Asked for without {@code -Dasan.runtime}, it fails.
 *
 * <p>{@code -Dcymem4j.model.asanClasses=<dir>} puts a directory ahead of the class path of the child JVM: the -Pasan
 * profile passes {@code target/asan-classes}, where it stages a {@code libjnicymem4j.so} (under
 * {@code org/cymem4j/internal/jni/linux-x86_64/}) whose C core and JavaCPP glue are compiled with
 * {@code -fsanitize=address,undefined -fno-sanitize-recover}: every load and store of the core is then checked
 * (overruns of a block, use after free) and undefined behaviour ends the run with a UBSan report. The test checks that
 * the library there is instrumented and that it is the one the child loaded. Without the property the child loads
 * the jar's uninstrumented library, and ASan sees only its malloc, free, memset and memmove calls.
 */
class ModelAsanRun {
    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithTheModelUnderAddressSanitizer() throws Exception {
        String runtime = System.getProperty("asan.runtime");
        assertTrue(runtime != null && !runtime.isEmpty(),
                "run with -Dasan.runtime=$(gcc -print-file-name=libasan.so) (the -Pasan profile's property)");
        assertTrue(Files.isRegularFile(Path.of(runtime)), "asan.runtime is not a file: " + runtime);
        String asanClasses = System.getProperty("cymem4j.model.asanClasses");
        Path library = null;
        if (asanClasses != null && !asanClasses.isEmpty()) {
            library = Path.of(asanClasses, "org/cymem4j/internal/jni/linux-x86_64/libjnicymem4j.so");
            assertTrue(Files.isRegularFile(library), "cymem4j.model.asanClasses has no JNI library: " + library);
            // Undefined dynamic symbols only an instrumented build references (their names are in .dynstr), and the
            // core's source file names, which the ASan tree's core (Debug, UBSan's source locations) brings and the
            // Release core linked into the jar's library does not: the glue alone instrumented is not enough.
            String bytes = new String(Files.readAllBytes(library), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("__asan_report_") && bytes.contains("__ubsan_handle_"),
                    library + " is not built with -fsanitize=address,undefined");
            assertTrue(bytes.contains("src/main/native/pool.c"),
                    library + " does not hold the core of the ASan tree (target/native-asan)");
        }
        long ops = Long.getLong("cymem4j.model.asanOps", 100_000);
        long seed = ModelHarness.seedFromProperties();
        ChildJvm.Result r = ChildJvm.run(ModelMain.class,
                List.of("-D" + ModelHarness.SEED_PROPERTY + "=" + seed, "-D" + ModelHarness.OPS_PROPERTY + "=" + ops,
                        "-Dcymem4j.leakDetection=disabled"),
                Map.of("LD_PRELOAD", runtime,
                        // the JVM handles its own SIGSEGVs; it never frees everything; huge requests return NULL
                        "ASAN_OPTIONS", "handle_segv=0:detect_leaks=0:abort_on_error=1:allocator_may_return_null=1",
                        "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
                asanClasses, dir);
        String all = r.out() + "\n" + r.err();
        assertFalse(all.contains("ERROR: AddressSanitizer"), all);
        assertFalse(all.contains("runtime error:"), all);
        assertEquals(0, r.exit(), "the model run under ASan failed (exit " + r.exit() + "):\n" + all);
        assertTrue(r.out().endsWith("MODEL OK"), r.out());
        if (library != null) {
            String loaded = r.out().lines().filter(l -> l.startsWith("native library: ")).findFirst()
                    .map(l -> l.substring("native library: ".length())).orElse(null);
            assertTrue(loaded != null && Files.isSameFile(Path.of(loaded), library),
                    "the child loaded " + loaded + ", not the ASan+UBSan build " + library);
        }
        System.out.println((library != null ? "under ASan+UBSan: " : "under ASan: ") + r.out());
    }
}
