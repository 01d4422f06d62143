package org.cymem4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.PoolResource;
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
 * the pool was created when {@code -Dcymem4j.leakSites=true}.
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
    private static final VarHandle STATE;
    /** Set in {@link #state} once closing has begun; calls that see it throw. */
    private static final int CLOSED = 1 << 30;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Pool.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolResource resource;
    private final long handle;
    private final boolean shared;
    private final String allocatorName;
    /** The thread a confined pool belongs to; null for a shared pool. Volatile: {@link #handoff} publishes it. */
    private volatile Thread owner;
    /** Confined: 0 open, or CLOSED. Shared: the number of calls in flight, plus CLOSED once closing began. */
    private volatile int state;
    private final Cleaner.Cleanable cleanable;
    /** Accessors handed out per block address, invalidated when the block is freed; lazily made. */
    private Map<Long, Block> accessors; // guarded by accessorsLock
    private final Object accessorsLock = new Object();
    /**
     * Set (under accessorsLock) before the first accessor is handed out; never cleared. Lets {@link #free} skip
     * the lock on pools that never made an accessor: taking it cost about 20 ns of a 60 ns alloc+free pair.
     */
    private volatile boolean madeAccessors;

    private Pool(boolean shared) {
        long h = NativePool.cym_j_pool_create(0L, shared ? 1 : 0);
        if (h <= 0) {
            throw new NativeOutOfMemoryError("could not allocate a pool (" + statusText(h) + ")", 0);
        }
        this.handle = h;
        this.shared = shared;
        this.allocatorName = "system";
        this.owner = shared ? null : Thread.currentThread();
        this.resource = new PoolResource(h, shared, allocatorName, LeakReports.siteOrNull());
        this.cleanable = CLEANER.register(this, resource);
    }

    /**
     * Opens a pool confined to the calling thread, backed by the system allocator.
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public static Pool open() {
        return new Pool(false);
    }

    /**
     * Opens a pool that any thread may use and close, backed by the system allocator.
     *
     * @return a new open pool; close it (try-with-resources)
     * @throws NativeOutOfMemoryError if the pool itself cannot be allocated
     */
    public static Pool openShared() {
        return new Pool(true);
    }

    // ---- liveness and confinement --------------------------------------------------------------------

    /** Enters a call: throws if closed or, for a confined pool, if called from another thread. */
    void acquire() {
        if (!shared) {
            if (state == CLOSED) {
                throw closed();
            }
            if (owner != Thread.currentThread()) {
                throw wrongThread();
            }
            return;
        }
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) {
                throw closed();
            }
            if (STATE.weakCompareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    /** Leaves a call entered by {@link #acquire()}. */
    void release() {
        if (shared) {
            STATE.getAndAdd(this, -1);
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException(resource.name() + " is closed");
    }

    private IllegalStateException wrongThread() {
        Thread o = owner;
        Thread me = Thread.currentThread();
        return new IllegalStateException(resource.name() + " is confined to thread '" + o.getName() + "' (id "
                + o.getId() + ") but was used from thread '" + me.getName() + "' (id " + me.getId()
                + "); use Pool.openShared() or handoff()");
    }

    /** Pool#id, as messages name the pool. */
    String resourceName() {
        return resource.name();
    }

    /** True until {@link #close()} (or the Cleaner) released the pool. */
    public boolean isOpen() {
        return (state & CLOSED) == 0;
    }

    /** True for a pool made by {@link #openShared()}. */
    public boolean isShared() {
        return shared;
    }

    /** The thread a confined pool belongs to, or {@code null} for a shared pool. */
    public Thread owner() {
        return owner;
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
     * @throws IllegalStateException if the pool is shared, closed, or not owned by the calling thread
     * @throws NullPointerException if {@code thread} is null
     */
    public void handoff(Thread thread) {
        if (thread == null) {
            throw new NullPointerException("thread");
        }
        if (shared) {
            throw new IllegalStateException(resource.name() + " is shared: any thread may use it, handoff() is for confined pools");
        }
        acquire();
        owner = thread;
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
     * @throws NativeOutOfMemoryError if the allocator fails (the pool is unchanged)
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long alloc(long count, long elemSize) {
        Checks.byteSize(count, elemSize);
        acquire();
        try {
            long r = NativePool.cym_j_pool_alloc(handle, count, elemSize);
            if (r <= 0) {
                throw allocFailure(r, count * elemSize, "count=" + count + " elemSize=" + elemSize);
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
            int status = NativePool.cym_j_pool_free(handle, address);
            if (status != NativeStatus.OK) {
                throw notOwned(address, "free");
            }
            invalidateAccessors(address);
        } finally {
            release();
            Reference.reachabilityFence(this);
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
     * @throws NativeOutOfMemoryError if the allocator fails (the old block is intact)
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public long realloc(long address, long newBytes) {
        Checks.nonNegative(newBytes, "newBytes");
        acquire();
        try {
            long r = NativePool.cym_j_pool_realloc(handle, address, newBytes);
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
            invalidateAccessors(address);
            return r;
        } finally {
            release();
            Reference.reachabilityFence(this);
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
        if (status == NativeStatus.ELIMIT) {
            long[] s = resource.stats();
            return new NativeOutOfMemoryError(resource.name() + " limit exceeded: requested " + bytes + " bytes ("
                    + detail + ") with " + s[NativePool.STAT_LIVE_BYTES] + " bytes live and a limit of "
                    + s[NativePool.STAT_LIMIT_BYTES] + " bytes", bytes);
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

    /** True if {@code address} is the start of a live block of this pool. */
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
     * @throws IllegalArgumentException if the pool does not own {@code address}
     */
    public long sizeOf(long address) {
        acquire();
        try {
            long size = NativePool.cym_j_pool_size_of(handle, address);
            if (size < 0) {
                throw new IllegalArgumentException("sizeOf(" + Checks.hex(address) + "): not a live block of "
                        + resource.name());
            }
            return size;
        } finally {
            release();
            Reference.reachabilityFence(this);
        }
    }

    /** The bytes in live blocks (cymem's {@code Pool.size}). */
    public long bytes() {
        return stat(NativePool.STAT_LIVE_BYTES);
    }

    /** The number of live blocks. */
    public long blocks() {
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
     * @throws IllegalArgumentException if the pool does not own {@code address}
     */
    public Block block(long address) {
        long size = sizeOf(address);
        synchronized (accessorsLock) {
            if (accessors == null) {
                accessors = new HashMap<>();
                madeAccessors = true;
            }
            return accessors.computeIfAbsent(address, a -> new Block(this, a, size));
        }
    }

    private void invalidateAccessors(long address) {
        if (!madeAccessors) {
            return;
        }
        synchronized (accessorsLock) {
            Block b = accessors == null ? null : accessors.remove(address);
            if (b != null) {
                b.invalidate();
            }
        }
    }

    /**
     * Allocates {@code count} zeroed ints and returns them as a JavaCPP {@link org.bytedeco.javacpp.IntPointer}
     * that the pool, not the pointer, frees. The pointer checks the pool on every {@code get}/{@code put} and stops
     * working when the pool closes or the block is {@link #free freed} (pass {@code pointer.address()}).
     */
    public org.bytedeco.javacpp.IntPointer allocInts(long count) {
        return typed(count, Integer.BYTES, PoolPointers.Ints::new);
    }

    /** As {@link #allocInts}, for {@code long} (C {@code int64_t}). */
    public org.bytedeco.javacpp.LongPointer allocLongs(long count) {
        return typed(count, Long.BYTES, PoolPointers.Longs::new);
    }

    /** As {@link #allocInts}, for {@code double}. */
    public org.bytedeco.javacpp.DoublePointer allocDoubles(long count) {
        return typed(count, Double.BYTES, PoolPointers.Doubles::new);
    }

    /** As {@link #allocInts}, for {@code float}. */
    public org.bytedeco.javacpp.FloatPointer allocFloats(long count) {
        return typed(count, Float.BYTES, PoolPointers.Floats::new);
    }

    /** As {@link #allocInts}, for {@code short}. */
    public org.bytedeco.javacpp.ShortPointer allocShorts(long count) {
        return typed(count, Short.BYTES, PoolPointers.Shorts::new);
    }

    /** As {@link #allocInts}, for {@code byte} (C {@code char}). */
    public org.bytedeco.javacpp.BytePointer allocBytes(long count) {
        return typed(count, Byte.BYTES, PoolPointers.Bytes::new);
    }

    /** Makes a pool-owned typed pointer over a fresh block, guarded by that block's accessor. */
    private <P extends Pointer> P typed(long count, int width, PoolPointers.Factory<P> make) {
        long address = alloc(count, width);
        Block block = block(address);
        P pointer = make.create(block, address, count);
        block.guard(pointer);
        return pointer;
    }

    // ---- lifetime ----------------------------------------------------------------------------------------

    /**
     * Ties {@code resource}'s lifetime to this pool (cymem's {@code own_pyref}), for example a JavaCPP
     * {@code Pointer} that owns other native memory: it is closed when the pool closes (or is cleaned). Resources
     * close in reverse order of attachment, before the pool's blocks are freed, so they may still use pool memory
     * while closing. The resource must not refer to the pool, or a pool that is never closed could never be
     * collected either.
     *
     * @return {@code resource}, for chaining
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
     * The C handle of this pool ({@code cym_pool_t*}), for native code that allocates into it through
     * {@code cymem4j.h}. Valid while the pool is open; native code must never destroy it.
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
     * Frees every block of the pool in one native call and closes the attached resources. Idempotent: a second call
     * does nothing. On a shared pool, waits for calls in flight on other threads to finish.
     *
     * @throws IllegalStateException if a confined pool is closed from a thread it is not confined to, or if an
     *     attached resource failed to close (the pool's memory is freed regardless)
     */
    @Override
    public void close() {
        if (!shared) {
            if (state == CLOSED) {
                return;
            }
            if (owner != Thread.currentThread()) {
                throw wrongThread();
            }
            state = CLOSED;
        } else {
            // First stop new calls, then wait for the ones in flight: they are short native calls, and none can
            // start now, so the wait ends. The thread that set the flag frees; a concurrent closer just returns.
            int s;
            do {
                s = state;
                if ((s & CLOSED) != 0) {
                    return;
                }
            } while (!STATE.compareAndSet(this, s, s | CLOSED));
            while (state != CLOSED) {
                Thread.onSpinWait();
            }
        }
        synchronized (accessorsLock) {
            if (accessors != null) {
                accessors.values().forEach(Block::invalidate);
                accessors = null;
            }
        }
        resource.markExplicit();
        cleanable.clean();
    }

    /** {@code Pool#3 (confined, system allocator, 2 blocks, 128 bytes)} or {@code Pool#3 (closed)}. */
    @Override
    public String toString() {
        long[] stats = resource.stats();
        return stats == null ? resource.name() + " (closed)" : LeakReports.describe(resource, stats);
    }
}
