package org.cymem4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs through {@code System.Logger} "org.cymem4j" (which the JDK routes to
 * java.util.logging) while it is open, and keeps those records off the console, so tests can assert on leak and
 * allocator reports without printing the ones they provoke on purpose.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *     ...
 *     assertTrue(log.messages().get(0).startsWith("cymem4j leak"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger jul = Logger.getLogger("org.cymem4j");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** The records so far (a copy; the Cleaner's thread may still be adding). */
    public List<LogRecord> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** The messages so far, in order. */
    public List<String> messages() {
        return records().stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        jul.removeHandler(handler);
        jul.setUseParentHandlers(true);
    }
}
