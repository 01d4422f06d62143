package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.management.ObjectName;

import org.cymem4j.management.NativeMemoryMXBean;
import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process-wide live and peak bytes: opt-in, exact for the pools created while tracking is on. */
class ProcessBytesTest {

    @Test
    void shouldKeepTheProcessPeakOfPoolsCreatedWhileTracking() throws Exception {
        Pools.setProcessByteTracking(true);
        try {
            long peakBefore = Pools.stats().peakBytes();
            try (Pool a = Pool.open(); Pool b = Pool.openShared()) {
                long big = a.alloc(4, 1 << 20);
                b.alloc(1, 1 << 20);
                long peak = Pools.stats().peakBytes();
                assertTrue(peak >= 5L << 20, "peak " + peak);
                a.free(big);
                assertEquals(peak, Pools.stats().peakBytes(), "a peak does not fall when memory is freed");
                Object viaJmx = ManagementFactory.getPlatformMBeanServer()
                        .getAttribute(new ObjectName(NativeMemoryMXBean.OBJECT_NAME), "PeakBytes");
                assertEquals(peak, viaJmx);
            }
            assertTrue(Pools.stats().peakBytes() >= Math.max(peakBefore, 5L << 20));
        } finally {
            Pools.setProcessByteTracking(false);
        }
    }

    @Test
    void shouldCountEveryPoolFromTheStartWithTheProperty(@TempDir Path dir) throws Exception {
        ChildJvm.Result on = ChildJvm.run(ProcessBytesMain.class, List.of("-Dcymem4j.processBytes=true"), Map.of(),
                null, dir);
        assertEquals("peak=" + (3 << 20), on.out(), on.err());
        ChildJvm.Result off = ChildJvm.run(ProcessBytesMain.class, List.of(), Map.of(), null, dir);
        assertEquals("peak=-1", off.out(), off.err());
    }
}
