package org.cymem4j;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import javax.management.JMException;
import javax.management.ObjectName;

import org.cymem4j.management.NativeMemoryMXBean;
import org.cymem4j.internal.LeakReports;
import org.cymem4j.internal.PoolResource;
import org.cymem4j.internal.Settings;
import org.cymem4j.internal.jni.NativePool;

/**
 * The {@link NativeMemoryMXBean} implementation and its one-time, lazy registration (by the first {@link Pool}).
 * It lives here, not in {@code internal}, so that packages depend one way: the API on {@code internal}, never back.
 */
final class Management implements NativeMemoryMXBean {
    private static volatile boolean registered;

    private Management() {
    }

    /**
     * Registers the MXBean on the first call; later calls cost one volatile read. A failure (no
     * {@code java.management} module, a name taken by another copy of cymem4j) is logged once and not retried.
     */
    static void ensureRegistered() {
        if (registered || !Settings.JMX) { // -Dcymem4j.jmx=false keeps the MXBean out of the platform MBean server
            return;
        }
        synchronized (Management.class) {
            if (registered) {
                return;
            }
            registered = true;
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(new Management(), new ObjectName(OBJECT_NAME));
            } catch (JMException | LinkageError | SecurityException e) {
                System.getLogger("org.cymem4j").log(System.Logger.Level.INFO,
                        "cymem4j: the " + OBJECT_NAME + " MXBean was not registered: " + e);
            }
        }
    }

    @Override
    public long getOpenPools() {
        return PoolResource.openCount();
    }

    @Override
    public long getLiveBytes() {
        return PoolResource.processStats()[NativePool.STAT_LIVE_BYTES];
    }

    @Override
    public long getLiveBlocks() {
        return PoolResource.processStats()[NativePool.STAT_LIVE_BLOCKS];
    }

    @Override
    public long getTotalAllocations() {
        return PoolResource.processStats()[NativePool.STAT_TOTAL_ALLOCS];
    }

    @Override
    public long getTotalFrees() {
        return PoolResource.processStats()[NativePool.STAT_TOTAL_FREES];
    }

    @Override
    public long getPeakBytes() {
        return PoolResource.processBytes()[1];
    }

    @Override
    public long getFailedAllocations() {
        return PoolResource.processStats()[NativePool.STAT_FAILED_ALLOCS];
    }

    @Override
    public long getPoolsClosedExplicitly() {
        return PoolResource.releaseCounts()[0];
    }

    @Override
    public long getPoolsClosedByCleaner() {
        return PoolResource.releaseCounts()[1];
    }

    @Override
    public String getLeakDetection() {
        return LeakReports.level().name().toLowerCase(Locale.ROOT);
    }
}
