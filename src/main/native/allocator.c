/* allocator.c: allocator hooks. Holds the system allocator, cym_allocator_new/wrap, reference counting,
 * and the helpers pools call (_cym_allocator_zalloc/resize/free) that synthesise calloc and realloc
 * from malloc and free when an allocator lacks them. Loaded backends are in allocator_dl.c, the debug
 * and failing allocators in allocator_debug.c. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

// ------------------------------------------------------------------------------------------------------
// The system allocator
// ------------------------------------------------------------------------------------------------------

static void* sys_malloc(void* ctx, size_t size) { (void)ctx; return malloc(size); }
/* glibc's calloc never takes from the per-thread cache (tcache), so in a multi-threaded process (any JVM) each
 * small calloc locks an arena; malloc + memset is served from the tcache and measured 2-3x faster per
 * alloc+free pair up to the tcache's largest bin (1032 bytes). Larger blocks keep calloc, which can skip zeroing
 * fresh pages. */
#define SYS_SMALL_ZALLOC 1024
static void* sys_calloc(void* ctx, size_t count, size_t size) {
    (void)ctx;
    size_t bytes;
    if (!_cym_mul_overflow(count, size, &bytes) && bytes <= SYS_SMALL_ZALLOC) {
        void* p = malloc(bytes);
        /* gcc folds malloc + memset(0) back into calloc; hiding p from the optimiser keeps the two calls. */
        __asm__ volatile("" : "+r"(p));
        if (p != NULL) memset(p, 0, bytes);
        return p;
    }
    return calloc(count, size);
}
static void* sys_realloc(void* ctx, void* p, size_t size) { (void)ctx; return realloc(p, size); }
static void sys_free(void* ctx, void* p) { (void)ctx; free(p); }
static size_t sys_usable_size(void* ctx, const void* p) { (void)ctx; return malloc_usable_size((void*)p); }
/* malloc aligns every block to alignof(max_align_t) (16 on x86-64 and arm64 glibc), so smaller alignments take the
 * ordinary path (and its tcache); larger ones posix_memalign, which has no zeroing variant. */
static void* sys_aligned_zalloc(void* ctx, size_t alignment, size_t size) {
    if (alignment <= _Alignof(max_align_t)) {
        void* q = sys_calloc(ctx, 1, size);
        _cym_allocator_advise(q, size); /* _cym_allocator_zalloc_aligned leaves the advice to this function */
        return q;
    }
    void* p = NULL;
    if (posix_memalign(&p, alignment, size) != 0) return NULL;
    _cym_allocator_advise(p, size); /* before the memset faults the pages in */
    memset(p, 0, size);
    return p;
}

static cym_allocator_t system_allocator = {
    {sys_malloc, sys_calloc, sys_realloc, sys_free, NULL, NULL}, NULL, CYM_ALLOCATOR_NO_UPCALLS | CYM_ALLOCATOR_SLABS, "system", 1,
    sys_usable_size, sys_aligned_zalloc};

cym_allocator_t* cym_allocator_system(void) { return &system_allocator; }

// ------------------------------------------------------------------------------------------------------
// Construction and reference counting
// ------------------------------------------------------------------------------------------------------

cym_status cym_allocator_new(const cym_allocator_ops_t* ops, void* ctx, unsigned flags, const char* name,
                      cym_allocator_t** out) {
    if (ops == NULL || ops->malloc_fn == NULL || ops->free_fn == NULL || out == NULL) return CYM_EINVAL;
    cym_allocator_t* a = calloc(1, sizeof *a);
    if (a == NULL) return CYM_ENOMEM;
    a->ops = *ops;
    a->ctx = ctx;
    a->flags = flags;
    strncpy(a->name, name != NULL ? name : "custom", sizeof a->name - 1);
    a->refs = 1;
    *out = a;
    return CYM_OK;
}

/* The context of a wrapped malloc/free pair: the caller's plain functions. */
typedef struct wrapped_s {
    void* (*malloc_fn)(size_t);
    void (*free_fn)(void*);
    void* (*calloc_fn)(size_t, size_t);
    void* (*realloc_fn)(void*, size_t);
    size_t (*usable_fn)(void*); /* may be NULL */
} wrapped_t;

static void* wrapped_malloc(void* ctx, size_t size) { return ((wrapped_t*)ctx)->malloc_fn(size); }
static void* wrapped_calloc(void* ctx, size_t count, size_t size) { return ((wrapped_t*)ctx)->calloc_fn(count, size); }
static void* wrapped_realloc(void* ctx, void* p, size_t size) { return ((wrapped_t*)ctx)->realloc_fn(p, size); }
static void wrapped_free(void* ctx, void* p) { ((wrapped_t*)ctx)->free_fn(p); }
static void wrapped_release(void* ctx) { free(ctx); }
static size_t wrapped_usable(void* ctx, const void* p) { return ((wrapped_t*)ctx)->usable_fn((void*)p); }

int _cym_allocator_wrap_usable(void* (*malloc_fn)(size_t), void (*free_fn)(void*),
                               void* (*calloc_fn)(size_t, size_t), void* (*realloc_fn)(void*, size_t),
                               size_t (*usable_fn)(void*), const char* name, cym_allocator_t** out) {
    if (malloc_fn == NULL || free_fn == NULL || out == NULL) return CYM_EINVAL;
    wrapped_t* w = malloc(sizeof *w);
    if (w == NULL) return CYM_ENOMEM;
    *w = (wrapped_t){malloc_fn, free_fn, calloc_fn, realloc_fn, usable_fn};
    cym_allocator_ops_t ops = {wrapped_malloc, calloc_fn != NULL ? wrapped_calloc : NULL,
                               realloc_fn != NULL ? wrapped_realloc : NULL, wrapped_free, NULL, wrapped_release};
    int status = cym_allocator_new(&ops, w, 0, name != NULL ? name : "wrapped", out);
    if (status != CYM_OK) {
        free(w);
        return status;
    }
    if (usable_fn != NULL) (*out)->usable_size_fn = wrapped_usable;
    return CYM_OK;
}

cym_status cym_allocator_wrap(void* (*malloc_fn)(size_t), void (*free_fn)(void*), void* (*calloc_fn)(size_t, size_t),
                       void* (*realloc_fn)(void*, size_t), const char* name, cym_allocator_t** out) {
    return _cym_allocator_wrap_usable(malloc_fn, free_fn, calloc_fn, realloc_fn, NULL, name, out);
}

cym_allocator_t* cym_allocator_retain(cym_allocator_t* a) {
    if (a != NULL && a != &system_allocator) __atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
    return a;
}

void cym_allocator_release(cym_allocator_t* a) {
    if (a == NULL || a == &system_allocator) return;
    if (__atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (a->ops.release_fn != NULL) a->ops.release_fn(a->ctx);
    free(a);
}

// ------------------------------------------------------------------------------------------------------
// What pools call
// ------------------------------------------------------------------------------------------------------

static uint64_t advised_bytes; /* atomic, relaxed: a statistic for tests */

uint64_t _cym_allocator_advised_bytes(void) { return __atomic_load_n(&advised_bytes, __ATOMIC_RELAXED); }

void _cym_allocator_advise(void* p, size_t size) {
#ifdef MADV_HUGEPAGE
    size_t min = cym_huge_pages_min();
    if (p == NULL || min == 0 || size < min) return;
    /* Every page that holds a byte of the block, the partial first and last ones too. glibc serves a large block
     * from a mapping of its own that starts 16 bytes before it and ends within the block's last page: advising
     * only the whole pages inside would split that mapping in three, and a later realloc, which grows it in place
     * with mremap only when it is one mapping, would copy the whole block instead (and every such block would use
     * three of the process's vm.max_map_count mappings). A partial page may also hold a neighbour's bytes: advice
     * changes no byte, it only lets the kernel use huge pages there. */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)p & ~(page - 1), end = ((uintptr_t)p + size + page - 1) & ~(page - 1);
    (void)madvise((void*)start, end - start, MADV_HUGEPAGE);
    __atomic_add_fetch(&advised_bytes, (uint64_t)(end - start), __ATOMIC_RELAXED);
#else
    (void)p;
    (void)size;
#endif
}

void* _cym_allocator_zalloc(cym_allocator_t* a, size_t size) {
    if (a->ops.calloc_fn != NULL) {
        /* A large calloc usually maps fresh pages and leaves them untouched: the advice comes before any fault. */
        void* p = a->ops.calloc_fn(a->ctx, 1, size);
        _cym_allocator_advise(p, size);
        return p;
    }
    void* p = a->ops.malloc_fn(a->ctx, size);
    _cym_allocator_advise(p, size); /* before the memset faults the pages in */
    if (p != NULL) memset(p, 0, size);
    return p;
}

void* _cym_allocator_resize(cym_allocator_t* a, void* p, size_t old_size, size_t new_size) {
    void* q;
    if (a->ops.realloc_fn != NULL) {
        q = a->ops.realloc_fn(a->ctx, p, new_size);
        if (q == NULL) return NULL;
        if (new_size > old_size) _cym_allocator_advise(q, new_size); /* before the growth is zeroed */
    } else {
        q = a->ops.malloc_fn(a->ctx, new_size);
        if (q == NULL) return NULL;
        if (new_size > old_size) _cym_allocator_advise(q, new_size); /* before the copy faults the pages in */
        memcpy(q, p, old_size < new_size ? old_size : new_size);
        a->ops.free_fn(a->ctx, p);
    }
    if (new_size > old_size) memset((char*)q + old_size, 0, new_size - old_size);
    return q;
}

void _cym_allocator_free(cym_allocator_t* a, void* p) { a->ops.free_fn(a->ctx, p); }

void* _cym_allocator_zalloc_aligned(cym_allocator_t* a, size_t alignment, size_t size, void** base) {
    if (a->aligned_zalloc_fn != NULL) {
        void* p = a->aligned_zalloc_fn(a->ctx, alignment, size);
        if (a->aligned_zalloc_fn != sys_aligned_zalloc) { /* that one advises itself, before it zeroes */
            _cym_allocator_advise(p, size);
        }
        *base = p;
        return p;
    }
    /* Over-allocation: some address in [raw, raw + alignment - 1] is aligned, and size bytes fit after it. */
    size_t total;
    if (__builtin_add_overflow(size, alignment - 1, &total) || total > (size_t)PTRDIFF_MAX) return NULL;
    unsigned char* raw;
    if (a->ops.calloc_fn != NULL) {
        raw = a->ops.calloc_fn(a->ctx, 1, total); /* may skip zeroing fresh pages */
    } else {
        raw = a->ops.malloc_fn(a->ctx, total);
    }
    if (raw == NULL) return NULL;
    unsigned char* p = raw + ((alignment - ((uintptr_t)raw & (alignment - 1))) & (alignment - 1));
    _cym_allocator_advise(p, size);
    /* Without calloc, zero only the user's bytes: the padding (up to a huge page of it) is never touched. */
    if (a->ops.calloc_fn == NULL) memset(p, 0, size);
    *base = raw;
    return p;
}

int64_t cym_allocator_usable_size(cym_allocator_t* a, const void* p) {
    if (a == NULL || p == NULL || a->usable_size_fn == NULL) return -1;
    return (int64_t)a->usable_size_fn(a->ctx, p);
}
