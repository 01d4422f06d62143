package org.cymem4j.view;

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
 * The DLPack round trips ({@link DLPackAsanMain}) in a child JVM with AddressSanitizer's runtime preloaded and, with
 * {@code -Dcymem4j.model.asanClasses} (the -Pasan profile sets it), the ASan+UBSan build of {@code libjnicymem4j.so}
 * ahead of the jar, as {@code org.cymem4j.model.ModelAsanRun} runs the model. Run by name, as .ci/run does:
 * {@code ./mvnw -B -Pasan verify -DskipNativeTests -Dtest=DLPackAsanRun -Dasan.runtime="$(gcc -print-file-name=libasan.so)"}.
 */
class DLPackAsanRun {
    @TempDir
    Path dir;

    @Test
    void shouldRoundTripEveryTypeAndLayoutUnderAddressSanitizer() throws Exception {
        String runtime = System.getProperty("asan.runtime");
        assertTrue(runtime != null && !runtime.isEmpty(),
                "run with -Dasan.runtime=$(gcc -print-file-name=libasan.so) (the -Pasan profile's property)");
        assertTrue(Files.isRegularFile(Path.of(runtime)), "asan.runtime is not a file: " + runtime);
        String asanClasses = System.getProperty("cymem4j.model.asanClasses");
        ChildJvm.Result r = ChildJvm.run(DLPackAsanMain.class,
                List.of("-Dcymem4j.dlpack.testLibrary=" + DLPackTestLibrary.PATH, "-Dcymem4j.leakDetection=disabled"),
                Map.of("LD_PRELOAD", runtime,
                        "ASAN_OPTIONS", "handle_segv=0:detect_leaks=0:abort_on_error=1:allocator_may_return_null=1",
                        "UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"),
                asanClasses == null || asanClasses.isEmpty() ? null : asanClasses, dir);
        String all = r.out() + "\n" + r.err();
        assertFalse(all.contains("ERROR: AddressSanitizer"), all);
        assertFalse(all.contains("runtime error:"), all);
        assertEquals(0, r.exit(), "the DLPack run under ASan failed (exit " + r.exit() + "):\n" + all);
        assertTrue(r.out().endsWith("DLPACK OK"), r.out());
        System.out.println("under ASan: " + r.out());
    }
}
