package org.cymem4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An allocation failed (limit or allocator). Off unless a recording enables it. */
@Name("org.cymem4j.AllocationFailure")
@Label("Allocation Failure")
@Category({"cymem4j", "Native Memory"})
@Description("A cymem4j allocation failed: over the pool's limit, or the allocator returned NULL")
@Enabled(false)
@StackTrace(true)
// public with public fields: internal/Events (package internal) fills them; the package is not exported
public final class AllocationFailureEvent extends Event {
    @Label("Pool Id")
    public long poolId;

    @Label("Requested")
    @DataAmount
    public long requestedBytes;

    @Label("Live Bytes")
    @DataAmount
    public long liveBytes;

    @Label("Limit")
    @Description("The pool's byte limit, or -1 for none")
    @DataAmount
    public long limitBytes;

    @Label("Reason")
    @Description("limit or allocator")
    public String reason;
}
