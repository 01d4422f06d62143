package org.cymem4j.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sampled level's cap, on a clock the test drives ({@link LeakReports#sampleAllowed}). */
class LeakSamplingTest {
    private static final long SECOND = 1_000_000_000L;

    @AfterEach
    void restartTheRealSecond() {
        LeakReports.setLevel(LeakReports.level());
    }

    @Test
    void shouldAllowTheCapInASecondThenNoneUntilTheNextSecond() {
        LeakReports.setLevel(LeakReports.level()); // the second in progress ends now
        long t = System.nanoTime() + SECOND; // past it: the first sample starts a new second
        for (int i = 0; i < LeakReports.MAX_SAMPLES_PER_SECOND; i++) {
            assertTrue(LeakReports.sampleAllowed(t + i), "sample " + i);
        }
        assertFalse(LeakReports.sampleAllowed(t + LeakReports.MAX_SAMPLES_PER_SECOND));
        assertFalse(LeakReports.sampleAllowed(t + SECOND - 1), "the same second");
        assertTrue(LeakReports.sampleAllowed(t + SECOND), "a new second");
        assertTrue(LeakReports.sampleAllowed(t + SECOND + 1));
    }

    @Test
    void shouldStartANewSecondWhenTheLevelChanges() {
        LeakReports.setLevel(LeakReports.level());
        long t = System.nanoTime() + SECOND;
        for (int i = 0; i < LeakReports.MAX_SAMPLES_PER_SECOND; i++) {
            LeakReports.sampleAllowed(t);
        }
        assertFalse(LeakReports.sampleAllowed(t));
        LeakReports.setLevel(LeakReports.level());
        assertTrue(LeakReports.sampleAllowed(t), "setLevel ended the capped second");
    }
}
