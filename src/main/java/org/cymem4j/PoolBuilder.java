package org.cymem4j;

import org.cymem4j.internal.Checks;

/**
 * Options for opening a {@link Pool}: sharing, a byte limit, a limit listener and the allocator. Made by {@link Pool#builder()}; a
 * builder may open any number of pools.
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().limit(64 << 20).shared().listener(evictor).open()) {
 *     pool.alloc(1 << 20, 1);                  // counts against the 64 MiB limit
 *     pool.alloc(100 << 20, 1);                // throws NativeOutOfMemoryError: limit, live bytes and request
 * }
 * }</pre>
 */
public final class PoolBuilder {
    boolean shared;
    long limit = -1;
    AllocationListener listener;
    Allocator allocator;

    PoolBuilder() {
    }

    /**
     * Makes the pool usable and closeable from any thread (see {@link Pool#openShared()}).
     *
     * @return this builder
     */
    public PoolBuilder shared() {
        shared = true;
        return this;
    }

    /**
     * Makes the pool confined to the thread that opens it (the default; see {@link Pool#open()}).
     *
     * @return this builder
     */
    public PoolBuilder confined() {
        shared = false;
        return this;
    }

    /**
     * Caps the pool's live bytes (plus what its child pools reserve): an allocation that would exceed it fails with
     * {@link NativeOutOfMemoryError} before the allocator is called, after the {@linkplain #listener listener} had
     * its chance.
     *
     * @param bytes the limit in bytes, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public PoolBuilder limit(long bytes) {
        limit = Checks.nonNegative(bytes, "limit");
        return this;
    }

    /**
     * Removes the limit (the default).
     *
     * @return this builder
     */
    public PoolBuilder unlimited() {
        limit = -1;
        return this;
    }

    /**
     * Sets the listener called when the limit refuses a request ({@code null} for none, the default).
     *
     * @param listener the listener, or {@code null} for none
     * @return this builder
     */
    public PoolBuilder listener(AllocationListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Makes every block of the pool come from, and go back to, {@code allocator} (the default, {@code null}, is
     * {@link Allocator#defaultAllocator()}). Child pools use their parent's allocator.
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().allocator(Allocator.named("mimalloc")).limit(1 << 30).open()) { ... }
     * }</pre>
     *
     * @param allocator the allocator, or {@code null} for {@link Allocator#defaultAllocator()}
     * @return this builder
     */
    public PoolBuilder allocator(Allocator allocator) {
        this.allocator = allocator;
        return this;
    }

    /**
     * Opens a pool with these options.
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public Pool open() {
        return new Pool(this, null);
    }
}
