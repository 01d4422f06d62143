package org.cymem4j.view;

/**
 * The JNI entry points of {@code libcymdlpacktest.so} (tests/native/dlpack_jni.c): a DLPack consumer and producer
 * compiled only against Debian's {@code <dlpack/dlpack.h>}, so the round trips meet another party's view of the ABI.
 */
final class DLPackTestLibrary {
    /** Where pom.xml built the library ({@code -Dcymem4j.dlpack.testLibrary}). */
    static final String PATH = System.getProperty("cymem4j.dlpack.testLibrary");

    static {
        if (PATH == null) {
            throw new IllegalStateException("-Dcymem4j.dlpack.testLibrary is not set (pom.xml sets it for Surefire)");
        }
        System.load(PATH);
    }

    /** Index of each field in {@link #describe}'s result. */
    static final int MAJOR = 0, FLAGS = 1, DEVICE_TYPE = 2, DEVICE_ID = 3, NDIM = 4, CODE = 5, BITS = 6, LANES = 7,
            BYTE_OFFSET = 8, DATA = 9, SHAPE = 10;

    private DLPackTestLibrary() {
    }

    /** [version major (-1 legacy), flags, device type, id, ndim, code, bits, lanes, byte_offset, data, shape, strides]. */
    static native long[] describe(long tensor, boolean versioned);

    /** Every element as a double (complex: the real part), in C order. */
    static native double[] read(long tensor, boolean versioned);

    /** Writes the elements (C order). */
    static native void write(long tensor, boolean versioned, double[] values);

    static native void callDeleter(long tensor, boolean versioned);

    /** A tensor made in C: values in C order, at the given strides (elements; null: none) and element offset. */
    static native long produce(boolean versioned, long flags, int code, int bits, long[] shape, long[] strides,
            long offsetElements, long spanElements, double[] values);

    /** Spoils a produced tensor: 0 device CUDA, 1 version 2.0, 2 lanes 4, 3 ndim 40. */
    static native void spoil(long tensor, boolean versioned, int which);

    /** Deleter calls of produced tensors so far. */
    static native long deleted();

    static native long mallocFn();

    static native long freeFn();

    /** Frees made through {@link #freeFn()} so far. */
    static native long frees();
}
