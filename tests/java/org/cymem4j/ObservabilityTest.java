package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.cymem4j.management.NativeMemoryMXBean;
import org.junit.jupiter.api.Test;

class ObservabilityTest {

    @Test
    void shouldCountEveryOperationInThePoolsStats() {
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(10, 4);
            long b = pool.alloc(1, 100);
            pool.free(a);
            long c = pool.realloc(b, 60);
            assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(1L << 60, 1));
            assertEquals(new PoolStats(60, 1, 140, 2, 1, 1, -1, 0), pool.stats()); // realloc is not an alloc
            assertEquals(60, pool.sizeOf(c));
        }
    }

    @Test
    void shouldRejectStatsOfAClosedPool() {
        Pool pool = Pool.open();
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::stats);
        assertEquals(pool.resource.name() + " is closed", e.getMessage());
    }

    @Test
    void shouldSumProcessWideStatsOverOpenAndReleasedPools() {
        NativeMemoryStats before = Pools.stats();
        try (Pool one = Pool.open(); Pool two = Pool.builder().limit(8).open()) {
            one.alloc(3, 8);
            one.free(one.alloc(1, 1));
            two.alloc(8, 1);
            assertThrows(NativeOutOfMemoryError.class, () -> two.alloc(1, 1));
            NativeMemoryStats during = Pools.stats();
            assertEquals(before.openPools() + 2, during.openPools());
            assertEquals(before.liveBytes() + 32, during.liveBytes());
            assertEquals(before.liveBlocks() + 2, during.liveBlocks());
            assertEquals(before.totalAllocs() + 3, during.totalAllocs());
            assertEquals(before.totalFrees() + 1, during.totalFrees());
            assertEquals(before.failedAllocs() + 1, during.failedAllocs());
        }
        NativeMemoryStats after = Pools.stats();
        assertEquals(before.openPools(), after.openPools());
        assertEquals(before.liveBytes(), after.liveBytes());
        assertEquals(before.totalAllocs() + 3, after.totalAllocs());
        assertEquals(before.totalFrees() + 1, after.totalFrees());
        assertEquals(before.failedAllocs() + 1, after.failedAllocs());
        assertEquals(before.closedExplicitly() + 2, after.closedExplicitly());
        assertEquals(before.closedByCleaner(), after.closedByCleaner());
    }

    @Test
    void shouldExposeProcessStatsThroughThePlatformMXBean() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NativeMemoryMXBean.OBJECT_NAME);
        try (Pool pool = Pool.open()) {
            assertTrue(server.isRegistered(name));
            long liveBefore = (Long) server.getAttribute(name, "LiveBytes");
            long allocsBefore = (Long) server.getAttribute(name, "TotalAllocations");
            pool.alloc(1000, 1);
            assertEquals(liveBefore + 1000, (Long) server.getAttribute(name, "LiveBytes"));
            assertEquals(allocsBefore + 1, (Long) server.getAttribute(name, "TotalAllocations"));
            assertEquals((long) Pools.openCount(), (Long) server.getAttribute(name, "OpenPools"));
            assertEquals(Pools.stats().liveBlocks(), (Long) server.getAttribute(name, "LiveBlocks"));
            assertEquals(Pools.closedByCleaner(), (Long) server.getAttribute(name, "PoolsClosedByCleaner"));
            assertEquals(Pools.leakDetection().name().toLowerCase(java.util.Locale.ROOT),
                    server.getAttribute(name, "LeakDetection"));
            NativeMemoryMXBean proxy = JMX.newMXBeanProxy(server, name, NativeMemoryMXBean.class);
            assertEquals(liveBefore + 1000, proxy.getLiveBytes());
        }
    }

    @Test
    void shouldRecordPoolAndAllocationEventsInJfr() throws Exception {
        Path file = Files.createTempFile("cymem4j", ".jfr");
        long poolId;
        long address;
        try (Recording recording = new Recording()) {
            for (String event : List.of("PoolOpen", "PoolClose", "AllocationFailure", "LargeAllocation", "Leak")) {
                recording.enable("org.cymem4j." + event);
            }
            recording.start();
            try (Pool pool = Pool.builder().limit(4 << 20).open()) {
                poolId = Long.parseLong(pool.resource.name().substring("Pool#".length()));
                pool.alloc(1024, 1); // below the 1 MiB threshold: no LargeAllocation event
                address = pool.alloc(1 << 20, 1);
                assertThrows(NativeOutOfMemoryError.class, () -> pool.alloc(4 << 20, 1));
            }
            recording.stop();
            recording.dump(file);
        }
        try {
            List<RecordedEvent> events = eventsOf(file, poolId);
            assertEquals(List.of("org.cymem4j.PoolOpen", "org.cymem4j.LargeAllocation",
                    "org.cymem4j.AllocationFailure", "org.cymem4j.PoolClose"),
                    names(events));
            RecordedEvent open = events.get(0);
            assertEquals(4L << 20, open.getLong("limitBytes"));
            assertEquals(0L, open.getLong("parentId"));
            assertEquals(false, open.getBoolean("shared"));
            assertEquals("system", open.getString("allocator"));
            RecordedEvent large = events.get(1);
            assertEquals(1L << 20, large.getLong("bytes"));
            assertEquals(address, large.getLong("address"));
            assertTrue(large.getStackTrace().getFrames().stream()
                    .anyMatch(f -> f.getMethod().getName().equals("shouldRecordPoolAndAllocationEventsInJfr")));
            RecordedEvent failure = events.get(2);
            assertEquals(4L << 20, failure.getLong("requestedBytes"));
            assertEquals((1L << 20) + 1024, failure.getLong("liveBytes"));
            assertEquals(4L << 20, failure.getLong("limitBytes"));
            assertEquals("limit", failure.getString("reason"));
            RecordedEvent close = events.get(3);
            assertEquals(false, close.getBoolean("byCleaner"));
            assertEquals((1L << 20) + 1024, close.getLong("liveBytes"));
            assertEquals(2L, close.getLong("liveBlocks"));
            assertEquals(2L, close.getLong("totalAllocs"));
        } finally {
            Files.delete(file);
        }
    }

    /** Opens a pool holding 48 bytes and drops it without close(). */
    private static long leakAPool() {
        Pool pool = Pool.open();
        pool.alloc(6, 8);
        return Long.parseLong(pool.resource.name().substring("Pool#".length()));
    }

    @Test
    void shouldRecordALeakEventWhenTheCleanerReleasesAPool() throws Exception {
        Path file = Files.createTempFile("cymem4j-leak", ".jfr");
        long poolId;
        try (Recording recording = new Recording()) {
            recording.enable("org.cymem4j.Leak");
            recording.enable("org.cymem4j.PoolClose");
            recording.start();
            long cleanedBefore = Pools.closedByCleaner();
            poolId = leakAPool();
            CleanerTest.awaitCleaner(cleanedBefore);
            recording.stop();
            recording.dump(file);
        }
        try {
            List<RecordedEvent> events = eventsOf(file, poolId);
            assertEquals(List.of("org.cymem4j.PoolClose", "org.cymem4j.Leak"),
                    names(events));
            assertEquals(true, events.get(0).getBoolean("byCleaner"));
            assertEquals(48L, events.get(1).getLong("liveBytes"));
            assertEquals(1L, events.get(1).getLong("liveBlocks"));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void shouldRecordNothingWithoutARecordingThatEnablesTheEvents() throws Exception {
        Path file = Files.createTempFile("cymem4j-off", ".jfr");
        try (Recording recording = new Recording()) {
            recording.start(); // default settings: cymem4j's events are @Enabled(false)
            try (Pool pool = Pool.open()) {
                pool.alloc(2 << 20, 1);
            }
            recording.stop();
            recording.dump(file);
        }
        try {
            assertEquals(0, RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("org.cymem4j.")).count());
        } finally {
            Files.delete(file);
        }
    }

    /** The cymem4j events of one pool in a dumped recording, in order. */
    static List<RecordedEvent> eventsOf(Path file, long poolId) throws java.io.IOException {
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("org.cymem4j.") && e.getLong("poolId") == poolId)
                .collect(Collectors.toList());
    }

    /** The events' type names, in order. */
    static List<String> names(List<RecordedEvent> events) {
        return events.stream().map(e -> e.getEventType().getName()).collect(Collectors.toList());
    }
}
