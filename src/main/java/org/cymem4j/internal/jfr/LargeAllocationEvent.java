package org.cymem4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An allocation of at least {@code cymem4j.jfr.largeAllocationBytes}. Off unless a recording enables it. */
@Name("org.cymem4j.LargeAllocation")
@Label("Large Allocation")
@Category({"cymem4j", "Native Memory"})
@Description("A cymem4j allocation at or above the cymem4j.jfr.largeAllocationBytes threshold")
@Enabled(false)
@StackTrace(true)
// public with public fields: internal/Events (package internal) fills them; the package is not exported
public final class LargeAllocationEvent extends Event {
    @Label("Pool Id")
    public long poolId;

    @Label("Size")
    @DataAmount
    public long bytes;

    @Label("Address")
    @MemoryAddress
    public long address;
}
