package org.cymem4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The Java half of a debug pool: where each live block was allocated, and the translation of the C debug
 * allocator's faults (damaged guards, double frees, writes after free) into an {@link IllegalStateException} that
 * names the block, its size, the offset and the allocation site. The C half checks; this half explains.
 */
public final class DebugTracker {
    private static final System.Logger LOG = System.getLogger("org.cymem4j");
    private static final int MAX_FAULTS = 16;
    private static final int SITE_FRAMES = 8;

    private final String poolName;
    private final Map<Long, Throwable> sites = new ConcurrentHashMap<>();

    public DebugTracker(String poolName) {
        this.poolName = poolName;
    }

    /** Records where the block at {@code address} was allocated (the caller's stack). */
    public void allocated(long address) {
        sites.put(address, new Throwable("allocated here"));
    }

    /** After a successful free: throws if the C side found the block damaged. */
    public void freed(long pool, long address) {
        Throwable site = sites.remove(address);
        throwFaults(pool, "free(" + Checks.hex(address) + ")", address, site);
    }

    /** After a successful realloc from {@code old} to {@code now}: moves the site, throws on faults. */
    public void moved(long pool, long old, long now) {
        Throwable site = sites.remove(old);
        if (site != null) {
            sites.put(now, site);
        }
        throwFaults(pool, "realloc(" + Checks.hex(old) + ")", old, site);
    }

    /**
     * Before the pool is destroyed: checks every live block's guards, logs the blocks still live (INFO) and returns
     * a description of the damage found, or null.
     */
    public String beforeClose(long pool, Map<Long, Long> live) {
        NativeAllocator.cym_j_pool_debug_check(pool);
        String faults = describeFaults(pool, null, 0, null);
        if (!live.isEmpty()) {
            StringBuilder report = new StringBuilder(poolName + " closed with " + live.size()
                    + " block(s) still live (freed by close()):");
            live.forEach((address, size) -> report.append("\n  ").append(Checks.hex(address)).append(" (")
                    .append(size).append(" bytes) ").append(siteText(sites.get(address))));
            LOG.log(System.Logger.Level.INFO, report.toString());
        }
        sites.clear();
        return faults == null ? null : poolName + " close(): " + faults;
    }

    private void throwFaults(long pool, String operation, long address, Throwable site) {
        String faults = describeFaults(pool, operation, address, site);
        if (faults != null) {
            throw new IllegalStateException(poolName + " " + operation + ": " + faults);
        }
    }

    /** The recorded faults as text, or null if there were none. */
    private String describeFaults(long pool, String operation, long knownAddress, Throwable knownSite) {
        long[] raw = new long[MAX_FAULTS * NativeAllocator.FAULT_FIELDS];
        int n = (int) NativeAllocator.cym_j_pool_debug_faults(pool, raw, MAX_FAULTS);
        if (n == 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int f = i * NativeAllocator.FAULT_FIELDS;
            int kind = (int) raw[f];
            long address = raw[f + 1];
            long size = raw[f + 2];
            long seq = raw[f + 3];
            long offset = raw[f + 4];
            Throwable site = address == knownAddress && knownSite != null ? knownSite : sites.get(address);
            String block = "block " + Checks.hex(address) + " (" + size + " bytes, allocation #" + seq + ")";
            String text;
            switch (kind) {
                case NativeAllocator.OVERRUN:
                    text = "write past the end of " + block + ": the byte at offset " + offset + " was changed";
                    break;
                case NativeAllocator.UNDERRUN:
                    text = "write before the start of " + block + ": the byte " + offset + " before it was changed";
                    break;
                case NativeAllocator.DOUBLE_FREE:
                    text = "double free of " + block;
                    break;
                case NativeAllocator.WRITE_AFTER_FREE:
                    text = "write after free into " + block + " at offset " + offset;
                    break;
                default:
                    text = "free of " + Checks.hex(address) + ", which this debug allocator did not make";
                    break;
            }
            parts.add(text + "; " + siteText(site));
        }
        return String.join("\n", parts);
    }

    /** The core's classes a pool call passes through (Pool and the classes its work is cut into). */
    private static final java.util.Set<String> LIBRARY_FRAMES = java.util.Set.of("org.cymem4j.Pool",
            "org.cymem4j.PoolAllocation", "org.cymem4j.BlockAccessors", "org.cymem4j.PoolClosing");

    private static String siteText(Throwable site) {
        if (site == null) {
            return "allocation site unknown";
        }
        StringBuilder out = new StringBuilder("allocated at");
        int shown = 0;
        for (StackTraceElement e : site.getStackTrace()) {
            String owner = e.getClassName();
            if (shown == 0 && (LIBRARY_FRAMES.contains(owner) || owner.equals(DebugTracker.class.getName()))) {
                continue; // the library's own frames say nothing about the caller
            }
            out.append("\n\tat ").append(e);
            if (++shown == SITE_FRAMES) {
                break;
            }
        }
        return out.toString();
    }
}
