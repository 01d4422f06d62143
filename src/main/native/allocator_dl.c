/* allocator_dl.c: allocators from shared libraries loaded at run time: the named backends (jemalloc,
 * mimalloc, tcmalloc), any library by path (cym_allocator_library), and the per-pool mimalloc heap.
 * Entry points: cym_allocator_named and cym_allocator_library. Libraries are opened RTLD_NOW |
 * RTLD_LOCAL and never closed, and every symbol must be defined by the library itself. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

// ------------------------------------------------------------------------------------------------------
// Loading a library and its symbols
// ------------------------------------------------------------------------------------------------------

static void say(char* why, size_t why_len, const char* fmt, const char* a, const char* b, const char* c) {
    if (why != NULL && why_len > 0) snprintf(why, why_len, fmt, a, b, c);
}

/* dlopen(path), or NULL with the reason in why. `package` (may be NULL) names what provides it. */
static void* open_library(const char* path, const char* package, char* why, size_t why_len) {
    void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle != NULL) return handle;
    const char* error = dlerror();
    char hint[384] = "";
    if (package != NULL) snprintf(hint, sizeof hint, "; it is provided by the Debian package %s", package);
    if (error != NULL && strstr(error, "static TLS") != NULL) {
        /* jemalloc is built with initial-exec TLS, which glibc can only give a library opened at run time
         * out of a small reserve; the tunable enlarges the reserve at process start. */
        strncat(hint, "; the library needs static TLS: start the process with "
                      "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384",
                sizeof hint - strlen(hint) - 1);
#if defined(__aarch64__)
        /* glibc on arm64 also refuses static TLS aligned more strictly than the process's startup TLS (16 bytes in
         * a JVM): Debian's arm64 libtcmalloc_minimal.so.4 (64) fails whatever the reserve (ARCHITECTURE.md,
         * "Platforms"). Preloaded, it is already in the process and dlopen just finds it. */
        strncat(hint, "; on arm64 that is not enough when its TLS is aligned beyond 16 bytes (Debian's tcmalloc): "
                      "preload it with LD_PRELOAD",
                sizeof hint - strlen(hint) - 1);
#endif
    }
    say(why, why_len, "cannot load %s (%s)%s", path, error != NULL ? error : "unknown error", hint);
    return NULL;
}

/* The address of symbol `name` defined by the library behind handle itself (not by one of its
 * dependencies, such as libc's malloc), or NULL with the reason in why. */
static void* find_symbol(void* handle, const char* path, const char* name, char* why, size_t why_len) {
    dlerror();
    void* sym = dlsym(handle, name);
    if (sym == NULL) {
        say(why, why_len, "%s does not define %s%s", path, name, "");
        return NULL;
    }
    struct link_map* map = NULL;
    Dl_info info;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != NULL && dladdr(sym, &info) != 0 &&
        info.dli_fname != NULL && strcmp(info.dli_fname, map->l_name) != 0) {
        say(why, why_len, "%s does not define %s (the symbol found comes from %s)", path, name, info.dli_fname);
        return NULL;
    }
    return sym;
}

/* find_symbol into a function pointer (memcpy: ISO C has no object-to-function pointer conversion). */
#define LOOKUP(fn, handle, path, name, why, why_len)                                                   \
    do {                                                                                               \
        void* sym_ = find_symbol(handle, path, name, why, why_len);                                    \
        if (sym_ == NULL) return CYM_EUNSUPPORTED;                                                     \
        memcpy(&(fn), &sym_, sizeof(fn));                                                              \
    } while (0)

cym_status cym_allocator_library(const char* path, const char* malloc_sym, const char* free_sym,
                          const char* calloc_sym, const char* realloc_sym, const char* usable_size_sym,
                          const char* name, char* why, size_t why_len, cym_allocator_t** out) {
    if (path == NULL || malloc_sym == NULL || free_sym == NULL || out == NULL) return CYM_EINVAL;
    void* handle = open_library(path, NULL, why, why_len);
    if (handle == NULL) return CYM_EUNSUPPORTED;
    void* (*malloc_fn)(size_t) = NULL;
    void (*free_fn)(void*) = NULL;
    void* (*calloc_fn)(size_t, size_t) = NULL;
    void* (*realloc_fn)(void*, size_t) = NULL;
    size_t (*usable_fn)(void*) = NULL;
    LOOKUP(malloc_fn, handle, path, malloc_sym, why, why_len);
    LOOKUP(free_fn, handle, path, free_sym, why, why_len);
    if (calloc_sym != NULL) LOOKUP(calloc_fn, handle, path, calloc_sym, why, why_len);
    if (realloc_sym != NULL) LOOKUP(realloc_fn, handle, path, realloc_sym, why, why_len);
    if (usable_size_sym != NULL) LOOKUP(usable_fn, handle, path, usable_size_sym, why, why_len);
    return _cym_allocator_wrap_usable(malloc_fn, free_fn, calloc_fn, realloc_fn, usable_fn,
                                      name != NULL ? name : path, out);
}

// ------------------------------------------------------------------------------------------------------
// The per-pool mimalloc heap
// ------------------------------------------------------------------------------------------------------

/* The few mimalloc functions a heap needs (no mimalloc.h: the -dev package is not installed). */
typedef struct mi_api_s {
    void* (*heap_new)(void);
    void (*heap_destroy)(void* heap);
    void* (*heap_malloc)(void* heap, size_t size);
    void* (*heap_calloc)(void* heap, size_t count, size_t size);
    void* (*heap_realloc)(void* heap, void* p, size_t size);
    void* (*heap_zalloc_aligned)(void* heap, size_t size, size_t alignment);
    void (*free)(void* p);
    size_t (*usable_size)(const void* p);
} mi_api_t;

static mi_api_t mi_api; /* written once under backends_lock before the first heap exists, then read-only */

/* One pool's heap: mi_heap_* must run on the thread that created the heap. */
typedef struct heap_s {
    void* heap;
    pthread_t owner;
} heap_t;

/* Allocation off the owner thread would corrupt the heap: it fails instead (CYM_ENOMEM to the pool). */
static inline bool on_owner(const heap_t* h) { return pthread_equal(h->owner, pthread_self()); }

static void* heap_malloc(void* ctx, size_t size) {
    return on_owner(ctx) ? mi_api.heap_malloc(((heap_t*)ctx)->heap, size) : NULL;
}
static void* heap_calloc(void* ctx, size_t count, size_t size) {
    return on_owner(ctx) ? mi_api.heap_calloc(((heap_t*)ctx)->heap, count, size) : NULL;
}
static void* heap_realloc(void* ctx, void* p, size_t size) {
    return on_owner(ctx) ? mi_api.heap_realloc(((heap_t*)ctx)->heap, p, size) : NULL;
}
static void* heap_zalloc_aligned(void* ctx, size_t alignment, size_t size) {
    return on_owner(ctx) ? mi_api.heap_zalloc_aligned(((heap_t*)ctx)->heap, size, alignment) : NULL;
}
static void heap_free(void* ctx, void* p) { (void)ctx; mi_api.free(p); }
static size_t heap_usable(void* ctx, const void* p) { (void)ctx; return mi_api.usable_size(p); }

static void heap_release(void* ctx) {
    heap_t* h = ctx;
    /* Off the owner thread the pool has already freed every block one by one (see
     * _cym_allocator_frees_all); the empty heap stays with its thread, which reclaims it when it exits. */
    if (on_owner(h)) mi_api.heap_destroy(h->heap);
    free(h);
}

static cym_allocator_t* heap_pool_fn(void* ctx) {
    (void)ctx;
    heap_t* h = malloc(sizeof *h);
    if (h == NULL) return NULL;
    h->heap = mi_api.heap_new();
    h->owner = pthread_self();
    if (h->heap == NULL) {
        free(h);
        return NULL;
    }
    cym_allocator_ops_t ops = {heap_malloc, heap_calloc, heap_realloc, heap_free, NULL, heap_release};
    cym_allocator_t* a;
    if (cym_allocator_new(&ops, h, CYM_ALLOCATOR_RELEASE_FREES_ALL | CYM_ALLOCATOR_NO_UPCALLS | CYM_ALLOCATOR_SLABS,
                         "mimalloc-heap", &a) !=
        CYM_OK) {
        mi_api.heap_destroy(h->heap);
        free(h);
        return NULL;
    }
    a->usable_size_fn = heap_usable;
    if (mi_api.heap_zalloc_aligned != NULL) a->aligned_zalloc_fn = heap_zalloc_aligned;
    return a;
}

bool _cym_allocator_is_thread_bound(cym_allocator_t* a) {
    return a->ops.pool_fn == heap_pool_fn || a->ops.release_fn == heap_release;
}

bool _cym_allocator_frees_all(cym_allocator_t* a) {
    if ((a->flags & CYM_ALLOCATOR_RELEASE_FREES_ALL) == 0) return false;
    if (a->ops.release_fn == heap_release) return on_owner(a->ctx);
    return true;
}

// ------------------------------------------------------------------------------------------------------
// The named backends
// ------------------------------------------------------------------------------------------------------

typedef struct backend_s {
    const char* name;
    const char* soname;  /* the file dlopen looks for */
    const char* package; /* the Debian package that provides it */
    const char *malloc_sym, *free_sym, *calloc_sym, *realloc_sym, *usable_sym;
    bool heap_per_pool;  /* mimalloc-heap */
} backend_t;

static const backend_t backends[] = {
    {"jemalloc", "libjemalloc.so.2", "libjemalloc2", "malloc", "free", "calloc", "realloc", "malloc_usable_size",
     false},
    {"mimalloc", "libmimalloc.so.2", "libmimalloc2.0", "mi_malloc", "mi_free", "mi_calloc", "mi_realloc",
     "mi_usable_size", false},
    {"mimalloc-heap", "libmimalloc.so.2", "libmimalloc2.0", "mi_malloc", "mi_free", "mi_calloc", "mi_realloc",
     "mi_usable_size", true},
    {"tcmalloc", "libtcmalloc_minimal.so.4", "libtcmalloc-minimal4", "tc_malloc", "tc_free", "tc_calloc",
     "tc_realloc", "tc_malloc_size", false},
};
#define BACKEND_COUNT (sizeof backends / sizeof backends[0])

/* Each backend is loaded once and keeps one reference for the life of the process. */
static pthread_mutex_t backends_lock = PTHREAD_MUTEX_INITIALIZER;
static cym_allocator_t* loaded[BACKEND_COUNT]; /* guarded by backends_lock */

static void* optional_symbol(void* handle, const char* path, const char* prefix, const char* name);

static int load_mi_api(void* handle, const char* path, char* why, size_t why_len) {
    LOOKUP(mi_api.heap_new, handle, path, "mi_heap_new", why, why_len);
    LOOKUP(mi_api.heap_destroy, handle, path, "mi_heap_destroy", why, why_len);
    LOOKUP(mi_api.heap_malloc, handle, path, "mi_heap_malloc", why, why_len);
    LOOKUP(mi_api.heap_calloc, handle, path, "mi_heap_calloc", why, why_len);
    LOOKUP(mi_api.heap_realloc, handle, path, "mi_heap_realloc", why, why_len);
    void* aligned = optional_symbol(handle, path, "", "mi_heap_zalloc_aligned"); /* optional: else over-allocation */
    memcpy(&mi_api.heap_zalloc_aligned, &aligned, sizeof aligned);
    LOOKUP(mi_api.free, handle, path, "mi_free", why, why_len);
    LOOKUP(mi_api.usable_size, handle, path, "mi_usable_size", why, why_len);
    return CYM_OK;
}

/* The backends' own introspection, for cym_allocator_backend_owns/_allocated; written under
 * backends_lock when the backend loads, read under it. */
static int (*je_mallctl)(const char*, void*, size_t*, void*, size_t);
static int (*tc_numeric)(const char*, size_t*);
static int (*tc_ownership)(const void*);
static void (*mi_info)(size_t*, size_t*, size_t*, size_t*, size_t*, size_t*, size_t*, size_t*);

/* A backend's symbol with the build's prefix ("je_" for a jemalloc built with --with-jemalloc-prefix=je_). */
static const char* prefixed(char* buffer, size_t size, const char* prefix, const char* sym) {
    if (sym == NULL) return NULL;
    snprintf(buffer, size, "%s%s", prefix, sym);
    return buffer;
}

/* The backends' aligned allocation (the allocator's aligned_zalloc_fn calls these; its ctx is the wrapped pair's and
 * unused). Written under backends_lock when the backend loads, before its allocator exists; read-only afterwards. */
static void* (*je_mallocx)(size_t size, int flags);
static void* (*mi_zalloc_aligned)(size_t size, size_t alignment);
static void* (*tc_memalign)(size_t alignment, size_t size);

/* jemalloc's MALLOCX_LG_ALIGN(lg) is lg itself, MALLOCX_ZERO 0x40 (jemalloc_macros.h, stable since 3.5). */
#define JE_MALLOCX_ZERO 0x40
static void* je_aligned_zalloc(void* ctx, size_t alignment, size_t size) {
    (void)ctx;
    return je_mallocx(size, __builtin_ctzll(alignment) | JE_MALLOCX_ZERO);
}
static void* mi_aligned_zalloc(void* ctx, size_t alignment, size_t size) {
    (void)ctx;
    return mi_zalloc_aligned(size, alignment);
}
/* tcmalloc has no zeroing variant; tc_memalign's blocks go back through tc_free. */
static void* tc_aligned_zalloc(void* ctx, size_t alignment, size_t size) {
    (void)ctx;
    void* p = tc_memalign(alignment, size);
    if (p != NULL) memset(p, 0, size);
    return p;
}

/* An optional symbol of the library behind handle, with the build's prefix, or NULL (no reason kept). */
static void* optional_symbol(void* handle, const char* path, const char* prefix, const char* name) {
    char sym[64];
    char ignored[CYM_ALLOCATOR_WHY_MAX];
    return find_symbol(handle, path, prefixed(sym, sizeof sym, prefix, name), ignored, sizeof ignored);
}

/* Sets a's aligned_zalloc_fn to backend b's own aligned allocation when the library exports it (every version
 * Debian ships does); without it, a stays without one and pools over-allocate. */
static void load_aligned(const backend_t* b, void* handle, const char* path, const char* prefix,
                         cym_allocator_t* a) {
    void* sym;
    if (strcmp(b->name, "jemalloc") == 0) {
        if ((sym = optional_symbol(handle, path, prefix, "mallocx")) == NULL) return;
        memcpy(&je_mallocx, &sym, sizeof sym);
        a->aligned_zalloc_fn = je_aligned_zalloc;
    } else if (strcmp(b->name, "tcmalloc") == 0) {
        if ((sym = optional_symbol(handle, path, prefix, "tc_memalign")) == NULL) return;
        memcpy(&tc_memalign, &sym, sizeof sym);
        a->aligned_zalloc_fn = tc_aligned_zalloc;
    } else {
        /* mimalloc; mimalloc-heap's pools use mi_heap_zalloc_aligned through their private allocator */
        if ((sym = optional_symbol(handle, path, prefix, "mi_zalloc_aligned")) == NULL) return;
        memcpy(&mi_zalloc_aligned, &sym, sizeof sym);
        a->aligned_zalloc_fn = mi_aligned_zalloc;
    }
}

static int load_introspection(const backend_t* b, void* handle, const char* path, const char* prefix, char* why,
                              size_t why_len) {
    char sym[64];
    if (strcmp(b->name, "jemalloc") == 0) {
        LOOKUP(je_mallctl, handle, path, prefixed(sym, sizeof sym, prefix, "mallctl"), why, why_len);
    } else if (strcmp(b->name, "tcmalloc") == 0) {
        LOOKUP(tc_numeric, handle, path, "MallocExtension_GetNumericProperty", why, why_len);
        LOOKUP(tc_ownership, handle, path, "MallocExtension_GetOwnership", why, why_len);
    } else {
        LOOKUP(mi_info, handle, path, "mi_process_info", why, why_len);
    }
    return CYM_OK;
}

/* Loads backend b from `path` (its soname, or a file given by the caller) whose symbols carry `prefix`. */
static cym_status load_backend(const backend_t* b, const char* path, const char* prefix, char* why, size_t why_len,
                               cym_allocator_t** out) {
    void* handle = open_library(path, strcmp(path, b->soname) == 0 ? b->package : NULL, why, why_len);
    if (handle == NULL) return CYM_EUNSUPPORTED;
    if (load_introspection(b, handle, path, prefix, why, why_len) != CYM_OK) return CYM_EUNSUPPORTED;
    char m[64], f[64], c[64], r[64], u[64];
    cym_status status = cym_allocator_library(
        path, prefixed(m, sizeof m, prefix, b->malloc_sym), prefixed(f, sizeof f, prefix, b->free_sym),
        prefixed(c, sizeof c, prefix, b->calloc_sym), prefixed(r, sizeof r, prefix, b->realloc_sym),
        prefixed(u, sizeof u, prefix, b->usable_sym), b->name, why, why_len, out);
    if (status != CYM_OK) return status;
    (*out)->flags |= CYM_ALLOCATOR_NO_UPCALLS | CYM_ALLOCATOR_SLABS; /* our own list of plain C allocators; not yet shared */
    load_aligned(b, handle, path, prefix, *out);
    if (!b->heap_per_pool) return status;
    status = load_mi_api(handle, path, why, why_len);
    if (status != CYM_OK) {
        cym_allocator_release(*out);
        return status;
    }
    (*out)->ops.pool_fn = heap_pool_fn;
    return CYM_OK;
}

/* The named backend `name` (index i), loaded from path/prefix the first time; then the one already loaded. */
static cym_status named_from(size_t i, const char* path, const char* prefix, char* why, size_t why_len,
                             cym_allocator_t** out) {
    pthread_mutex_lock(&backends_lock);
    cym_status status = CYM_OK;
    if (loaded[i] == NULL) status = load_backend(&backends[i], path, prefix, why, why_len, &loaded[i]);
    if (status == CYM_OK) *out = cym_allocator_retain(loaded[i]);
    pthread_mutex_unlock(&backends_lock);
    return status;
}

cym_status cym_allocator_named(const char* name, char* why, size_t why_len, cym_allocator_t** out) {
    if (name == NULL || out == NULL) return CYM_EINVAL;
    if (strcmp(name, "system") == 0) {
        *out = cym_allocator_system();
        return CYM_OK;
    }
    for (size_t i = 0; i < BACKEND_COUNT; i++) {
        if (strcmp(name, backends[i].name) == 0) return named_from(i, backends[i].soname, "", why, why_len, out);
    }
    say(why, why_len, "unknown allocator '%s'; valid names: system, %s%s", name,
        "jemalloc, mimalloc, mimalloc-heap, tcmalloc", "");
    return CYM_EINVAL;
}

cym_status cym_allocator_named_from(const char* name, const char* path, const char* prefix, char* why,
                                    size_t why_len, cym_allocator_t** out) {
    if (name == NULL || path == NULL || out == NULL) return CYM_EINVAL;
    for (size_t i = 0; i < BACKEND_COUNT; i++) {
        if (strcmp(name, backends[i].name) == 0)
            return named_from(i, path, prefix != NULL ? prefix : "", why, why_len, out);
    }
    say(why, why_len, "unknown allocator '%s'; valid names: %s%s", name,
        "jemalloc, mimalloc, mimalloc-heap, tcmalloc", "");
    return CYM_EINVAL;
}

// ------------------------------------------------------------------------------------------------------
// Asking a backend about its memory
// ------------------------------------------------------------------------------------------------------

/* Index of the named backend behind a (a mimalloc heap counts as mimalloc-heap), or -1. Caller holds
 * backends_lock. */
static int backend_of(cym_allocator_t* a) {
    if (a->ops.release_fn == heap_release) return 2;
    for (size_t i = 0; i < BACKEND_COUNT; i++) {
        if (loaded[i] == a) return (int)i;
    }
    return -1;
}

int cym_allocator_backend_owns(cym_allocator_t* a, const void* p) {
    if (a == NULL) return -1;
    pthread_mutex_lock(&backends_lock);
    int i = backend_of(a);
    int owns = -1;
    if (i == 3) owns = tc_ownership(p) == 1 ? 1 : 0; /* 1 kOwned, 2 kNotOwned, 0 kUnknownOwnership */
    pthread_mutex_unlock(&backends_lock);
    return owns;
}

int64_t cym_allocator_backend_allocated(cym_allocator_t* a) {
    if (a == NULL) return -1;
    pthread_mutex_lock(&backends_lock);
    int i = backend_of(a);
    int64_t bytes = -1;
    if (i == 0) {
        /* jemalloc's statistics are a snapshot refreshed by writing "epoch". */
        uint64_t epoch = 1;
        size_t size = sizeof epoch;
        size_t allocated = 0, allocated_size = sizeof allocated;
        uint64_t in = 0, out = 0;
        size_t in_size = sizeof in, out_size = sizeof out;
        if (je_mallctl("epoch", &epoch, &size, &epoch, sizeof epoch) == 0 &&
            je_mallctl("stats.allocated", &allocated, &allocated_size, NULL, 0) == 0) {
            bytes = (int64_t)allocated;
        } else if (je_mallctl("thread.allocated", &in, &in_size, NULL, 0) == 0 &&
                   je_mallctl("thread.deallocated", &out, &out_size, NULL, 0) == 0) {
            /* A jemalloc built without statistics (LWJGL's: config.stats is false) still counts, per thread, the
             * bytes each thread allocated and deallocated: the calling thread's net bytes. */
            bytes = (int64_t)(in - out);
        }
    } else if (i == 1 || i == 2) {
        /* mimalloc counts the memory it committed from the OS (in segments of many blocks). */
        size_t elapsed, user, sys, rss, peak_rss, commit = 0, peak_commit, faults;
        mi_info(&elapsed, &user, &sys, &rss, &peak_rss, &commit, &peak_commit, &faults);
        bytes = (int64_t)commit;
    } else if (i == 3) {
        size_t allocated = 0;
        if (tc_numeric("generic.current_allocated_bytes", &allocated)) bytes = (int64_t)allocated;
    }
    pthread_mutex_unlock(&backends_lock);
    return bytes;
}
