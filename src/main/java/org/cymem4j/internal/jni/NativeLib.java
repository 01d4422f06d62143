package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.cymem4j.internal.extract.NativeFiles;

/**
 * The JavaCPP configuration of the one JNI library ({@code libjnicymem4j.so}) that carries the C core:
 * every binding class ({@link NativePool}, {@link NativeStrided}, {@link NativeAllocator},
 * {@link NativeConstants}, {@link NativeMapped}) inherits it, so
 * JavaCPP links them all, with the static {@code cymem4j_core} library, into one shared library under
 * {@code org/cymem4j/internal/linux-x86_64/} in the jar.
 */
@Properties(value = @Platform(
        include = {"jbridge_pool.h", "jbridge_allocator.h", "jbridge_strided.h", "jbridge_constants.h",
                "jbridge_mapped.h", "jbridge_dlpack.h"},
        link = "cymem4j_core",
        library = "jnicymem4j"))
public final class NativeLib {
    private static final String PATH;

    static {
        PATH = NativeFiles.loadJni(NativeLib.class, "jnicymem4j");
    }

    private NativeLib() {
    }

    /** Loads the library (once); returns its file path, for diagnostics. */
    public static String load() {
        return PATH;
    }
}
