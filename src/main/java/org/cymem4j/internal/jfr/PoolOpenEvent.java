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
final class PoolOpenEvent extends Event {
    @Label("Pool Id")
    long poolId;

    @Label("Parent Pool Id")
    @Description("The pool this child pool reserves from, or 0")
    long parentId;

    @Label("Shared")
    boolean shared;

    @Label("Allocator")
    String allocator;

    @Label("Limit")
    @Description("The pool's byte limit, or -1 for none")
    @DataAmount
    long limitBytes;
}
