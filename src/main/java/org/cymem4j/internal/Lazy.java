package org.cymem4j.internal;

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
     * Sets the null-initialised reference {@code field} of {@code holder} to {@code made} unless another thread set it
     * first: the value the field holds afterwards.
     */
    @SuppressWarnings("unchecked")
    public static <T> T publish(VarHandle field, Object holder, T made) {
        Object won = field.compareAndExchange(holder, (Object) null, (Object) made);
        return won != null ? (T) won : made;
    }
}
