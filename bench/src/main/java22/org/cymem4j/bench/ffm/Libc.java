package org.cymem4j.bench.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** FFM downcalls of libc {@code calloc} and {@code free}: the "call C's allocator from Java without JNI" baseline. */
@SuppressWarnings("restricted") // the downcalls are the point of this baseline; the JVM runs with native access on
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();

    static final MethodHandle CALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("calloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));

    private Libc() {
    }

    static long calloc(long count, long size) {
        try {
            long p = (long) CALLOC.invokeExact(count, size);
            if (p == 0) {
                throw new OutOfMemoryError("calloc(" + count + ", " + size + ")");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void free(long p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
