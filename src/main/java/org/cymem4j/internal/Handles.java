package org.cymem4j.internal;

import java.util.function.Function;


/**
 * How the library's other packages reach the {@link Span} behind a handle of {@code org.cymem4j} (a {@code Block},
 * an {@code Address}, a pool-owned JavaCPP pointer) and the buffer lease of an {@code org.cymem4j.array.TypedArray},
 * without either becoming public API. The owning classes register one function each from their static initializers,
 * as the JDK's {@code SharedSecrets} do; the functions take {@code Object}, so this package depends on none of them.
 */
public final class Handles {
    /** What {@code org.cymem4j} registers: spans of its handles, and windows over blocks. */
    public interface Memory {
        /** The span behind a {@code NativeMemory} or a pool-owned JavaCPP pointer, or null for anything else. */
        Span spanOf(Object handle);

        /**
         * A {@code Block} over a window of {@code block}'s span (see {@link Span#window}): its accessors throw once
         * the block is freed or moved or advances its version. {@code face} names it in messages.
         */
        Object window(Object block, long bytes, Object face);

        /** Makes {@code pointer} stop working with {@code block}: it is disarmed when the block is freed or moved. */
        void guard(Object block, GuardedPointer pointer);
    }

    /**
     * What {@code org.cymem4j.view} registers: {@code MemoryView}s over memory another package vouches for, without
     * a public factory that takes internal types. Results are {@code MemoryView}s, typed {@code Object} here.
     */
    public interface Views {
        /**
         * A view of {@code [address, address + bytes)} (inside {@code span}'s memory, checked on every access), with
         * {@code base} as its {@code base()}, {@code pool} (a {@code Pool}, or null) as the pool its copies go to,
         * element type {@code dtype} (a {@code DType}), and the given shape and byte strides from {@code address}
         * (null: C-contiguous); throws {@code IllegalArgumentException} if an element lies outside.
         */
        Object spanView(Span span, Object base, Object pool, long address, long bytes, Object dtype, long[] shape,
                long[] strides);
    }

    private static volatile Memory memory;
    private static volatile Views views;
    private static volatile Function<Object, PoolResource> pools;

    private Handles() {
    }

    /** Called once, by {@code NativeMemory}'s static initializer. */
    public static void registerMemory(Memory m) {
        memory = m;
    }

    /**
     * The span behind {@code handle}, or null if it is not one of the library's own handles. A handle that exists
     * was made after its class registered, so an unregistered state means "not ours".
     */
    public static Span spanOf(Object handle) {
        Memory m = memory;
        return m == null ? null : m.spanOf(handle);
    }

    /** See {@link Memory#window}. */
    public static Object window(Object block, long bytes, Object face) {
        return memory.window(block, bytes, face);
    }

    /** See {@link Memory#guard}; having the block means {@code org.cymem4j} registered. */
    public static void guard(Object block, GuardedPointer pointer) {
        memory.guard(block, pointer);
    }

    /** Called once, by {@code Pool}'s static initializer. */
    public static void registerPools(Function<Object, PoolResource> resources) {
        pools = resources;
    }

    /** The native resource of a {@code Pool} (for DLPack's pins); having the pool means its class registered. */
    public static PoolResource poolResource(Object pool) {
        return pools.apply(pool);
    }

    /** Called once, by {@code MemoryView}'s static initializer. */
    public static void registerViews(Views v) {
        views = v;
    }

    /**
     * The views' entry points. A caller may reach here before anything loaded {@code MemoryView} (a cast or a return
     * type does not initialize a class), so the first call initializes it by name: this package names no API type.
     */
    public static Views views() {
        Views v = views;
        if (v == null) {
            try {
                Class.forName("org.cymem4j.view.MemoryView", true, Handles.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("org.cymem4j.view.MemoryView is missing from the library", e);
            }
            v = views;
        }
        return v;
    }
}
