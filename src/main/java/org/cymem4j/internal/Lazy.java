package org.cymem4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Fields made on first need and published once (issue 20: an empty pool makes none of them). When threads race to
 * make one, every caller gets the first value set and the others' objects are dropped unused; so such an object must
 * have no effect until it is published (no registration, no native memory).
 *
 * <pre>{@code
 * Helper h = owner.helper;  // a volatile field, null until first need
 * return h != null ? h : Lazy.publish(HELPER, owner, new Helper(owner));
 * }</pre>
 */
public final class Lazy {
    private Lazy() {
    }

    /**
     * The handle of the reference field {@code name} of type {@code type} in {@code holder}, for {@link #publish}:
     * {@code lookup} is the caller's own, so a package-private field can be reached.
     *
     * @throws ExceptionInInitializerError if there is no such field (meant for a static initialiser)
     */
    public static VarHandle field(MethodHandles.Lookup lookup, Class<?> holder, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(holder, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Sets the null-initialised reference {@code field} of {@code holder} to {@code made} unless another thread set it
     * first: the value the field holds afterwards.
     */
    @SuppressWarnings("unchecked")
    public static <T> T publish(VarHandle field, Object holder, T made) {
        Object won = field.compareAndExchange(holder, (Object) null, (Object) made);
        return won != null ? (T) won : made;
    }
}
