package org.cymem4j.internal;

/**
 * The C core's {@code cym_status} codes ({@code cymem4j/status.h}) and their texts ({@code cym_status_message}). A
 * bridge function returns a value {@code >= 0} or {@code -status}. NativeConstantsTest asks C for every code and text
 * by name, so the two sides cannot drift apart.
 */
public final class NativeStatus {
    /** {@code CYM_OK}: success. */
    public static final int OK = 0;
    /** {@code CYM_ENOMEM}: the allocator returned no memory; nothing changed. */
    public static final int ENOMEM = 1;
    /** {@code CYM_EOVERFLOW}: {@code count * size} does not fit. */
    public static final int EOVERFLOW = 2;
    /** {@code CYM_ENOTOWNED}: not the start of a live block of the pool; nothing freed. */
    public static final int ENOTOWNED = 3;
    /** {@code CYM_EINVAL}: a bad argument. */
    public static final int EINVAL = 4;
    /** {@code CYM_ELIMIT}: a byte limit would be exceeded; the allocator was not called. */
    public static final int ELIMIT = 5;
    /** {@code CYM_EUNSUPPORTED}: the operation is not available. */
    public static final int EUNSUPPORTED = 6;
    /** {@code CYM_EBUSY}: the block is pinned by an export (DLPack); nothing changed. */
    public static final int EBUSY = 7;

    /** The texts of {@code cym_status_message}, by code. */
    private static final String[] TEXTS = {"success", "the allocator returned no memory", "count * size overflows",
        "address not owned by the pool", "invalid argument", "byte limit exceeded", "operation not supported",
        "block pinned by an export"};

    private NativeStatus() {
    }

    /** What {@code cym_status_message(status)} says, {@code "unknown status"} for a code it does not know. */
    public static String text(int status) {
        return status >= 0 && status < TEXTS.length ? TEXTS[status] : "unknown status";
    }
}
