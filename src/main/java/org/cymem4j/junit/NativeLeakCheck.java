package org.cymem4j.junit;

import org.cymem4j.Pools;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test class which leaves a cymem4j pool open: after all its tests, it calls
 * {@link Pools#assertAllClosed()}, which lists every open pool with its blocks and bytes. Run the tests with
 * {@code -Dcymem4j.leakDetection=full} (or call {@code Pools.setLeakDetection(LeakDetection.FULL)}) to see where each
 * leaked pool was created; under the default {@code sampled} level only one pool in 128 records its site.
 *
 * <pre>{@code
 * @ExtendWith(NativeLeakCheck.class)
 * class MyNativeTest { ... }
 * }</pre>
 *
 * Or register it for every test class through JUnit's extension auto-detection (a
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} file naming this class, and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}).
 */
public final class NativeLeakCheck implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        Pools.assertAllClosed();
    }
}
