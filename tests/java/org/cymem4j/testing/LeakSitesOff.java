package org.cymem4j.testing;

import org.cymem4j.LeakDetection;
import org.cymem4j.Pools;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test with leak detection {@code disabled} and restores the level after it. A pool that records its
 * creation site makes its C pool at once; the suite runs with {@code full}, and tests of lazy pools need none.
 *
 * <pre>{@code
 * @ExtendWith(LeakSitesOff.class)
 * class LazyPoolTest { ... }
 * }</pre>
 */
public final class LeakSitesOff implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LeakSitesOff.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(STORE).put("level", Pools.leakDetection());
        Pools.setLeakDetection(LeakDetection.DISABLED);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Pools.setLeakDetection(context.getStore(STORE).get("level", LeakDetection.class));
    }
}
