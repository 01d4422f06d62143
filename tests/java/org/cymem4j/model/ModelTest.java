package org.cymem4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs the model-based random test ({@link ModelHarness}): {@value ModelHarness#CI_OPS} library calls from CI's
 * fixed seed ({@value ModelHarness#CI_SEED}), or any seed and length on demand:
 * {@code ./mvnw -B verify -Dtest=ModelTest -Dsurefire.failIfNoSpecifiedTests=false -Dcymem4j.model.seed=N
 * -Dcymem4j.model.ops=N}. A failure prints the seed, the operation index and the last operations.
 */
class ModelTest {
    @Test
    void shouldAgreeWithThePlainJavaModelOverAMillionOperations() {
        long seed = ModelHarness.seedFromProperties();
        long ops = ModelHarness.opsFromProperties(ModelHarness.CI_OPS);
        long t0 = System.nanoTime();
        try (ModelHarness h = new ModelHarness(seed, ops)) {
            h.run();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println(h.summary() + "\n  time: " + ms + " ms");
            // the run must have done what it claims: every op kind ran, misuse was checked, races happened
            h.counts.forEach((op, n) -> assertTrue(ops < 100_000 || n[0] > 0, op + " never ran"));
            assertTrue(ops < 100_000 || h.misuse > ops / 100, "too little misuse: " + h.misuse);
            assertTrue(ops < 100_000 || h.otherThreadOps > 0 && h.races > 0 && h.raceRejected > 0,
                    "no wrong-thread calls or concurrent closes ran");
            assertTrue(h.executed >= ops, "library calls made: " + h.executed);
        }
    }
}
