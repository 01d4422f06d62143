package org.cymem4j;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Map;
import java.util.Objects;

import org.cymem4j.internal.BlockCache;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.DebugTracker;
import org.cymem4j.internal.Events;
import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.Handles;
import org.cymem4j.internal.PoolCalls;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.Settings;
import org.cymem4j.internal.jni.NativePool;

/**
 * A pool of native memory: it hands out zeroed blocks ({@code calloc} semantics), remembers every address, and
 * frees all of them at once when it is closed. This is cymem's {@code Pool} for Java: tie memory to the pool's
 * lifetime, and no deallocator has to walk your nested structures.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     long ints = pool.alloc(10, Integer.BYTES);     // 40 zeroed bytes, owned by the pool
 *     long floats = pool.alloc(12, Float.BYTES);
 *     pool.block(ints).putInt(0, 42);                 // read and write from Java, no JNI per element
 *     nativeLibrary.consume(ints);                    // or hand the address to C
 * }                                                   // both blocks freed here, in one native call
 * pool.alloc(1, 8);                                   // throws IllegalStateException: Pool#1 is closed
 * }</pre>
 *
 * <h2>Lifetime</h2>
 * {@link #close()} is the normal path: it frees every remaining block, closes what was {@link #attach attached}
 * (last first), and makes every later call on the pool, its {@link Block}s and its typed pointers throw
 * {@link IllegalStateException}. A pool that becomes unreachable without {@code close()} is freed by a
 * {@link Cleaner}, and the leak is logged at WARNING through {@link System.Logger} {@code org.cymem4j}, with where
 * the pool was created when the {@link LeakDetection} level recorded it. A pool makes its native part on its first
 * allocation (or other call that needs it): until then it holds nothing, so forgetting it frees and logs nothing, and
 * it stays counted by {@link Pools#openCount()} (see there).
 *
 * <h2>Limits and child pools</h2>
 * {@link #builder()} opens a pool with a byte limit and an {@link AllocationListener}; {@link #child(long)} opens a
 * pool that reserves its limit from this one, as Arrow's child allocators do. Limits are counted in C before the
 * allocator is called: never a {@code System.gc()}, never a sleep. {@link #stats()} reads the pool's counters.
 *
 * <h2>Threads</h2>
 * {@link #open()} makes a <em>confined</em> pool: only the thread that opened it (or the thread it was
 * {@link #handoff handed off} to) may use or close it; other threads get {@link IllegalStateException}. This keeps
 * every check to two field reads. {@link #openShared()} makes a pool any thread may use; its native table takes a
 * lock, and a {@code close()} racing other threads' calls waits for the calls in flight to finish, after which
 * calls throw.
 *
 * <h2>Errors</h2>
 * Negative counts or sizes and {@code count * elemSize} overflow throw {@link IllegalArgumentException}; freeing or
 * resizing an address this pool does not own (foreign, interior, already freed) throws
 * {@link IllegalArgumentException} and frees nothing; a failed allocation throws {@link NativeOutOfMemoryError}
 * and leaves the pool as it was (a failed {@link #realloc} leaves the old block valid and owned).
 *
 * @apiNote Unlike {@code java.lang.foreign.Arena}, {@code close()} is idempotent: a second call does nothing. A pool
 * mirrors cymem's, which is released when it is collected, so closing twice is not treated as a bug.
 */
public final class Pool implements AutoCloseable {
    static {
        // Before any pool exists, so that with the property every pool is counted.
        if (Settings.PROCESS_BYTES) {
            PoolResource.trackProcessBytes(true);
        }
        // DLPack exports (org.cymem4j.view.DLPack) pin blocks in the native pool: they need its resource.
        Handles.registerPools(pool -> ((Pool) pool).resource);
    }

    /** The native pool, its counters and attached resources; what the Cleaner frees. */
    final PoolResource resource;
    /** The {@code cym_pool_t*}, 0 until a call needs it ({@link #handle()}); volatile: it publishes the C pool. */
    volatile long handle;
    private final String allocatorName;
    /** Where blocks come from; child pools use it too. */
    final Allocator allocator;
    /** Allocation sites and fault messages when the allocator is a debug one; else null. */
    final DebugTracker debug;
    /** No Java hook can run inside a native call and no debug tracker follows the blocks: {@link #alloc}'s fast path. */
    private final boolean plainCalls;
    /** True when the pool's memory comes from a heap that belongs to the opening thread (mimalloc-heap). */
    private final boolean threadBound;
    /** Open/closed, owner thread and handoff, calls in flight: the lifetime core every block and view checks. */
    final Scope scope;
    /** Called when the limit refuses a request; null for none. */
    final AllocationListener listener;
    /** The pool this one reserves from, or null. */
    private final Pool parent;
    /** The block accessors and their revoke protocol (their own lock); null until a call needs them. */
    volatile BlockAccessors accessors;
    /** The open child pools and the budget they reserve from (their own lock); null until the first child. */
    volatile ChildPools children;

    Pool(PoolBuilder options, Pool parent) {
        boolean shared = options.shared;
        Allocator allocator = options.allocator != null ? options.allocator : Allocator.defaultAllocator(shared);
        if (shared && allocator.threadBound()) {
            throw new IllegalArgumentException("the " + allocator.name() + " allocator gives each pool a heap that "
                    + "belongs to one thread: use Pool.open(allocator), not openShared");
        }
        int flags = (shared ? NativePool.POOL_SHARED : 0) | (options.perBlock ? NativePool.POOL_NO_SLABS : 0);
        this.allocatorName = allocator.name();
        this.threadBound = allocator.threadBound();
        this.allocator = allocator;
        this.listener = options.listener;
        this.parent = parent;
        // The C pool is made by handle() on its first need unless PoolClosing.openNow says at once (`allocator` keeps
        // its handle alive until then); with it a BlockCache, if every call of the pool is Java's, one thread's, plain.
        this.resource = new PoolResource(allocator.handle(), flags, shared, allocatorName,
                !shared && parent == null && options.limit < 0 && !allocator.mayCallJava() && !allocator.isDebug());
        this.scope = shared ? Scope.shared(resource, allocator.mayCallJava())
                : Scope.confined(resource, allocator.mayCallJava());
        this.debug = allocator.isDebug() ? new DebugTracker(resource.name()) : null;
        this.plainCalls = !allocator.mayCallJava() && debug == null;
        if (parent != null || options.limit >= 0 || !plainCalls || threadBound || resource.site() != null) {
            PoolClosing.openNow(this, parent, options.limit);
        }
        Events.poolOpened(resource, parent == null ? 0 : parent.resource.id(), options.limit);
        Management.ensureRegistered();
    }

    /**
     * The {@code cym_pool_t*}, made with its Cleaner on the first call (between acquire and release; a failure
     * throws {@link NativeOutOfMemoryError} and changes nothing). Keep the pool reachable until the call returns.
     */
    long handle() {
        long h = handle;
        return h != 0 ? h : PoolClosing.materialize(this);
    }

    /** {@link #handle()} for a call about the block at {@code address}: see {@link PoolResource#settleIfHidden}. */
    long handleFor(long address) {
        long h = handle();
        resource.settleIfHidden(address);
        return h;
    }

    /**
     * Opens a pool confined to the calling thread, backed by the process default allocator
     * ({@link Allocator#defaultAllocator()}: {@code system} unless configured otherwise).
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     * @throws IllegalArgumentException if the configured default allocator is unknown, or a {@code cymem4j.*} system
     *     property has a value it does not take (README, System properties)
     * @throws IllegalStateException if the configured default allocator's library cannot be loaded
     */
    public static Pool open() {
        return new Pool(PoolBuilder.CONFINED, null);
    }

    /**
     * Opens a pool confined to the calling thread whose blocks all come from, and go back to, {@code allocator}.
     *
     * <pre>{@code
     * try (Pool pool = Pool.open(Allocator.named("mimalloc"))) { ... }
     * }</pre>
     *
     * @param allocator the allocator for every block of the pool
     * @return a new open pool; close it (try-with-resources)
     * @throws NullPointerException if {@code allocator} is null
     * @throws IllegalArgumentException if a {@code cymem4j.*} system property has a value it does not take
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public static Pool open(Allocator allocator) {
        return new Pool(new PoolBuilder().allocator(Objects.requireNonNull(allocator, "allocator")), null);
    }

    /**
     * Opens a pool that any thread may use and close, backed by the process default allocator ({@code mimalloc} when
     * the default is {@code mimalloc-heap}, whose heaps belong to one thread: see {@link Allocator#named}).
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     * @throws IllegalArgumentException if the configured default allocator is unknown, or a {@code cymem4j.*} system
     *     property has a value it does not take (README, System properties)
     * @throws IllegalStateException if the configured default allocator's library cannot be loaded
     */
    public static Pool openShared() {
        return new Pool(PoolBuilder.SHARED, null);
    }

    /**
     * Opens a pool that any thread may use and close, whose blocks all come from, and go back to, {@code allocator}.
     *
     * @param allocator the allocator for every block of the pool
     * @return a new open pool; close it (try-with-resources)
     * @throws NullPointerException if {@code allocator} is null
     * @throws IllegalArgumentException if the allocator is thread-bound ({@code mimalloc-heap}), or a
     *     {@code cymem4j.*} system property has a value it does not take
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public static Pool openShared(Allocator allocator) {
        return new Pool(new PoolBuilder().shared().allocator(Objects.requireNonNull(allocator, "allocator")), null);
    }

    /**
     * The name of the allocator this pool's blocks come from ({@code system}, {@code jemalloc}, ...).
     *
     * @return the allocator's name
     */
    public String allocatorName() {
        return allocatorName;
    }

    /**
     * Options for a new pool: sharing, a byte limit, a listener for limit failures.
     *
     * <pre>{@code
     * try (Pool pool = Pool.builder().limit(1 << 20).open()) {
     *     pool.alloc(1 << 20, 1);    // fits exactly
     *     pool.alloc(1, 1);          // throws NativeOutOfMemoryError: Pool#1 limit exceeded: requested 1 bytes ...
     * }
     * }</pre>
     *
     * @return a builder for a confined, unlimited pool with no listener
     */
    public static PoolBuilder builder() {
        return new PoolBuilder();
    }

    /**
     * Opens a child pool that reserves {@code limitBytes} from this pool's budget, as Arrow's child allocators do:
     * while the child is open, this pool's live bytes plus every child's limit stay within this pool's limit (a
     * pool without a limit grants any reservation). The child has {@code limitBytes} as its own limit, this
     * pool's sharing and listener, and may have children of its own. Closing the child returns its reservation;
     * closing this pool closes its open children first. A child stays reachable from its parent until closed.
     *
     * <pre>{@code
     * try (Pool request = Pool.builder().limit(8 << 20).open()) {
     *     Pool parse = request.child(2 << 20);   // 2 MiB of the 8 now belong to parse
     *     request.alloc(7 << 20, 1);             // throws: 7 MiB + 2 MiB reserved > 8 MiB
     *     parse.close();                         // the 2 MiB come back
     * }
     * }</pre>
     *
     * @param limitBytes the child's limit, reserved from this pool, in bytes
     * @return the open child pool
     * @throws IllegalArgumentException if {@code limitBytes < 0}
     * @throws NativeOutOfMemoryError if this pool's limit cannot fit the reservation (after the listener's retry);
     *     the message names the limit, the live and reserved bytes, and the request
     * @throws IllegalStateException if this pool is closed or used from a thread it is not confined to
     */
    public Pool child(long limitBytes) {
        Checks.nonNegative(limitBytes, "limitBytes");
        try {
            return ChildPools.of(this).open(limitBytes);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The pool this child pool reserves from.
     *
     * @return the parent pool, or {@code null} for a pool opened on its own
     */
    public Pool parent() {
        return parent;
    }

    /**
     * A snapshot of this pool's counters: live and peak bytes, live blocks, allocations, frees, failures, the
     * limit and the bytes reserved by child pools.
     *
     * @return the counters as they were during the call
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public PoolStats stats() {
        return PoolSnapshots.stats(this);
    }

    // ---- liveness and confinement: all in the scope ----------------------------------------------------

    /** Enters a call: throws if closed or, for a confined pool, if called from another thread. */
    void acquire() {
        scope.acquire();
    }

    /** Leaves a call entered by {@link #acquire()}. */
    void release() {
        scope.release();
    }

    /** The lifetime core this pool's blocks and views check. */
    Scope scope() {
        return scope;
    }

    /**
     * Whether the pool is still open.
     *
     * @return true until {@link #close()} (or the Cleaner) released the pool
     */
    public boolean isOpen() {
        return scope.isOpen();
    }

    /**
     * Whether any thread may use the pool.
     *
     * @return true for a pool made by {@link #openShared()} (or a shared {@link PoolBuilder}), false for a
     *     confined one
     */
    public boolean isShared() {
        return scope.isShared();
    }

    /**
     * The thread a confined pool belongs to.
     *
     * @return the owning thread, or {@code null} for a shared pool
     */
    public Thread owner() {
        return scope.owner();
    }

    /**
     * Moves a confined pool to another thread: afterwards only {@code thread} may use it. Everything this thread
     * wrote before the handoff is visible to {@code thread} once it uses the pool (the handoff is a volatile write
     * that the pool's next use reads).
     *
     * <pre>{@code
     * Pool pool = Pool.open();
     * long p = pool.alloc(1, 64);
     * Thread worker = new Thread(() -> { try (pool) { pool.block(p).putLong(0, 1); } });
     * pool.handoff(worker);
     * worker.start();
     * }</pre>
     *
     * @param thread the thread that owns the pool from now on
     * @throws IllegalStateException if the pool is shared, closed, or not owned by the calling thread, if
     *     {@code thread} has terminated (the pool could never be used or closed again), or if the pool's allocator
     *     is thread-bound ({@code mimalloc-heap})
     * @throws NullPointerException if {@code thread} is null
     */
    public void handoff(Thread thread) {
        PoolClosing.handoff(this, thread, threadBound);
    }

    // ---- allocation ------------------------------------------------------------------------------------

    /**
     * Allocates {@code count * elemSize} zeroed bytes owned by this pool (cymem's {@code Pool.alloc}). A zero-byte
     * request returns a unique non-zero address.
     *
     * @param count number of elements
     * @param elemSize bytes per element
     * @return the block's address
     * @throws IllegalArgumentException if either argument is negative or their product overflows
     * @throws NativeOutOfMemoryError if the allocator fails or the pool's limit refuses the request, also after the
     *     {@link AllocationListener}'s retry (the pool is unchanged)
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long alloc(long count, long elemSize) {
        // The common case stays in this file, one call from C (Pool -> PoolCalls -> jbridge_pool.c -> pool.c);
        // hooks that can re-enter, the debug tracker, the listener's retry and failures are PoolAllocation's.
        long bytes = Checks.byteSize(count, elemSize);
        if (!plainCalls) {
            return PoolAllocation.alloc(this, count, elemSize);
        }
        long r;
        scope.acquire();
        try {
            BlockCache c = resource.cache; // null until the C pool exists, and for pools that keep no freed blocks
            if (c == null && handle == 0) { // the pool's first call: the C pool, and with it the cache if it has one
                handle();
                c = resource.cache;
            }
            if (c == null || (r = c.take(bytes)) == 0) { // else a kept or leased block of this size: no native call
                r = PoolCalls.alloc(handle(), count, elemSize);
                if (r > 0 && (c = resource.cache) != null) {
                    c.allocated(r, bytes);
                }
            }
        } finally {
            scope.release();
            Reference.reachabilityFence(this);
        }
        return r > 0 && bytes < Events.LARGE_ALLOCATION_BYTES ? r
                : PoolAllocation.afterAttempt(this, r, count, elemSize);
    }

    /**
     * Allocates {@code count * elemSize} zeroed bytes at a multiple of {@code alignment} (SIMD, {@code O_DIRECT},
     * cache lines; FFM's {@code allocate(size, align)}): an ordinary block of this pool, whose {@link #realloc} keeps
     * the alignment. The allocator's aligned entry point serves it ({@code posix_memalign}, jemalloc's
     * {@code mallocx}, {@code mi_zalloc_aligned}, {@code tc_memalign}); wrapped functions, Java hooks and failing
     * allocators are asked once for {@code size + alignment - 1} bytes.
     * <pre>{@code long p = pool.allocAligned(1024, Float.BYTES, 64); // p % 64 == 0 }</pre>
     *
     * @param count number of elements
     * @param elemSize bytes per element
     * @param alignment a power of two from 1 to 2^30 (1 GiB)
     * @return the block's address, a multiple of {@code alignment}
     * @throws IllegalArgumentException naming the bad count, size, product or alignment
     * @throws NativeOutOfMemoryError as {@link #alloc}
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long allocAligned(long count, long elemSize, long alignment) {
        return PoolAllocation.allocAligned(this, count, elemSize, alignment);
    }

    /**
     * Frees one block of this pool now, instead of at {@link #close()}.
     *
     * @param address the start of a live block of this pool
     * @throws IllegalArgumentException if the address is not the start of a live block of this pool (foreign,
     *     interior, or already freed): nothing is freed
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to, or the
     *     block is exported as a DLPack tensor whose deleter has not run yet (nothing is freed)
     */
    public void free(long address) {
        if (!PoolAllocation.keep(this, address)) {
            PoolAllocation.free(this, address);
        }
    }

    /**
     * Resizes a block of this pool: the contents up to the smaller size are kept, growth is zeroed, and the block
     * may move. On failure the old block stays valid, owned and unchanged (the seeds' {@code resize} rule).
     *
     * @param address the start of a live block of this pool
     * @param newBytes the new size in bytes
     * @return the block's address after the resize (use it instead of {@code address})
     * @throws IllegalArgumentException if {@code newBytes < 0} or the address is not a live block of this pool
     * @throws NativeOutOfMemoryError if the allocator fails or the pool's limit refuses the growth, also after the
     *     {@link AllocationListener}'s retry (the old block is intact)
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to, or the
     *     block is exported as a DLPack tensor whose deleter has not run yet (the block is unchanged)
     */
    public long realloc(long address, long newBytes) {
        return PoolAllocation.realloc(this, address, newBytes);
    }

    // ---- queries -----------------------------------------------------------------------------------------

    /**
     * Whether {@code address} is the start of a live block of this pool.
     *
     * @param address a native address
     * @return true if {@code address} is the start of a live block of this pool
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public boolean owns(long address) {
        return PoolSnapshots.owns(this, address);
    }

    /**
     * The size in bytes of a live block of this pool.
     *
     * @param address the block's address, as {@link #alloc} returned it
     * @return the block's size in bytes
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     * @throws IllegalArgumentException if the pool does not own {@code address}
     */
    public long sizeOf(long address) {
        return PoolSnapshots.sizeOf(this, address);
    }

    /**
     * The bytes in live blocks (cymem's {@code Pool.size}).
     *
     * @return the total size of the live blocks, in bytes
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long liveBytes() {
        return PoolSnapshots.stat(this, NativePool.STAT_LIVE_BYTES);
    }

    /**
     * The number of live blocks.
     *
     * @return the number of blocks allocated and not yet freed
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long liveBlocks() {
        return PoolSnapshots.stat(this, NativePool.STAT_LIVE_BLOCKS);
    }

    /**
     * A snapshot of the live blocks: address to size in bytes. Unlike cymem's {@code addresses}, it is a copy;
     * changing the pool does not change it, and it cannot change the pool.
     *
     * @return an unmodifiable map from each live block's address to its size in bytes
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public Map<Long, Long> addresses() {
        return PoolSnapshots.addresses(this);
    }

    // ---- Java access to blocks ---------------------------------------------------------------------------

    /**
     * A Java accessor for a live block of this pool: typed reads and writes by byte offset, bounds checked, with
     * no JNI call per element. The accessor stops working (throws {@link IllegalStateException}) once the block is
     * freed or reallocated or the pool closes. Asking twice for the same block gives the same accessor.
     *
     * @param address the block's address, as {@link #alloc} returned it
     * @return the block's accessor
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     * @throws IllegalArgumentException if the pool does not own {@code address}
     */
    public Block block(long address) {
        acquire();
        try {
            return BlockAccessors.of(this).block(address);
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    // ---- lifetime ----------------------------------------------------------------------------------------

    /**
     * Ties {@code resource}'s lifetime to this pool (cymem's {@code own_pyref}), for example a JavaCPP
     * {@code Pointer} that owns other native memory: it is closed when the pool closes (or is cleaned). Resources
     * close in reverse order of attachment, before the pool's blocks are freed, so they may still use pool memory
     * while closing. The resource must not refer to the pool, or a pool that is never closed could never be
     * collected either.
     *
     * @param <T> the resource's type
     * @param resource the resource to close with the pool
     * @return {@code resource}, for chaining
     * @throws NullPointerException if {@code resource} is null
     * @throws IllegalStateException if the pool is closed
     */
    public <T extends AutoCloseable> T attach(T resource) {
        return PoolClosing.attach(this, resource);
    }

    /**
     * The C handle of this pool, a {@code cym_pool_t*}, for native code that allocates into it through
     * {@code cymem4j.h} (README, "Using cymem4j from C/C++"). The pool stays Java's: it frees everything native
     * code put in it when it closes.
     *
     * <pre>{@code
     * try (Pool pool = Pool.openShared()) {
     *     myNativeLib.decode(pool.nativeHandle(), input);   // C: cym_pool_alloc(pool, n, size, &out) ...
     *     System.out.println(pool.liveBlocks());                // counts the blocks C allocated
     * }                                                     // C's blocks, adopted ones too, freed here
     * }</pre>
     *
     * <p>Native code may, while the pool is open: {@code cym_pool_alloc}, {@code cym_pool_realloc},
     * {@code cym_pool_free} and {@code cym_pool_adopt} (hand a block from another allocator to the pool, with its
     * free function), and query it ({@code cym_pool_owns}, {@code cym_pool_size_of}, {@code cym_pool_stats}).
     * It must not:
     * <ul>
     * <li>call {@code cym_pool_destroy}: only {@link #close()} (or the Cleaner) ends the pool;</li>
     * <li>use the handle, or any block of the pool, after {@link #close()}: the handle is then a dangling pointer,
     *     and nothing on the native side can detect it. Keep the {@code Pool} reachable (and open) for as long as
     *     native code may use the handle, for example by holding it in the object that owns the native work;</li>
     * <li>use a confined pool ({@link #open()}) from any thread but its owner, nor concurrently with it: the C
     *     table of a confined pool takes no lock. Native code running in a call made by the owner thread is
     *     fine. For native threads of their own, use {@link #openShared()}, whose C table locks every call;</li>
     * <li>free or reallocate a block that Java code holds a {@link Block} or typed pointer for: those accessors
     *     are invalidated only when the block is freed through this class.</li>
     * </ul>
     *
     * @return the {@code cym_pool_t*} as a {@code long}, never 0
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long nativeHandle() {
        acquire();
        try {
            handle();
            return resource.handleForNative(); // C's view of the blocks becomes the only one (no block cache)
        } finally {
            release();
        }
    }

    /**
     * Closes the open {@linkplain #child child pools} (last opened first), then frees every block of the pool in one
     * native call and closes the attached resources. Idempotent: a second call does nothing. On a shared pool, waits
     * for calls in flight on other threads to finish.
     *
     * @throws IllegalStateException if a confined pool (or one of its confined children) is closed from a thread it
     *     is not confined to (the pool stays open), if called from inside one of this pool's own allocator hooks
     *     (the pool stays open), or if an attached resource failed to close (the pool's memory is freed regardless)
     */
    @Override
    public void close() {
        PoolClosing.close(this, parent);
    }

    /** {@code Pool#3 (confined, system allocator, 2 blocks, 128 bytes)} or {@code Pool#3 (closed)}. */
    @Override
    public String toString() {
        long[] stats = resource.stats();
        return stats == null ? resource.name() + " (closed)" : LeakReports.describe(resource, stats);
    }
}
