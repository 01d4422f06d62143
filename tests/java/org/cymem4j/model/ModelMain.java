package org.cymem4j.model;

import org.cymem4j.internal.jni.NativeLib;

/**
 * The model-based test as a program, for a JVM started by hand or by {@link ModelAsanRun} (AddressSanitizer
 * preloaded): {@code -Dcymem4j.model.seed=N -Dcymem4j.model.ops=N}. Prints the file of the JNI library it loaded
 * ({@code native library: <path>}), then the summary and exits 0, or prints the failure (seed, op index, last
 * operations) and exits 1.
 */
public final class ModelMain {
    private ModelMain() {
    }

    public static void main(String[] args) {
        long seed = ModelHarness.seedFromProperties();
        long ops = ModelHarness.opsFromProperties(200_000);
        System.out.println("native library: " + NativeLib.load());
        long t0 = System.nanoTime();
        try (ModelHarness h = new ModelHarness(seed, ops)) {
            h.run();
            System.out.println(h.summary() + "\n  time: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (AssertionError e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
        org.cymem4j.Pools.assertAllClosed();
        System.out.println("MODEL OK");
    }
}
