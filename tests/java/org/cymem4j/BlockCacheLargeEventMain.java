package org.cymem4j;

import java.nio.file.Files;
import java.nio.file.Path;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * Run in a child JVM by {@link BlockCacheHostileTest} with a low {@code cymem4j.jfr.largeAllocationBytes}: three
 * 128-byte allocations of one confined pool, each freed, the last two served by the block cache; prints how many
 * LargeAllocation events were recorded.
 */
public final class BlockCacheLargeEventMain {
    private BlockCacheLargeEventMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("cymem4j", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.enable("org.cymem4j.LargeAllocation");
                recording.start();
                try (Pool pool = Pool.open()) {
                    for (int i = 0; i < 3; i++) {
                        pool.free(pool.alloc(1, 128));
                    }
                }
                recording.stop();
                recording.dump(file);
            }
            long n = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("org.cymem4j.LargeAllocation")).count();
            System.out.println("events=" + n);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
