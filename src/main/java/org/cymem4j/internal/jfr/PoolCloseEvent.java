package org.cymem4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A pool was released, by {@code close()} or by the Cleaner. Off unless a recording enables it. */
@Name("org.cymem4j.PoolClose")
@Label("Pool Close")
@Category({"cymem4j", "Native Memory"})
@Description("A cymem4j pool was released and its remaining blocks freed")
@Enabled(false)
@StackTrace(false)
// public with public fields: internal/Events (package internal) fills them; the package is not exported
public final class PoolCloseEvent extends Event {
    @Label("Pool Id")
    public long poolId;

    @Label("By Cleaner")
    @Description("True when the pool was unreachable and the Cleaner released it (a leak)")
    public boolean byCleaner;

    @Label("Live Bytes")
    @Description("Bytes still allocated when the pool was released")
    @DataAmount
    public long liveBytes;

    @Label("Live Blocks")
    public long liveBlocks;

    @Label("Peak Bytes")
    @DataAmount
    public long peakBytes;

    @Label("Total Allocations")
    public long totalAllocs;

    @Label("Total Frees")
    public long totalFrees;
}
