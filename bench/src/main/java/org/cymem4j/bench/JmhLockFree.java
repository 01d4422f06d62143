package org.cymem4j.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Path;

/**
 * Exits 0 if JMH's machine-wide lock ({@code java.io.tmpdir/jmh.lock}) is free, 1 if another JMH run holds it.
 * {@code bench/run.sh} waits on it: two benchmark runs side by side on two cores would skew each other.
 */
public final class JmhLockFree {
    private JmhLockFree() {
    }

    public static void main(String[] args) throws IOException {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (RandomAccessFile file = new RandomAccessFile(lock.toFile(), "rw");
             FileLock held = file.getChannel().tryLock()) {
            System.exit(held != null ? 0 : 1);
        }
    }
}
