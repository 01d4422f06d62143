package org.cymem4j.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The huge-page advice for large blocks ({@code cym_huge_pages_set_min} in {@code cymem4j/defaults.h}): on by
 * default for blocks of 4 MiB and more, as NumPy advises its arrays; {@code -Dcymem4j.hugePages=false} turns it off
 * for the process. Read once, by the first pool's open ({@link #ensureApplied}); any value but {@code true} or
 * {@code false} (case ignored) makes every open throw, naming it.
 */
public final class HugePages {
    /** System property: {@code false} turns the advice off. */
    public static final String PROPERTY = "cymem4j.hugePages";
    /** Where Linux says whether it follows the advice ({@code [madvise]}, {@code [always]}) or not ({@code [never]}). */
    private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private HugePages() {
    }

    /** The holder idiom: the property is read and given to C once, by the first caller, and never again. */
    private static final class Applied {
        /** Why the property's value is refused, or null. */
        static final String REFUSED;

        static {
            String value = System.getProperty(PROPERTY);
            String refused = null;
            if ("false".equalsIgnoreCase(value)) {
                NativeAllocator.cym_j_huge_pages_set_min(0);
            } else if (value != null && !"true".equalsIgnoreCase(value)) {
                refused = "-D" + PROPERTY + "=" + value + " is not a boolean; use true or false";
            }
            REFUSED = refused;
        }
    }

    /**
     * Gives C the configured setting if no pool has yet; after that, a constant check (the JIT folds it).
     *
     * @throws IllegalArgumentException naming the value if the property is set to neither true nor false
     */
    public static void ensureApplied() {
        String refused = Applied.REFUSED;
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
    }

    /** For {@code cymem4j info}: the threshold in force and what the kernel does with the advice. */
    public static String describe() {
        ensureApplied();
        long min = NativeAllocator.cym_j_huge_pages_min();
        String size = min % (1 << 20) == 0 ? (min >> 20) + " MiB" : min + " B";
        String setting = min == 0 ? "off (-D" + PROPERTY + "=false)" : "advised for blocks of " + size + " and more";
        return setting + "; kernel transparent huge pages: " + kernelMode();
    }

    private static String kernelMode() {
        try {
            String modes = Files.readString(KERNEL_MODE).trim();
            int open = modes.indexOf('['), close = modes.indexOf(']');
            return open >= 0 && close > open ? modes.substring(open + 1, close) : modes;
        } catch (IOException | RuntimeException e) {
            return "not available (" + KERNEL_MODE + " unreadable)";
        }
    }
}
