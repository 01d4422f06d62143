package org.cymem4j.view;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Block;
import org.cymem4j.internal.BufferLease;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.PoolAccess;

/**
 * What keeps a view's memory alive and says whether it still is: a pool {@link Block} (the pool must be open, the
 * block not freed, and a confined pool used from its thread), or memory the library does not own (a direct
 * {@code ByteBuffer}, a JavaCPP {@code Pointer}, a wrapped address) that is live until its {@code NativeArray} is
 * closed or its pointer deallocated. Views hold their owner strongly, and the owner holds {@link #base()}.
 *
 * <p>A final class with a null-checked block rather than subclasses, so the per-element check is one predictable
 * branch the JIT inlines.
 */
final class Owner {
    private final Block block;          // pool-owned memory, or null
    private final PoolAccess.Bridge bridge; // read once: a final field the JIT folds, not a static volatile
    /**
     * The confined fast path: the thread and pool epoch of the last full check that passed. While the calling thread
     * is that thread and the epoch is unchanged, the pool has stayed confined to this thread with nothing freed,
     * moved or closed (any of those bumps the epoch, on this very thread, which always sees its own writes), so the
     * full check would pass again. Plain reads the JIT can hoist out of loops; an immutable pair, so a racy read sees
     * one consistent ticket.
     */
    private Ticket ticket;
    private BufferLease lease;          // a TypedArray's buffer, valid until it moves or changes length; or null
    private BooleanSupplier alive;      // liveness of foreign memory (a MemorySegment's scope), or null
    private final Pointer pointer;      // JavaCPP-owned memory (live while not null), or null
    private final Object base;          // what MemoryView.base() returns
    private volatile boolean closed;    // wrapped memory released through its NativeArray
    /** Every region an indirect view may reach (sorted by address), or null for direct-only owners. */
    private Region[] regions;

    private Owner(Block block, Pointer pointer, Object base) {
        this.bridge = block != null ? PoolAccess.bridge() : null;
        this.block = block;
        this.pointer = pointer;
        this.base = base;
    }

    static Owner ofBlock(Block block, Object base) {
        return new Owner(block, null, base);
    }

    static Owner ofLease(BufferLease lease, Block block, Object base) {
        Owner o = new Owner(block, null, base);
        o.lease = lease;
        return o;
    }

    static Owner ofPointer(Pointer pointer, Object base) {
        return new Owner(null, pointer, base);
    }

    /** Memory someone else frees, live while {@code alive} says so (checked on every access). */
    static Owner withLiveness(Object base, BooleanSupplier alive) {
        Owner o = new Owner(null, null, base);
        o.alive = alive;
        return o;
    }

    static Owner unmanaged(Object base) {
        return new Owner(null, null, base);
    }

    /** Enters an access: throws {@link IllegalStateException} when the memory is gone or used from the wrong thread. */
    void enter() {
        if (lease != null) {
            lease.check();
        }
        if (block != null) {
            Ticket t = ticket;
            if (t != null && t.thread == Thread.currentThread() && t.epoch == bridge.confinedEpoch(block)) {
                return; // verified on this thread, and nothing was freed, moved, handed off or closed since
            }
            bridge.enter(block);
            int e = bridge.confinedEpoch(block);
            if (e >= 0) {
                ticket = new Ticket(Thread.currentThread(), e);
            }
        } else if (closed || (pointer != null && pointer.isNull()) || (alive != null && !alive.getAsBoolean())) {
            throw new IllegalStateException(describe() + " was released");
        }
    }

    /** Leaves an access entered by {@link #enter()}. */
    void exit() {
        if (block != null) {
            bridge.exit(block);
        }
    }

    private static final class Ticket {
        final Thread thread;
        final int epoch;

        Ticket(Thread thread, int epoch) {
            this.thread = thread;
            this.epoch = epoch;
        }
    }

    /** Checks liveness once, for operations that do not touch memory from Java (JNI kernels enter around the call). */
    void check() {
        enter();
        exit();
    }

    Object base() {
        return base;
    }

    Block block() {
        return block;
    }

    void markClosed() {
        closed = true;
    }

    void setRegions(Region[] sorted) {
        this.regions = sorted;
    }

    /** The region holding {@code [address, address + length)}, for following a suboffset pointer. */
    Region regionFor(long address, long length) {
        Region[] rs = regions;
        if (rs != null) {
            int lo = 0;
            int hi = rs.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (rs[mid].address <= address) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (hi >= 0 && rs[hi].contains(address, length)) {
                return rs[hi];
            }
        }
        throw new IllegalStateException("indirect pointer " + Checks.hex(address) + " (" + length
                + " bytes) is outside the memory of " + describe() + "; refusing to follow it");
    }

    String describe() {
        if (lease != null) {
            return lease.ownerName();
        }
        if (base instanceof NativeArray) {
            return base.toString();
        }
        return block != null ? block.toString() : base.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(base));
    }

    static Region[] sortRegions(Region[] rs) {
        Region[] copy = rs.clone();
        Arrays.sort(copy, (a, b) -> Long.compare(a.address, b.address));
        return copy;
    }
}
