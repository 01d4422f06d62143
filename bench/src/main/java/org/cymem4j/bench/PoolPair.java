package org.cymem4j.bench;

import org.cymem4j.Pool;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A confined and a shared pool for the alloc + free pair benchmarks ({@link AllocFree}, {@link AllocFreeUncached},
 * {@link AllocFreeMixed}), one per benchmark thread, and the pair itself.
 */
@State(Scope.Thread)
public class PoolPair {
    Pool confined;
    Pool shared;

    @Setup
    public void open() {
        confined = Pool.open();
        shared = Pool.openShared();
    }

    @TearDown
    public void close() {
        confined.close();
        shared.close();
    }

    /** One block of {@code size} bytes allocated and freed again. */
    static long pair(Pool pool, int size) {
        long p = pool.alloc(1, size);
        pool.free(p);
        return p;
    }
}
