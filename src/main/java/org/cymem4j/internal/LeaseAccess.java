package org.cymem4j.internal;

import java.util.function.Function;

/**
 * How the views reach the package-private buffer lease of {@code org.cymem4j.array.TypedArray} without it becoming
 * public API: {@code TypedArray} registers the one function from its static initializer (as {@link PoolAccess} does
 * for {@code Pool}).
 */
public final class LeaseAccess {
    private static volatile Function<Object, BufferLease> typedArrayLeases;

    private LeaseAccess() {
    }

    /** Called once, by {@code TypedArray}'s static initializer. */
    public static void registerTypedArray(Function<Object, BufferLease> leases) {
        typedArrayLeases = leases;
    }

    /** A lease on a {@code TypedArray}'s whole buffer as its own type; having the array means its class is initialized. */
    public static BufferLease typedArrayLease(Object typedArray) {
        return typedArrayLeases.apply(typedArray);
    }
}
