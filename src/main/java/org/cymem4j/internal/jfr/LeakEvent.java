package org.cymem4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The Cleaner released a pool nobody closed. Off unless a recording enables {@code org.cymem4j.Leak}. */
@Name("org.cymem4j.Leak")
@Label("Pool Leak")
@Category({"cymem4j", "Native Memory"})
@Description("A cymem4j pool became unreachable without close(); the Cleaner freed it")
@Enabled(false)
@StackTrace(false)
// public with public fields: internal/Events (package internal) fills them; the package is not exported
public final class LeakEvent extends Event {
    @Label("Pool Id")
    public long poolId;

    @Label("Live Bytes")
    @DataAmount
    public long liveBytes;

    @Label("Live Blocks")
    public long liveBlocks;

    @Label("Creation Site")
    @Description("Where the pool was opened, when the leak detection level recorded it; empty otherwise")
    public String creationSite;
}
