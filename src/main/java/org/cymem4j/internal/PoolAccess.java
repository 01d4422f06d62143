package org.cymem4j.internal;

import org.cymem4j.Block;
import org.cymem4j.Pool;

/**
 * The package-private liveness checks of {@link Pool} and {@link Block}, for other cymem4j packages (the views),
 * without making them public API. {@code Pool} registers the one implementation from its static initializer, the way
 * the JDK's {@code SharedSecrets} work; the call site stays monomorphic, so the JIT inlines it.
 */
public final class PoolAccess {
    /** What {@code Pool} exposes to the rest of the library. */
    public interface Bridge {
        /** Enters a call on {@code block}: checks its pool is open (and the thread, when confined) and the block live. */
        void enter(Block block);

        /** Leaves a call entered by {@link #enter}. */
        void exit(Block block);

        /**
         * For a block of a confined pool, the pool's epoch, read plainly: it changes (on the owner thread) with every
         * free, realloc, handoff and close; -1 for a shared pool.
         */
        int confinedEpoch(Block block);

        /**
         * Whether {@code pool} looks open, from a plain read: for friendlier messages on hot paths only. It may be
         * stale on another thread of a shared pool; the real check is {@link #enter}'s (every accessor's acquire).
         */
        boolean looksOpen(Pool pool);
    }

    private static volatile Bridge bridge;

    private PoolAccess() {
    }

    /** Called once, by {@code Pool}'s static initializer. */
    public static void register(Bridge b) {
        bridge = b;
    }

    /** The bridge; having a {@code Block} means {@code Pool} was initialized, so it is set. */
    public static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(Pool.class.getName(), true, Pool.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
