package org.cymem4j.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Allocator;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.internal.extract.NativeFiles;
import org.junit.jupiter.api.Test;

/**
 * The JavaCPP runtime this suite runs on is the one asked for ({@code -Djavacpp.runtime.version}, see
 * tests/javacpp-compat.sh), and cymem4j's glue works on it: the library loads, pools allocate, JavaCPP pointers read
 * pool memory, and the C-to-Java callbacks of {@link Allocator#fromJava} (the part of the glue that leans most on
 * JavaCPP's runtime) are called.
 */
class JavaCppRuntimeTest {
    @Test
    void shouldRunOnTheRequestedJavaCppVersion() throws Exception {
        // The jar Loader came from (Loader.getVersion() reads the first javacpp pom.properties on the class path,
        // which need not be Loader's own).
        String jar = Path.of(Loader.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName()
                .toString();
        String expected = System.getProperty("cymem4j.test.javacpp.version");
        if (expected != null) {
            assertEquals("javacpp-" + expected + ".jar", jar);
        } else {
            assertTrue(jar.matches("javacpp-1\\.5\\.\\d+\\.jar"), jar);
        }
    }

    @Test
    void shouldUsePoolsCallbacksAndPointersOnThisRuntime() {
        assertTrue(Pools.nativeLibrary().endsWith("libjnicymem4j.so"), Pools.nativeLibrary());
        Map<Long, Pointer> live = new ConcurrentHashMap<>();
        Allocator traced = Allocator.fromJava("traced", new Allocator.Hooks() {
            @Override
            public long malloc(long size) {
                Pointer p = Pointer.malloc(size);
                live.put(p.address(), p);
                return p.address();
            }

            @Override
            public void free(long address) {
                Pointer.free(live.remove(address));
            }
        });
        try (Pool pool = Pool.open(traced)) {
            long p = pool.alloc(4, 8);
            assertTrue(live.containsKey(p), "the block came from the Java malloc hook, called from C");
            BytePointer bytes = new BytePointer(live.get(p)).capacity(32);
            assertEquals(0, bytes.get(31), "zeroed by the pool");
            pool.free(p);
            assertTrue(!live.containsKey(p), "freed through the Java free hook");
        }
        assertEquals(0, live.size());
    }

    @Test
    void shouldRefuseAJavaCppOlderThanTheOldestSupportedNamingBothVersions() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeFiles.checkJavaCppVersion("1.5.10"));
        assertEquals("cymem4j needs org.bytedeco:javacpp 1.5.11 or later at run time, but the class path has 1.5.10 "
                + "(align it with dependencyManagement: README, \"Living beside JavaCPP presets\")", e.getMessage());
        NativeFiles.checkJavaCppVersion("1.5.11");
        NativeFiles.checkJavaCppVersion("1.5.13");
        NativeFiles.checkJavaCppVersion("1.6.0-SNAPSHOT");
        NativeFiles.checkJavaCppVersion(null);
    }
}
