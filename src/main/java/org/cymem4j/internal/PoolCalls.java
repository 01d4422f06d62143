package org.cymem4j.internal;

import org.cymem4j.internal.jni.NativePool;

/**
 * The native calls behind {@code Pool.alloc} and {@code Pool.free}, the library's hottest path. This is the JDK 17
 * version: JNI through {@link NativePool}. A jar built on JDK 22 or later also carries a version of this class in
 * {@code META-INF/versions/22} that makes the same calls as FFM critical downcalls where it may (see there); the
 * results are the same, only the cost of the call differs.
 */
public final class PoolCalls {
    private PoolCalls() {
    }

    /** {@code cym_j_pool_alloc}: the block's address, or {@code -status}. */
    public static long alloc(long pool, long count, long size) {
        return NativePool.cym_j_pool_alloc(pool, count, size);
    }

    /** {@code cym_j_pool_free}: the freed block's size, or {@code -status}. */
    public static long free(long pool, long address) {
        return NativePool.cym_j_pool_free(pool, address);
    }

    /** Zeroes {@code bytes} at {@code address} (a block {@link BlockCache} serves again): one JNI call on JDK 17. */
    public static void zero(long address, long bytes) {
        NativePool.cym_j_memset(address, 0, bytes);
    }

    /** How the calls are made, for {@code cymem4j info}. */
    public static String description() {
        return "JNI (FFM critical downcalls need JDK 22+)";
    }
}
