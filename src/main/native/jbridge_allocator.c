/* jbridge_allocator.c: int64 encodings of the allocator API for the Java binding (see jbridge_allocator.h). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jbridge_allocator.h"

#define ALLOC(h) ((cym_allocator_t*)(uintptr_t)(h))
#define POOL(h) ((cym_pool_t*)(uintptr_t)(h))
#define PTR(a) ((void*)(uintptr_t)(a))

/* Call as `int status = f(..., &a); return result(status, a);`: the order in which function arguments are
 * evaluated is unspecified, so result(f(&a), a) may read a before f wrote it. */
static int64_t result(int status, cym_allocator_t* a) { return status == CYM_OK ? (int64_t)(uintptr_t)a : -status; }

int64_t cym_j_allocator_system(void) { return (int64_t)(uintptr_t)cym_allocator_system(); }

int64_t cym_j_allocator_named(const char* name, char* why, int64_t why_len) {
    cym_allocator_t* a = NULL;
    int status = cym_allocator_named(name, why, (size_t)why_len, &a);
    return result(status, a);
}

int64_t cym_j_allocator_named_from(const char* name, const char* path, const char* prefix, char* why,
                                   int64_t why_len) {
    cym_allocator_t* a = NULL;
    int status = cym_allocator_named_from(name, path, prefix, why, (size_t)why_len, &a);
    return result(status, a);
}

int64_t cym_j_allocator_library(const char* path, const char* malloc_sym, const char* free_sym,
                                const char* calloc_sym, const char* realloc_sym, const char* usable_sym,
                                const char* name, char* why, int64_t why_len) {
    cym_allocator_t* a = NULL;
    int status = cym_allocator_library(path, malloc_sym, free_sym, calloc_sym, realloc_sym, usable_sym, name, why,
                                       (size_t)why_len, &a);
    return result(status, a);
}

int64_t cym_j_allocator_wrap(int64_t malloc_fn, int64_t free_fn, int64_t calloc_fn, int64_t realloc_fn,
                             const char* name) {
    void* (*m)(size_t) = NULL;
    void (*f)(void*) = NULL;
    void* (*c)(size_t, size_t) = NULL;
    void* (*r)(void*, size_t) = NULL;
    /* Addresses to function pointers through memcpy: ISO C has no object-to-function pointer cast. */
    uintptr_t bits[4] = {(uintptr_t)malloc_fn, (uintptr_t)free_fn, (uintptr_t)calloc_fn, (uintptr_t)realloc_fn};
    memcpy(&m, &bits[0], sizeof m);
    memcpy(&f, &bits[1], sizeof f);
    memcpy(&c, &bits[2], sizeof c);
    memcpy(&r, &bits[3], sizeof r);
    cym_allocator_t* a = NULL;
    int status = cym_allocator_wrap(m, f, c, r, name, &a);
    return result(status, a);
}

/* The context of an allocator whose hooks are Java objects. */
typedef struct java_hooks_s {
    cym_j_malloc_cb malloc_cb;
    cym_j_free_cb free_cb;
    cym_j_release_cb release_cb;
    int32_t id;
} java_hooks_t;

static void* java_malloc(void* ctx, size_t size) {
    java_hooks_t* h = ctx;
    if (size > (size_t)INT64_MAX) return NULL;
    return PTR(h->malloc_cb(h->id, (int64_t)size));
}

static void java_free(void* ctx, void* p) {
    java_hooks_t* h = ctx;
    h->free_cb(h->id, (int64_t)(uintptr_t)p);
}

static void java_release(void* ctx) {
    java_hooks_t* h = ctx;
    h->release_cb(h->id);
    free(h);
}

int64_t cym_j_allocator_java(cym_j_malloc_cb malloc_cb, cym_j_free_cb free_cb, cym_j_release_cb release_cb,
                             int32_t id, const char* name) {
    if (malloc_cb == NULL || free_cb == NULL || release_cb == NULL) return -CYM_EINVAL;
    java_hooks_t* h = malloc(sizeof *h);
    if (h == NULL) return -CYM_ENOMEM;
    *h = (java_hooks_t){malloc_cb, free_cb, release_cb, id};
    cym_allocator_ops_t ops = {java_malloc, NULL, NULL, java_free, NULL, java_release};
    cym_allocator_t* a = NULL;
    int status = cym_allocator_new(&ops, h, 0, name, &a);
    if (status != CYM_OK) free(h);
    return result(status, a);
}

int64_t cym_j_allocator_debug(int64_t inner) {
    cym_allocator_t* a = NULL;
    int status = cym_allocator_debug(ALLOC(inner), &a);
    return result(status, a);
}

int64_t cym_j_allocator_failing(int64_t inner, int64_t fail_nth, int64_t fail_every, int64_t budget) {
    cym_allocator_t* a = NULL;
    int status = cym_allocator_failing(ALLOC(inner), fail_nth, fail_every, budget, &a);
    return result(status, a);
}

void cym_j_allocator_release(int64_t allocator) { cym_allocator_release(ALLOC(allocator)); }

void cym_j_allocator_name(int64_t allocator, char* out, int64_t len) {
    if (len <= 0) return;
    strncpy(out, ALLOC(allocator)->name, (size_t)len - 1);
    out[len - 1] = '\0';
}

int32_t cym_j_allocator_flags(int64_t allocator) {
    cym_allocator_t* a = ALLOC(allocator);
    return (cym_allocator_is_debug(a) ? CYM_J_ALLOCATOR_DEBUG : 0)
        | (_cym_allocator_is_thread_bound(a) ? CYM_J_ALLOCATOR_THREAD_BOUND : 0)
        | ((a->flags & CYM_ALLOCATOR_NO_UPCALLS) ? 0 : CYM_J_ALLOCATOR_UPCALLS);
}

/* The core's "-1: cannot tell" answers, as the bridge encoding's -CYM_EUNSUPPORTED. */
static int64_t or_unsupported(int64_t value) { return value >= 0 ? value : -CYM_EUNSUPPORTED; }

int64_t cym_j_allocator_usable_size(int64_t allocator, int64_t address) {
    return or_unsupported(cym_allocator_usable_size(ALLOC(allocator), PTR(address)));
}

int32_t cym_j_allocator_backend_owns(int64_t allocator, int64_t address) {
    return (int32_t)or_unsupported(cym_allocator_backend_owns(ALLOC(allocator), PTR(address)));
}

int64_t cym_j_allocator_backend_allocated(int64_t allocator) {
    return or_unsupported(cym_allocator_backend_allocated(ALLOC(allocator)));
}

int32_t cym_j_allocator_failing_counts(int64_t allocator, int64_t* out) {
    cym_allocator_failing_counts(ALLOC(allocator), &out[0], &out[1], &out[2]);
    return out[0] >= 0 ? CYM_OK : -CYM_EINVAL;
}

int64_t cym_j_pool_usable_size(int64_t pool, int64_t address) {
    return or_unsupported(cym_pool_usable_size(POOL(pool), PTR(address))); /* a slab block's class size */
}

int64_t cym_j_pool_debug_check(int64_t pool) {
    return or_unsupported(cym_allocator_debug_check(cym_pool_block_allocator(POOL(pool))));
}

int64_t cym_j_pool_debug_faults(int64_t pool, int64_t* out, int64_t max) {
    cym_debug_fault_t faults[16];
    size_t want = max < 16 ? (size_t)max : 16;
    size_t n = cym_allocator_debug_faults(cym_pool_block_allocator(POOL(pool)), faults, want);
    for (size_t i = 0; i < n; i++) {
        int64_t* f = out + i * CYM_J_FAULT_FIELDS;
        f[0] = faults[i].kind;
        f[1] = (int64_t)(uintptr_t)faults[i].address;
        f[2] = (int64_t)faults[i].size;
        f[3] = (int64_t)faults[i].seq;
        f[4] = (int64_t)faults[i].offset;
    }
    return (int64_t)n;
}

void cym_j_allocator_set_default(int64_t allocator) {
    cym_allocator_set_default((cym_allocator_t*)(uintptr_t)allocator);
}

void cym_j_huge_pages_set_min(int64_t min_bytes) { cym_huge_pages_set_min(min_bytes > 0 ? (size_t)min_bytes : 0); }

int64_t cym_j_huge_pages_min(void) { return (int64_t)cym_huge_pages_min(); }
