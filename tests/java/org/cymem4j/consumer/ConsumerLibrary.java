package org.cymem4j.consumer;

import org.cymem4j.Pools;

/**
 * The JNI entry points of {@code libcymconsumer.so} (tests/consumer): a native library built against the packaged
 * {@code cymem4j.h} and {@code libjnicymem4j.so}, as an application's own native code would be. Statuses are
 * {@code cym_status} values (0 is success); addresses from {@link #adoptMalloc} are {@code -status} on failure.
 */
final class ConsumerLibrary {
    /** The path the library was loaded from ({@code -Dcymem4j.consumer.library}, set by pom.xml). */
    static final String PATH = System.getProperty("cymem4j.consumer.library");

    static {
        if (PATH == null) {
            throw new IllegalStateException("-Dcymem4j.consumer.library is not set (pom.xml sets it for Surefire)");
        }
        // cymem4j's library first: the consumer's DT_NEEDED entry then binds to this copy (its SONAME matches).
        Pools.nativeLibrary();
        System.load(PATH);
    }

    private ConsumerLibrary() {
    }

    static native int fill(long pool, int count, long size);

    static native long adoptMalloc(long pool, long size);

    static native long adoptedFrees();

    static native int fillParallel(long pool, int threads, int perThread, long size);

    static native int free(long pool, long address);

    static native int realloc(long pool, long address, long size);

    static native int libraryVersion();

    static native int headerVersion();

    static native String defaultAllocatorName();

    static native String corePath();
}
