/* test_critical.c: the entry points the JVM calls as critical downcalls (cym_j_pool_alloc_critical and
 * cym_j_pool_free_critical, see internal.h): they do the ordinary work when the pool qualifies, and otherwise
 * answer "not on this path" without touching the pool, so that the caller's ordinary call still sees it as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "jbridge_pool.h"

#define H(pool) ((int64_t)(uintptr_t)(pool))
#define NOT_HERE ((int64_t)-CYM_EUNSUPPORTED)

static cym_pool_t* pool_with(cym_allocator_t* a, unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, flags, &pool) != CYM_OK) abort();
    return pool;
}

static cym_pool_stats_t stats_of(cym_pool_t* pool) {
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    return s;
}

CHECK_BODY(confined_system_pool_allocates_and_frees_on_the_critical_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t p = cym_j_pool_alloc_critical(H(pool), 8, 8);
    CHECK(p > 0);
    const unsigned char* bytes = (const unsigned char*)(uintptr_t)p;
    for (int i = 0; i < 64; i++) CHECK_EQ_INT(0, bytes[i]);
    CHECK_EQ_INT(64, cym_pool_size_of(pool, (void*)(uintptr_t)p));
    CHECK_EQ_INT(1, stats_of(pool).total_allocs);
    CHECK_EQ_INT(CYM_OK, cym_j_pool_free_critical(H(pool), p));
    CHECK_EQ_INT(0, stats_of(pool).live_blocks);
    CHECK_EQ_INT(1, stats_of(pool).total_frees);
    /* misuse gets the ordinary answers */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_j_pool_free_critical(H(pool), p));
    int local;
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_j_pool_free_critical(H(pool), (int64_t)(uintptr_t)&local));
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_pool_alloc_critical(H(pool), -1, 8));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(the_largest_critical_request_is_64_kib) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t p = cym_j_pool_alloc_critical(H(pool), 1, CYM_CRITICAL_MAX_BYTES);
    CHECK(p > 0);
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), 1, CYM_CRITICAL_MAX_BYTES + 1));
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), INT64_MAX, 2)); /* overflow: the ordinary call says */
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(1, s.total_allocs);
    CHECK_EQ_INT(0, s.failed_allocs);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(CYM_EOVERFLOW, -cym_j_pool_alloc(H(pool), INT64_MAX, 2));
    cym_pool_destroy(pool);
}

CHECK_BODY(a_limit_refuses_on_the_critical_path_too) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    cym_pool_set_limit(pool, 100);
    CHECK(cym_j_pool_alloc_critical(H(pool), 1, 64) > 0);
    CHECK_EQ_INT(-CYM_ELIMIT, cym_j_pool_alloc_critical(H(pool), 1, 64));
    CHECK_EQ_INT(1, stats_of(pool).failed_allocs);
    CHECK_EQ_INT(64, stats_of(pool).live_bytes);
    cym_pool_destroy(pool);
}

CHECK_BODY(shared_pools_stay_on_the_ordinary_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), CYM_POOL_SHARED);
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), 1, 64));
    int64_t p = cym_j_pool_alloc(H(pool), 1, 64);
    CHECK(p > 0);
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), p));
    CHECK(cym_pool_owns(pool, (void*)(uintptr_t)p)); /* untouched */
    CHECK_EQ_INT(1, stats_of(pool).total_allocs);
    CHECK_EQ_INT(0, stats_of(pool).total_frees);
    cym_pool_destroy(pool);
}

static void* plain_malloc(size_t n) { return malloc(n); }
static void plain_free(void* p) { free(p); }

CHECK_BODY(allocators_without_the_no_upcalls_flag_stay_on_the_ordinary_path) {
    cym_allocator_t* wrapped = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(plain_malloc, plain_free, NULL, NULL, "wrapped", &wrapped));
    CHECK_EQ_INT(0, wrapped->flags & CYM_ALLOCATOR_NO_UPCALLS);
    cym_pool_t* pool = pool_with(wrapped, 0);
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), 1, 64));
    int64_t p = cym_j_pool_alloc(H(pool), 1, 64);
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), p));
    CHECK_EQ_INT(1, stats_of(pool).live_blocks);
    cym_pool_destroy(pool);
    /* the owner of a custom allocator may opt in */
    wrapped->flags |= CYM_ALLOCATOR_NO_UPCALLS;
    pool = pool_with(wrapped, 0);
    p = cym_j_pool_alloc_critical(H(pool), 1, 64);
    CHECK(p > 0);
    CHECK_EQ_INT(CYM_OK, cym_j_pool_free_critical(H(pool), p));
    cym_pool_destroy(pool);
    cym_allocator_release(wrapped);
}

static int adopted_freed = 0;
static void counting_free(void* p) {
    adopted_freed++;
    free(p);
}

CHECK_BODY(a_pool_with_adopted_pointers_frees_on_the_ordinary_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t p = cym_j_pool_alloc_critical(H(pool), 1, 16);
    void* foreign = malloc(8);
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(pool, foreign, 8, counting_free));
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), (int64_t)(uintptr_t)foreign));
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), p));
    CHECK_EQ_INT(0, adopted_freed);
    CHECK_EQ_INT(2, stats_of(pool).live_blocks);
    CHECK_EQ_INT(CYM_OK, cym_j_pool_free(H(pool), (int64_t)(uintptr_t)foreign));
    CHECK_EQ_INT(1, adopted_freed);
    CHECK_EQ_INT(CYM_OK, cym_j_pool_free_critical(H(pool), p)); /* none adopted any more */
    cym_pool_destroy(pool);
}

CHECK_BODY(named_backends_are_marked_no_upcalls) {
    const char* names[] = {"mimalloc", "mimalloc-heap", "tcmalloc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char why[256];
        cym_allocator_t* a = NULL;
        /* .ci/run installs these libraries; jemalloc is left out because it needs GLIBC_TUNABLES at start-up. */
        CHECK_EQ_INT(CYM_OK, cym_allocator_named(names[i], why, sizeof why, &a));
        CHECK(a->flags & CYM_ALLOCATOR_NO_UPCALLS);
        cym_pool_t* pool = pool_with(a, 0);
        int64_t p = cym_j_pool_alloc_critical(H(pool), 1, 64);
        CHECK(p > 0);
        CHECK_EQ_INT(CYM_OK, cym_j_pool_free_critical(H(pool), p));
        cym_pool_destroy(pool);
        cym_allocator_release(a);
    }
    CHECK(cym_allocator_system()->flags & CYM_ALLOCATOR_NO_UPCALLS);
}

int main(void) {
    confined_system_pool_allocates_and_frees_on_the_critical_path();
    the_largest_critical_request_is_64_kib();
    a_limit_refuses_on_the_critical_path_too();
    shared_pools_stay_on_the_ordinary_path();
    allocators_without_the_no_upcalls_flag_stay_on_the_ordinary_path();
    a_pool_with_adopted_pointers_frees_on_the_ordinary_path();
    named_backends_are_marked_no_upcalls();
    CHECK_DONE();
}
