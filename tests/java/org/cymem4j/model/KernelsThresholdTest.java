package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C strided kernels through the public API with the Java/C threshold forced both ways: the same seeded cases
 * ({@link KernelsContractMain}) run in a JVM with {@code -Dcymem4j.view.nativeThreshold=0} (every whole-view
 * operation goes to C) and one with {@code Long.MAX_VALUE} (every one is walked in Java); each checks every result
 * element by element and both must print the same digest, which this JVM (the default threshold, 16: views of 1 to
 * 343 elements fall on both sides) must print too. The threshold is a static final read once per JVM, hence the
 * child JVMs.
 */
class KernelsThresholdTest {
    @TempDir
    Path dir;

    private String digest(String threshold) throws Exception {
        ChildJvm.Result r = ChildJvm.run(KernelsContractMain.class,
                List.of("-Dcymem4j.view.nativeThreshold=" + threshold), Map.of(), null, dir);
        assertEquals(0, r.exit(), "threshold " + threshold + ":\n" + r.out() + "\n" + r.err());
        assertTrue(r.out().endsWith("KERNELS OK"), r.out());
        return r.out().lines().filter(l -> l.startsWith("digest=")).findFirst().orElseThrow();
    }

    @Test
    void shouldGiveTheSameResultsThroughTheCKernelsAndTheJavaLoops() throws Exception {
        String alwaysC = digest("0");
        String alwaysJava = digest(Long.toString(Long.MAX_VALUE));
        assertEquals(alwaysC, alwaysJava, "C kernels and Java loops disagree");
        assertEquals(alwaysC, "digest=" + KernelsContractMain.run(15, 400), "the default threshold disagrees");
    }
}
