package org.cymem4j.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.cymem4j.internal.jni.NativeLib;
import org.cymem4j.internal.jni.NativePool;

/**
 * The native calls behind {@code Pool.alloc} and {@code Pool.free}, JDK 22+ version (a multi-release jar's
 * {@code META-INF/versions/22}): FFM downcalls with {@link Linker.Option#critical(boolean)}, which skip the JVM's
 * thread-state transition and cost about 8 ns less per alloc+free pair than JNI (bench/performance-notes.md).
 *
 * <p>A critical call must not call back into Java or wait long, so the C entry points ({@code
 * cym_j_pool_alloc_critical}, {@code cym_j_pool_free_critical}) serve only pools whose allocator is marked
 * {@code CYM_ALLOCATOR_NO_UPCALLS}, requests up to 64 KiB, and (free) pools without adopted pointers, and they only
 * try a shared pool's lock. For anything else, or a busy lock, they answer {@code EUNSUPPORTED} without touching the
 * pool, and the call goes through JNI as on JDK 17 (where waiting is harmless).
 *
 * <p>Downcalls are restricted methods, used only when {@link Module#isNativeAccessEnabled()} says cymem4j's module
 * may: on JDK 22 and 23 that takes {@code --enable-native-access=ALL-UNNAMED} (or the module's name), and without
 * it every call is JNI, with no warning. From JDK 24 (JEP 472) a module that has made a restricted call under the
 * default {@code --illegal-native-access=warn} (and drawn its one warning) counts as enabled: with JavaCPP and
 * cymem4j both on the class path, JavaCPP's {@code System.load} of the JNI library is that call. On the module path,
 * or with {@code --illegal-native-access=allow}, it takes the flag as on JDK 22. With
 * {@code -Dcymem4j.criticalCalls=false} every call is JNI.
 */
public final class PoolCalls {
    private static final MethodHandle ALLOC, FREE; // both null when the calls are JNI only
    /** Whether this module may make segments at native addresses ({@link #zero} without a call). */
    private static final boolean NATIVE_ACCESS = PoolCalls.class.getModule().isNativeAccessEnabled();
    private static final String DESCRIPTION;
    private static final long NOT_HERE = -NativeStatus.EUNSUPPORTED;

    static {
        MethodHandle alloc = null, free = null;
        String description;
        if (!Settings.CRITICAL_CALLS) {
            description = "JNI (-D" + Settings.CRITICAL_CALLS_PROPERTY + "=false)";
        } else if (!PoolCalls.class.getModule().isNativeAccessEnabled()) {
            description = "JNI (FFM critical downcalls need --enable-native-access="
                    + (PoolCalls.class.getModule().isNamed() ? PoolCalls.class.getModule().getName() : "ALL-UNNAMED")
                    + ")";
        } else {
            try {
                MethodHandle[] handles = downcalls();
                alloc = handles[0];
                free = handles[1];
                description = "FFM critical downcalls for pools of plain C allocators, JNI otherwise";
            } catch (RuntimeException | LinkageError e) {
                description = "JNI (the FFM downcalls could not be linked: " + e + ")";
                System.getLogger("org.cymem4j").log(System.Logger.Level.DEBUG, "cymem4j: " + description, e);
            }
        }
        ALLOC = alloc;
        FREE = free;
        DESCRIPTION = description;
    }

    private PoolCalls() {
    }

    @SuppressWarnings("restricted") // only reached with native access enabled (checked above)
    private static MethodHandle[] downcalls() {
        // The library JavaCPP loaded for the JNI bindings: looking it up by path opens the same copy again.
        SymbolLookup library = SymbolLookup.libraryLookup(Path.of(NativeLib.load()), Arena.global());
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(false);
        ValueLayout.OfLong j = ValueLayout.JAVA_LONG;
        return new MethodHandle[] {
            linker.downcallHandle(library.find("cym_j_pool_alloc_critical").orElseThrow(),
                    FunctionDescriptor.of(j, j, j, j), critical),
            linker.downcallHandle(library.find("cym_j_pool_free_critical").orElseThrow(),
                    FunctionDescriptor.of(j, j, j), critical),
        };
    }

    /** {@code cym_j_pool_alloc}: the block's address, or {@code -status}. */
    public static long alloc(long pool, long count, long size) {
        if (ALLOC != null) {
            long r;
            try {
                r = (long) ALLOC.invokeExact(pool, count, size);
            } catch (Throwable t) {
                throw new AssertionError("a critical downcall threw", t); // plain C: it cannot
            }
            if (r != NOT_HERE) {
                return r;
            }
        }
        return NativePool.cym_j_pool_alloc(pool, count, size);
    }

    /** {@code cym_j_pool_free}: the freed block's size, or {@code -status}. */
    public static long free(long pool, long address) {
        if (FREE != null) {
            long r;
            try {
                r = (long) FREE.invokeExact(pool, address);
            } catch (Throwable t) {
                throw new AssertionError("a critical downcall threw", t);
            }
            if (r != NOT_HERE) {
                return r;
            }
        }
        return NativePool.cym_j_pool_free(pool, address);
    }

    /**
     * Zeroes {@code bytes} at {@code address} (a block {@link BlockCache} serves again): a segment fill with native
     * access (no call at all), else JNI's memset as on JDK 17.
     */
    @SuppressWarnings("restricted") // only with native access enabled (checked)
    public static void zero(long address, long bytes) {
        if (NATIVE_ACCESS) {
            MemorySegment.ofAddress(address).reinterpret(bytes).fill((byte) 0);
        } else {
            NativePool.cym_j_memset(address, 0, bytes);
        }
    }

    /** How the calls are made, for {@code cymem4j info}. */
    public static String description() {
        return DESCRIPTION;
    }
}
