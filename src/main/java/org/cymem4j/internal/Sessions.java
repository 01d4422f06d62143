package org.cymem4j.internal;

/**
 * Where a shared scope's Java accesses get their safety from, JDK 17 version: a use count per access (see
 * {@link Scope}). The JDK 22+ version ({@code META-INF/versions/22}) reads shared-pool memory through segments of an
 * FFM shared arena instead, which {@code close()} closes with a thread handshake, so accesses count nothing.
 */
public final class Sessions {
    /**
     * True when shared scopes read through arena segments and their Java accesses take no use count. Not a
     * compile-time constant on purpose: javac would copy a constant {@code false} into every class that reads it,
     * and the JDK 22+ version of this class could never switch them on.
     */
    public static final boolean ARENA_ACCESS = arenaAccess();

    private Sessions() {
    }

    private static boolean arenaAccess() {
        return false; // JDK 17 has no FFM shared arenas
    }

    /** A new shared session for a shared scope's segments (null here: JDK 17 has none). */
    public static Object openShared() {
        return null;
    }

    /** Closes a session from {@link #openShared()}: accesses in flight on other threads finish or fail first. */
    public static void close(Object session) {
    }

    /** How shared pools guard Java reads, for {@code cymem4j info}. */
    public static String describe() {
        return "use count per access (JDK 17 has no FFM shared arenas)";
    }
}
