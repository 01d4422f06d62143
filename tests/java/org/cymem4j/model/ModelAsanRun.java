package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-based test ({@link ModelMain}) in a child JVM with AddressSanitizer's runtime preloaded, as the -Pasan
 * profile runs NativeConsumerTest: ASan's malloc, free, memset and memmove then check every native free and bulk
 * access in the process (double and invalid frees, bulk writes past a block into its redzone), including those
 * the uninstrumented core makes. Its name keeps it out of Surefire's default includes (a skipped test would print
 * a [WARNING] line, which .ci/run fails on); it runs when asked for by name, as .ci/run does:
 * {@code ./mvnw -B -Pasan verify -DskipNativeTests -Dtest=NativeConsumerTest,ModelAsanRun
 * -Dasan.runtime="$(gcc -print-file-name=libasan.so)"} (op count: {@code -Dcymem4j.model.asanOps}, default
 * 100000; seed: {@code -Dcymem4j.model.seed}). Asked for without {@code -Dasan.runtime}, it fails.
 *
 * <p>The core inside {@code libjnicymem4j.so} is not itself built with sanitizers (see README, "How it is tested").
 * {@code -Dcymem4j.model.asanClasses=<dir>} puts a directory ahead of the class path of the child JVM, so a build
 * that stages an ASan+UBSan {@code org/cymem4j/internal/jni/linux-x86_64/libjnicymem4j.so} there is what the model
 * run loads.
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
        long ops = Long.getLong("cymem4j.model.asanOps", 100_000);
        long seed = ModelHarness.seedFromProperties();
        ChildJvm.Result r = ChildJvm.run(ModelMain.class,
                List.of("-D" + ModelHarness.SEED_PROPERTY + "=" + seed, "-D" + ModelHarness.OPS_PROPERTY + "=" + ops,
                        "-Dcymem4j.leakDetection=disabled"),
                Map.of("LD_PRELOAD", runtime,
                        // the JVM handles its own SIGSEGVs; it never frees everything; huge requests return NULL
                        "ASAN_OPTIONS", "handle_segv=0:detect_leaks=0:abort_on_error=1:allocator_may_return_null=1",
                        "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
                System.getProperty("cymem4j.model.asanClasses"), dir);
        String all = r.out() + "\n" + r.err();
        assertFalse(all.contains("ERROR: AddressSanitizer"), all);
        assertFalse(all.contains("runtime error:"), all);
        assertEquals(0, r.exit(), "the model run under ASan failed (exit " + r.exit() + "):\n" + all);
        assertTrue(r.out().endsWith("MODEL OK"), r.out());
        System.out.println("under ASan: " + r.out());
    }
}
