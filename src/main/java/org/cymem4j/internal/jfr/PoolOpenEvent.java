package org.cymem4j.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A pool was opened. Off unless a recording enables {@code org.cymem4j.PoolOpen}. */
@Name("org.cymem4j.PoolOpen")
@Label("Pool Open")
@Category({"cymem4j", "Native Memory"})
@Description("A cymem4j pool was opened")
@Enabled(false)
@StackTrace(true)
// public with public fields: internal/Events (package internal) fills them; the package is not exported
public final class PoolOpenEvent extends Event {
    @Label("Pool Id")
    public long poolId;

    @Label("Parent Pool Id")
    @Description("The pool this child pool reserves from, or 0")
    public long parentId;

    @Label("Shared")
    public boolean shared;

    @Label("Allocator")
    public String allocator;

    @Label("Limit")
    @Description("The pool's byte limit, or -1 for none")
    @DataAmount
    public long limitBytes;
}
