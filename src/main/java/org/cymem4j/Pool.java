package org.cymem4j;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cymem4j.internal.Budget;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.DebugTracker;
import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.Management;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolCalls;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.jfr.Events;
import org.cymem4j.internal.jni.NativeAllocator;
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
 * the pool was created when the {@link LeakDetection} level recorded it.
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
    private static final Cleaner CLEANER = Cleaner.create();

    static {
        // Before any pool exists, so that with the property every pool is counted.
        if (Boolean.getBoolean(PoolResource.PROCESS_BYTES_PROPERTY)) {
            PoolResource.trackProcessBytes(true);
        }
    }

    private final PoolResource resource;
    private final long handle;
    private final String allocatorName;
    /** Where blocks come from; child pools use it too. */
    private final Allocator allocator;
    /** Allocation sites and fault messages when the allocator is a debug one; else null. */
    private final DebugTracker debug;
    /** True when the pool's memory comes from a heap that belongs to the opening thread (mimalloc-heap). */
    private final boolean threadBound;
    /** Open/closed, owner thread and handoff, calls in flight: the lifetime core every block and view checks. */
    private final Scope scope;
    private final Cleaner.Cleanable cleanable;
    /** Accessors handed out per block address, invalidated when the block is freed; lazily made. */
    private Map<Long, Block> accessors; // guarded by accessorsLock
    private final Object accessorsLock = new Object();
    /**
     * Set (under accessorsLock) before the first accessor is handed out; never cleared. Lets {@link #free} skip
     * the lock on pools that never made an accessor: taking it cost about 20 ns of a 60 ns alloc+free pair.
     */
    private volatile boolean madeAccessors;
    /** Set (under accessorsLock) before the first child pool is added; never cleared. Lets close() skip the lock. */
    private volatile boolean madeChildren;
    /** Called when the limit refuses a request; null for none. */
    private final AllocationListener listener;
    /** The pool this one reserves from, or null. */
    private final Pool parent;
    /** Open child pools, closed before this pool closes; guarded by accessorsLock. */
    private List<Pool> children;
    Pool(PoolBuilder options, Pool parent) {
        boolean shared = options.shared;
        Allocator allocator = options.allocator != null ? options.allocator : Allocator.defaultAllocator(shared);
        if (shared && allocator.threadBound()) {
            throw new IllegalArgumentException("the " + allocator.name() + " allocator gives each pool a heap that "
                    + "belongs to one thread: use Pool.open(allocator), not openShared");
        }
        long h = NativePool.cym_j_pool_create(allocator.handle(), shared ? 1 : 0);
        Reference.reachabilityFence(allocator);
        if (h <= 0) {
            throw new NativeOutOfMemoryError("the " + allocator.name() + " allocator could not allocate a pool ("
                    + statusText(h) + ")", 0);
        }
        this.handle = h;
        this.allocatorName = allocator.name();
        this.threadBound = allocator.threadBound();
        this.allocator = allocator;
        this.listener = options.listener;
        this.parent = parent;
        this.resource = new PoolResource(h, shared, allocatorName);
        this.scope = shared ? Scope.shared(resource.name(), allocator.mayCallJava())
                : Scope.confined(resource.name(), allocator.mayCallJava());
        this.debug = allocator.isDebug() ? new DebugTracker(resource.name()) : null;
        if (parent != null || options.limit >= 0) {
            // An unlimited pool on its own gets its Budget only when it opens a child (see budget()).
            new Budget(resource, parent == null ? null : parent.resource.budget(), options.limit);
        }
        this.cleanable = CLEANER.register(this, resource);
        Events.poolOpened(resource, parent == null ? 0 : parent.resource.id(), options.limit);
        Management.ensureRegistered();
    }

    /**
     * Opens a pool confined to the calling thread, backed by the process default allocator
     * ({@link Allocator#defaultAllocator()}: {@code system} unless configured otherwise).
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     * @throws IllegalArgumentException if the configured default allocator is unknown
     * @throws IllegalStateException if the configured default allocator's library cannot be loaded
     */
    public static Pool open() {
        return new Pool(new PoolBuilder(), null);
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
     * @throws IllegalArgumentException if the configured default allocator is unknown
     * @throws IllegalStateException if the configured default allocator's library cannot be loaded
     */
    public static Pool openShared() {
        return new Pool(new PoolBuilder().shared(), null);
    }

    /**
     * Opens a pool that any thread may use and close, whose blocks all come from, and go back to, {@code allocator}.
     *
     * @param allocator the allocator for every block of the pool
     * @return a new open pool; close it (try-with-resources)
     * @throws NullPointerException if {@code allocator} is null
     * @throws IllegalArgumentException if the allocator is thread-bound ({@code mimalloc-heap})
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
        acquire();
        boolean reserved;
        try {
            reserved = budget().reserve(limitBytes);
        } finally {
            release();
        }
        // The listener runs outside the call bracket, so it may use or even close this pool (then acquire() throws).
        boolean retry = !reserved && listener != null && listener.onLimitExceeded(this, limitBytes, stats());
        acquire();
        try {
            Budget budget = budget();
            if (!reserved && !(retry && budget.reserve(limitBytes))) {
                PoolStats s = stats();
                Events.allocationFailed(resource, limitBytes, s.liveBytes(), s.limitBytes(), true);
                throw new NativeOutOfMemoryError(resource.name() + " limit exceeded: cannot reserve " + limitBytes
                        + " bytes for a child pool with " + s.liveBytes() + " bytes live, " + s.reservedBytes()
                        + " bytes reserved by child pools and a limit of " + s.limitBytes() + " bytes", limitBytes);
            }
            Pool child;
            try {
                PoolBuilder options = new PoolBuilder().limit(limitBytes).listener(listener).allocator(allocator);
                options.shared = scope.isShared();
                child = new Pool(options, this);
            } catch (RuntimeException | Error e) {
                budget.unreserve(limitBytes);
                throw e;
            }
            synchronized (accessorsLock) {
                if (children == null) {
                    children = new ArrayList<>();
                    madeChildren = true;
                }
                children.add(child);
            }
            return child;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /** This pool's Budget, made on first use for an unlimited pool that was opened on its own. */
    private Budget budget() {
        synchronized (accessorsLock) {
            Budget b = resource.budget();
            return b != null ? b : new Budget(resource, null, -1);
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
        acquire();
        try {
            long[] s = resource.stats();
            Budget budget = resource.budget();
            return new PoolStats(s[NativePool.STAT_LIVE_BYTES], s[NativePool.STAT_LIVE_BLOCKS],
                    s[NativePool.STAT_PEAK_BYTES], s[NativePool.STAT_TOTAL_ALLOCS], s[NativePool.STAT_TOTAL_FREES],
                    s[NativePool.STAT_FAILED_ALLOCS], budget == null ? -1 : budget.limit(),
                    budget == null ? 0 : budget.reserved());
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Asks the listener, after the limit refused {@code bytes}, whether to retry once. Called outside the call
     * bracket: the listener may free, allocate or close this pool; a retry on a closed pool then throws.
     */
    private boolean retryAfterLimit(long result, long bytes) {
        return result == -NativeStatus.ELIMIT && listener != null && listener.onLimitExceeded(this, bytes, stats());
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

    /** Pool#id, as messages name the pool. */
    String resourceName() {
        return resource.name();
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
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        if (threadBound && scope.isConfined()) {
            throw new IllegalStateException(resource.name() + " uses the " + allocatorName
                    + " allocator, whose heap belongs to the thread that opened the pool: it cannot be handed off");
        }
        scope.handoff(thread);
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
        long bytes = Checks.byteSize(count, elemSize);
        long r = tryAlloc(count, elemSize);
        if (r <= 0 && retryAfterLimit(r, bytes)) {
            r = tryAlloc(count, elemSize);
        }
        if (r <= 0) {
            throw allocFailure(r, bytes, "count=" + count + " elemSize=" + elemSize);
        }
        if (bytes >= Events.LARGE_ALLOCATION_BYTES) {
            Events.largeAllocation(resource, bytes, r);
        }
        return r;
    }

    /** One allocation attempt inside the call bracket: the address, or a negative status. */
    private long tryAlloc(long count, long elemSize) {
        acquire();
        try {
            if (scope.mayCallJava()) { // the message is built only where a hook can re-enter: not on the hot path
                scope.checkNotInNativeCall("alloc(" + count + ", " + elemSize + ")");
            }
            long r;
            scope.enterNativeCall("alloc");
            try {
                r = PoolCalls.alloc(handle, count, elemSize);
            } finally {
                scope.exitNativeCall();
            }
            if (r > 0 && debug != null) {
                debug.allocated(r);
            }
            return r;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Frees one block of this pool now, instead of at {@link #close()}.
     *
     * @param address the start of a live block of this pool
     * @throws IllegalArgumentException if the address is not the start of a live block of this pool (foreign,
     *     interior, or already freed): nothing is freed
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public void free(long address) {
        acquire();
        try {
            if (scope.mayCallJava()) {
                scope.checkNotInNativeCall("free(" + Checks.hex(address) + ")");
            }
            int status;
            if (madeAccessors) {
                synchronized (accessorsLock) { // free and revoke in one step against block() (see revokeAccessor)
                    status = nativeFree(address);
                    if (status == NativeStatus.OK) {
                        revokeAccessor(address);
                    }
                }
            } else {
                status = nativeFree(address);
                if (status == NativeStatus.OK) {
                    revokeRacingFirstAccessor(address);
                }
            }
            if (status != NativeStatus.OK) {
                throw notOwned(address, "free");
            }
            if (debug != null) {
                debug.freed(handle, address);
            }
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    private int nativeFree(long address) {
        scope.enterNativeCall("free");
        try {
            return PoolCalls.free(handle, address);
        } finally {
            scope.exitNativeCall();
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
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long realloc(long address, long newBytes) {
        Checks.nonNegative(newBytes, "newBytes");
        long r = tryRealloc(address, newBytes, true);
        if (r <= 0 && !(retryAfterLimit(r, newBytes) && (r = tryRealloc(address, newBytes, false)) > 0)) {
            throw allocFailure(r, newBytes, "realloc of " + Checks.hex(address)
                    + "; the old block is unchanged and still owned");
        }
        if (newBytes >= Events.LARGE_ALLOCATION_BYTES && r > 0) {
            Events.largeAllocation(resource, newBytes, r);
        }
        return r;
    }

    /**
     * One resize attempt inside the call bracket: the new address, or (when {@code listenerMayRetry} and there is a
     * listener) -ELIMIT; every other failure throws. The old block's accessor is revoked as in {@link #free}.
     */
    private long tryRealloc(long address, long newBytes, boolean listenerMayRetry) {
        acquire();
        try {
            if (scope.mayCallJava()) {
                scope.checkNotInNativeCall("realloc(" + Checks.hex(address) + ", " + newBytes + ")");
            }
            long r;
            if (madeAccessors) {
                synchronized (accessorsLock) {
                    r = nativeRealloc(address, newBytes);
                    if (r > 0) {
                        revokeAccessor(address);
                    }
                }
            } else {
                r = nativeRealloc(address, newBytes);
                if (r > 0) {
                    revokeRacingFirstAccessor(address);
                }
            }
            if (r == -NativeStatus.ELIMIT && listenerMayRetry && listener != null) {
                return r;
            }
            if (r == -NativeStatus.ENOTOWNED) {
                throw notOwned(address, "realloc");
            }
            if (r == -NativeStatus.EUNSUPPORTED) {
                throw new IllegalArgumentException("address " + Checks.hex(address) + " was adopted by "
                        + resource.name() + " with its own free function and cannot be reallocated");
            }
            if (r <= 0) {
                throw allocFailure(r, newBytes, "realloc of " + Checks.hex(address)
                        + "; the old block is unchanged and still owned");
            }
            if (debug != null) {
                debug.moved(handle, address, r);
            }
            return r;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    private long nativeRealloc(long address, long newBytes) {
        scope.enterNativeCall("realloc");
        try {
            return NativePool.cym_j_pool_realloc(handle, address, newBytes);
        } finally {
            scope.exitNativeCall();
        }
    }

    private RuntimeException notOwned(long address, String operation) {
        long start = NativePool.cym_j_pool_find_containing(handle, address);
        if (start != 0 && start != address) {
            return new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): the address is inside block "
                    + Checks.hex(start) + " (" + NativePool.cym_j_pool_size_of(handle, start) + " bytes) of "
                    + resource.name() + ", not its start; nothing was freed");
        }
        return new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): not a live block of "
                + resource.name() + " (foreign, or already freed); nothing was freed");
    }

    private Error allocFailure(long result, long bytes, String detail) {
        int status = (int) -result;
        if (status == NativeStatus.EOVERFLOW || status == NativeStatus.EINVAL) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes (" + detail + "): "
                    + statusText(result));
        }
        long[] s = resource.stats();
        if (s == null) {
            throw scope.closed(); // the listener closed the pool and declined the retry
        }
        // No Budget when the limit was set natively (cym_pool_set_limit on nativeHandle()): use the C limit then.
        Budget budget = resource.budget();
        long limit = budget != null ? budget.limit() : s[NativePool.STAT_LIMIT_BYTES];
        Events.allocationFailed(resource, bytes, s[NativePool.STAT_LIVE_BYTES], limit, status == NativeStatus.ELIMIT);
        if (status == NativeStatus.ELIMIT) {
            long reserved = budget != null ? budget.reserved() : 0;
            return new NativeOutOfMemoryError(resource.name() + " limit exceeded: requested " + bytes + " bytes ("
                    + detail + ") with " + s[NativePool.STAT_LIVE_BYTES] + " bytes live"
                    + (reserved > 0 ? ", " + reserved + " bytes reserved by child pools" : "")
                    + " and a limit of " + limit + " bytes", bytes);
        }
        return new NativeOutOfMemoryError("the " + allocatorName + " allocator could not provide " + bytes
                + " bytes (" + detail + ") for " + resource.name(), bytes);
    }

    private static String statusText(long result) {
        switch ((int) -result) {
            case NativeStatus.ENOMEM: return "out of memory";
            case NativeStatus.EOVERFLOW: return "size overflows";
            case NativeStatus.EINVAL: return "invalid argument";
            case NativeStatus.ELIMIT: return "limit exceeded";
            default: return "status " + (-result);
        }
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
        acquire();
        try {
            return NativePool.cym_j_pool_owns(handle, address) != 0;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
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
        acquire();
        try {
            return liveSize(address, "sizeOf");
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /** The size of a live block; call inside the call bracket. {@code operation} names the call in the message. */
    private long liveSize(long address, String operation) {
        long size = NativePool.cym_j_pool_size_of(handle, address);
        if (size < 0) {
            throw new IllegalArgumentException(operation + "(" + Checks.hex(address) + "): not a live block of "
                    + resource.name());
        }
        return size;
    }

    /**
     * The bytes in live blocks (cymem's {@code Pool.size}).
     *
     * @return the total size of the live blocks, in bytes
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long liveBytes() {
        return stat(NativePool.STAT_LIVE_BYTES);
    }

    /**
     * The number of live blocks.
     *
     * @return the number of blocks allocated and not yet freed
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long liveBlocks() {
        return stat(NativePool.STAT_LIVE_BLOCKS);
    }

    private long stat(int index) {
        acquire();
        try {
            return resource.stats()[index];
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * A snapshot of the live blocks: address to size in bytes. Unlike cymem's {@code addresses}, it is a copy;
     * changing the pool does not change it, and it cannot change the pool.
     *
     * @return an unmodifiable map from each live block's address to its size in bytes
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public Map<Long, Long> addresses() {
        acquire();
        try {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, resource.stats()[NativePool.STAT_LIVE_BLOCKS]);
            long[] addresses = new long[capacity];
            long[] sizes = new long[capacity];
            int n = (int) NativePool.cym_j_pool_snapshot(handle, addresses, sizes, capacity);
            Map<Long, Long> map = new HashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                map.put(addresses[i], sizes[i]);
            }
            return Collections.unmodifiableMap(map);
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
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
            synchronized (accessorsLock) {
                if (accessors == null) {
                    accessors = new HashMap<>();
                    madeAccessors = true; // before the size is read: see revokeAccessor
                }
                long size = liveSize(address, "block");
                return accessors.computeIfAbsent(address, a -> new Block(this, a, size));
            }
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Revokes the accessor of a block just freed or moved; call under accessorsLock, in the same locked step as the
     * native free, so that no {@link #block} can size a block at that address between the two. (Revoking after an
     * unlocked free revoked a new block's accessor that another thread had just made at the reused address.)
     */
    private void revokeAccessor(long address) {
        Block b = accessors == null ? null : accessors.remove(address);
        if (b != null) {
            b.invalidate();
        }
    }

    /**
     * After a free or realloc made without the lock (the pool had no accessor yet): if {@link #block} made the pool's
     * first accessor meanwhile, it may have sized the block before the free. block() publishes {@code madeAccessors}
     * before it reads the size and this reads the flag after the native call, so one of them sees the other. Such an
     * accessor is revoked unless it still matches the block living at its address now (a new block there, made by
     * another thread after the free, keeps its accessor). Pools without accessors skip the lock on the hot path.
     */
    private void revokeRacingFirstAccessor(long address) {
        if (!madeAccessors) {
            return;
        }
        synchronized (accessorsLock) {
            Block b = accessors == null ? null : accessors.get(address);
            if (b != null && NativePool.cym_j_pool_size_of(handle, address) != b.byteSize()) {
                accessors.remove(address);
                b.invalidate();
            }
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
        if (resource == null) {
            throw new NullPointerException("resource");
        }
        acquire();
        try {
            this.resource.attach(resource);
            return resource;
        } finally {
            release();
        }
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
            return handle;
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
        if (scope.isConfined() && scope.isOpen()) {
            // Check every confined pool this close would close first, so a refused close changes nothing.
            if (scope.owner() != Thread.currentThread()) {
                throw scope.wrongThread();
            }
            for (Pool child : openChildren()) {
                if (child.isOpen() && child.scope.isConfined() && child.scope.owner() != Thread.currentThread()) {
                    throw child.scope.wrongThread();
                }
            }
        }
        // Shared: stops new calls, then waits for the ones in flight (short native calls; none can start now).
        // The thread that began closing frees; a concurrent closer just returns.
        if (!scope.beginClose()) {
            return;
        }
        // No child can be added now: child() holds a call in flight, and the confined children are ours.
        RuntimeException childFailure = closeChildren();
        if (madeAccessors) {
            synchronized (accessorsLock) {
                if (accessors != null) {
                    accessors.values().forEach(Block::invalidate);
                    accessors = null;
                }
            }
        }
        String damage = debug != null ? debug.beforeClose(handle, liveBlockMap()) : null;
        resource.markExplicit();
        try {
            cleanable.clean();
        } catch (RuntimeException e) {
            if (childFailure != null) {
                e.addSuppressed(childFailure);
            }
            throw e;
        } finally {
            if (parent != null) {
                parent.removeChild(this);
            }
        }
        if (damage != null) {
            IllegalStateException e = new IllegalStateException(damage);
            if (childFailure != null) {
                e.addSuppressed(childFailure);
            }
            throw e;
        }
        if (childFailure != null) {
            throw childFailure;
        }
    }

    private List<Pool> openChildren() {
        if (!madeChildren) {
            return List.of(); // no lock: an uncontended monitor is a good part of an empty pool's open + close
        }
        synchronized (accessorsLock) {
            return children == null ? List.of() : new ArrayList<>(children);
        }
    }

    /** Closes the children, last opened first; returns the first failure (others suppressed) instead of throwing. */
    private RuntimeException closeChildren() {
        List<Pool> open = openChildren();
        RuntimeException failure = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    private void removeChild(Pool child) {
        synchronized (accessorsLock) {
            if (children != null) {
                children.remove(child);
            }
        }
    }

    /** The live blocks, read while closing (no acquire: the pool is already marked closed). */
    private Map<Long, Long> liveBlockMap() {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, resource.stats()[NativePool.STAT_LIVE_BLOCKS]);
        long[] addresses = new long[capacity];
        long[] sizes = new long[capacity];
        int n = (int) Math.min(capacity, NativePool.cym_j_pool_snapshot(handle, addresses, sizes, capacity));
        Map<Long, Long> live = new HashMap<>();
        for (int i = 0; i < n; i++) {
            live.put(addresses[i], sizes[i]);
        }
        return live;
    }

    /**
     * The usable size of a live block as the allocator that made it reports it, or -1 (see Allocator.usableSize):
     * ownership and size asked in one call bracket, so a concurrent close() cannot free the block in between.
     */
    long usableSize(long address) {
        acquire();
        try {
            liveSize(address, "usableSize");
            return NativeAllocator.cym_j_pool_usable_size(handle, address);
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /** {@code Pool#3 (confined, system allocator, 2 blocks, 128 bytes)} or {@code Pool#3 (closed)}. */
    @Override
    public String toString() {
        long[] stats = resource.stats();
        return stats == null ? resource.name() + " (closed)" : LeakReports.describe(resource, stats);
    }
}
