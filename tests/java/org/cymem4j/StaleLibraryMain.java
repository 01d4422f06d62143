package org.cymem4j;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cymem4j.internal.extract.NativeFiles;

/**
 * Run in a child JVM by {@link StaleLibraryTest} with a cymem4j jar on the class path: prints the file the JNI library
 * was loaded from and the SHA-256 of that file, after using a pool (so the library really works).
 */
public final class StaleLibraryMain {
    private StaleLibraryMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.open()) {
            pool.alloc(1, 64);
        }
        Path loaded = Path.of(Pools.nativeLibrary());
        System.out.println(loaded + " " + NativeFiles.sha256(Files.readAllBytes(loaded)));
    }
}
