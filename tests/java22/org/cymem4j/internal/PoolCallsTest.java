package org.cymem4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.Pool;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 22+, which native call {@code Pool.alloc}/{@code free} use. The rest of the suite runs against this class
 * too (see the jdk22 profile in pom.xml), so every pool test on JDK 22+ goes through the critical downcalls where
 * the C side accepts them; tests/native/test_critical.c covers which pools it accepts.
 */
class PoolCallsTest {
    @TempDir
    Path dir;

    /** A child JVM's main: exercises a confined pool, then prints how its calls were made. */
    public static final class Probe {
        public static void main(String[] args) {
            try (Pool pool = Pool.open()) {
                long[] blocks = new long[1000];
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = pool.alloc(1, 64);
                }
                for (long b : blocks) {
                    pool.free(b);
                }
                long b = pool.alloc(2, 32);
                pool.free(b);
                try {
                    pool.free(b);
                    System.out.println("double free accepted");
                } catch (IllegalArgumentException e) {
                    System.out.println("double free refused");
                }
                System.out.println("blocks " + pool.liveBlocks());
            }
            System.out.println(PoolCalls.description());
        }
    }

    @Test
    void criticalDowncallsAreUsedWhenNativeAccessIsEnabled() {
        // Surefire runs with --enable-native-access=ALL-UNNAMED (pom.xml, cymem4j.jvm.flags).
        assertEquals("FFM critical downcalls for pools of plain C allocators, JNI otherwise",
                PoolCalls.description());
    }

    @Test
    void misuseIsRefusedOnTheCriticalPathWithThePoolUnchanged() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1, 64);
            long b = pool.alloc(1, 64);
            pool.free(a);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.free(a));
            assertTrue(e.getMessage().contains(Checks.hex(a)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.free(b + 8));
            assertEquals(1, pool.liveBlocks());
            assertTrue(pool.owns(b));
        }
    }

    @Test
    void withoutNativeAccessTheyAddNoWarningOfTheirOwn() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Probe.class, List.of(), Map.of(), null, dir, false);
        assertEquals(0, r.exit(), r.err());
        if (Runtime.version().feature() >= 24) {
            // JEP 472: restricted methods are allowed with one warning per module, which JavaCPP's System.load
            // has already drawn for the class path's module; the downcalls then add none.
            assertEquals("double free refused\nblocks 0\n"
                    + "FFM critical downcalls for pools of plain C allocators, JNI otherwise", r.out());
            assertEquals(1, r.err().split("A restricted method", -1).length - 1, r.err());
            assertTrue(r.err().contains("java.lang.System::load"), r.err());
        } else {
            assertEquals("double free refused\nblocks 0\n"
                    + "JNI (FFM critical downcalls need --enable-native-access=ALL-UNNAMED)", r.out());
            assertFalse(r.err().contains("restricted method"), r.err());
        }
    }

    @Test
    void thePropertyTurnsTheCriticalCallsOff() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Probe.class, List.of("-Dcymem4j.criticalCalls=false"), Map.of(), null, dir);
        assertEquals(0, r.exit(), r.err());
        assertEquals("double free refused\nblocks 0\nJNI (-Dcymem4j.criticalCalls=false)", r.out());
    }

    @Test
    void withNativeAccessAChildJvmUsesThem() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Probe.class, List.of(), Map.of(), null, dir);
        assertEquals(0, r.exit(), r.err());
        assertEquals("double free refused\nblocks 0\n"
                + "FFM critical downcalls for pools of plain C allocators, JNI otherwise", r.out());
    }
}
