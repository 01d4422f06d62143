package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_strided.h}: the strided kernels over views encoded as one {@code long[]} descriptor,
 * {@code [data_address, dtype, ndim, shape..., strides... (bytes), has_suboffsets, suboffsets... if any]}. Results
 * are the one bridge encoding, a value {@code >= 0} or {@code -status}: 0 or {@code -status}, and for
 * {@code cym_j_strided_equal} 1, 0 or {@code -status}. No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeStrided {
    static {
        Loader.load();
    }

    private NativeStrided() {
    }

    public static native int cym_j_strided_copy(@Cast("const int64_t*") long[] dst, @Cast("const int64_t*") long[] src);

    public static native int cym_j_strided_cast(@Cast("const int64_t*") long[] dst, @Cast("const int64_t*") long[] src);

    public static native int cym_j_strided_fill(@Cast("const int64_t*") long[] dst, @Cast("int64_t") long valueBits);

    public static native int cym_j_strided_equal(@Cast("const int64_t*") long[] a, @Cast("const int64_t*") long[] b);
}
