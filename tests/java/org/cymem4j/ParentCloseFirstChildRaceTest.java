package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Review of e51be1a..b52a082 (not for commit): Pool.close() passes {@code children} (a volatile field that is null
 * until the first child()) to PoolClosing.close as it was BEFORE scope.beginClose(). A shared pool's first child()
 * on another thread that runs between that load and beginClose() publishes a new ChildPools, adds its child and
 * leaves the bracket; the close then drains nothing, calls closeAll(null) and leaves that child open.
 */
class ParentCloseFirstChildRaceTest {

    /** The interleaving, serialised: what the closing thread loaded, then the other thread's child(), then the rest. */
    @Test
    void parentCloseThatLoadedNoChildListBeforeTheFirstChildLeavesThatChildOpen() {
        Pool parent = Pool.openShared();
        ChildPools loadedByClose = parent.children; // Pool.close(): PoolClosing.close(this, children, parent)
        assertNull(loadedByClose);
        Pool child = parent.child(1 << 10); // thread A, before thread B's beginClose()
        try {
            PoolClosing.close(parent, loadedByClose, null); // thread B continues: beginClose, closeAll(null), ...
            assertFalse(parent.isOpen());
            assertFalse(child.isOpen(), "the parent's close left its first child open");
        } finally {
            child.close();
        }
    }

    /** The same with two real threads: counts rounds where child() succeeded yet the child outlived close(). */
    @Test
    void racingFirstChildAgainstParentClose() throws Exception {
        int rounds = 200_000;
        AtomicInteger round = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Pool[] parents = new Pool[1];
        Pool[] made = new Pool[rounds + 1];
        Thread opener = new Thread(() -> {
            for (int r = 1; r <= rounds; r++) {
                while (round.get() < r) {
                    Thread.onSpinWait();
                }
                try {
                    made[r] = parents[0].child(1 << 10);
                } catch (IllegalStateException closed) {
                    // the close came first: fine
                }
                done.set(r);
            }
        });
        opener.start();
        List<Pool> leaked = new ArrayList<>();
        long deadline = System.nanoTime() + 3_000_000_000L;
        int r = 1;
        for (; r <= rounds; r++) {
            Pool parent = Pool.openShared();
            parents[0] = parent;
            round.set(r);
            for (int spin = r % 64; spin > 0; spin--) { // vary the offset so some rounds line up
                Thread.onSpinWait();
            }
            parent.close();
            while (done.get() < r) {
                Thread.onSpinWait();
            }
            if (made[r] != null && made[r].isOpen()) {
                leaked.add(made[r]);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        int ran = Math.min(r, rounds);
        round.set(rounds); // release the opener
        parents[0] = Pool.openShared();
        parents[0].close();
        opener.join();
        leaked.forEach(Pool::close);
        assertEquals(0, leaked.size(), leaked.size() + " of " + ran + " rounds left a child open after its parent closed");
    }
}
