package org.cymem4j.internal;

import java.lang.foreign.Arena;

/**
 * Where a shared scope's Java accesses get their safety from, JDK 22+ version: shared-pool memory is read and written
 * through segments of an FFM shared {@link Arena}, whose {@code close()} makes a thread handshake: an access in flight
 * on another thread either completes before the memory is freed or fails with {@link IllegalStateException}. So a
 * shared pool's element accesses take no use count (a compare-and-set per access, and a barrier that kept the JIT from
 * hoisting any check out of a loop), and a {@code close()} that follows Java reads of the pool pays one handshake.
 *
 * <p>Making segments over pool memory is a restricted method ({@code MemorySegment.reinterpret}), used only where
 * {@link Module#isNativeAccessEnabled()} allows it (as {@link PoolCalls} does); otherwise, or with
 * {@code -Dcymem4j.arenaAccess=false}, shared pools keep the JDK 17 use count.
 */
public final class Sessions {
    /** True when shared scopes read through arena segments and their Java accesses take no use count. */
    public static final boolean ARENA_ACCESS = Settings.ARENA_ACCESS
            && Sessions.class.getModule().isNativeAccessEnabled();

    private Sessions() {
    }

    /** A new shared arena for a shared scope's segments, or null when {@link #ARENA_ACCESS} is off. */
    public static Object openShared() {
        return ARENA_ACCESS ? Arena.ofShared() : null;
    }

    /** Closes an arena from {@link #openShared()}: accesses in flight on other threads finish or fail first. */
    public static void close(Object session) {
        if (session != null) {
            ((Arena) session).close();
        }
    }

    /** How shared pools guard Java reads, for {@code cymem4j info}. */
    public static String describe() {
        if (ARENA_ACCESS) {
            return "FFM shared arena per pool (no use count per access; close() makes one handshake)";
        }
        return "use count per access (" + (Settings.ARENA_ACCESS
                ? "FFM arena access needs --enable-native-access" : "-D" + Settings.ARENA_ACCESS_PROPERTY + "=false") + ")";
    }
}
