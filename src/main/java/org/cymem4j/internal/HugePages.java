package org.cymem4j.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The huge-page advice for large blocks ({@code cym_huge_pages_set_min} in {@code cymem4j/defaults.h}): on by
 * default for blocks of 4 MiB and more, as NumPy advises its arrays; {@code -Dcymem4j.hugePages=false} turns it off
 * for the process. Given to C once, by the first pool's open ({@link #ensureApplied}); {@link Settings} reads the
 * property and refuses a value other than {@code true} or {@code false}.
 */
public final class HugePages {
    /** Where Linux says whether it follows the advice ({@code [madvise]}, {@code [always]}) or not ({@code [never]}). */
    private static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private HugePages() {
    }

    /** The holder idiom: the setting ({@link Settings#HUGE_PAGES}) is given to C once, by the first caller. */
    private static final class Applied {
        static {
            if (!Settings.HUGE_PAGES) {
                NativeAllocator.cym_j_huge_pages_set_min(0);
            }
        }

        static void touch() { // its first call runs the initialiser above
        }
    }

    /** Gives C the configured setting if no pool has yet; after that, nothing (an empty call the JIT removes). */
    public static void ensureApplied() {
        Applied.touch();
    }

    /** For {@code cymem4j info}: the threshold in force and what the kernel does with the advice. */
    public static String describe() {
        ensureApplied();
        long min = NativeAllocator.cym_j_huge_pages_min();
        String size = min % (1 << 20) == 0 ? (min >> 20) + " MiB" : min + " B";
        String setting = min == 0 ? "off (-D" + Settings.HUGE_PAGES_PROPERTY + "=false)" : "advised for blocks of " + size + " and more";
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
