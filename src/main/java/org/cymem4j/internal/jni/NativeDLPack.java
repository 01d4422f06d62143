package org.cymem4j.internal.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * Binding of {@code jbridge_dlpack.h}: DLPack export of pool blocks, and reading and deleting managed tensors made
 * elsewhere. Results are the one bridge encoding, a value {@code >= 0} or {@code -status}. No logic here.
 */
@NoException
@Properties(inherit = NativeLib.class)
public final class NativeDLPack {
    static {
        Loader.load();
    }

    private NativeDLPack() {
    }

    public static native @Cast("int64_t") long cym_j_dlpack_export(@Cast("int64_t") long pool,
            @Cast("int64_t") long block, @Cast("int64_t") long byteOffset, @Cast("const int64_t*") long[] request);

    public static native int cym_j_dlpack_describe(@Cast("int64_t") long tensor, int versioned,
            @Cast("int64_t*") long[] out);

    public static native int cym_j_dlpack_delete(@Cast("int64_t") long tensor, int versioned);

    public static native @Cast("int64_t") long cym_j_dlpack_live_exports();

    public static native @Cast("int64_t") long cym_j_pool_pinned(@Cast("int64_t") long pool,
            @Cast("int64_t") long address);
}
