package org.cymem4j.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second JNI library, built against the shipped header and CMake package (tests/consumer), allocates into pools
 * that Java owns, through {@link Pool#nativeHandle()}; Java sees its blocks and frees them on close.
 */
class NativeConsumerTest {
    /** cym_status values, as cymem4j.h defines them. */
    private static final int CYM_OK = 0, CYM_ENOTOWNED = 3, CYM_EUNSUPPORTED = 6;

    @Test
    void shouldCountBlocksThatNativeCodeAllocatesIntoAJavaPool() {
        try (Pool pool = Pool.open()) {
            assertEquals(CYM_OK, ConsumerLibrary.fill(pool.nativeHandle(), 10, 64));

            assertEquals(10, pool.liveBlocks());
            assertEquals(640, pool.liveBytes());
            Map<Long, Long> blocks = pool.addresses();
            Set<Integer> patterns = new HashSet<>();
            for (Map.Entry<Long, Long> e : blocks.entrySet()) {
                assertEquals(64L, e.getValue());
                Block block = pool.block(e.getKey());
                byte first = block.getByte(0);
                for (int i = 1; i < 64; i++) {
                    assertEquals(first, block.getByte(i), "byte " + i + " of block " + e.getKey());
                }
                patterns.add((int) first);
            }
            assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), patterns);
        }
    }

    @Test
    void shouldFreeAnAdoptedMallocBlockWithItsOwnFunctionWhenJavaCloses() {
        long freesBefore = ConsumerLibrary.adoptedFrees();
        Pool pool = Pool.open();
        try (pool) {
            long address = ConsumerLibrary.adoptMalloc(pool.nativeHandle(), 100);
            assertTrue(address > 0, "adoptMalloc returned status " + -address);
            assertTrue(pool.owns(address));
            assertEquals(100, pool.sizeOf(address));
            assertEquals((byte) 0xAB, pool.block(address).getByte(99));
            assertEquals(1, pool.liveBlocks());
            assertEquals(freesBefore, ConsumerLibrary.adoptedFrees());
        }
        assertEquals(freesBefore + 1, ConsumerLibrary.adoptedFrees());
        assertThrows(IllegalStateException.class, pool::liveBlocks);
    }

    @Test
    void shouldFreeNativeAndAdoptedBlocksTogetherOnClose() {
        long freesBefore = ConsumerLibrary.adoptedFrees();
        int openBefore = Pools.openCount();
        long liveBefore = Pools.liveBlocks();
        try (Pool pool = Pool.openShared()) {
            long handle = pool.nativeHandle();
            assertEquals(CYM_OK, ConsumerLibrary.fill(handle, 5, 32));
            for (int i = 0; i < 3; i++) {
                assertTrue(ConsumerLibrary.adoptMalloc(handle, 8) > 0);
            }
            pool.alloc(4, Long.BYTES);
            assertEquals(9, pool.liveBlocks());
            assertEquals(5 * 32 + 3 * 8 + 32, pool.liveBytes());
            assertEquals(openBefore + 1, Pools.openCount());
            assertEquals(liveBefore + 9, Pools.liveBlocks());
        }
        assertEquals(freesBefore + 3, ConsumerLibrary.adoptedFrees());
        assertEquals(openBefore, Pools.openCount());
        assertEquals(liveBefore, Pools.liveBlocks());
    }

    @Test
    void shouldLetJavaFreeABlockThatNativeCodeAllocated() {
        try (Pool pool = Pool.open()) {
            assertEquals(CYM_OK, ConsumerLibrary.fill(pool.nativeHandle(), 1, 24));
            long address = pool.addresses().keySet().iterator().next();
            pool.free(address);
            assertEquals(0, pool.liveBlocks());
            assertFalse(pool.owns(address));
        }
    }

    @Test
    void shouldRejectNativeFreeOfAForeignAddressAndKeepThePool() {
        try (Pool pool = Pool.open()) {
            long handle = pool.nativeHandle();
            assertEquals(CYM_OK, ConsumerLibrary.fill(handle, 3, 16));
            Map<Long, Long> before = pool.addresses();
            long inside = before.keySet().iterator().next() + 1;

            assertEquals(CYM_ENOTOWNED, ConsumerLibrary.free(handle, inside));
            assertEquals(CYM_ENOTOWNED, ConsumerLibrary.free(handle, 0x10));
            assertEquals(before, pool.addresses());
        }
    }

    @Test
    void shouldRefuseToReallocAnAdoptedBlockAndLeaveItIntact() {
        try (Pool pool = Pool.open()) {
            long handle = pool.nativeHandle();
            long address = ConsumerLibrary.adoptMalloc(handle, 40);
            assertTrue(address > 0);

            assertEquals(CYM_EUNSUPPORTED, ConsumerLibrary.realloc(handle, address, 80));
            assertEquals(40, pool.sizeOf(address));
            assertEquals((byte) 0xAB, pool.block(address).getByte(39));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.realloc(address, 80));
            assertTrue(e.getMessage().contains("adopted"), e.getMessage());
        }
    }

    @Test
    void shouldLetNativeThreadsFillASharedPoolConcurrently() {
        try (Pool pool = Pool.openShared()) {
            assertEquals(CYM_OK, ConsumerLibrary.fillParallel(pool.nativeHandle(), 4, 250, 16));
            assertEquals(1000, pool.liveBlocks());
            assertEquals(16000, pool.liveBytes());
        }
    }

    @Test
    void shouldRefuseTheHandleOnceThePoolIsClosed() {
        Pool pool = Pool.open();
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::nativeHandle);
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
    }

    @Test
    void shouldRefuseTheHandleOfAConfinedPoolOnAnotherThread() throws InterruptedException {
        try (Pool pool = Pool.open()) {
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    pool.nativeHandle();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            t.join();
            assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        }
    }

    @Test
    void shouldBindTheConsumerToTheCoreTheJvmLoaded() throws IOException {
        Path loadedByJava = Path.of(Pools.nativeLibrary()).toRealPath();
        Path usedByConsumer = Path.of(ConsumerLibrary.corePath()).toRealPath();
        assertEquals(loadedByJava, usedByConsumer);

        // One copy of the core in the process: every mapping of libjnicymem4j.so is the same file.
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            Set<String> copies = maps.filter(l -> l.endsWith("libjnicymem4j.so"))
                    .map(l -> l.substring(l.indexOf('/')))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(loadedByJava.toString()), copies);
        }
    }

    @Test
    void shouldSeeTheSameVersionInTheHeaderAndTheLinkedLibrary() {
        assertEquals(100, ConsumerLibrary.headerVersion()); // 0.1.0 as MAJOR * 10000 + MINOR * 100 + PATCH
        assertEquals(ConsumerLibrary.headerVersion(), ConsumerLibrary.libraryVersion());
    }

    @Test
    void shouldSeeTheSystemAllocatorAsTheUnconfiguredDefault() {
        assertEquals("system", ConsumerLibrary.defaultAllocatorName());
    }

    @Test
    void shouldGiveNativeCodeTheAllocatorThatConfigurationChose(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ConsumerDefaultMain.class,
                List.of("-Dcymem4j.allocator=mimalloc", "-Dcymem4j.consumer.library=" + ConsumerLibrary.PATH),
                Map.of(), null, dir);
        assertEquals("java=mimalloc native=mimalloc", r.out(), r.err());
        assertEquals(0, r.exit());
    }
}
