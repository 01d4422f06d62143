package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_mapped.h}: whole files mapped into memory ({@code mmap}), a mapping travelling as a
 * {@code long} handle. Results are the one bridge encoding, a value {@code >= 0} or {@code -status}; sync and close
 * return an {@code errno} ({@code 0}: the data reached the file). No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeMapped {
    static {
        Loader.load();
    }

    private NativeMapped() {
    }

    /** {@code cym_map_mode}: {@code MAP_SHARED}, {@code PROT_READ}. */
    public static final int MAP_READ_ONLY = 0;
    /** {@code MAP_SHARED}, {@code PROT_READ|PROT_WRITE}: writes reach the file. */
    public static final int MAP_READ_WRITE = 1;
    /** {@code MAP_PRIVATE}, {@code PROT_READ|PROT_WRITE}: writes stay in this process. */
    public static final int MAP_COPY_ON_WRITE = 2;

    /** {@code cym_map_call}: where a failed open stopped. */
    public static final int CALL_NONE = 0;
    public static final int CALL_OPEN = 1;
    public static final int CALL_FSTAT = 2;
    public static final int CALL_TYPE = 3;
    public static final int CALL_LENGTH = 4;
    public static final int CALL_MMAP = 5;

    /** Where {@link #cym_j_mapped_open}'s {@code info} holds the failed call's errno. */
    public static final int INFO_ERRNO = 0;
    /** Where {@code info} holds the {@code cym_map_call} a failure stopped at. */
    public static final int INFO_CALL = 1;
    /** Where {@code info} holds the file's length (or -1). */
    public static final int INFO_FILE_SIZE = 2;
    /** The length of {@code info}. */
    public static final int INFO_LENGTH = 3;

    /** {@code path}: NUL-terminated bytes; {@code info}: a {@code long[INFO_LENGTH]}. The handle, or -status. */
    public static native long cym_j_mapped_open(@Cast("const char*") byte[] path, int mode,
            @Cast("int64_t") long minBytes, @Cast("int64_t*") long[] info);

    public static native long cym_j_mapped_address(@Cast("int64_t") long handle);

    public static native long cym_j_mapped_size(@Cast("int64_t") long handle);

    public static native int cym_j_mapped_sync(@Cast("int64_t") long handle);

    public static native int cym_j_mapped_close(@Cast("int64_t") long handle);
}
