package org.cymem4j.internal;

/**
 * A range of native memory, {@code [address, address + bytes)}, and whether it may still be touched: its
 * {@link Scope} (open? right thread?) and its own validity (not freed, not moved by a {@code realloc}). Every handle
 * reads and writes its memory inside {@link #enter()}/{@link #exit()}, through {@link #access(long, long)}, which
 * checks the byte bounds; so the one check a handle type cannot forget is the one it cannot skip.
 *
 * <p>A <em>window</em> is a span over the start of another (its parent) that lasts only while the parent keeps the
 * version it had when the window was made: a typed array's buffer lent to a view or an element
 * accessor, which goes stale when the array changes its length or buffer ({@link #advance}). The check reads the
 * parent's fields directly, so it costs two plain reads more and nothing has to find and revoke the windows.
 *
 * <p>Validity is plain, not volatile, so element loops can hoist the check: it is written inside the scope's access
 * bracket (a confined owner sees its own writes, or the previous owner's through the handoff; a shared scope's use
 * count orders writer and reader) or after the scope is closed, when no access can pass {@link Scope#acquire()}.
 *
 * <p>Invariants: a window's {@code bytes <= parent.bytes} and {@code address == parent.address}; once invalid, a
 * span never becomes valid again; {@code version} only grows (64-bit: it cannot wrap in any real program).
 */
public final class Span {
    private final Scope scope;
    private final long address;
    private final long bytes;
    /** The span this is a window of, or null. */
    private final Span parent;
    /** For a window: the parent's version it is valid for. For a parent: bumped by {@link #advance}. */
    private long version;
    private boolean valid = true;
    /** Why the span is invalid ("was freed"); read only for messages. */
    private String reason;
    /** Why a parent's version moved on, as its {@code toString()} at the time of the error; for messages only. */
    private Object staleReason;
    /** What messages call the memory: its {@code toString()} ({@code block 0x... (64 bytes) of Pool#3}). */
    private final Object face;
    /**
     * The Java accessor, made with the span and final: a lazy one put its initialisation (a lock, for a shared pool's
     * arena) on a branch inside every element loop, and C2 then hoisted none of the checks out of the loop (3x on a
     * sum of doubles in a program that uses both pool kinds).
     */
    private final MemoryAccess access;
    /**
     * Exports (JDK 22+): the FFM shared arena of the segments handed out over this span ({@link Exports}), made on
     * the first export and closed before the memory can be freed or moved; null until then. Kept on the root span:
     * a window's exports share one arena per version of the root ({@link #windowExports}), closed when it advances.
     */
    private Object exports; // root only; guarded by the root's monitor
    /** The arena of the windows' exports at {@link #windowExportsVersion}, or null. */
    private Object windowExports; // root only; guarded by the root's monitor
    private long windowExportsVersion;
    /** True while the memory is being freed or moved (and forever once invalid): no new export arena is made. */
    private boolean exportsSuspended; // root only; guarded by the root's monitor
    /**
     * Why the memory must not be written (a read-only file mapping, where a write would fault: {@code "is mapped
     * READ_ONLY"}), or null for writable memory. Final: the write bracket's check is one hoistable read.
     */
    private final String readOnly;

    public Span(Scope scope, long address, long bytes, Object face) {
        this(scope, address, bytes, face, null, null);
    }

    /**
     * A span over memory that must not be written: {@link #enterWrite()} and {@link #checkWritable()} throw
     * {@link UnsupportedOperationException} with {@code face + " " + readOnly}.
     */
    public Span(Scope scope, long address, long bytes, Object face, String readOnly) {
        this(scope, address, bytes, face, null, readOnly);
    }

    private Span(Scope scope, long address, long bytes, Object face, Span parent, String readOnly) {
        this.scope = scope;
        this.readOnly = readOnly;
        this.address = address;
        this.bytes = bytes;
        this.face = face;
        this.parent = parent;
        this.version = parent == null ? 0 : parent.version;
        this.access = parent != null ? parent.access : scope.accessFor(address, bytes);
    }

    /**
     * A window over this span's first {@code bytes}, valid while this span is valid and keeps its current version.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or larger than this span
     */
    public Span window(long bytes, Object face) {
        if (bytes < 0 || bytes > this.bytes) {
            throw new IllegalArgumentException("a window of " + bytes + " bytes does not fit " + this.face + " ("
                    + this.bytes + " bytes)");
        }
        return new Span(scope, address, bytes, face, this, readOnly);
    }

    public Scope scope() {
        return scope;
    }

    /** The first byte's address (no check: callers that hand it to C check first). */
    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    // ---- the access bracket ---------------------------------------------------------------------------------

    /**
     * Enters a Java access through {@link #access(long, long)}: the scope's check, then this span's validity. Pair
     * every successful call with {@link #exit()} (try/finally). Around a native call use {@link #enterNative()}.
     *
     * @throws IllegalStateException if the scope is closed or used from the wrong thread, or the memory was freed,
     *     moved, or (a window) changed under it
     */
    public void enter() {
        try {
            scope.enterAccess();
        } catch (IllegalStateException e) {
            throw closedOrStale(e);
        }
        if (!isValid()) {
            scope.exitAccess();
            throw invalid();
        }
    }

    /**
     * Enters a Java write: as {@link #enter()}, after refusing memory that must not be written. Pair with
     * {@link #exit()}.
     *
     * @throws UnsupportedOperationException if the memory is read-only (nothing is written)
     */
    public void enterWrite() {
        if (readOnly != null) {
            throw readOnly();
        }
        enter();
    }

    /**
     * Refuses memory that must not be written, before a native call or a bulk path writes it (the C kernels cannot
     * tell, and a write to a read-only mapping would fault).
     *
     * @throws UnsupportedOperationException if the memory is read-only
     */
    public void checkWritable() {
        if (readOnly != null) {
            throw readOnly();
        }
    }

    /** True if writes are refused ({@link #checkWritable()}). */
    public boolean isReadOnly() {
        return readOnly != null;
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException(face + " " + readOnly);
    }

    /** Leaves an access entered by {@link #enter()}. */
    public void exit() {
        scope.exitAccess();
    }

    /**
     * Enters a native call on this memory (JNI, a JavaCPP accessor): as {@link #enter()}, but a shared scope counts
     * the call in flight, so {@code close()} waits for it. Pair with {@link #exitNative()}.
     */
    public void enterNative() {
        try {
            scope.acquire();
        } catch (IllegalStateException e) {
            throw closedOrStale(e);
        }
        if (!isValid()) {
            scope.release();
            throw invalid();
        }
    }

    /** Leaves a native call entered by {@link #enterNative()}. */
    public void exitNative() {
        scope.release();
    }

    /** Checks once, for work that does not touch the memory (an address handed out, a query). */
    public void check() {
        enterNative();
        exitNative();
    }

    /** A window whose owner moved on says so (a private pool closed with its array is an implementation detail). */
    private IllegalStateException closedOrStale(IllegalStateException e) {
        return parent != null && parent.version != version ? invalid() : e;
    }

    /**
     * The accessor, after checking {@code [offset, offset + length)} against this span's bounds; call between
     * {@link #enter()} and {@link #exit()}.
     *
     * @throws IndexOutOfBoundsException {@code offset=... length=... capacity=...}
     */
    public MemoryAccess access(long offset, long length) {
        Checks.bounds(offset, length, bytes);
        return access();
    }

    /** The accessor with no bounds check, for callers (views) that checked their own geometry. */
    public MemoryAccess access() {
        return access;
    }

    // ---- validity -------------------------------------------------------------------------------------------

    /** False once freed or moved (a window: also once its parent moved on). A plain read, for messages and fast paths. */
    public boolean isValid() {
        return valid && (parent == null || (parent.valid && parent.version == version));
    }

    /** Marks the memory as gone (freed, or moved by a realloc): every later access throws {@code face + " " + why}. */
    public void invalidate(String why) {
        if (valid) {
            reason = why;
            valid = false;
        }
        if (parent == null) {
            endExports();
        }
    }

    /**
     * Moves this span on to a new version: every window made before goes stale, with {@code why} (its
     * {@code toString()} when the error is made) in its message. The span itself stays valid.
     */
    public void advance(Object why) {
        if (staleReason != why) { // a typed array passes the same object on every append: skip the store's GC barrier
            staleReason = why;
        }
        version++;
        // A plain read first: a typed array advances on every append, and a lock there cost more than the append.
        // Racing an export made on another thread it may miss that arena; the free or realloc that could make it
        // dangerous still closes it (suspendExports, under the pool's lock), so only a within-capacity change is late.
        if (windowExports != null) {
            Object stale;
            synchronized (this) {
                stale = windowExports;
                windowExports = null;
            }
            Exports.close(stale); // segments lent by windows of the old version end with them, before any realloc
        }
    }

    // ---- exports (segments over the memory, JDK 22+) -----------------------------------------------------------
    //
    // An exported segment is checked by the JVM, not by this span, so its arena must close in the step that ends the
    // span: before a free or realloc of the block (suspendExports, from the pool's locked revoke step), when a window's
    // root advances, and when the memory is invalidated (a pool's close revokes every block before freeing any).

    /**
     * The arena for segments over this span (for a window: over the root's memory at the window's version), made on
     * the first call by {@code open} ({@code keepAlive} goes with it: what must stay reachable while a segment is).
     *
     * @throws IllegalStateException if the span is invalid or stale, or its memory is being freed or moved
     */
    public Object exportSession(Object keepAlive) {
        Span root = parent == null ? this : parent;
        synchronized (root) {
            if (!isValid() || root.exportsSuspended) {
                throw invalidOrEnding();
            }
            if (parent == null) {
                if (exports == null) {
                    exports = Exports.open(keepAlive);
                }
                return exports;
            }
            if (root.windowExports == null || root.windowExportsVersion != version) {
                Exports.close(root.windowExports);
                root.windowExports = Exports.open(keepAlive);
                root.windowExportsVersion = version;
            }
            return root.windowExports;
        }
    }

    private IllegalStateException invalidOrEnding() {
        return isValid() ? new IllegalStateException(face + " is being freed or reallocated") : invalid();
    }

    /**
     * Ends every segment exported over this root span and its windows, and refuses new ones, before the memory is
     * freed or moved: accesses in flight on other threads finish or fail first (the arena's handshake). Call
     * {@link #resumeExports()} if the free or move then fails.
     */
    public void suspendExports() {
        endExports();
    }

    /** Allows exports again after a free or realloc that failed (the block is unchanged); earlier ones stay ended. */
    public synchronized void resumeExports() {
        if (valid) {
            exportsSuspended = false;
        }
    }

    private void endExports() {
        Object own;
        Object windows;
        synchronized (this) {
            exportsSuspended = true;
            own = exports;
            windows = windowExports;
            exports = null;
            windowExports = null;
        }
        Exports.close(own);
        Exports.close(windows);
    }

    private IllegalStateException invalid() {
        if (!valid) {
            return new IllegalStateException(face + " " + reason);
        }
        if (parent.version != version) {
            return new IllegalStateException(face + " " + parent.staleReason);
        }
        return new IllegalStateException(face + " is stale: its memory (" + parent.face + ") " + parent.reason);
    }

    @Override
    public String toString() {
        return String.valueOf(face);
    }
}
