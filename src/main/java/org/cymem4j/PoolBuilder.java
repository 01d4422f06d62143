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
    /** The options of {@link Pool#open()} and {@link Pool#openShared()}: never handed out, so never changed. */
    static final PoolBuilder CONFINED = new PoolBuilder(), SHARED = new PoolBuilder().shared();

    boolean shared;
    long limit = -1;
    AllocationListener listener;
    Allocator allocator;
    boolean perBlock;

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
     * Makes every block of the pool one call to its allocator, as a debug, failing, wrapped or Java-hook allocator
     * always does: no slabs. For the system allocator and the named backends ({@code jemalloc}, {@code mimalloc},
     * {@code tcmalloc}, {@code mimalloc-heap}) the default is {@linkplain #slabAllocation() slab allocation}; use this
     * when each block must be the backend's own (its usable size, a heap profiler's per-call attribution, a
     * backend's ownership test).
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().allocator(Allocator.named("jemalloc")).perBlockAllocation().open()) {
     *     long p = pool.alloc(1, 64);                             // one jemalloc call for this block
     *     long usable = Allocator.usableSize(pool, p);             // jemalloc's size class of it
     * }
     * }</pre>
     *
     * @return this builder
     */
    public PoolBuilder perBlockAllocation() {
        perBlock = true;
        return this;
    }

    /**
     * Lets the pool serve blocks of up to 4 KiB from 64 KiB slabs it takes from its allocator (the default). Used
     * only with allocators that cannot call back into Java and promise nothing per call: the system allocator and
     * the named backends; a debug, failing, wrapped or Java-hook allocator keeps one call per block whatever this
     * says. A slab block is the pool's like any other ({@link Pool#owns}, {@link Pool#sizeOf} the size asked for,
     * free, realloc, stats, the limit and leak reports are exact); an alloc or free of one calls no allocator.
     *
     * @return this builder
     */
    public PoolBuilder slabAllocation() {
        perBlock = false;
        return this;
    }

    /**
     * Opens a pool with these options.
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws IllegalArgumentException if a {@code cymem4j.*} system property has a value it does not take
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public Pool open() {
        return new Pool(this, null);
    }
}
