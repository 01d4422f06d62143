package org.cymem4j;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.cymem4j.internal.AllocatorConfig;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.NativeStatus;
import org.cymem4j.internal.jni.NativeAllocator;

/**
 * The native allocator behind a {@link Pool}: the C library's {@code malloc}/{@code free} (the default), jemalloc,
 * mimalloc or tcmalloc loaded at run time, any shared library's functions, native function pointers (cymem's
 * {@code WrapMalloc}/{@code WrapFree}), a debug allocator or a fault-injecting one. A pool is bound to one allocator
 * for its whole life and releases every block through it, whatever the process default is by then.
 *
 * <pre>{@code
 * Allocator je = Allocator.named("jemalloc");            // libjemalloc.so.2, loaded once per process
 * try (Pool pool = Pool.open(je)) {
 *     long p = pool.alloc(1, 4 << 20);                    // comes from jemalloc
 * }                                                       // freed by jemalloc's free
 * try (Pool pool = Pool.open()) { ... }                   // the configured default (see defaultAllocator())
 * }</pre>
 *
 * <h2>Lifetime</h2>
 * An {@code Allocator} holds one reference to its C allocator, and every pool opened with it holds another, so it
 * stays valid while any of its pools is open even if the {@code Allocator} object itself is dropped. The object's
 * own reference is released by a {@link Cleaner} when it becomes unreachable; there is no {@code close()}. Named
 * backends and libraries, once loaded, stay loaded for the life of the process (allocators keep per-thread caches).
 *
 * <h2>Configuration</h2>
 * {@link Pool#open()} and {@link Pool#openShared()} use {@link #defaultAllocator()}: the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else the key {@value #PROPERTY} in
 * {@value #PROPERTIES_FILE} on the class path, else {@code system}. Values are those {@link #defaultAllocator()} lists. The
 * choice is logged once at DEBUG through {@link System.Logger} {@code org.cymem4j}; a bad value fails every
 * {@code Pool.open()} with the reason, and nothing falls back silently.
 *
 * @apiNote {@code jemalloc} by configuration alone: put LWJGL's jemalloc build on the class path (Maven
 * {@code org.lwjgl:lwjgl-jemalloc:3.3.6}, classifier {@code natives-linux}); {@code named("jemalloc")} extracts it
 * into a directory named by its content hash under JavaCPP's cache directory and loads it with no environment
 * variable. Without it, Debian's {@code libjemalloc.so.2} is used, which is built with initial-exec thread-local
 * storage that glibc can give a library loaded at run time only from a small reserve: it loads only in a JVM
 * started with {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384}, and otherwise {@code named("jemalloc")}
 * fails naming both fixes.
 */
public final class Allocator {
    /** System property naming the default allocator. */
    public static final String PROPERTY = AllocatorConfig.PROPERTY;
    /** Environment variable naming the default allocator (after the system property). */
    public static final String ENVIRONMENT = AllocatorConfig.ENVIRONMENT;
    /** Class-path resource holding {@value #PROPERTY} (after the environment variable). */
    public static final String PROPERTIES_FILE = AllocatorConfig.PROPERTIES_FILE;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final Allocator SYSTEM = new Allocator(NativeAllocator.cym_j_allocator_system(), false);

    private final long handle;
    private final String name;
    private final int flags;

    private Allocator(long handle, boolean owned) {
        this.handle = handle;
        byte[] buffer = new byte[NativeAllocator.NAME_MAX];
        NativeAllocator.cym_j_allocator_name(handle, buffer, buffer.length);
        this.name = cString(buffer);
        this.flags = NativeAllocator.cym_j_allocator_flags(handle);
        if (owned) {
            CLEANER.register(this, () -> NativeAllocator.cym_j_allocator_release(handle));
        }
    }

    /** An allocator owning the reference {@code result} (a handle or {@code -status}) carries. */
    static Allocator owning(long result, String what, byte[] why) {
        if (result > 0) {
            return new Allocator(result, true);
        }
        int status = (int) -result;
        String reason = why != null ? cString(why) : "";
        if (status == NativeStatus.EINVAL) {
            throw new IllegalArgumentException(what + ": " + (reason.isEmpty() ? "invalid argument" : reason));
        }
        if (status == NativeStatus.EUNSUPPORTED) {
            throw new IllegalStateException(what + " is not available: " + reason);
        }
        throw new NativeOutOfMemoryError(what + ": could not allocate the allocator", 0);
    }

    static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    // ---- factories -------------------------------------------------------------------------------------------

    /**
     * The C library's {@code malloc}/{@code calloc}/{@code realloc}/{@code free}: the allocator a pool gets when
     * nothing is configured.
     *
     * @return the one system allocator of the process (always the same object)
     */
    public static Allocator system() {
        return SYSTEM;
    }

    /**
     * A backend by name, loaded at run time with {@code dlopen} (never interposing the process's own
     * {@code malloc}) the first time it is asked for, then shared:
     * <table>
     * <caption>Named backends</caption>
     * <tr><th>name</th><th>library file</th><th>Debian package</th></tr>
     * <tr><td>{@code system}</td><td>(libc)</td><td></td></tr>
     * <tr><td>{@code jemalloc}</td><td>{@code libjemalloc.so} from {@code org.lwjgl:lwjgl-jemalloc} (classifier
     * {@code natives-linux}) on the class path, else {@code libjemalloc.so.2}</td><td>{@code libjemalloc2} (needs
     * {@code GLIBC_TUNABLES}, see the class documentation)</td></tr>
     * <tr><td>{@code mimalloc}</td><td>{@code libmimalloc.so.2}</td><td>{@code libmimalloc2.0}</td></tr>
     * <tr><td>{@code mimalloc-heap}</td><td>{@code libmimalloc.so.2}</td><td>{@code libmimalloc2.0}</td></tr>
     * <tr><td>{@code tcmalloc}</td><td>{@code libtcmalloc_minimal.so.4}</td><td>{@code libtcmalloc-minimal4}</td></tr>
     * </table>
     * {@code mimalloc-heap} gives every pool its own {@code mi_heap}, so closing a pool is one
     * {@code mi_heap_destroy} however many blocks it has. mimalloc heaps belong to one thread: such a pool must be
     * confined ({@link Pool#open(Allocator)}; {@code openShared(allocator)} and {@code handoff} are refused; when it
     * is the process default, {@link Pool#openShared()} uses {@code mimalloc}, the same library's process-wide heap,
     * and says so once at DEBUG), and if the
     * {@code Cleaner} has to free it, it is freed block by block. An allocation attempted on another thread anyway
     * (a virtual thread that moved to another carrier, or native code using the handle) fails with
     * {@link NativeOutOfMemoryError} instead of corrupting the heap.
     *
     * <pre>{@code
     * Allocator mi = Allocator.named("mimalloc");
     * }</pre>
     *
     * @param name one of the names in the table, exactly as written there (case-sensitive, no surrounding spaces)
     * @return the allocator of that backend: {@link #system()} itself for {@code system}, else a new
     *     {@code Allocator} object sharing the backend loaded once per process
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones)
     * @throws IllegalStateException if the library cannot be loaded (the message names the file looked for and
     *     the package that provides it)
     * @throws java.io.UncheckedIOException for {@code jemalloc}, if LWJGL's build is on the class path but cannot be
     *     extracted into JavaCPP's cache directory
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator named(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (name.equals("jemalloc")) {
            return Jemalloc.load();
        }
        byte[] why = new byte[NativeAllocator.WHY_MAX];
        long r = NativeAllocator.cym_j_allocator_named(name, why, why.length);
        if (r > 0 && r == SYSTEM.handle) {
            return SYSTEM;
        }
        return owning(r, "allocator '" + name + "'", why);
    }

    /**
     * The allocator of any shared library, by its functions' names, for example
     * {@code Allocator.library(Path.of("/opt/lib/libarena.so"), "arena_malloc", "arena_free")}. The library is
     * opened with {@code dlopen} as given (a bare file name is searched the way {@code dlopen} does) and the symbols
     * must be defined by the library itself (a {@code malloc} it merely reaches through libc is refused). Missing
     * {@code calloc}/{@code realloc} are synthesised from malloc and free.
     *
     * @param path the shared library: a path, or a bare file name that {@code dlopen} searches for
     * @param mallocSymbol the name of the library's {@code void* malloc(size_t)}
     * @param freeSymbol the name of the library's {@code void free(void*)}
     * @return a new allocator over the library's functions, named after {@code path}; it has no usable-size
     *     function, so {@link #usableSizeUnchecked} returns -1
     * @throws NullPointerException if any argument is null
     * @throws IllegalStateException if the library cannot be loaded or does not itself define a symbol (the message
     *     says which)
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator library(Path path, String mallocSymbol, String freeSymbol) {
        return library(path, mallocSymbol, freeSymbol, null, null, null);
    }

    /**
     * As {@link #library(Path, String, String)}, with optional {@code calloc}, {@code realloc} and usable-size
     * symbols ({@code null} for none).
     *
     * @param path the shared library: a path, or a bare file name that {@code dlopen} searches for
     * @param mallocSymbol the name of the library's {@code void* malloc(size_t)}
     * @param freeSymbol the name of the library's {@code void free(void*)}
     * @param callocSymbol the name of its {@code void* calloc(size_t, size_t)}, or {@code null} to synthesise it
     *     from malloc
     * @param reallocSymbol the name of its {@code void* realloc(void*, size_t)}, or {@code null} to synthesise it
     *     from malloc and free
     * @param usableSizeSymbol the name of its {@code size_t usable_size(void*)} (as {@code malloc_usable_size}),
     *     or {@code null} for none ({@link #usableSizeUnchecked} then returns -1)
     * @return a new allocator over the library's functions, named after {@code path}
     * @throws NullPointerException if {@code path}, {@code mallocSymbol} or {@code freeSymbol} is null
     * @throws IllegalStateException if the library cannot be loaded or does not itself define a named symbol (the
     *     message says which)
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator library(Path path, String mallocSymbol, String freeSymbol, String callocSymbol,
            String reallocSymbol, String usableSizeSymbol) {
        if (path == null || mallocSymbol == null || freeSymbol == null) {
            throw new NullPointerException("path, mallocSymbol and freeSymbol are required");
        }
        byte[] why = new byte[NativeAllocator.WHY_MAX];
        long r = NativeAllocator.cym_j_allocator_library(path.toString(), mallocSymbol, freeSymbol, callocSymbol,
                reallocSymbol, usableSizeSymbol, null, why, why.length);
        return owning(r, "allocator library " + path, why);
    }

    /**
     * cymem's {@code Pool(WrapMalloc(priv_malloc), WrapFree(priv_free))}: an allocator over native function
     * pointers {@code void* malloc(size_t)} and {@code void free(void*)} (for example from
     * {@code org.bytedeco.javacpp.FunctionPointer.address()} or from a C library's exported table). calloc and
     * realloc are synthesised. The functions must stay valid while any pool uses the allocator.
     *
     * @param mallocFn the address of a {@code void* malloc(size_t)} function
     * @param freeFn the address of a {@code void free(void*)} function that frees what {@code mallocFn} returns
     * @return a new allocator named {@code wrapped} over the two functions; it has no usable-size function, so
     *     {@link #usableSizeUnchecked} returns -1
     * @throws IllegalArgumentException if either address is 0 (nothing can check that a non-zero address is a
     *     function of the right type)
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator functions(long mallocFn, long freeFn) {
        return functions(mallocFn, freeFn, 0, 0);
    }

    /**
     * As {@link #functions(long, long)}, with {@code void* calloc(size_t, size_t)} and
     * {@code void* realloc(void*, size_t)} pointers (0 to synthesise them).
     *
     * @param mallocFn the address of a {@code void* malloc(size_t)} function
     * @param freeFn the address of a {@code void free(void*)} function that frees what the other three return
     * @param callocFn the address of a {@code void* calloc(size_t, size_t)} function, or 0 to synthesise it from
     *     {@code mallocFn}
     * @param reallocFn the address of a {@code void* realloc(void*, size_t)} function, or 0 to synthesise it from
     *     {@code mallocFn} and {@code freeFn}
     * @return a new allocator named {@code wrapped} over the functions; it has no usable-size function, so
     *     {@link #usableSizeUnchecked} returns -1
     * @throws IllegalArgumentException if {@code mallocFn} or {@code freeFn} is 0 (nothing can check that a
     *     non-zero address is a function of the right type)
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator functions(long mallocFn, long freeFn, long callocFn, long reallocFn) {
        if (mallocFn == 0 || freeFn == 0) {
            throw new IllegalArgumentException("mallocFn and freeFn must not be 0: mallocFn=" + Checks.hex(mallocFn)
                    + " freeFn=" + Checks.hex(freeFn));
        }
        return owning(NativeAllocator.cym_j_allocator_wrap(mallocFn, freeFn, callocFn, reallocFn, "wrapped"),
                "wrapped allocator", null);
    }

    /**
     * Allocation hooks written in Java, for {@link #fromJava}. Both are called from whatever thread uses a pool of
     * the allocator, so they must be thread-safe for shared pools. They must not throw: an exception from
     * {@code malloc} is logged (WARNING, {@code org.cymem4j}) and treated as "no memory"; one from {@code free} is
     * logged and the block is considered freed.
     */
    public interface Hooks {
        /**
         * Allocates {@code size} bytes of native memory.
         *
         * @param size bytes wanted, {@code >= 1}
         * @return the address, or 0 if there is no memory
         */
        long malloc(long size);

        /**
         * Frees memory this hook's {@link #malloc} returned.
         *
         * @param address an address {@code malloc} returned and that was not freed yet
         */
        void free(long address);
    }

    /**
     * An allocator whose {@code malloc} and {@code free} are Java code, for example to count, trace or delegate
     * allocations; calloc and realloc are synthesised from them. Each call crosses from C into Java, which costs
     * about 90 ns on top of the hook's own work (a Java-to-C call costs about 6 ns): this is slow by nature, for
     * instrumentation and tests, not for hot paths. The hooks stay registered until the allocator's last pool closes
     * and the returned object is collected.
     *
     * <pre>{@code
     * Map<Long, Pointer> live = new ConcurrentHashMap<>();     // JavaCPP's malloc/free underneath
     * Allocator traced = Allocator.fromJava("traced", new Allocator.Hooks() {
     *     public long malloc(long size) {
     *         Pointer p = Pointer.malloc(size);
     *         live.put(p.address(), p);
     *         return p.address();
     *     }
     *     public void free(long address) { Pointer.free(live.remove(address)); }
     * });
     * try (Pool pool = Pool.open(traced)) {
     *     pool.alloc(1, 64);                                    // calls malloc twice: the table, then the block
     * }                                                         // both freed through free()
     * }</pre>
     *
     * @param name the allocator's name, as {@link #name()}, messages and {@link Pool#allocatorName()} show it (cut
     *     to 63 bytes of UTF-8)
     * @param hooks the Java {@code malloc} and {@code free}
     * @return a new allocator calling {@code hooks}; it has no usable-size function, so {@link #usableSizeUnchecked}
     *     returns -1
     * @throws NullPointerException if {@code name} or {@code hooks} is null
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator fromJava(String name, Hooks hooks) {
        if (name == null || hooks == null) {
            throw new NullPointerException("name and hooks are required");
        }
        return owning(JavaHooks.allocator(name, hooks), "Java allocator " + name, null);
    }

    /** How many {@link #fromJava} hook objects are registered (for tests). */
    static int javaHooksRegistered() {
        return JavaHooks.registered();
    }

    /**
     * A debug allocator over {@code inner}: {@value #GUARD_BYTES} guard bytes before and after every block, checked
     * when the block is freed or reallocated and when its pool closes; freed blocks poisoned and quarantined so a
     * double free is caught; every block's allocation site recorded. A pool of a debug allocator:
     * <ul>
     * <li>throws {@link IllegalStateException} from {@code free}, {@code realloc} or {@code close} when it finds a
     * damaged guard, naming the block, its size, the offset written and where it was allocated (the block is still
     * freed: its memory is already corrupt);</li>
     * <li>logs at {@code close()} (INFO, {@code org.cymem4j}) the blocks still live, with their sites: the pool
     * frees them, but code that meant to free them itself did not.</li>
     * </ul>
     * Recording a stack trace per allocation makes this allocator slow: use it in tests.
     *
     * <pre>{@code
     * try (Pool pool = Pool.open(Allocator.debug(Allocator.system()))) {
     *     long p = pool.alloc(1, 24);
     *     pool.block(p);                          // bounds-checked from Java; native code can still overrun
     *     pool.free(p);                           // throws IllegalStateException if C wrote p[24]
     * }
     * }</pre>
     *
     * @param inner the allocator every block comes from, with its header and guard bytes; it stays valid while the
     *     debug allocator does
     * @return a new debug allocator, named {@code debug(<inner's name>)}, for which {@link #isDebug()} is true
     * @throws NullPointerException if {@code inner} is null
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator debug(Allocator inner) {
        long r = NativeAllocator.cym_j_allocator_debug(inner.handle);
        java.lang.ref.Reference.reachabilityFence(inner);
        return owning(r, "debug allocator", null);
    }

    /** Guard bytes on each side of a debug allocator's block ({@code CYM_DEBUG_GUARD}). */
    public static final int GUARD_BYTES = NativeAllocator.DEBUG_GUARD;

    /**
     * When a {@link #failing failing} allocator fails: calls (every malloc, calloc and realloc, a pool's own table
     * growth included) are numbered from 1.
     *
     * @param nth the call number that fails once, or 0
     * @param every every call whose number is a multiple of this fails, or 0
     * @param budgetBytes a call fails if the bytes live through the allocator would exceed this, or -1 for no budget
     *     (any negative value means none)
     */
    public record FailurePlan(long nth, long every, long budgetBytes) {
        /**
         * Checks the plan; the three rules combine (a call fails if any of them picks it).
         *
         * @param nth the call number that fails once, or 0
         * @param every every call whose number is a multiple of this fails, or 0
         * @param budgetBytes a call fails if the bytes live through the allocator would exceed this, or -1
         * @throws IllegalArgumentException if {@code nth} or {@code every} is negative
         */
        public FailurePlan {
            Checks.nonNegative(nth, "nth");
            Checks.nonNegative(every, "every");
        }

        /**
         * Call number {@code n} (from 1) fails, once.
         *
         * @param n the number of the call that fails; 0 makes a plan under which no call fails
         * @return the plan {@code (n, 0, -1)}
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public static FailurePlan nthCall(long n) {
            return new FailurePlan(Checks.nonNegative(n, "n"), 0, -1);
        }

        /**
         * Every {@code n}th call fails.
         *
         * @param n the period: calls {@code n}, {@code 2n}, {@code 3n}, ... fail; 0 makes a plan under which no
         *     call fails
         * @return the plan {@code (0, n, -1)}
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public static FailurePlan everyNthCall(long n) {
            return new FailurePlan(0, Checks.nonNegative(n, "n"), -1);
        }

        /**
         * Calls fail once more than {@code bytes} would be live through the allocator.
         *
         * @param bytes the budget in bytes: a call fails if the bytes it asks for plus the bytes already live through
         *     the allocator would exceed it (so with 0 every call asking for at least one byte fails)
         * @return the plan {@code (0, 0, bytes)}
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public static FailurePlan aboveBytes(long bytes) {
            return new FailurePlan(0, 0, Checks.nonNegative(bytes, "bytes"));
        }
    }

    /**
     * A fault-injecting allocator over {@code inner}, to prove that code survives allocation failure: the calls
     * {@code plan} picks return no memory, so the pool operation throws {@link NativeOutOfMemoryError} and leaves the
     * pool as it was. The call counter is shared by every pool using the allocator.
     *
     * <pre>{@code
     * Allocator flaky = Allocator.failing(Allocator.system(), Allocator.FailurePlan.nthCall(1));
     * try (Pool pool = Pool.open(flaky)) {
     *     pool.alloc(1, 8);                       // throws NativeOutOfMemoryError: the table's first growth failed
     *     pool.alloc(1, 8);                       // works
     * }
     * }</pre>
     *
     * @param inner the allocator the calls that do not fail go to; it stays valid while the failing allocator does
     * @param plan which calls fail
     * @return a new failing allocator, named {@code failing(<inner's name>)}; see {@link #failureCounts()}
     * @throws NullPointerException if {@code inner} or {@code plan} is null
     * @throws NativeOutOfMemoryError if the allocator's own C structure cannot be allocated
     */
    public static Allocator failing(Allocator inner, FailurePlan plan) {
        long r = NativeAllocator.cym_j_allocator_failing(inner.handle, plan.nth(), plan.every(), plan.budgetBytes());
        java.lang.ref.Reference.reachabilityFence(inner);
        return owning(r, "failing allocator", null);
    }

    // ---- the process default ---------------------------------------------------------------------------------

    /**
     * The process default, resolved once from configuration and logged once at DEBUG ({@code cymem4j info} prints it
     * too): {@code cymem4j allocator: jemalloc (from system property cymem4j.allocator)}. The configuration is the
     * system property {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else the key
     * {@value #PROPERTY} in {@value #PROPERTIES_FILE} on the class path, else {@code system}; a value is
     * {@code system}, {@code jemalloc}, {@code mimalloc}, {@code mimalloc-heap}, {@code tcmalloc} (see
     * {@link #named}), {@code debug} (= {@code debug:system}), {@code debug:<inner>} ({@link #debug} over any of
     * these), or {@code path:/abs/libfoo.so} (a library with the standard {@code malloc}, {@code free},
     * {@code calloc}, {@code realloc}).
     *
     * @return the default allocator: the same object on every call once resolved
     * @throws IllegalArgumentException if the configured value is unknown (every call, with the same message)
     * @throws IllegalStateException if the configured library cannot be loaded (every call)
     */
    public static Allocator defaultAllocator() {
        return DefaultAllocator.get();
    }

    /** The allocator a pool that names none gets (see {@link DefaultAllocator#forPool}). */
    static Allocator defaultAllocator(boolean shared) {
        return DefaultAllocator.forPool(shared);
    }

    // ---- queries ---------------------------------------------------------------------------------------------

    /**
     * The allocator's name as messages show it: {@code system}, {@code jemalloc}, {@code debug(mimalloc)}, ...
     *
     * @return the name given by the backend, or to {@link #fromJava}; the path for {@link #library} allocators;
     *     {@code wrapped} for {@link #functions} ones. Names are kept in 63 bytes of UTF-8: a longer one is cut short
     */
    public String name() {
        return name;
    }

    /**
     * <b>Unchecked:</b> the usable size of {@code address}, which must be a live block this allocator made directly
     * (not through a pool-private heap or debug tracker), as the backend reports it: {@code malloc_usable_size}
     * (system, jemalloc, each from its own library), {@code mi_usable_size}, {@code tc_malloc_size}. Nothing can check
     * the address: a foreign, interior or freed one is undefined behaviour in the backend (garbage, or a crash), as
     * FFM's restricted methods are. For pool blocks use {@link #usableSize(Pool, long)}, which checks.
     *
     * <pre>{@code
     * long p = myLibrary.mallocFromJemalloc(100);      // memory jemalloc made for C code
     * long usable = jemalloc.usableSizeUnchecked(p);    // 112: jemalloc's size class
     * }</pre>
     *
     * @param address the start of a live block of this allocator's backend
     * @return bytes usable at {@code address} (at least the size asked for), or -1 if this allocator cannot tell
     */
    public long usableSizeUnchecked(long address) {
        long r = NativeAllocator.cym_j_allocator_usable_size(handle, address);
        java.lang.ref.Reference.reachabilityFence(this);
        return r < 0 ? -1 : r; // -CYM_EUNSUPPORTED: this allocator cannot tell
    }

    /**
     * The usable size of a live block of {@code pool}: for a block the pool serves from one of its slabs (small
     * blocks of slab-served pools, README "Slab allocation"), the size of the block's slab class; for any other block,
     * as the allocator that made it says (the pool's private mimalloc heap or debug tracker included), a way to check
     * where pool memory comes from.
     *
     * @param pool the pool that owns the block
     * @param address the start of a live block of {@code pool}, as {@link Pool#alloc} returned it
     * @return bytes usable at {@code address}, or -1 if the allocator cannot tell
     * @throws NullPointerException if {@code pool} is null
     * @throws IllegalArgumentException if {@code pool} does not own {@code address}
     * @throws IllegalStateException if the pool is closed or used from a thread it is not confined to
     */
    public static long usableSize(Pool pool, long address) {
        return PoolSnapshots.usableSize(pool, address); // ownership checked in the same call bracket
    }

    /**
     * What this allocator's backend library counts for the whole process: jemalloc's
     * {@code mallctl("stats.allocated")} and tcmalloc's {@code generic.current_allocated_bytes} (bytes allocated),
     * mimalloc's current commit from {@code mi_process_info} (bytes committed, in segments). Growth after a pool
     * allocation proves the memory came from that library. LWJGL's jemalloc (see {@link #named}) is built without
     * statistics and has no process-wide counter: for it this is the calling thread's bytes allocated minus bytes
     * freed through it ({@code thread.allocated - thread.deallocated}), so compare values read on one thread.
     *
     * @return the counter, or -1 for allocators without one (system, wrapped, debug, failing, libraries by path)
     */
    public long backendAllocatedBytes() {
        long r = NativeAllocator.cym_j_allocator_backend_allocated(handle);
        java.lang.ref.Reference.reachabilityFence(this);
        return r < 0 ? -1 : r; // -CYM_EUNSUPPORTED: no counter
    }

    /**
     * For a {@link #failing} allocator: {@code {calls, failed calls, live bytes}} so far.
     *
     * @return a new array of three values: the calls counted so far (every malloc, calloc and realloc, failed ones
     *     included), how many of them failed, and the bytes currently live through the allocator
     * @throws IllegalStateException if this is not a failing allocator
     */
    public long[] failureCounts() {
        long[] out = new long[NativeAllocator.FAILING_COUNTS];
        int status = NativeAllocator.cym_j_allocator_failing_counts(handle, out);
        java.lang.ref.Reference.reachabilityFence(this);
        if (status < 0) {
            throw new IllegalStateException("allocator " + name + " is not a failing allocator");
        }
        return out;
    }

    /**
     * True for {@link #debug} allocators.
     *
     * @return true if this allocator was made by {@link #debug} (a {@link #failing} allocator over a debug one is
     *     not itself a debug allocator)
     */
    public boolean isDebug() {
        return (flags & NativeAllocator.FLAG_DEBUG) != 0;
    }

    /** True if pools of this allocator must stay on the thread that opened them ({@code mimalloc-heap}). */
    boolean threadBound() {
        return (flags & NativeAllocator.FLAG_THREAD_BOUND) != 0;
    }

    /** True if this allocator's calls may run Java code (hooks from {@link #fromJava}, wrapped callbacks). */
    boolean mayCallJava() {
        return (flags & NativeAllocator.FLAG_UPCALLS) != 0;
    }

    /** The C allocator handle ({@code cym_allocator_t*}). */
    long handle() {
        return handle;
    }

    /** {@code Allocator[jemalloc]}. */
    @Override
    public String toString() {
        return "Allocator[" + name + "]";
    }
}
