package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_constants.h}: the constants C shares with Java, asked for by their C names, and the
 * status texts, so that a test can compare every Java copy with C's value. Results are the one bridge encoding, a
 * value {@code >= 0} or {@code -status}. No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeConstants {
    static {
        Loader.load();
    }

    private NativeConstants() {
    }

    /** The value of the C constant {@code name} ({@code "CYM_ENOMEM"}, ...), or {@code -CYM_EINVAL} if C shares none. */
    public static native @Cast("int64_t") long cym_j_constant(String name);

    /** Copies {@code cym_status_message(status)} into {@code out}; its full length, or {@code -CYM_EINVAL}. */
    public static native @Cast("int64_t") long cym_j_status_message(int status, @Cast("char*") byte[] out,
            @Cast("int64_t") long len);
}
