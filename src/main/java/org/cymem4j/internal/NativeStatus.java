package org.cymem4j.internal;

/** The C core's {@code cym_status} codes, as the bindings return them (negated where a value is expected). */
public final class NativeStatus {
    public static final int OK = 0, ENOMEM = 1, EOVERFLOW = 2, ENOTOWNED = 3, EINVAL = 4, ELIMIT = 5, EUNSUPPORTED = 6;

    private NativeStatus() {
    }
}
