/* test_allocator.c: allocator backends (system, jemalloc, mimalloc, mimalloc-heap, tcmalloc, libraries by
 * path), the proof that pool memory comes from the chosen backend, pools with different allocators side
 * by side, the debug allocator's faults, the failing allocator's injected failures, and the per-pool
 * mimalloc heap's destroy against a table walk (printed in ns/block, never asserted).
 * jemalloc needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 (set by tests/native/CMakeLists.txt). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "internal.h"

/* A backend this test needs. Without it the test fails (exit 1, no abort): `why` names the library file and the
 * Debian package that provides it (./test.sh and .ci/run install them). */
static cym_allocator_t* named(const char* name) {
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    if (cym_allocator_named(name, why, sizeof why, &a) != CYM_OK) {
        fprintf(stderr, "FAILED: test_allocator needs the allocator backend '%s': %s\n", name, why);
        exit(1);
    }
    return a;
}

/* Without slabs: these tests ask the backend about each block, which must then be one of its own. */
static cym_pool_t* pool_of(cym_allocator_t* a) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, CYM_POOL_NO_SLABS, &pool) != CYM_OK) abort();
    return pool;
}

// ---- backends --------------------------------------------------------------------------------------------

CHECK_BODY(system_reports_usable_size_and_cannot_tell_ownership) {
    cym_allocator_t* a = named("system");
    CHECK(a == cym_allocator_system());
    cym_pool_t* pool = pool_of(a);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 100, &p));
    CHECK(cym_allocator_usable_size(a, p) >= 100);
    CHECK_EQ_INT(-1, cym_allocator_backend_owns(a, p));
    CHECK_EQ_INT(-1, cym_allocator_backend_allocated(a));
    cym_pool_destroy(pool);
}

CHECK_BODY(jemalloc_pool_memory_is_counted_by_jemalloc) {
    cym_allocator_t* a = named("jemalloc");
    CHECK(strcmp(a->name, "jemalloc") == 0);
    cym_pool_t* pool = pool_of(a);
    int64_t before = cym_allocator_backend_allocated(a);
    CHECK(before >= 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 4, 1 << 20, &p)); /* large: bypasses jemalloc's thread cache */
    int64_t during = cym_allocator_backend_allocated(a);
    CHECK(during - before >= 4 << 20);
    CHECK(cym_allocator_usable_size(a, p) >= 4 << 20);
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK(cym_allocator_backend_allocated(a) < during);
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

CHECK_BODY(mimalloc_commits_pool_memory_and_not_libc_memory) {
    cym_allocator_t* a = named("mimalloc");
    cym_pool_t* pool = pool_of(a);
    int64_t before = cym_allocator_backend_allocated(a);
    void* libc = malloc(8 << 20);
    CHECK_EQ_INT(before, cym_allocator_backend_allocated(a));
    free(libc);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, 1 << 20, &p));
    CHECK(cym_allocator_backend_allocated(a) - before >= 8 << 20);
    CHECK_EQ_INT(-1, cym_allocator_backend_owns(a, p));
    CHECK(cym_allocator_usable_size(a, p) >= 8 << 20);
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

CHECK_BODY(tcmalloc_owns_and_counts_pool_blocks) {
    cym_allocator_t* a = named("tcmalloc");
    cym_pool_t* pool = pool_of(a);
    int64_t before = cym_allocator_backend_allocated(a);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 3 << 20, &p));
    CHECK_EQ_INT(1, cym_allocator_backend_owns(a, p));
    CHECK(cym_allocator_backend_allocated(a) - before >= 3 << 20);
    void* libc = malloc(100);
    CHECK_EQ_INT(0, cym_allocator_backend_owns(a, libc));
    free(libc);
    CHECK(cym_allocator_usable_size(a, p) >= 3 << 20);
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

CHECK_BODY(a_named_backend_is_loaded_once_and_shared) {
    cym_allocator_t* a = named("mimalloc");
    cym_allocator_t* b = named("mimalloc");
    CHECK(a == b);
    cym_allocator_release(a);
    cym_allocator_release(b);
}

CHECK_BODY(unknown_name_lists_the_valid_ones) {
    cym_allocator_t* a = (cym_allocator_t*)0x1;
    char why[CYM_ALLOCATOR_WHY_MAX];
    CHECK_EQ_INT(CYM_EINVAL, cym_allocator_named("jemaloc", why, sizeof why, &a));
    CHECK(a == (cym_allocator_t*)0x1);
    CHECK(strcmp(why, "unknown allocator 'jemaloc'; valid names: system, jemalloc, mimalloc, mimalloc-heap, "
                      "tcmalloc") == 0);
}

CHECK_BODY(missing_library_names_the_file) {
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX];
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_allocator_library("/nonexistent/libfoo.so", "malloc", "free", NULL, NULL,
                                                         NULL, NULL, why, sizeof why, &a));
    CHECK(a == NULL);
    CHECK(strstr(why, "cannot load /nonexistent/libfoo.so (") == why);
    CHECK(strstr(why, "No such file or directory") != NULL);
}

CHECK_BODY(a_symbol_from_a_dependency_is_rejected) {
    /* libm does not define malloc; dlsym would find libc's through libm's dependencies. */
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX];
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_allocator_library("libm.so.6", "malloc", "free", NULL, NULL, NULL, NULL,
                                                         why, sizeof why, &a));
    CHECK(a == NULL);
    CHECK(strstr(why, "libm.so.6 does not define malloc (the symbol found comes from ") == why);
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_allocator_library("libmimalloc.so.2", "mi_malloc", "no_such_free", NULL,
                                                         NULL, NULL, NULL, why, sizeof why, &a));
    CHECK(strcmp(why, "libmimalloc.so.2 does not define no_such_free") == 0);
}

CHECK_BODY(library_by_path_with_its_own_symbol_names) {
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    CHECK_EQ_INT(CYM_OK, cym_allocator_library("libtcmalloc_minimal.so.4", "tc_malloc", "tc_free", NULL, NULL,
                                               "tc_malloc_size", "tc", why, sizeof why, &a));
    CHECK(strcmp(a->name, "tc") == 0);
    cym_pool_t* pool = pool_of(a);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 1000, &p));
    CHECK(cym_allocator_usable_size(a, p) >= 1000);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 5000, &p)); /* synthesised realloc */
    CHECK(cym_allocator_usable_size(a, p) >= 5000);
    cym_allocator_t* tc = named("tcmalloc");
    CHECK_EQ_INT(1, cym_allocator_backend_owns(tc, p));
    cym_allocator_release(tc);
    cym_allocator_release(a); /* the pool keeps its own reference */
    cym_pool_destroy(pool);
}

// ---- pools with different allocators at once -----------------------------------------------------------

/* Counts calls per allocator, so the test sees which free released which block. */
typedef struct counting_s {
    cym_allocator_t* inner;
    int64_t mallocs, frees;
} counting_t;

static void* counting_malloc(void* ctx, size_t size) {
    counting_t* c = ctx;
    c->mallocs++;
    return c->inner->ops.malloc_fn(c->inner->ctx, size);
}
static void counting_free(void* ctx, void* p) {
    counting_t* c = ctx;
    c->frees++;
    c->inner->ops.free_fn(c->inner->ctx, p);
}

CHECK_BODY(each_block_is_freed_by_its_own_pools_allocator) {
    const char* names[] = {"system", "jemalloc", "mimalloc", "tcmalloc"};
    counting_t counts[4];
    cym_allocator_t* allocators[4];
    cym_pool_t* pools[4];
    for (int i = 0; i < 4; i++) {
        counts[i] = (counting_t){named(names[i]), 0, 0};
        cym_allocator_ops_t ops = {counting_malloc, NULL, NULL, counting_free, NULL, NULL};
        CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, &counts[i], 0, names[i], &allocators[i]));
        pools[i] = pool_of(allocators[i]);
    }
    void* blocks[4][100];
    for (int k = 0; k < 100; k++) {
        for (int i = 0; i < 4; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pools[i], 1, 32 + k, &blocks[i][k]));
    }
    for (int k = 0; k < 50; k++) {
        for (int i = 3; i >= 0; i--) CHECK_EQ_INT(CYM_OK, cym_pool_free(pools[i], blocks[i][k]));
    }
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(0, cym_pool_free(pools[(i + 1) % 4], blocks[i][99]) == CYM_OK); /* not the other's */
    }
    cym_allocator_t* tc = named("tcmalloc");
    CHECK_EQ_INT(1, cym_allocator_backend_owns(tc, blocks[3][99]));
    CHECK_EQ_INT(0, cym_allocator_backend_owns(tc, blocks[0][99]));
    CHECK_EQ_INT(0, cym_allocator_backend_owns(tc, blocks[1][99]));
    CHECK_EQ_INT(0, cym_allocator_backend_owns(tc, blocks[2][99]));
    cym_allocator_release(tc);
    for (int i = 0; i < 4; i++) {
        cym_pool_destroy(pools[i]);
        /* every malloc (blocks and table) matched by a free through the same allocator */
        CHECK_EQ_INT(counts[i].mallocs, counts[i].frees);
        CHECK(counts[i].mallocs >= 100);
        cym_allocator_release(allocators[i]);
        cym_allocator_release(counts[i].inner);
    }
}

// ---- the per-pool mimalloc heap -------------------------------------------------------------------------

CHECK_BODY(mimalloc_heap_gives_each_pool_its_own_heap) {
    cym_allocator_t* a = named("mimalloc-heap");
    cym_pool_t* one = pool_of(a);
    cym_pool_t* two = pool_of(a);
    CHECK(cym_pool_block_allocator(one) != a);
    CHECK(cym_pool_block_allocator(one) != cym_pool_block_allocator(two));
    CHECK(cym_pool_allocator(one) == a);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(one, 1, 100, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(two, 1, 100, &q));
    CHECK(cym_allocator_usable_size(cym_pool_block_allocator(one), p) >= 100);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(one, p, 10000, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(two, q));
    CHECK(_cym_pool_is_valid(one));
    cym_pool_destroy(one);
    cym_pool_destroy(two);
    cym_allocator_release(a);
}

/* Off the heap's thread, allocation fails rather than corrupt the heap. */
static void* alloc_elsewhere(void* pool) {
    void* p = NULL;
    if (cym_pool_alloc(pool, 1, 64, &p) != CYM_ENOMEM || p != NULL) abort();
    return NULL;
}

static void* destroy_pool(void* pool) {
    cym_pool_destroy(pool);
    return NULL;
}

CHECK_BODY(mimalloc_heap_pool_destroyed_on_another_thread_frees_block_by_block) {
    cym_allocator_t* a = named("mimalloc-heap");
    cym_pool_t* pool = pool_of(a);
    void* p;
    for (int i = 0; i < 1000; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    CHECK(_cym_allocator_frees_all(cym_pool_block_allocator(pool))); /* this thread owns the heap */
    pthread_t t;
    CHECK_EQ_INT(0, pthread_create(&t, NULL, alloc_elsewhere, pool));
    CHECK_EQ_INT(0, pthread_join(t, NULL));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(1000, s.live_blocks); /* nothing was added */
    CHECK_EQ_INT(0, pthread_create(&t, NULL, destroy_pool, pool));
    CHECK_EQ_INT(0, pthread_join(t, NULL));
    cym_allocator_release(a);
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Destroy of a 1,000,000-block pool: one mi_heap_destroy vs walking the table with mi_free. Printed for
 * the report; timings are never asserted. */
CHECK_BODY(measure_destroy_of_a_million_blocks_heap_vs_walk) {
    const int blocks = 1000000;
    const char* names[] = {"mimalloc-heap", "mimalloc", "system"};
    for (int k = 0; k < 3; k++) {
        cym_allocator_t* a = named(names[k]);
        cym_pool_t* pool = pool_of(a);
        void* p;
        for (int i = 0; i < blocks; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 32, &p));
        double t0 = now_ns();
        cym_pool_destroy(pool);
        double t1 = now_ns();
        printf("    destroy of %d blocks of 32 bytes, %-13s: %.2f ns/block (%.1f ms)\n", blocks, names[k],
               (t1 - t0) / blocks, (t1 - t0) / 1e6);
        cym_allocator_release(a);
    }
}

// ---- the debug allocator --------------------------------------------------------------------------------

static size_t take_faults(cym_allocator_t* a, cym_debug_fault_t* out, size_t n) {
    return cym_allocator_debug_faults(a, out, n);
}

CHECK_BODY(debug_catches_a_one_byte_overrun_on_free_with_size_and_sequence) {
    cym_allocator_t* d = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_debug(NULL, &d));
    CHECK(strcmp(d->name, "debug(system)") == 0);
    unsigned char* a = d->ops.malloc_fn(d->ctx, 10);
    unsigned char* b = d->ops.malloc_fn(d->ctx, 24);
    CHECK_EQ_INT(2, cym_allocator_debug_seq(d, b));
    CHECK_EQ_INT(24, cym_allocator_usable_size(d, b));
    b[24] = 1; /* one past the end */
    cym_debug_fault_t f[4];
    CHECK_EQ_INT(0, take_faults(d, f, 4));
    d->ops.free_fn(d->ctx, b);
    CHECK_EQ_INT(1, take_faults(d, f, 4));
    CHECK_EQ_INT(CYM_DEBUG_OVERRUN, f[0].kind);
    CHECK(f[0].address == b);
    CHECK_EQ_INT(24, f[0].size);
    CHECK_EQ_INT(2, f[0].seq);
    CHECK_EQ_INT(24, f[0].offset);
    a[-1] = 7; /* one before the start */
    CHECK_EQ_INT(1, cym_allocator_debug_check(d));
    CHECK_EQ_INT(1, take_faults(d, f, 4));
    CHECK_EQ_INT(CYM_DEBUG_UNDERRUN, f[0].kind);
    CHECK_EQ_INT(1, f[0].offset);
    a[-1] = CYM_DEBUG_GUARD_BYTE;
    d->ops.free_fn(d->ctx, a);
    CHECK_EQ_INT(0, take_faults(d, f, 4));
    cym_allocator_release(d);
}

CHECK_BODY(debug_catches_a_double_free_and_poisons_freed_memory) {
    cym_allocator_t* d = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_debug(NULL, &d));
    unsigned char* p = d->ops.malloc_fn(d->ctx, 16);
    memset(p, 0x11, 16);
    d->ops.free_fn(d->ctx, p);
    CHECK_EQ_INT(CYM_DEBUG_POISON, p[0]); /* still quarantined, so readable */
    CHECK_EQ_INT(CYM_DEBUG_POISON, p[15]);
    d->ops.free_fn(d->ctx, p);
    cym_debug_fault_t f[2];
    CHECK_EQ_INT(1, take_faults(d, f, 2));
    CHECK_EQ_INT(CYM_DEBUG_DOUBLE_FREE, f[0].kind);
    CHECK_EQ_INT(16, f[0].size);
    CHECK_EQ_INT(1, f[0].seq);
    p[3] = 0; /* write after free: seen when the block leaves the quarantine */
    for (int i = 0; i < CYM_DEBUG_QUARANTINE; i++) d->ops.free_fn(d->ctx, d->ops.malloc_fn(d->ctx, 8));
    CHECK_EQ_INT(1, take_faults(d, f, 2));
    CHECK_EQ_INT(CYM_DEBUG_WRITE_AFTER_FREE, f[0].kind);
    CHECK_EQ_INT(3, f[0].offset);
    cym_allocator_release(d);
}

CHECK_BODY(debug_pool_gets_a_private_tracker_and_checks_on_realloc) {
    cym_allocator_t* d = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_debug(named("mimalloc"), &d));
    CHECK(strcmp(d->name, "debug(mimalloc)") == 0);
    cym_pool_t* pool = pool_of(d);
    cym_allocator_t* own = cym_pool_block_allocator(pool);
    CHECK(own != d && cym_allocator_is_debug(own));
    unsigned char* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 40, (void**)&p));
    CHECK_EQ_INT(2, cym_allocator_debug_check(own)); /* the block and the table */
    p[40] = 0;
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 80, (void**)&p));
    cym_debug_fault_t f[2];
    CHECK_EQ_INT(1, take_faults(own, f, 2));
    CHECK_EQ_INT(CYM_DEBUG_OVERRUN, f[0].kind);
    CHECK_EQ_INT(40, f[0].size);
    CHECK_EQ_INT(0, take_faults(d, f, 2)); /* the parent saw nothing */
    cym_pool_destroy(pool);
    cym_allocator_release(d);
}

// ---- the failing allocator ------------------------------------------------------------------------------

CHECK_BODY(failing_nth_call_fails_the_tables_first_growth) {
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 1, 0, -1, &a));
    cym_pool_t* pool = pool_of(a);
    void* p = (void*)0x1;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 8, &p)); /* call 1: the table */
    CHECK(p == (void*)0x1);
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8, &p)); /* calls 2 and 3 */
    int64_t calls, failures, live;
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(3, calls);
    CHECK_EQ_INT(1, failures);
    CHECK_EQ_INT(16 * 16 + 8, live); /* 16 slots of 16 bytes, and the block */
    cym_pool_destroy(pool);
    cym_allocator_failing_counts(a, &calls, &failures, &live);
    CHECK_EQ_INT(0, live);
    cym_allocator_release(a);
}

CHECK_BODY(failing_growth_of_a_full_table_leaves_every_block_owned) {
    cym_allocator_t* a = NULL;
    /* call 1 makes the 16-slot table, calls 2..9 eight blocks; call 10 is the growth to 32 slots */
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 10, 0, -1, &a));
    cym_pool_t* pool = pool_of(a);
    void* blocks[8];
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8, &blocks[i]));
    void* p = NULL;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 8, &p));
    CHECK(_cym_pool_is_valid(pool));
    for (int i = 0; i < 8; i++) CHECK(cym_pool_owns(pool, blocks[i]));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(8, s.live_blocks);
    CHECK_EQ_INT(1, s.failed_allocs);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8, &p));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

CHECK_BODY(failing_every_nth_and_budget_fail_realloc_without_losing_the_block) {
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 0, 3, -1, &a));
    cym_pool_t* pool = pool_of(a);
    unsigned char* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, (void**)&p)); /* calls 1, 2 */
    p[0] = 42;
    void* q = NULL;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_realloc(pool, p, 64, &q)); /* call 3 */
    CHECK(q == NULL && cym_pool_owns(pool, p) && p[0] == 42);
    CHECK_EQ_INT(16, cym_pool_size_of(pool, p));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 64, (void**)&p)); /* call 4 */
    CHECK_EQ_INT(42, p[0]);
    cym_pool_destroy(pool);
    cym_allocator_release(a);

    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 0, 0, 1000, &a));
    pool = pool_of(a);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 500, (void**)&p)); /* 256 table + 500 */
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 300, &q));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 200, &q));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
    CHECK_EQ_INT(CYM_EINVAL, cym_allocator_failing(NULL, -1, 0, -1, &a));
}

int main(void) {
    system_reports_usable_size_and_cannot_tell_ownership();
    jemalloc_pool_memory_is_counted_by_jemalloc();
    mimalloc_commits_pool_memory_and_not_libc_memory();
    tcmalloc_owns_and_counts_pool_blocks();
    a_named_backend_is_loaded_once_and_shared();
    unknown_name_lists_the_valid_ones();
    missing_library_names_the_file();
    a_symbol_from_a_dependency_is_rejected();
    library_by_path_with_its_own_symbol_names();
    each_block_is_freed_by_its_own_pools_allocator();
    mimalloc_heap_gives_each_pool_its_own_heap();
    mimalloc_heap_pool_destroyed_on_another_thread_frees_block_by_block();
    measure_destroy_of_a_million_blocks_heap_vs_walk();
    debug_catches_a_one_byte_overrun_on_free_with_size_and_sequence();
    debug_catches_a_double_free_and_poisons_freed_memory();
    debug_pool_gets_a_private_tracker_and_checks_on_realloc();
    failing_nth_call_fails_the_tables_first_growth();
    failing_growth_of_a_full_table_leaves_every_block_owned();
    failing_every_nth_and_budget_fail_realloc_without_losing_the_block();
    CHECK_DONE();
}
