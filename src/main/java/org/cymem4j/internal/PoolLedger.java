package org.cymem4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pool ids, and the counts of pools opened and of pools closed before they needed native memory, kept per thread so
 * that an empty pool's open + close takes no atomic instruction. Issue 20: the id's {@code lock xadd} and the close
 * count's {@code lock cmpxchg} were a third of an empty pool's open + close (22 ns with them, 15 without, the arena
 * 5); a thread's own counter, written only by that thread, costs a {@link ThreadLocal} lookup and a store.
 *
 * <ul>
 * <li><b>Ids</b> are unique, not dense: a thread takes {@link #ID_BLOCK} at a time from one process-wide counter and
 *     hands them out in order, so ids grow within a thread, and pools of different threads interleave in blocks.</li>
 * <li><b>Counts</b> live in the calling thread's {@link Cell}. Only its thread writes a cell (a release store); a
 *     reader sums every cell with acquire loads, under {@link #LOCK}. A cell whose thread has terminated is folded
 *     into {@link #foldedOpened} and {@link #foldedClosed} when the table is full (its termination, seen through
 *     {@link Thread#isAlive()}, orders its last writes before the fold), so the table holds about the live threads
 *     that ever opened a pool.</li>
 * </ul>
 *
 * <p>Invariants, per cell and so in the sums: {@code opened} and {@code closed} only grow, and a pool's close is
 * counted (in its closing thread's cell) only after its open (in its opening thread's): its closing thread saw the pool
 * through a happens-before edge from the open, and its release store carries that edge to a reader that sees the
 * close. So {@link #closedUnused()} read before {@link #opened()} never counts a close whose open it misses.
 */
public final class PoolLedger {
    /** Ids a thread takes at once: the process-wide counter's one atomic is shared by this many opens. */
    static final int ID_BLOCK = 32;
    private static final AtomicLong ISSUED = new AtomicLong();
    private static final VarHandle OPENED;
    private static final VarHandle CLOSED;
    private static final ThreadLocal<Cell> CELLS = ThreadLocal.withInitial(PoolLedger::register);
    private static final Object LOCK = new Object();
    private static Cell[] cells = new Cell[16]; // guarded by LOCK
    private static int size; // guarded by LOCK
    private static long foldedOpened; // guarded by LOCK
    private static long foldedClosed; // guarded by LOCK

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OPENED = lookup.findVarHandle(Cell.class, "opened", long.class);
            CLOSED = lookup.findVarHandle(Cell.class, "closed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One thread's ids and counts: that thread writes them, readers sum them under {@link #LOCK}. */
    private static final class Cell {
        final Thread thread;
        /** The next id to hand out, and the end of the block it comes from (both the thread's own). */
        long nextId;
        long idEnd;
        /** Pools this thread opened; pools this thread closed before they needed native memory. */
        long opened;
        long closed;

        Cell(Thread thread) {
            this.thread = thread;
        }
    }

    private PoolLedger() {
    }

    /** Counts a pool opened by the calling thread: its id (> 0, unique in the process). */
    public static long open() {
        Cell c = CELLS.get();
        long id = c.nextId;
        if (id == c.idEnd) {
            id = ISSUED.getAndAdd(ID_BLOCK) + 1;
            c.idEnd = id + ID_BLOCK;
        }
        c.nextId = id + 1;
        OPENED.setRelease(c, c.opened + 1);
        return id;
    }

    /** Counts a pool the calling thread closed before it needed native memory. */
    public static void closeUnused() {
        Cell c = CELLS.get();
        CLOSED.setRelease(c, c.closed + 1);
    }

    /** Pools opened so far. Read after {@link #closedUnused()} (see the class invariants). */
    public static long opened() {
        synchronized (LOCK) {
            long sum = foldedOpened;
            for (int i = 0; i < size; i++) {
                sum += (long) OPENED.getAcquire(cells[i]);
            }
            return sum;
        }
    }

    /** Pools closed so far before they needed native memory. */
    public static long closedUnused() {
        synchronized (LOCK) {
            long sum = foldedClosed;
            for (int i = 0; i < size; i++) {
                sum += (long) CLOSED.getAcquire(cells[i]);
            }
            return sum;
        }
    }

    /** The calling thread's first open: a cell in the table, after folding the cells of terminated threads. */
    private static Cell register() {
        Cell mine = new Cell(Thread.currentThread());
        synchronized (LOCK) {
            if (size == cells.length) {
                int kept = 0;
                for (int i = 0; i < size; i++) {
                    Cell c = cells[i];
                    if (c.thread.isAlive()) {
                        cells[kept++] = c;
                    } else {
                        foldedOpened += c.opened;
                        foldedClosed += c.closed;
                    }
                }
                Arrays.fill(cells, kept, size, null);
                size = kept;
                if (size > cells.length / 2) {
                    cells = Arrays.copyOf(cells, cells.length * 2); // half full of live threads: room to grow
                }
            }
            cells[size++] = mine;
        }
        return mine;
    }

    /** The number of cells in the table (for tests: terminated threads' cells are folded). */
    static int cells() {
        synchronized (LOCK) {
            return size;
        }
    }
}
