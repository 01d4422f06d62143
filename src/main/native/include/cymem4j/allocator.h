/* cymem4j/allocator.h: allocator hooks. An allocator is a table of functions plus a context and a name;
 * every pool is bound to one allocator for its whole life, so each block is released by the free
 * function that matches the function that made it, whatever the process default is by then.
 */
#ifndef CYMEM4J_ALLOCATOR_H
#define CYMEM4J_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#include "cymem4j/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cym_allocator_s cym_allocator_t;

/* The functions behind an allocator. ctx is the allocator's context (cym_allocator_new's ctx).
 * malloc_fn and free_fn are required. calloc_fn and realloc_fn may be NULL: pools then synthesise them
 * from malloc_fn/free_fn (malloc + memset; malloc + copy + free), which cymem's WrapMalloc never allowed.
 * pool_fn may be NULL; when set, every pool made with this allocator asks it for a pool-private
 * allocator (for example a mimalloc heap). release_fn, when set, is called once when the last reference
 * to the allocator goes; if the allocator was made with CYM_ALLOCATOR_RELEASE_FREES_ALL, releasing it
 * frees every block it handed out, and pools skip walking their table. */
typedef struct cym_allocator_ops_s {
    void* (*malloc_fn)(void* ctx, size_t size);
    void* (*calloc_fn)(void* ctx, size_t count, size_t size);
    void* (*realloc_fn)(void* ctx, void* p, size_t size);
    void (*free_fn)(void* ctx, void* p);
    cym_allocator_t* (*pool_fn)(void* ctx);
    void (*release_fn)(void* ctx);
} cym_allocator_ops_t;

/* cym_allocator_new flags. */
#define CYM_ALLOCATOR_RELEASE_FREES_ALL 1u
/* The allocator's functions never call into a managed runtime (no JNI, no upcall) and never wait on anything but
 * the allocator's own locks. The JVM may then run a pool's small alloc and free as critical downcalls,
 * which skip the JVM's thread-state transition: about 8 ns less per alloc+free pair. Set by the system allocator
 * and the named backends; a custom allocator may set it (in cym_allocator_new's flags, or before any pool is created
 * with it: pools read it once, in cym_pool_create) when it is true. Setting
 * it on an allocator that calls back into Java can deadlock or crash the JVM. */
#define CYM_ALLOCATOR_NO_UPCALLS 2u
/* Pools may serve small blocks (up to 4 KiB) from 64 KiB slabs they take from this allocator's aligned_zalloc_fn,
 * instead of one allocator call per block (see cym_pool_create). Set by the system allocator and the named backends
 * (jemalloc, mimalloc, tcmalloc, mimalloc-heap); never by a debug, failing or wrapped allocator, whose meaning is one
 * call per block. A custom allocator with an aligned_zalloc_fn may set it before any pool is created with it. */
#define CYM_ALLOCATOR_SLABS 4u

/* Maximum length of an allocator name, including the terminating NUL; longer names are truncated. */
#define CYM_ALLOCATOR_NAME_MAX 64

struct cym_allocator_s {
    cym_allocator_ops_t ops;           /* copied from cym_allocator_new's argument */
    void* ctx;                         /* passed as the first argument of every op */
    unsigned flags;                    /* CYM_ALLOCATOR_* */
    char name[CYM_ALLOCATOR_NAME_MAX]; /* for messages and logs: "system", "jemalloc", "debug(system)" */
    int64_t refs;                      /* references held (atomic); the system allocator ignores it */
    /* The bytes usable at p (>= what was asked), as the backend reports them; NULL when unknown. Set by the
     * built-in backends; a custom allocator may set it right after cym_allocator_new. */
    size_t (*usable_size_fn)(void* ctx, const void* p);
    /* The backend's aligned allocation, or NULL: size ZEROED bytes (size >= 1) at an address that is a multiple of
     * alignment (a power of two, 2 .. CYM_ALIGNMENT_MAX), released by ops.free_fn like any other block; NULL on
     * failure. Zeroed because pools hand out only zeroed blocks and a backend that zeroes (mi_zalloc_aligned,
     * jemalloc's MALLOCX_ZERO) can skip fresh pages. When NULL, pools over-allocate through the ordinary
     * functions (see cym_pool_alloc_aligned). Set by the system allocator, the named backends and the debug
     * allocator; a custom allocator may set it right after cym_allocator_new (before any pool uses it). Kept
     * out of cym_allocator_ops_t so that positional initialisers of the ops stay complete. */
    void* (*aligned_zalloc_fn)(void* ctx, size_t alignment, size_t size);
};

/* The largest alignment cym_pool_alloc_aligned and aligned_zalloc_fn take: 1 GiB (a 1 GiB huge page). Every
 * built-in backend serves it natively; over-allocation costs up to this much address space per block. */
#define CYM_ALIGNMENT_MAX ((size_t)1 << 30)

/* The process's libc allocator (malloc/calloc/realloc/free; aligned blocks from posix_memalign + memset, or
 * malloc + memset for alignments up to alignof(max_align_t), which malloc gives anyway). Static: retain and
 * release are no-ops. */
cym_allocator_t* cym_allocator_system(void);

/* A new allocator with one reference owned by the caller (release it with cym_allocator_release).
 * ops must have malloc_fn and free_fn. The struct itself comes from the system allocator.
 * Returns CYM_EINVAL for a missing function, CYM_ENOMEM if the struct cannot be allocated. */
cym_status cym_allocator_new(const cym_allocator_ops_t* ops, void* ctx, unsigned flags, const char* name,
                      cym_allocator_t** out);

/* cymem's WrapMalloc/WrapFree: an allocator over a plain malloc/free pair (calloc and realloc are
 * synthesised). calloc_fn and realloc_fn may be NULL; when given they are used. It has no aligned entry point:
 * pools over-allocate aligned blocks (one calloc_fn, else malloc_fn, call of size + alignment - 1 bytes, released
 * by free_fn at the address it returned). One reference owned by the caller. */
cym_status cym_allocator_wrap(void* (*malloc_fn)(size_t), void (*free_fn)(void*), void* (*calloc_fn)(size_t, size_t),
                       void* (*realloc_fn)(void*, size_t), const char* name, cym_allocator_t** out);

/* Take one more reference; returns a. */
cym_allocator_t* cym_allocator_retain(cym_allocator_t* a);

/* Drop one reference; the last one calls ops.release_fn(ctx) and frees the struct. NULL is ignored. */
void cym_allocator_release(cym_allocator_t* a);

// ------------------------------------------------------------------------------------------------------
// Backends loaded at run time
// ------------------------------------------------------------------------------------------------------
/* Libraries are opened with dlopen(RTLD_NOW | RTLD_LOCAL) by file name, and their functions looked up
 * with dlsym on that handle only, so the process's own malloc is never interposed. A library, once
 * opened, stays loaded for the life of the process: allocators keep per-thread caches that must outlive
 * any one allocator object. `why` (may be NULL) receives a one-line reason on failure, at most why_len
 * bytes including the NUL. */

/* Maximum length of a failure reason written to `why`, including the NUL. */
#define CYM_ALLOCATOR_WHY_MAX 512

/* A backend by name: "system", "jemalloc" (libjemalloc.so.2, Debian package libjemalloc2), "mimalloc"
 * (libmimalloc.so.2, libmimalloc2.0), "mimalloc-heap" (the same library, one mi_heap per pool, see
 * below) or "tcmalloc" (libtcmalloc_minimal.so.4, libtcmalloc-minimal4). Each named backend is loaded
 * once per process and shared; *out gets one reference owned by the caller.
 * CYM_EINVAL for an unknown name (why lists the valid ones); CYM_EUNSUPPORTED if the library or a
 * symbol is missing (why names the file looked for and the package that provides it); CYM_ENOMEM.
 *
 * Aligned blocks come from each backend's own entry point, found with the same prefix: jemalloc mallocx(size,
 * MALLOCX_LG_ALIGN | MALLOCX_ZERO), mimalloc mi_zalloc_aligned, mimalloc-heap mi_heap_zalloc_aligned, tcmalloc
 * tc_memalign + memset; a library that lacks the symbol loads anyway, and its aligned blocks are over-allocated.
 *
 * "mimalloc-heap": every pool gets its own mi_heap_new() heap, and destroying the pool is one
 * mi_heap_destroy() instead of a walk over its table. mimalloc heaps belong to the thread that made them:
 * such a pool must be created, used and destroyed on one thread (the Java binding enforces this). If it is
 * destroyed on another thread anyway, its blocks are freed one by one (mi_free is thread-safe) and the
 * emptied heap is left to mimalloc to reclaim when its thread exits. */
cym_status cym_allocator_named(const char* name, char* why, size_t why_len, cym_allocator_t** out);

/* The named backend `name` loaded from the file `path` (given to dlopen as is) whose functions carry `prefix`
 * (NULL or "" for none): for example jemalloc built with --with-jemalloc-prefix=je_ and without initial-exec TLS,
 * which loads at run time with no GLIBC_TUNABLES (the Java binding finds one on the class path). A backend is loaded
 * once per process: if `name` is already loaded (from its soname or another file), that one is returned and `path`
 * is not opened. Errors as cym_allocator_named; CYM_EINVAL for a NULL name or path. */
cym_status cym_allocator_named_from(const char* name, const char* path, const char* prefix, char* why,
                                    size_t why_len, cym_allocator_t** out);

/* An allocator over any shared library: path is given to dlopen as is; the symbols are looked up in that
 * library (a symbol the library does not define itself, e.g. libc's malloc reached through its
 * dependencies, is rejected). malloc_sym and free_sym are required; calloc_sym, realloc_sym and
 * usable_size_sym may be NULL (synthesised / unknown). name may be NULL (the path is used). One
 * reference owned by the caller. CYM_EUNSUPPORTED (library or symbol missing; why says which),
 * CYM_EINVAL (NULL path/malloc_sym/free_sym), CYM_ENOMEM. No aligned entry point (pools over-allocate, as
 * for cym_allocator_wrap); a caller that knows the library's may set aligned_zalloc_fn on the result. */
cym_status cym_allocator_library(const char* path, const char* malloc_sym, const char* free_sym,
                          const char* calloc_sym, const char* realloc_sym, const char* usable_size_sym,
                          const char* name, char* why, size_t why_len, cym_allocator_t** out);

/* The usable size of block p as a's backend reports it (malloc_usable_size, mi_usable_size,
 * tc_malloc_size, or the debug/failing allocators' recorded size), or -1 if a cannot tell. p must be a
 * live block of a (or of a pool bound to a); anything else is undefined behaviour, as in the backends. */
int64_t cym_allocator_usable_size(cym_allocator_t* a, const void* p);

/* Whether a's backend library made p, as the library itself tells (tcmalloc's
 * MallocExtension_GetOwnership): 1 yes, 0 no, -1 the backend cannot tell safely for any address
 * (system, jemalloc, mimalloc, wrapped, debug, failing). p may be any address. */
int cym_allocator_backend_owns(cym_allocator_t* a, const void* p);

/* What a's backend library counts for the whole process: jemalloc mallctl("stats.allocated") and
 * tcmalloc "generic.current_allocated_bytes" (bytes allocated), mimalloc mi_process_info's current
 * commit (bytes committed from the OS, grows in segments); -1 for backends without such a counter
 * (system, others). A jemalloc built without statistics (config.stats false, as LWJGL's) has no process-wide
 * counter: for it, the calling thread's "thread.allocated" minus "thread.deallocated" (bytes this thread allocated
 * and freed through it, net; wraps if the thread frees more than it allocated). For checking that memory really
 * comes from the backend. */
int64_t cym_allocator_backend_allocated(cym_allocator_t* a);

// ------------------------------------------------------------------------------------------------------
// The debug allocator
// ------------------------------------------------------------------------------------------------------
/* cym_allocator_debug wraps inner: each block gets CYM_DEBUG_GUARD guard bytes before and after it,
 * checked when it is freed and by cym_allocator_debug_check; freed blocks are filled with
 * CYM_DEBUG_POISON and held in a quarantine of CYM_DEBUG_QUARANTINE blocks before inner frees them, so a
 * double free (or a write after free) of a recent block is caught. Every block carries a sequence number
 * (1, 2, ... per debug allocator) so a caller can map it to where it was allocated.
 *
 * Problems are never fatal: they are recorded as faults (see cym_debug_fault_t) and the operation is
 * skipped (a double or foreign free frees nothing) or completed (an overrun block is still freed). Read
 * them with cym_allocator_debug_faults. Pools made with a debug allocator get a private one each (so a
 * pool's faults and live blocks are its own): reach it with cym_pool_block_allocator. Faults nobody read
 * are printed to stderr when the allocator is released.
 *
 * Aligned blocks (aligned_zalloc_fn) keep all of this: inner's malloc is asked for alignment - 1 bytes more, the
 * header and front guard end at the first aligned address that leaves room for them, the back guard follows the
 * block; poison, quarantine and faults are the same, and inner frees the block it returned. */

#define CYM_DEBUG_GUARD 16          /* guard bytes on each side of a block */
#define CYM_DEBUG_GUARD_BYTE 0xAB   /* what the guards hold */
#define CYM_DEBUG_POISON 0xDD       /* what freed blocks are filled with */
#define CYM_DEBUG_QUARANTINE 64     /* freed blocks held back before inner frees them */

/* Kinds of fault. */
#define CYM_DEBUG_OVERRUN 1         /* bytes after the block were written */
#define CYM_DEBUG_UNDERRUN 2        /* bytes before the block were written */
#define CYM_DEBUG_DOUBLE_FREE 3     /* the block was already freed */
#define CYM_DEBUG_FOREIGN_FREE 4    /* the address is not a block of this allocator */
#define CYM_DEBUG_WRITE_AFTER_FREE 5 /* a quarantined block's poison changed */

typedef struct cym_debug_fault_s {
    int kind;        /* CYM_DEBUG_* above */
    void* address;   /* the block (as the user saw it) */
    size_t size;     /* its size in bytes as requested (0 if unknown, e.g. foreign) */
    uint64_t seq;    /* its sequence number (0 if unknown) */
    size_t offset;   /* OVERRUN/UNDERRUN/WRITE_AFTER_FREE: first bad byte, counted from the block start
                        (for UNDERRUN, bytes before it) */
} cym_debug_fault_t;

/* A debug allocator over inner (retained; NULL means system). One reference owned by the caller.
 * CYM_ENOMEM. */
cym_status cym_allocator_debug(cym_allocator_t* inner, cym_allocator_t** out);

/* 1 if a is a debug allocator (made by cym_allocator_debug, or the private one of a debug pool). */
int cym_allocator_is_debug(cym_allocator_t* a);

/* Checks the guards of every live block of debug allocator a now, recording a fault per damaged block.
 * Returns the number of live blocks, or -1 if a is not a debug allocator. */
int64_t cym_allocator_debug_check(cym_allocator_t* a);

/* Moves up to n recorded faults (oldest first) into out and forgets them; returns how many. */
size_t cym_allocator_debug_faults(cym_allocator_t* a, cym_debug_fault_t* out, size_t n);

/* The sequence number of live block p of debug allocator a, or 0 if p is not one. */
uint64_t cym_allocator_debug_seq(cym_allocator_t* a, const void* p);

// ------------------------------------------------------------------------------------------------------
// The failing allocator (fault injection)
// ------------------------------------------------------------------------------------------------------
/* cym_allocator_failing wraps inner and makes some of its calls return NULL, counting every malloc,
 * calloc and realloc (a pool's table growth included) as one call, numbered from 1. It has no aligned entry
 * point: a pool's aligned allocation (or realloc of an aligned block) is one calloc of size + alignment - 1
 * bytes, so one call, and an injected failure is CYM_ENOMEM with the pool unchanged:
 *   fail_nth > 0     call number fail_nth fails (once)
 *   fail_every > 0   every call whose number is a multiple of fail_every fails
 *   budget >= 0      a call fails if the bytes live through this allocator would exceed budget
 * Conditions combine (any one fails the call); 0 / 0 / -1 never fails. The counters are shared by every
 * pool using the allocator. One reference owned by the caller; CYM_EINVAL for negative fail_nth or
 * fail_every, CYM_ENOMEM. */
cym_status cym_allocator_failing(cym_allocator_t* inner, int64_t fail_nth, int64_t fail_every, int64_t budget,
                          cym_allocator_t** out);

/* Counters of a failing allocator: calls made, calls failed, bytes live. -1 each if a is not one. */
void cym_allocator_failing_counts(cym_allocator_t* a, int64_t* calls, int64_t* failures, int64_t* live_bytes);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_ALLOCATOR_H */
