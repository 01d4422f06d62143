package org.cymem4j.management;

/**
 * The process-wide native memory counters of cymem4j as a platform MXBean, registered as
 * {@value #OBJECT_NAME} when the first pool opens (so a JVM that never opens a pool never starts the platform
 * MBean server for cymem4j). Visible in JConsole and VisualVM under {@code org.cymem4j}, and readable from code:
 *
 * <pre>{@code
 * MBeanServer server = ManagementFactory.getPlatformMBeanServer();
 * long live = (Long) server.getAttribute(new ObjectName("org.cymem4j:type=NativeMemory"), "LiveBytes");
 * }</pre>
 *
 * If nothing else in the JVM has started the platform MBean server, the registration starts it (tens of milliseconds,
 * once); {@code -Dcymem4j.jmx=false} skips the registration. The same numbers are in {@link org.cymem4j.Pools#stats()}.
 */
public interface NativeMemoryMXBean {
    /** The name the MXBean is registered under. */
    String OBJECT_NAME = "org.cymem4j:type=NativeMemory";

    /**
     * Pools open now.
     *
     * @return pools open now
     */
    long getOpenPools();

    /**
     * Bytes in live blocks of the open pools.
     *
     * @return bytes in live blocks of the open pools
     */
    long getLiveBytes();

    /**
     * Live blocks of the open pools.
     *
     * @return live blocks of the open pools
     */
    long getLiveBlocks();

    /**
     * The highest process-wide live bytes seen, or -1 unless process byte tracking is on
     * ({@code -Dcymem4j.processBytes=true} or {@link org.cymem4j.Pools#setProcessByteTracking(boolean)}).
     *
     * @return the highest process-wide live bytes seen, or -1 unless process byte tracking is on
     */
    long getPeakBytes();

    /**
     * Successful allocations since the JVM started.
     *
     * @return successful allocations since the JVM started
     */
    long getTotalAllocations();

    /**
     * Blocks freed one by one since the JVM started.
     *
     * @return blocks freed one by one since the JVM started
     */
    long getTotalFrees();

    /**
     * Allocations refused by a limit or an allocator since the JVM started.
     *
     * @return allocations refused by a limit or an allocator since the JVM started
     */
    long getFailedAllocations();

    /**
     * Pools released by {@code close()}.
     *
     * @return pools released by {@code close()}
     */
    long getPoolsClosedExplicitly();

    /**
     * Pools released by the Cleaner because nobody closed them (leaks).
     *
     * @return pools released by the Cleaner because nobody closed them (leaks)
     */
    long getPoolsClosedByCleaner();

    /**
     * The leak detection level: {@code disabled}, {@code sampled} or {@code full}.
     *
     * @return the leak detection level: {@code disabled}, {@code sampled} or {@code full}
     */
    String getLeakDetection();
}
