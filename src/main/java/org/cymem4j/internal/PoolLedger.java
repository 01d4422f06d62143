package org.cymem4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pool ids, the counts of pools opened and of pools closed before they needed native memory, and the sampled leak
 * detection's choice of pools, kept per thread so that an empty pool's open + close takes no atomic instruction.
 * Issue 20: the id's {@code lock xadd} and the close count's {@code lock cmpxchg} were a third of an empty pool's open +
 * close (22 ns with them, 15 without, the arena 5); a thread's own cell, written only by that thread, costs a
 * {@link ThreadLocal} lookup and a store.
 *
 * <ul>
 * <li><b>Cells</b> are {@code long[]}s, not a class of this library, so a thread's {@code ThreadLocal} map never
 *     pins the library's class loader (an application server's undeploy). One per thread, found through
 *     {@link #CELLS} and registered in {@link #BY_THREAD}: a thread whose thread-locals were cleared (the JDK does that
 *     to an idle common-pool worker) gets its own cell back, never a second one.</li>
 * <li><b>Ids</b> are unique, not dense: a thread takes {@link #ID_BLOCK} at a time from one process-wide counter and
 *     hands them out in order, so ids grow within a thread, and pools of different threads interleave in blocks.</li>
 * <li><b>Counts</b>: only a cell's thread writes it (release stores); a reader sums every cell with acquire loads,
 *     under {@link #LOCK}. The cells of terminated threads are folded into {@link #foldedOpened} and
 *     {@link #foldedClosed} by every read and whenever the table has doubled since the last fold (a thread's
 *     termination, seen through {@link Thread#isAlive()}, orders its last writes before the fold).</li>
 * <li><b>Sampling</b>: each cell counts down from a random start in {@code [1, 128]}; the pool that reaches zero is
 *     sampled and the count starts again at 128. So one in 128 of each thread's pools, at a place that differs from
 *     thread to thread, and a thread that opens one pool in its life is sampled one time in 128.</li>
 * </ul>
 *
 * <p>Invariants, per cell and so in the sums: {@code opened} and {@code closed} only grow, and a pool's close is
 * counted (in its closing thread's cell) only after its open (in its opening thread's): its closing thread saw the pool
 * through a happens-before edge from the open, and its release store carries that edge to a reader that sees the
 * close. So {@link #closedUnused()} read before {@link #opened()} never counts a close whose open it misses.
 * {@code 1 <= countdown <= SAMPLING_INTERVAL} between opens.
 */
public final class PoolLedger {
    /** Ids a thread takes at once: the process-wide counter's one atomic is shared by this many opens. */
    static final int ID_BLOCK = 32;
    /** A cell's fields (indices), after 64 bytes of padding so that two threads' cells never share a cache line. */
    private static final int NEXT_ID = 8, ID_END = 9, OPENED = 10, CLOSED = 11, COUNTDOWN = 12, CELL_LONGS = 24;
    private static final VarHandle FIELD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final AtomicLong ISSUED = new AtomicLong();
    private static final ThreadLocal<long[]> CELLS = ThreadLocal.withInitial(PoolLedger::register);
    /** A lock, not a monitor: a virtual thread waiting here must not pin its carrier (JDK 21 to 23). */
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<Thread, long[]> BY_THREAD = new HashMap<>(); // guarded by LOCK
    private static int foldAt = 16; // guarded by LOCK
    private static long foldedOpened; // guarded by LOCK
    private static long foldedClosed; // guarded by LOCK

    private PoolLedger() {
    }

    /**
     * The calling thread's cell, for the calls below. Its first lookup on a thread allocates: call it before any
     * state changes that must not be left half done.
     */
    public static long[] cell() {
        return CELLS.get();
    }

    /** Counts a pool opened by the calling thread, whose {@link #cell()} is {@code c}: its id (> 0, unique). */
    public static long open(long[] c) {
        long id = c[NEXT_ID];
        if (id == c[ID_END]) {
            id = ISSUED.getAndAdd(ID_BLOCK) + 1;
            c[ID_END] = id + ID_BLOCK;
        }
        c[NEXT_ID] = id + 1;
        FIELD.setRelease(c, OPENED, c[OPENED] + 1);
        return id;
    }

    /** Counts a pool the calling thread, whose {@link #cell()} is {@code c}, closed before it needed native memory. */
    public static void closeUnused(long[] c) {
        FIELD.setRelease(c, CLOSED, c[CLOSED] + 1);
    }

    /** Whether the pool the calling thread is opening, whose {@link #cell()} is {@code c}, is its one in 128. */
    public static boolean sampleDue(long[] c) {
        long left = c[COUNTDOWN] - 1;
        c[COUNTDOWN] = left == 0 ? LeakReports.SAMPLING_INTERVAL : left;
        return left == 0;
    }

    /** Pools opened so far. Read after {@link #closedUnused()} (see the class invariants). */
    public static long opened() {
        return sum(OPENED);
    }

    /** Pools closed so far before they needed native memory. */
    public static long closedUnused() {
        return sum(CLOSED);
    }

    private static long sum(int field) {
        LOCK.lock();
        try {
            foldEnded();
            long sum = field == OPENED ? foldedOpened : foldedClosed;
            for (long[] c : BY_THREAD.values()) {
                sum += (long) FIELD.getAcquire(c, field);
            }
            return sum;
        } finally {
            LOCK.unlock();
        }
    }

    /** The calling thread's cell: the one it had if its thread-locals were cleared, else a new one. */
    private static long[] register() {
        Thread me = Thread.currentThread();
        LOCK.lock();
        try {
            long[] c = BY_THREAD.get(me);
            if (c == null) {
                if (BY_THREAD.size() >= foldAt) {
                    foldEnded();
                    foldAt = Math.max(16, 2 * BY_THREAD.size());
                }
                c = new long[CELL_LONGS];
                c[COUNTDOWN] = 1 + ThreadLocalRandom.current().nextInt(LeakReports.SAMPLING_INTERVAL);
                BY_THREAD.put(me, c);
            }
            return c;
        } finally {
            LOCK.unlock();
        }
    }

    /** Moves the counts of terminated threads into the folded totals and forgets their cells. Holds LOCK. */
    private static void foldEnded() {
        for (Iterator<Map.Entry<Thread, long[]>> it = BY_THREAD.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Thread, long[]> e = it.next();
            if (!e.getKey().isAlive()) {
                foldedOpened += e.getValue()[OPENED];
                foldedClosed += e.getValue()[CLOSED];
                it.remove();
            }
        }
    }

    /** The cells in the table (for tests), after folding those of terminated threads. */
    static int cells() {
        LOCK.lock();
        try {
            foldEnded();
            return BY_THREAD.size();
        } finally {
            LOCK.unlock();
        }
    }

    /** Clears the calling thread's thread-local, as the JDK does to an idle common-pool worker (for tests). */
    static void forgetThreadLocal() {
        CELLS.remove();
    }
}
