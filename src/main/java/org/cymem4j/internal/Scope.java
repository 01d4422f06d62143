package org.cymem4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one lifetime core: whether memory may be touched now, from this thread. Every handle the library gives out
 * (blocks, addresses, views and their slices, arrays and their rows, typed-array accessors, JavaCPP pointers) reaches
 * its memory through a {@link Span}, and every span asks its scope, the way every FFM segment asks its session. A
 * pool has one scope; memory the library does not own (a direct {@code ByteBuffer}, a JavaCPP pointer, a wrapped
 * address) gets an unmanaged scope of its own. New handle types plug in here; they never bring their own flags.
 *
 * <p>Three kinds, fixed at construction:
 * <ul>
 * <li><b>confined</b>: usable by its owner thread only. {@link #acquire()} is two plain reads (closed? confirmed
 *     owner?), which the JIT hoists out of element loops. Only the owner writes the state, and a new owner sees the
 *     old one's writes through the volatile {@link #owner} read that confirms it.</li>
 * <li><b>shared</b>: any thread. Striped counters ({@link #inFlight}) count the calls in flight, each thread on its
 *     own cache line, so threads calling one pool do not contend here; {@link #beginClose()} sets the closed bit
 *     (new calls fail) and waits for every stripe to drain, so no call ever runs on freed memory.</li>
 * <li><b>unmanaged</b>: memory someone else frees; open until {@link #beginClose()} (a wrapped array's close) or until
 *     its liveness test fails (a JavaCPP pointer deallocated, a {@code MemorySegment}'s scope closed).</li>
 * </ul>
 *
 * <p>Invariants: {@code state == CLOSED} after a completed close, forever; a shared scope's
 * {@code sum(inFlight[k * STRIDE])} (0 while the stripes are not made yet) == the number of {@link #acquire()}s
 * not yet {@link #release()}d, and each stripe is >= 0 (a thread increments and decrements the same stripe).
 * Nothing here wraps: there are no counters that decide validity.
 */
public final class Scope {
    private static final VarHandle STATE;
    private static final VarHandle IN_FLIGHT;
    private static final VarHandle OWNER;
    private static final VarHandle STRIPE = MethodHandles.arrayElementVarHandle(long[].class);
    /** Stripes of a shared scope's in-flight count: 2^STRIPE_BITS. */
    private static final int STRIPE_BITS = 3;
    private static final int STRIPES = 1 << STRIPE_BITS;
    /** Longs between two stripes: 128 bytes, so two stripes never share a cache line (or an adjacent-line pair). */
    private static final int STRIDE = 16;
    /** Set in {@link #state} once closing has begun; calls that see it throw. */
    private static final int CLOSED = 1 << 30;
    private static final int CONFINED = 0;
    private static final int SHARED = 1;
    private static final int UNMANAGED = 2;

    /**
     * The scopes of the native calls this thread is inside that may call back into Java (allocator hooks written in
     * Java), innermost first; only scopes with {@link #upcalls} are ever pushed.
     */
    private static final ThreadLocal<Frame> NATIVE_CALLS = new ThreadLocal<>();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Scope.class, "state", int.class);
            IN_FLIGHT = MethodHandles.lookup().findVarHandle(Scope.class, "inFlight", long[].class);
            OWNER = MethodHandles.lookup().findVarHandle(Scope.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int kind;
    /** What messages name the scope by ({@code Pool#3}); its text is made on first need ({@link #name()}). */
    private final Object label;
    private String name; // label.toString(), cached (a benign race: every thread computes the same text)
    /** True when native calls of this scope may call Java (an allocator made by {@code Allocator.fromJava}). */
    private final boolean upcalls;
    /** Unmanaged scopes only: the memory's own liveness test, or null. */
    private final BooleanSupplier liveness;
    /** Unmanaged scopes over a user's {@code MemorySegment} (JDK 22+): the segment, which accessors read through. */
    private final Object foreignSession;
    /** 0 while open, CLOSED once closing began (for unmanaged memory also once its liveness test fails). */
    private volatile int state;
    /**
     * Shared scopes only: the calls in flight, striped by thread ({@link #stripe()}) at {@code k * STRIDE}; null for
     * other kinds. One word for all threads made two threads on one shared pool take turns on its cache line.
     * Made by the first {@link #acquire()} ({@link #stripes()}): 1 KiB zeroed was a third of an empty shared pool's
     * open + close. Volatile, and set by a compare-and-set, so the close protocol below stays one total order.
     */
    private volatile long[] inFlight;
    /** The thread a confined scope belongs to; null otherwise. Volatile: {@link #handoff} publishes it. */
    private volatile Thread owner;
    /**
     * The thread that last confirmed, by a volatile read of {@link #owner}, that it owns this confined scope; only
     * that thread writes itself here, and {@link #handoff} clears it before publishing the new owner. A plain read
     * equal to the current thread therefore proves ownership with the handoff's happens-before edge already taken,
     * and the JIT can hoist it out of a loop of element reads (a volatile read per element cost 5x on a sum).
     */
    private Thread confirmedOwner;
    /** True for a shared scope whose Java accesses the FFM arena guards ({@link #enterAccess()} needs no count). */
    private final boolean anyThread;
    /**
     * A shared scope's FFM arena ({@link Sessions}, JDK 22+), made with the first Java accessor of its memory and
     * closed by {@link #beginClose()} before the memory is freed; null until then, and always null on JDK 17.
     */
    private Object session; // guarded by this

    private Scope(int kind, Object label, boolean upcalls, BooleanSupplier liveness, Object foreignSession) {
        this.kind = kind;
        this.label = label;
        this.upcalls = upcalls;
        this.liveness = liveness;
        this.foreignSession = foreignSession;
        Thread o = kind == CONFINED ? Thread.currentThread() : null;
        // A release store, not a volatile one: its fence was a tenth of an empty pool's open + close (issue 20). Other
        // threads reach a pool's scope through its final field (Pool.scope), which shows them this store (JLS 17.5);
        // under a racy publication a volatile store would not be ordered before it either.
        OWNER.setRelease(this, o);
        this.anyThread = kind == SHARED && Sessions.ARENA_ACCESS;
        this.confirmedOwner = o;
    }

    /**
     * A scope owned by the calling thread, named by {@code label}'s {@code toString()} (asked only when a message
     * needs it: a pool's open costs no string). {@code upcalls}: its native calls may call back into Java.
     */
    public static Scope confined(Object label, boolean upcalls) {
        return new Scope(CONFINED, label, upcalls, null, null);
    }

    /** A scope any thread may use and close, named as {@link #confined}. {@code upcalls}: as {@link #confined}. */
    public static Scope shared(Object label, boolean upcalls) {
        return new Scope(SHARED, label, upcalls, null, null);
    }

    /** Memory the library does not free itself; {@code liveness} (or null) says whether it still exists. */
    public static Scope unmanaged(String name, BooleanSupplier liveness) {
        return new Scope(UNMANAGED, name, false, liveness, null);
    }

    /**
     * Memory of a user's {@code MemorySegment} (JDK 22+): accessors read through {@code segment} itself, so its own
     * scope guards every access, a concurrent close of its arena included; {@code liveness} gives the messages.
     */
    public static Scope ofSegment(String name, BooleanSupplier liveness, Object segment) {
        return new Scope(UNMANAGED, name, false, liveness, segment);
    }

    /**
     * True for memory whose release this library only learns by asking (a JavaCPP pointer someone else deallocates):
     * nothing can end an export of it in time, so checked exports refuse it ({@link Exports}).
     */
    public boolean releaseUnseen() {
        return kind == UNMANAGED && liveness != null && foreignSession == null;
    }

    /** How messages name the scope's owner, e.g. {@code Pool#3}. */
    public String name() {
        String n = name;
        if (n == null) {
            n = label.toString();
            name = n;
        }
        return n;
    }

    public boolean isShared() {
        return kind == SHARED;
    }

    public boolean isConfined() {
        return kind == CONFINED;
    }

    /** True when this scope's native calls may call back into Java (its allocator is written in Java). */
    public boolean mayCallJava() {
        return upcalls;
    }

    /** True until closing began (or, unmanaged, until the memory's liveness test fails). */
    public boolean isOpen() {
        return (state & CLOSED) == 0 && (liveness == null || liveness.getAsBoolean());
    }

    /**
     * Whether the scope looks open, from a plain read: for a face's own friendlier message on a hot path only (it may
     * be stale on another thread of a shared scope); the real check is {@link #acquire()}'s.
     */
    public boolean looksOpen() {
        return ((int) STATE.get(this) & CLOSED) == 0;
    }

    /** The owner thread of a confined scope, or null. */
    public Thread owner() {
        return owner;
    }

    // ---- the access brackets --------------------------------------------------------------------------------
    //
    // Two brackets, because two kinds of work touch the memory. A native call (a JNI kernel, a JavaCPP accessor, a
    // memset) cannot be stopped once it runs, so on a shared scope it always counts itself in flight (acquire/release)
    // and close() waits for it. A Java element access goes through a MemoryAccess (enterAccess/exitAccess): on JDK 22+
    // with native access, a shared scope's MemoryAccess reads through segments of the scope's FFM arena, which close()
    // closes with a handshake before freeing, so the access needs no count (Sessions.ARENA_ACCESS); elsewhere it
    // counts like a native call.

    /**
     * Enters a Java access to this scope's memory through a {@link #accessFor MemoryAccess}: throws
     * {@link IllegalStateException} if the scope is closed or, confined, used from another thread. Pair with
     * {@link #exitAccess()}. Never use it around a native call: that is {@link #acquire()}'s job.
     */
    public void enterAccess() {
        // One shape for every kind, so a loop that reads confined and shared memory alike keeps a single test it can
        // hoist: both fields are plain, and the branch is a constant per scope (anyThread is final). A confined scope
        // passes when its owner confirmed itself; a shared one with arena access passes while open (the arena's own
        // check in every segment access is the guard, the read here only picks the message); everything else
        // (another thread, a closed scope, a shared scope counting its accesses, unmanaged memory) takes acquire().
        if ((((int) STATE.get(this) & CLOSED) | (anyThread ? 0 : confirmedOwner == Thread.currentThread() ? 0 : 1))
                != 0) {
            acquire();
        }
    }

    /** Leaves an access entered by {@link #enterAccess()}. */
    public void exitAccess() {
        if (kind == SHARED && !Sessions.ARENA_ACCESS) {
            STRIPE.getAndAdd(inFlight, stripe(), -1L);
        }
    }

    /**
     * The Java accessor of {@code [address, address + bytes)} of this scope's memory: on a shared scope with
     * {@link Sessions#ARENA_ACCESS}, bound to the scope's arena (made now if this is the first).
     *
     * @throws IllegalStateException if a shared scope is already closing
     */
    public MemoryAccess accessFor(long address, long bytes) {
        Object s = foreignSession;
        if (kind == SHARED && Sessions.ARENA_ACCESS) {
            synchronized (this) {
                if ((state & CLOSED) != 0) {
                    throw closed(); // beginClose() may already have closed the arena: never bind to a new one
                }
                if (session == null) {
                    session = Sessions.openShared();
                }
                s = session;
            }
        }
        return new MemoryAccess(address, bytes, s, name());
    }

    /**
     * Enters a native call on this scope's memory: throws {@link IllegalStateException} if the scope is closed or,
     * confined, used from another thread. On a shared scope the call counts as in flight until {@link #release()},
     * and {@code close()} waits for it. Pair every successful call with {@link #release()} (try/finally).
     */
    public void acquire() {
        if (kind == CONFINED) {
            // Plain read: only the owner closes a confined scope (see confirmedOwner for the handoff case).
            if ((int) STATE.get(this) == CLOSED) {
                throw closed();
            }
            if (confirmedOwner != Thread.currentThread()) {
                confirmOwner();
            }
        } else if (kind == SHARED) {
            // Count first, then look: beginClose() sets CLOSED first, then looks at the counts. Both are volatile
            // (sequentially consistent), so either this call sees CLOSED and backs out, or close sees the count.
            // A close that found no stripes yet came before stripes() (all steps are volatile): this sees CLOSED.
            int k = stripe();
            long[] f = inFlight;
            if (f == null) {
                f = stripes();
            }
            STRIPE.getAndAdd(f, k, 1L);
            if ((state & CLOSED) != 0) {
                STRIPE.getAndAdd(f, k, -1L);
                throw closed();
            }
        } else if ((state & CLOSED) != 0 || (liveness != null && !liveness.getAsBoolean())) {
            throw released();
        }
    }

    /** Leaves an access entered by {@link #acquire()}. */
    public void release() {
        if (kind == SHARED) {
            STRIPE.getAndAdd(inFlight, stripe(), -1L);
        }
    }

    /** A shared scope's stripes, made by the first thread that needs them (one array, whichever thread wins). */
    private long[] stripes() {
        return Lazy.publish(IN_FLIGHT, this, new long[STRIPES * STRIDE]);
    }

    /**
     * The calling thread's stripe of {@link #inFlight}: its id, mixed (Fibonacci hashing), so threads made one after
     * another land on different stripes. Always the same for one thread, so its release undoes its acquire.
     */
    private static int stripe() { // Thread.getId(): threadId() is JDK 19+
        return (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> (64 - STRIPE_BITS)) * STRIDE;
    }

    /**
     * Throws {@link IllegalStateException} if a confined scope is used from another thread; nothing for other
     * kinds. Plain reads, no count: for a face that must refuse before it changes its own Java state (a typed
     * array's length), ahead of the memory access that checks everything.
     */
    public void checkThread() {
        if (kind == CONFINED && confirmedOwner != Thread.currentThread()) {
            confirmOwner();
        }
    }

    private void confirmOwner() {
        if (owner != Thread.currentThread()) {
            throw wrongThread();
        }
        confirmedOwner = Thread.currentThread();
    }

    // ---- ownership ------------------------------------------------------------------------------------------

    /**
     * Moves a confined scope to {@code thread}. Everything the caller wrote before is visible to {@code thread} once
     * it uses the scope (the volatile owner write, read by the new owner's first check).
     *
     * @throws IllegalStateException if the scope is not confined, is closed, is not owned by the caller, or
     *     {@code thread} has terminated (a pool handed to a dead thread could never be used or closed again)
     */
    public void handoff(Thread thread) {
        if (kind != CONFINED) {
            throw new IllegalStateException(name() + " is shared: any thread may use it, handoff() is for confined pools");
        }
        acquire();
        if (thread.getState() == Thread.State.TERMINATED) {
            throw new IllegalStateException("cannot hand " + name() + " off to thread '" + thread.getName() + "' (id "
                    + thread.getId() + "): it has terminated, so the pool could never be used or closed again");
        }
        confirmedOwner = null; // before the volatile write, so the new owner can never see this thread confirmed
        owner = thread;
    }

    /**
     * Starts closing: afterwards every {@link #acquire()} throws. Confined: only the owner may close. Shared: waits
     * until the calls in flight on other threads have left (they are short; none can start now).
     *
     * @return true for the one caller that must now release the memory; false if closing had already begun
     * @throws IllegalStateException if a confined scope is closed from another thread (it stays open), or a thread
     *     closes the scope from inside one of its native calls (an allocator hook)
     */
    public boolean beginClose() {
        checkNotInNativeCall("close()");
        if (kind == CONFINED) {
            if (state == CLOSED) {
                return false;
            }
            if (owner != Thread.currentThread()) {
                throw wrongThread();
            }
            // A release store, not a volatile one (its fence was a tenth of an empty pool's open + close): only the
            // owner reads the state to decide, and a later owner sees it through the handoff's volatile edge.
            STATE.setRelease(this, CLOSED);
            return true;
        }
        if (!STATE.compareAndSet(this, 0, CLOSED)) {
            return false;
        }
        for (int spins = 0; anyInFlight(); spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000); // a long kernel is in flight: stop burning the core it needs
            }
        }
        Object arena;
        synchronized (this) {
            arena = session;
        }
        Sessions.close(arena); // Java accesses in flight finish or fail (a handshake) before the caller frees the memory
        return true;
    }

    /** True while a stripe of a shared scope counts a call in flight (false for other kinds). */
    private boolean anyInFlight() {
        long[] f = inFlight;
        if (f == null) {
            return false;
        }
        for (int k = 0; k < STRIPES * STRIDE; k += STRIDE) {
            if ((long) STRIPE.getVolatile(f, k) != 0) {
                return true;
            }
        }
        return false;
    }

    // ---- re-entrancy from allocator hooks -------------------------------------------------------------------

    /** One native call this thread is inside, of a scope whose allocator may call Java. */
    private static final class Frame {
        final Scope scope;
        final String operation;
        final Frame outer;
        IllegalStateException reentered;

        Frame(Scope scope, String operation, Frame outer) {
            this.scope = scope;
            this.operation = operation;
            this.outer = outer;
        }
    }

    /**
     * Marks the start of a native call that may call back into Java; a no-op unless this scope's allocator is
     * written in Java. Pair with {@link #exitNativeCall()} in a finally block.
     */
    public void enterNativeCall(String operation) {
        if (upcalls) {
            NATIVE_CALLS.set(new Frame(this, operation, NATIVE_CALLS.get()));
        }
    }

    /**
     * Marks the end of the native call entered last. If an allocator hook re-entered this scope meanwhile (and got an
     * exception, which the hook's C caller could only see as a failed allocation), throws that exception now, so the
     * caller learns what happened instead of a misleading out-of-memory error.
     */
    public void exitNativeCall() {
        if (upcalls) {
            Frame f = NATIVE_CALLS.get();
            NATIVE_CALLS.set(f.outer);
            if (f.reentered != null) {
                throw f.reentered;
            }
        }
    }

    /**
     * Throws if this thread is inside a native call of this scope: an allocator hook calling back into the pool it
     * serves (the pool's table is mid-update and a shared pool's lock is held, so the call would corrupt the table
     * or wait for itself forever).
     *
     * @param operation the re-entrant call, as messages name it ({@code alloc(1, 64)})
     */
    public void checkNotInNativeCall(String operation) {
        if (!upcalls) {
            return;
        }
        for (Frame f = NATIVE_CALLS.get(); f != null; f = f.outer) {
            if (f.scope == this) {
                IllegalStateException e = new IllegalStateException("re-entrant call: " + operation + " on " + name()
                        + " from inside its own allocator hook (during " + f.operation + "); an allocator hook must"
                        + " not use the pool it serves");
                f.reentered = e;
                throw e;
            }
        }
    }

    /** True if {@code t} is the exception {@link #checkNotInNativeCall} threw and will rethrow: no need to log it. */
    public static boolean isPendingReentry(Throwable t) {
        for (Frame f = NATIVE_CALLS.get(); f != null; f = f.outer) {
            if (f.reentered == t) {
                return true;
            }
        }
        return false;
    }

    // ---- errors: one message per kind -------------------------------------------------------------------------

    /** {@code Pool#3 is closed}. */
    public IllegalStateException closed() {
        return new IllegalStateException(name() + " is closed");
    }

    private IllegalStateException released() {
        return new IllegalStateException(name() + " was released");
    }

    /** {@code Pool#3 is confined to thread 'main' (id 1) but was used from thread 'worker' (id 22); ...}. */
    public IllegalStateException wrongThread() {
        Thread o = owner;
        Thread me = Thread.currentThread();
        return new IllegalStateException(name() + " is confined to thread '" + o.getName() + "' (id " + o.getId()
                + ") but was used from thread '" + me.getName() + "' (id " + me.getId()
                + "); use Pool.openShared() or handoff()");
    }

    @Override
    public String toString() {
        return name();
    }
}
