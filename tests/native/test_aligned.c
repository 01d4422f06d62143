/* test_aligned.c: aligned blocks (cym_pool_alloc_aligned) on every allocator: the named backends (system, jemalloc,
 * mimalloc, mimalloc-heap, tcmalloc) that serve them natively, the debug allocator (guards kept), and the ones that
 * are over-allocated (the failing allocator, a wrapped malloc/free pair, Java-hook-like malloc/free ops, a library by
 * path without an aligned symbol). For alignments 1 .. 2 MiB: aligned, zeroed, size_of/owns/alignment_of/stats,
 * realloc keeps alignment and contents, free, destroy of many blocks (LeakSanitizer checks it under -Pasan), the
 * table's encoding invariants (_cym_pool_is_valid), bad alignments, the debug allocator's overrun detection and the
 * failing allocator's injected failure. A backend library that is missing is skipped with the reason printed.
 * jemalloc needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 (set by tests/native/CMakeLists.txt). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "internal.h"

#define MIB ((size_t)1 << 20)
#define LG_MAX_TESTED 21 /* alignments 2^0 .. 2^21 (2 MiB) for every allocator; CYM_ALIGNMENT_MAX once each */

// ---- allocators under test -------------------------------------------------------------------------------------

/* A wrapped libc malloc/free pair that counts, so the test sees every block come back to the free that matches. */
static int64_t wrapped_mallocs, wrapped_frees;
static void* counting_malloc(size_t size) {
    __atomic_add_fetch(&wrapped_mallocs, 1, __ATOMIC_RELAXED);
    return malloc(size);
}
static void counting_free(void* p) {
    if (p != NULL) __atomic_add_fetch(&wrapped_frees, 1, __ATOMIC_RELAXED);
    free(p);
}

/* Ops shaped like the Java-hook allocator (jbridge_allocator.c): malloc and free only, no calloc, no aligned entry. */
static int64_t hook_mallocs, hook_frees;
static void* hook_malloc(void* ctx, size_t size) {
    (void)ctx;
    hook_mallocs++;
    return malloc(size);
}
static void hook_free(void* ctx, void* p) {
    (void)ctx;
    hook_frees++;
    free(p);
}

typedef struct subject_s {
    const char* name;
    cym_allocator_t* a; /* one reference owned here; NULL if skipped */
    bool native;        /* every aligned block comes from an aligned entry point: block start == address */
} subject_t;

static subject_t subjects[16];
static size_t subject_count;

static void add(const char* name, cym_allocator_t* a, bool native) {
    subjects[subject_count++] = (subject_t){name, a, native};
}

static void add_named(const char* name) {
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    if (cym_allocator_named(name, why, sizeof why, &a) != CYM_OK) {
        printf("  SKIPPED allocator '%s': %s\n", name, why);
        return;
    }
    add(name, a, true);
}

static void make_subjects(void) {
    add_named("system");
    add_named("jemalloc");
    add_named("mimalloc");
    add_named("mimalloc-heap");
    add_named("tcmalloc");
    cym_allocator_t* a = NULL;
    if (cym_allocator_debug(NULL, &a) == CYM_OK) add("debug(system)", a, true);
    a = NULL;
    if (cym_allocator_failing(NULL, 0, 0, -1, &a) == CYM_OK) add("failing(system)", a, false);
    a = NULL;
    if (cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "wrapped", &a) == CYM_OK) {
        add("wrapped", a, false);
    }
    a = NULL;
    cym_allocator_ops_t ops = {hook_malloc, NULL, NULL, hook_free, NULL, NULL};
    if (cym_allocator_new(&ops, NULL, 0, "hooks", &a) == CYM_OK) add("hooks", a, false);
    a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    /* no calloc: tcmalloc's zeroes the whole over-allocation, which at 1 GiB alignment is 1 GiB of pages */
    if (cym_allocator_library("libtcmalloc_minimal.so.4", "tc_malloc", "tc_free", NULL, NULL, NULL,
                              "library(tcmalloc)", why, sizeof why, &a) == CYM_OK) {
        add("library(tcmalloc)", a, false);
    } else {
        printf("  SKIPPED allocator 'library(tcmalloc)': %s\n", why);
    }
}

static cym_pool_t* pool_of(cym_allocator_t* a, unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, flags, &pool) != CYM_OK) abort();
    return pool;
}

// ---- helpers ---------------------------------------------------------------------------------------------------

static inline unsigned char pattern(size_t i) { return (unsigned char)(i * 31u + 7u); }

static void fill(void* p, size_t n) {
    unsigned char* b = p;
    for (size_t i = 0; i < n; i++) b[i] = pattern(i);
}

static bool has_pattern(const void* p, size_t n) {
    const unsigned char* b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != pattern(i)) return false;
    }
    return true;
}

static bool aligned_to(const void* p, size_t alignment) { return ((uintptr_t)p & (alignment - 1)) == 0; }

/* The block's encoding as the pool sees it: a native block is freed at its own address; an over-allocated one at
 * a start less than one alignment before it. */
static bool start_is_right(cym_pool_t* pool, const void* p, size_t alignment, bool native) {
    const unsigned char* start = _cym_pool_block_start(pool, p);
    if (start == NULL) return false;
    if (native || alignment == 1) return start == p;
    return start <= (const unsigned char*)p && (size_t)((const unsigned char*)p - start) < alignment;
}

// ---- every allocator, every alignment --------------------------------------------------------------------------

/* One aligned block's life: alloc, checks, grow, shrink, free; the pool valid at every step. */
static bool one_block(const subject_t* s, cym_pool_t* pool, size_t alignment, size_t bytes) {
    cym_pool_stats_t before, now;
    cym_pool_stats(pool, &before);
    unsigned char* p = NULL;
    if (cym_pool_alloc_aligned(pool, 1, bytes, alignment, (void**)&p) != CYM_OK) return false;
    cym_pool_stats(pool, &now);
    bool ok = p != NULL && aligned_to(p, alignment) && all_zero(p, bytes) && cym_pool_owns(pool, p) &&
              cym_pool_size_of(pool, p) == (int64_t)bytes && cym_pool_alignment_of(pool, p) == (int64_t)alignment &&
              now.live_bytes == before.live_bytes + (int64_t)bytes && now.live_blocks == before.live_blocks + 1 &&
              now.total_allocs == before.total_allocs + 1 && _cym_pool_is_valid(pool) &&
              start_is_right(pool, p, alignment, s->native);
    if (!ok) {
        fprintf(stderr, "    %s: alloc of %zu bytes aligned %zu gave %p\n", s->name, bytes, alignment, (void*)p);
        return false;
    }
    fill(p, bytes);
    size_t grown = bytes * 2 + 100;
    unsigned char* q = NULL;
    ok = cym_pool_realloc(pool, p, grown, (void**)&q) == CYM_OK && aligned_to(q, alignment) &&
         has_pattern(q, bytes) && all_zero(q + bytes, grown - bytes) && cym_pool_size_of(pool, q) == (int64_t)grown &&
         cym_pool_alignment_of(pool, q) == (int64_t)alignment && _cym_pool_is_valid(pool) &&
         start_is_right(pool, q, alignment, s->native) && (q == p || !cym_pool_owns(pool, p));
    if (!ok) {
        fprintf(stderr, "    %s: grow to %zu aligned %zu\n", s->name, grown, alignment);
        return false;
    }
    size_t shrunk = bytes / 2;
    unsigned char* r = NULL;
    ok = cym_pool_realloc(pool, q, shrunk, (void**)&r) == CYM_OK && aligned_to(r, alignment) &&
         has_pattern(r, shrunk) && cym_pool_size_of(pool, r) == (int64_t)shrunk &&
         cym_pool_alignment_of(pool, r) == (int64_t)alignment && _cym_pool_is_valid(pool) &&
         start_is_right(pool, r, alignment, s->native);
    if (!ok) {
        fprintf(stderr, "    %s: shrink to %zu aligned %zu\n", s->name, shrunk, alignment);
        return false;
    }
    ok = cym_pool_free(pool, r) == CYM_OK && cym_pool_free(pool, r) == CYM_ENOTOWNED && !cym_pool_owns(pool, r) &&
         cym_pool_size_of(pool, r) == -1 && cym_pool_alignment_of(pool, r) == -1 && _cym_pool_is_valid(pool);
    cym_pool_stats(pool, &now);
    ok = ok && now.live_bytes == before.live_bytes && now.live_blocks == before.live_blocks &&
         now.total_frees == before.total_frees + 1;
    if (!ok) fprintf(stderr, "    %s: free of %zu bytes aligned %zu\n", s->name, shrunk, alignment);
    return ok;
}

CHECK_BODY(every_allocator_serves_every_alignment_zeroed_and_keeps_it_through_realloc) {
    const size_t sizes[] = {0, 1, 24, 1000, 70000};
    for (size_t k = 0; k < subject_count; k++) {
        const subject_t* s = &subjects[k];
        cym_pool_t* pool = pool_of(s->a, 0);
        void* other; /* an ordinary block alongside, so the aligned ones share the table */
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 40, &other));
        for (unsigned lg = 0; lg <= LG_MAX_TESTED; lg++) {
            for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
                CHECK(one_block(s, pool, (size_t)1 << lg, sizes[j]));
            }
        }
        CHECK(one_block(s, pool, CYM_ALIGNMENT_MAX, 100));
        CHECK_EQ_INT(1, cym_pool_alignment_of(pool, other));
        CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, other));
        cym_pool_stats_t st;
        cym_pool_stats(pool, &st);
        CHECK_EQ_INT(0, st.live_blocks);
        CHECK_EQ_INT(0, st.live_bytes);
        cym_pool_destroy(pool);
        printf("    %-18s alignments 1 .. 2 MiB and 1 GiB: ok\n", s->name);
    }
}

CHECK_BODY(destroy_frees_every_aligned_block_through_the_matching_free) {
    for (size_t k = 0; k < subject_count; k++) {
        const subject_t* s = &subjects[k];
        int64_t wm = wrapped_mallocs, wf = wrapped_frees, hm = hook_mallocs, hf = hook_frees;
        cym_pool_t* pool = pool_of(s->a, 0);
        void* p;
        for (int i = 0; i < 3000; i++) {
            size_t alignment = (size_t)1 << (i % 13); /* 1 .. 4 KiB */
            CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1 + (size_t)i % 7, 8 + (size_t)i % 300, alignment, &p));
            CHECK(aligned_to(p, alignment));
            if (i % 3 == 0) CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
            else if (i % 5 == 0) CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 333, &p));
        }
        for (int i = 0; i < 4; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 1000, MIB, &p));
        CHECK(_cym_pool_is_valid(pool));
        cym_pool_destroy(pool); /* LeakSanitizer (under -Pasan) reports any block left behind */
        if (strcmp(s->name, "wrapped") == 0) CHECK_EQ_INT(wrapped_mallocs - wm, wrapped_frees - wf);
        if (strcmp(s->name, "hooks") == 0) CHECK_EQ_INT(hook_mallocs - hm, hook_frees - hf);
        if (strcmp(s->name, "failing(system)") == 0) {
            int64_t live;
            cym_allocator_failing_counts(s->a, NULL, NULL, &live);
            CHECK_EQ_INT(0, live);
        }
    }
}

/* Above CYM_SORTED_DESTROY_MIN blocks, destroy sorts what it frees: over-allocated blocks by their real start. */
CHECK_BODY(destroy_of_a_large_pool_frees_over_allocated_blocks_in_address_order) {
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "wrapped", &a));
    int64_t wm = wrapped_mallocs, wf = wrapped_frees;
    cym_pool_t* pool = pool_of(a, 0);
    void* p;
    for (size_t i = 0; i < CYM_SORTED_DESTROY_MIN + 100; i++) {
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 16, i % 2 ? 64 : 1, &p));
    }
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(wrapped_mallocs - wm, wrapped_frees - wf);
    cym_allocator_release(a);
}

// ---- the encoding ----------------------------------------------------------------------------------------------

CHECK_BODY(natively_served_blocks_cost_no_side_entry_and_over_allocated_ones_one) {
    cym_allocator_t* wrapped = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "wrapped", &wrapped));
    cym_pool_t* native = pool_of(NULL, 0);
    cym_pool_t* over = pool_of(wrapped, 0);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(native, 1, 100, 4096, &p));
    CHECK(_cym_pool_block_start(native, p) == p); /* posix_memalign: the address is the block */
    void* ordinary;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(over, 1, 8, &ordinary)); /* grows the table */
    int64_t before = wrapped_mallocs;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(over, 1, 100, 4096, &q));
    CHECK_EQ_INT(before + 1, wrapped_mallocs); /* one call: the block */
    /* malloc's 16-aligned result is 4096-aligned by chance about once in 256 runs, and then needs no side entry:
     * keep such blocks aside (so malloc cannot hand the same memory back) until one is over-allocated */
    void* aside[16];
    size_t n_aside = 0;
    while (_cym_pool_block_start(over, q) == q && n_aside < 16) {
        aside[n_aside++] = q;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(over, 1, 100, 4096, &q));
    }
    for (size_t k = 0; k < n_aside; k++) CHECK_EQ_INT(CYM_OK, cym_pool_free(over, aside[k]));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(over, ordinary));
    unsigned char* start = _cym_pool_block_start(over, q);
    CHECK(start != NULL && start != (unsigned char*)q); /* over-allocated: the real start is before the block */
    CHECK((size_t)((unsigned char*)q - start) < 4096);
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(over, start)); /* the real start is not a block of the pool */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(over, (unsigned char*)q + 1));
    size_t size = 0;
    CHECK(cym_pool_find_containing(over, (unsigned char*)q + 99, &size) == q);
    CHECK_EQ_INT(100, size);
    CHECK(cym_pool_find_containing(over, (unsigned char*)q + 100, NULL) == NULL);
    size_t cursor = 0;
    void* it;
    CHECK_EQ_INT(1, cym_pool_next(over, &cursor, &it, &size));
    CHECK(it == q);
    CHECK_EQ_INT(100, size);
    CHECK_EQ_INT(0, cym_pool_next(over, &cursor, &it, &size));
    /* 16-aligned requests on a 16-aligned malloc come back aligned: no side entry, start == address */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(over, 1, 100, 16, &p));
    CHECK(_cym_pool_block_start(over, p) == p);
    CHECK(_cym_pool_is_valid(over));
    /* the largest size an aligned block may have, and one more */
    void* untouched = (void*)0x1;
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_alloc_aligned(over, 1, CYM_ALIGNED_SIZE_MAX + 1, 64, &untouched));
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_realloc(over, q, CYM_ALIGNED_SIZE_MAX + 1, &untouched));
    CHECK(untouched == (void*)0x1);
    CHECK_EQ_INT(100, cym_pool_size_of(over, q));
    CHECK_EQ_INT(4096, cym_pool_alignment_of(over, q));
    CHECK(_cym_pool_is_valid(over));
    cym_pool_destroy(native);
    cym_pool_destroy(over);
    cym_allocator_release(wrapped);
}

/* A custom allocator may give pools its own aligned entry point (documented in allocator.h). */
static int64_t custom_aligned_calls;
static void* custom_aligned(void* ctx, size_t alignment, size_t size) {
    (void)ctx;
    custom_aligned_calls++;
    void* p = NULL;
    if (posix_memalign(&p, alignment < sizeof(void*) ? sizeof(void*) : alignment, size) != 0) return NULL;
    return memset(p, 0, size);
}

CHECK_BODY(a_custom_allocator_with_an_aligned_entry_point_is_used_for_every_aligned_block) {
    cym_allocator_ops_t ops = {hook_malloc, NULL, NULL, hook_free, NULL, NULL};
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, NULL, 0, "custom", &a));
    a->aligned_zalloc_fn = custom_aligned;
    cym_pool_t* pool = pool_of(a, 0);
    void* p;
    for (unsigned lg = 1; lg <= 16; lg++) {
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 4, 25, (size_t)1 << lg, &p));
        CHECK(_cym_pool_block_start(pool, p) == p);
        CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 1000, &p));
        CHECK(aligned_to(p, (size_t)1 << lg));
    }
    CHECK_EQ_INT(32, custom_aligned_calls);
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

// ---- errors ----------------------------------------------------------------------------------------------------

CHECK_BODY(bad_alignments_are_rejected_and_change_nothing) {
    cym_pool_t* pool = pool_of(NULL, 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 8, 64, &p));
    const size_t bad[] = {0, 3, 6, 24, 48, 1000, CYM_ALIGNMENT_MAX + 1, CYM_ALIGNMENT_MAX * 2, (size_t)1 << 63,
                          SIZE_MAX};
    cym_pool_stats_t before, after;
    cym_pool_stats(pool, &before);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void* out = (void*)0x1;
        CHECK_EQ_INT(CYM_EINVAL, cym_pool_alloc_aligned(pool, 1, 8, bad[i], &out));
        CHECK(out == (void*)0x1);
    }
    void* out = (void*)0x1;
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_alloc_aligned(pool, SIZE_MAX / 2, 3, 64, &out));
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_alloc_aligned(pool, 2, (size_t)PTRDIFF_MAX, 1, &out));
    CHECK(out == (void*)0x1);
    cym_pool_stats(pool, &after);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(the_limit_counts_the_bytes_asked_for_not_the_padding) {
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "wrapped", &a));
    cym_pool_t* pool = pool_of(a, 0);
    cym_pool_set_limit(pool, 300);
    void *p, *q = (void*)0x1;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 200, MIB, &p)); /* 1 MiB of padding, 200 counted */
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_alloc_aligned(pool, 1, 101, 64, &q));
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_realloc(pool, p, 301, &q));
    CHECK(q == (void*)0x1);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 300, &p));
    CHECK(aligned_to(p, MIB));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(300, s.live_bytes);
    CHECK_EQ_INT(2, s.failed_allocs);
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

// ---- the debug allocator ---------------------------------------------------------------------------------------

CHECK_BODY(debug_keeps_guards_around_aligned_blocks_and_catches_an_overrun) {
    cym_allocator_t* d = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_debug(NULL, &d));
    cym_pool_t* pool = pool_of(d, 0);
    cym_allocator_t* own = cym_pool_block_allocator(pool);
    for (unsigned lg = 0; lg <= LG_MAX_TESTED; lg++) {
        size_t alignment = (size_t)1 << lg;
        unsigned char* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 40, alignment, (void**)&p));
        CHECK(aligned_to(p, alignment));
        CHECK_EQ_INT(40, cym_allocator_usable_size(own, p));
        CHECK(cym_allocator_debug_seq(own, p) != 0);
        CHECK_EQ_INT(CYM_DEBUG_GUARD_BYTE, p[-1]); /* guards before and after */
        CHECK_EQ_INT(CYM_DEBUG_GUARD_BYTE, p[-CYM_DEBUG_GUARD]);
        CHECK_EQ_INT(CYM_DEBUG_GUARD_BYTE, p[40]);
        CHECK_EQ_INT(CYM_DEBUG_GUARD_BYTE, p[40 + CYM_DEBUG_GUARD - 1]);
        p[40] = 0; /* one past the end */
        cym_debug_fault_t f[4];
        CHECK_EQ_INT(0, cym_allocator_debug_faults(own, f, 4));
        CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
        CHECK_EQ_INT(1, cym_allocator_debug_faults(own, f, 4));
        CHECK_EQ_INT(CYM_DEBUG_OVERRUN, f[0].kind);
        CHECK(f[0].address == p);
        CHECK_EQ_INT(40, f[0].size);
        CHECK_EQ_INT(40, f[0].offset);
        CHECK_EQ_INT(CYM_DEBUG_POISON, p[0]); /* quarantined, poisoned */
        CHECK_EQ_INT(CYM_DEBUG_POISON, p[39]);
        /* an underrun is seen by a check, and realloc (which frees the old block) checks too */
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 40, alignment, (void**)&p));
        p[-1] = 0;
        CHECK(cym_allocator_debug_check(own) >= 1);
        CHECK_EQ_INT(1, cym_allocator_debug_faults(own, f, 4));
        CHECK_EQ_INT(CYM_DEBUG_UNDERRUN, f[0].kind);
        CHECK_EQ_INT(1, f[0].offset);
        p[-1] = CYM_DEBUG_GUARD_BYTE;
        p[41] = 1;
        CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 80, (void**)&p));
        CHECK(aligned_to(p, alignment));
        CHECK_EQ_INT(1, cym_allocator_debug_faults(own, f, 4));
        CHECK_EQ_INT(CYM_DEBUG_OVERRUN, f[0].kind);
        CHECK_EQ_INT(41, f[0].offset);
        CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
        CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, p)); /* the pool refuses; the debug allocator never sees it */
        CHECK_EQ_INT(0, cym_allocator_debug_faults(own, f, 4));
    }
    /* a double free that reaches the debug allocator directly is caught for aligned blocks too */
    void* raw = own->aligned_zalloc_fn(own->ctx, 4096, 10);
    CHECK(aligned_to(raw, 4096));
    own->ops.free_fn(own->ctx, raw);
    own->ops.free_fn(own->ctx, raw);
    cym_debug_fault_t f[2];
    CHECK_EQ_INT(1, cym_allocator_debug_faults(own, f, 2));
    CHECK_EQ_INT(CYM_DEBUG_DOUBLE_FREE, f[0].kind);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    cym_allocator_release(d);
}

// ---- the failing allocator -------------------------------------------------------------------------------------

CHECK_BODY(failing_counts_one_call_per_aligned_allocation_and_a_failure_changes_nothing) {
    cym_allocator_t* a = NULL;
    /* call 1 makes the table, call 2 an aligned block, call 3 the next aligned block: it fails */
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 3, 0, -1, &a));
    cym_pool_t* pool = pool_of(a, 0);
    unsigned char* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 100, 4096, (void**)&p));
    CHECK(aligned_to(p, 4096));
    int64_t calls, failures, live;
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(2, calls);
    fill(p, 100);
    cym_pool_stats_t before, after;
    cym_pool_stats(pool, &before);
    void* q = (void*)0x1;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc_aligned(pool, 1, 100, 4096, &q));
    CHECK(q == (void*)0x1);
    cym_pool_stats(pool, &after);
    CHECK_EQ_INT(before.live_blocks, after.live_blocks);
    CHECK_EQ_INT(before.live_bytes, after.live_bytes);
    CHECK_EQ_INT(before.total_allocs, after.total_allocs);
    CHECK_EQ_INT(before.failed_allocs + 1, after.failed_allocs);
    CHECK(_cym_pool_is_valid(pool));
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(3, calls);
    CHECK_EQ_INT(1, failures);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 100, 4096, &q)); /* call 4 */
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(4, calls);
    cym_pool_destroy(pool);
    cym_allocator_release(a);

    /* every 2nd call fails: a failed realloc of an aligned block keeps the block, its contents and alignment */
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 0, 2, -1, &a));
    pool = pool_of(a, 0);
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc_aligned(pool, 1, 100, 64, (void**)&p)); /* call 1 (table) ok, 2 fails */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 100, 64, (void**)&p));     /* call 3 */
    fill(p, 100);
    q = (void*)0x1;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_realloc(pool, p, 5000, &q)); /* call 4 */
    CHECK(q == (void*)0x1);
    CHECK(cym_pool_owns(pool, p) && has_pattern(p, 100));
    CHECK_EQ_INT(100, cym_pool_size_of(pool, p));
    CHECK_EQ_INT(64, cym_pool_alignment_of(pool, p));
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 5000, (void**)&p)); /* call 5 */
    CHECK(aligned_to(p, 64) && has_pattern(p, 100) && all_zero(p + 100, 4900));
    cym_pool_destroy(pool);
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(0, live);
    cym_allocator_release(a);
}

// ---- threads ---------------------------------------------------------------------------------------------------

static void* churn(void* pool) {
    for (int i = 0; i < 2000; i++) {
        void* p;
        size_t alignment = (size_t)1 << (i % 11);
        if (cym_pool_alloc_aligned(pool, 1, 24, alignment, &p) != CYM_OK || !aligned_to(p, alignment)) abort();
        if (i % 2 == 0 && cym_pool_free(pool, p) != CYM_OK) abort();
    }
    return NULL;
}

CHECK_BODY(a_shared_pool_takes_aligned_blocks_from_several_threads) {
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "wrapped", &a));
    cym_pool_t* pool = pool_of(a, CYM_POOL_SHARED);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK_EQ_INT(0, pthread_create(&t[i], NULL, churn, pool));
    for (int i = 0; i < 4; i++) CHECK_EQ_INT(0, pthread_join(t[i], NULL));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(4000, s.live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

/* A mimalloc heap belongs to its thread: an aligned allocation from another thread fails and adds nothing. */
static void* aligned_elsewhere(void* pool) {
    void* p = NULL;
    return (void*)(uintptr_t)(cym_pool_alloc_aligned(pool, 1, 64, 4096, &p) == CYM_ENOMEM && p == NULL);
}

CHECK_BODY(mimalloc_heap_refuses_aligned_blocks_off_its_thread) {
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    if (cym_allocator_named("mimalloc-heap", why, sizeof why, &a) != CYM_OK) {
        printf("    SKIPPED: %s\n", why);
        return;
    }
    cym_pool_t* pool = pool_of(a, 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 64, 4096, &p));
    pthread_t t;
    void* ok = NULL;
    CHECK_EQ_INT(0, pthread_create(&t, NULL, aligned_elsewhere, pool));
    CHECK_EQ_INT(0, pthread_join(t, &ok));
    CHECK(ok == (void*)1);
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(1, s.live_blocks);
    cym_pool_destroy(pool); /* one mi_heap_destroy */
    cym_allocator_release(a);
}

CHECK_BODY(a_small_aligned_block_takes_the_critical_free) {
    cym_pool_t* pool = pool_of(NULL, 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 100, 256, &p));
    size_t freed_size = 0;
    CHECK_EQ_INT(CYM_OK, _cym_pool_free_critical(pool, p, &freed_size));
    CHECK_EQ_INT(100, freed_size); /* the block's size, not its alignment's */
    CHECK(!cym_pool_owns(pool, p));
    /* what goes back counts the alignment: 100 bytes at 64 KiB alignment may be a 128 KiB region */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 100, 65536, &p));
    CHECK_EQ_INT(CYM_EUNSUPPORTED, _cym_pool_free_critical(pool, p, &freed_size));
    CHECK(cym_pool_owns(pool, p));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

int main(void) {
    make_subjects();
    every_allocator_serves_every_alignment_zeroed_and_keeps_it_through_realloc();
    destroy_frees_every_aligned_block_through_the_matching_free();
    destroy_of_a_large_pool_frees_over_allocated_blocks_in_address_order();
    natively_served_blocks_cost_no_side_entry_and_over_allocated_ones_one();
    a_custom_allocator_with_an_aligned_entry_point_is_used_for_every_aligned_block();
    bad_alignments_are_rejected_and_change_nothing();
    the_limit_counts_the_bytes_asked_for_not_the_padding();
    debug_keeps_guards_around_aligned_blocks_and_catches_an_overrun();
    failing_counts_one_call_per_aligned_allocation_and_a_failure_changes_nothing();
    a_shared_pool_takes_aligned_blocks_from_several_threads();
    mimalloc_heap_refuses_aligned_blocks_off_its_thread();
    a_small_aligned_block_takes_the_critical_free();
    for (size_t k = 0; k < subject_count; k++) cym_allocator_release(subjects[k].a);
    CHECK_DONE();
}
