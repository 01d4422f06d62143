package org.cymem4j.lifetime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Allocator;
import org.cymem4j.Pool;
import org.cymem4j.PoolBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listeners and Java allocator hooks that call back into the pool they serve: either it works, or the call gets an
 * IllegalStateException naming the re-entrant call. Never a hang, never a freed pool used.
 */
class ReentrancyTest {
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    private static Pool open(boolean shared, PoolBuilder builder) {
        return shared ? builder.shared().open() : builder.open();
    }

    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void shouldFailTheRetryCleanlyWhenTheListenerClosesItsOwnPool(boolean shared) {
        assertTimeoutPreemptively(NO_HANG, () -> {
            Pool pool = open(shared, Pool.builder().limit(64).listener((p, requested, stats) -> {
                p.close();
                return true;
            }));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.alloc(1, 128));
            assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
            assertFalse(pool.isOpen());
        });
    }

    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void shouldReportClosedWhenTheListenerClosesItsPoolAndDeclines(boolean shared) {
        assertTimeoutPreemptively(NO_HANG, () -> {
            Pool pool = open(shared, Pool.builder().limit(64).listener((p, requested, stats) -> {
                p.close();
                return false;
            }));
            assertThrows(IllegalStateException.class, () -> pool.realloc(pool.alloc(1, 8), 128));
        });
    }

    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void shouldLetTheListenerFreeBlocksOfItsOwnPoolAndRetry(boolean shared) {
        long[] cached = new long[1];
        try (Pool pool = open(shared, Pool.builder().limit(128).listener((p, requested, stats) -> {
            p.free(cached[0]);
            return true;
        }))) {
            cached[0] = pool.alloc(1, 100);
            long p = pool.alloc(1, 100); // refused, the listener frees the cache, the retry fits
            assertTrue(pool.owns(p));
            assertEquals(1, pool.liveBlocks()); // the cached block was freed by the listener
        }
    }

    /** Java hooks over JavaCPP's malloc/free that run {@code reenter} (once armed) inside every malloc and free. */
    private static final class Hooks implements Allocator.Hooks {
        final Map<Long, Pointer> live = new ConcurrentHashMap<>();
        volatile Consumer<String> reenter;

        @Override
        public long malloc(long size) {
            Consumer<String> r = reenter;
            if (r != null) {
                r.accept("malloc");
            }
            Pointer p = Pointer.malloc(size);
            live.put(p.address(), p);
            return p.address();
        }

        @Override
        public void free(long address) {
            Consumer<String> r = reenter;
            if (r != null) {
                r.accept("free");
            }
            Pointer.free(live.remove(address));
        }
    }

    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseAnAllocatorHookThatAllocatesFromThePoolItServes(boolean shared) {
        Hooks hooks = new Hooks();
        Allocator allocator = Allocator.fromJava("reentrant", hooks);
        assertTimeoutPreemptively(NO_HANG, () -> {
            Pool pool = shared ? Pool.openShared(allocator) : Pool.open(allocator);
            hooks.reenter = op -> pool.alloc(1, 8);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.alloc(1, 64));
            assertEquals("re-entrant call: alloc(1, 8) on " + name(pool) + " from inside its own allocator hook "
                    + "(during alloc); an allocator hook must not use the pool it serves", e.getMessage());
            hooks.reenter = null;
            long p = pool.alloc(1, 64); // the pool is intact and usable
            pool.block(p).putLong(56, 1);
            assertEquals(1, pool.liveBlocks());
            pool.close();
        });
        assertTrue(hooks.live.isEmpty(), "the pool's memory went back through the hook");
    }

    @ParameterizedTest(name = "shared={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseAnAllocatorHookThatClosesOrFreesThePoolItServes(boolean shared) {
        Hooks hooks = new Hooks();
        Allocator allocator = Allocator.fromJava("reentrant-close", hooks);
        assertTimeoutPreemptively(NO_HANG, () -> {
            Pool pool = shared ? Pool.openShared(allocator) : Pool.open(allocator);
            long p = pool.alloc(1, 64);
            hooks.reenter = op -> pool.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.alloc(1, 64));
            assertTrue(e.getMessage().startsWith("re-entrant call: close() on "), e.getMessage());
            assertTrue(pool.isOpen());
            hooks.reenter = op -> pool.free(p);
            assertThrows(IllegalStateException.class, () -> pool.realloc(p, 256));
            hooks.reenter = null;
            assertTrue(pool.owns(p), "a failed realloc leaves the old block owned");
            assertEquals(1, pool.liveBlocks());
            pool.close();
            assertFalse(pool.isOpen());
        });
        assertTrue(hooks.live.isEmpty(), "the pool's memory went back through the hook");
    }

    private static String name(Pool pool) {
        String s = pool.toString();
        return s.substring(0, s.indexOf(' '));
    }
}
