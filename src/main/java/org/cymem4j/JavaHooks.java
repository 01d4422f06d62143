package org.cymem4j;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.Scope;
import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The Java side of {@link Allocator#fromJava}: the upcalls C makes into {@link Allocator.Hooks}. JavaCPP allows only a
 * few live callback objects, so there is one per hook kind for the whole process, and each C allocator carries the
 * id of its Java hooks. A hook must never throw into C (C cannot unwind a Java exception): failures are logged and
 * become "no memory" or "freed".
 */
final class JavaHooks implements NativeAllocator.Dispatch {
    private static final System.Logger LOG = System.getLogger("org.cymem4j");
    private static final ConcurrentHashMap<Integer, Allocator.Hooks> HOOKS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final JavaHooks DISPATCH = new JavaHooks();
    private static final NativeAllocator.MallocCallback MALLOC = new NativeAllocator.MallocCallback(DISPATCH);
    private static final NativeAllocator.FreeCallback FREE = new NativeAllocator.FreeCallback(DISPATCH);
    private static final NativeAllocator.ReleaseCallback RELEASE = new NativeAllocator.ReleaseCallback(DISPATCH);

    private JavaHooks() {
    }

    /** Registers {@code hooks} and makes the C allocator that calls them: its handle, or -status. */
    static long allocator(String name, Allocator.Hooks hooks) {
        int id = IDS.incrementAndGet();
        HOOKS.put(id, hooks);
        long r = NativeAllocator.cym_j_allocator_java(MALLOC, FREE, RELEASE, id, name);
        if (r <= 0) {
            HOOKS.remove(id);
        }
        return r;
    }

    /** How many hook objects are registered (for tests). */
    static int registered() {
        return HOOKS.size();
    }

    @Override
    public long malloc(int id, long size) {
        Allocator.Hooks hooks = HOOKS.get(id);
        try {
            return hooks == null ? 0 : hooks.malloc(size);
        } catch (Throwable t) {
            if (!Scope.isPendingReentry(t)) { // rethrown by the pool call that made this one: no log needed
                LOG.log(System.Logger.Level.WARNING, "Java allocator hook malloc(" + size + ") threw; no memory", t);
            }
            return 0;
        }
    }

    @Override
    public void free(int id, long address) {
        Allocator.Hooks hooks = HOOKS.get(id);
        try {
            if (hooks != null) {
                hooks.free(address);
            }
        } catch (Throwable t) {
            if (!Scope.isPendingReentry(t)) {
                LOG.log(System.Logger.Level.WARNING, "Java allocator hook free(" + Checks.hex(address) + ") threw", t);
            }
        }
    }

    @Override
    public void release(int id) {
        HOOKS.remove(id);
    }
}
