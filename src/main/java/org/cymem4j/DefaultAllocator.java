package org.cymem4j;

import org.cymem4j.internal.AllocatorConfig;
import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The process default allocator ({@link Allocator#defaultAllocator()}): resolved once from the configuration that
 * {@link AllocatorConfig} reads, logged once, and shared by every pool that names no allocator. A bad value is kept
 * as the failure every later request throws again, so nothing falls back silently.
 */
final class DefaultAllocator {
    private static final System.Logger LOG = System.getLogger("org.cymem4j");
    private static final Object LOCK = new Object();
    private static Allocator resolved; // guarded by LOCK
    /** {@code resolved} once set (it never changes then): every Pool.open() reads it, without the lock. */
    private static volatile Allocator published;
    private static RuntimeException failure; // guarded by LOCK
    /** The allocator shared pools use when the default is {@code mimalloc-heap}; set once. */
    private static volatile Allocator sharedFallback;

    private DefaultAllocator() {
    }

    /** See {@link Allocator#defaultAllocator()}. */
    static Allocator get() {
        Allocator a = published;
        if (a != null) {
            return a;
        }
        synchronized (LOCK) {
            if (resolved == null && failure == null) {
                resolve();
            }
            if (failure != null) {
                if (failure instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException(failure.getMessage(), failure);
                }
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            published = resolved;
            return resolved;
        }
    }

    /**
     * The allocator a pool that names none gets: {@link #get()}, except that a shared pool whose default is
     * {@code mimalloc-heap} gets {@code mimalloc}: the same library and its process-wide heap, which any thread may
     * use (a {@code mi_heap} belongs to one thread). Said once at DEBUG.
     */
    static Allocator forPool(boolean shared) {
        Allocator d = get();
        if (!shared || !d.threadBound() || !d.name().equals("mimalloc-heap")) {
            return d;
        }
        Allocator fallback = sharedFallback;
        if (fallback == null) {
            synchronized (LOCK) {
                if (sharedFallback == null) {
                    sharedFallback = Allocator.named("mimalloc");
                    LOG.log(System.Logger.Level.DEBUG, "cymem4j allocator: shared pools use mimalloc (the default, "
                            + "mimalloc-heap, gives each pool a heap only its opening thread may use)");
                }
                fallback = sharedFallback;
            }
        }
        return fallback;
    }

    /**
     * The allocator a configuration value names (see {@link AllocatorConfig#parse}): {@link Allocator#named},
     * {@link Allocator#debug} or {@link Allocator#library(java.nio.file.Path, String, String, String, String, String)
     * library}, as those return it.
     *
     * @throws IllegalArgumentException for an unknown value (the message lists the valid ones) or a relative path
     * @throws IllegalStateException if a library cannot be loaded
     */
    static Allocator fromValue(String value) {
        AllocatorConfig.Choice choice = AllocatorConfig.parse(value);
        Allocator a;
        if (choice.library() != null) {
            a = Allocator.library(choice.library(), "malloc", "free", "calloc", "realloc", null);
        } else {
            try {
                a = Allocator.named(choice.name());
            } catch (IllegalArgumentException e) {
                String shown = choice.debugLayers() == 0 ? value : choice.name();
                throw new IllegalArgumentException("unknown allocator '" + shown + "'; valid values: "
                        + AllocatorConfig.VALID_VALUES, e);
            }
        }
        for (int i = 0; i < choice.debugLayers(); i++) {
            a = Allocator.debug(a);
        }
        return a;
    }

    private static void resolve() {
        String source = "configuration";
        try {
            AllocatorConfig.Configured configured = AllocatorConfig.configured(Allocator.class.getClassLoader());
            source = configured.source();
            resolved = fromValue(configured.value());
            // Native consumers see the same choice through cym_allocator_default() (cymem4j.h).
            NativeAllocator.cym_j_allocator_set_default(resolved.handle());
            // DEBUG: nothing for the user to act on (INFO and above are); `cymem4j info` shows the choice.
            LOG.log(System.Logger.Level.DEBUG, "cymem4j allocator: " + resolved.name() + " (from " + source + ")");
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = "cymem4j allocator from " + source + ": " + e.getMessage();
            failure = e instanceof IllegalArgumentException ? new IllegalArgumentException(message, e)
                    : new IllegalStateException(message, e);
        }
    }
}
