/* test_pool_leases.c: a slab's never-used blocks lent to Java's block cache (_cym_pool_lease, _cym_pool_commit and
 * their bridge functions). While leased, C hands none of them out and never gives their slab back; a commit makes the
 * handed-out ones live blocks of the requested size, counted, and the rest go back to C still zero, even when Java
 * never committed (a destroyed pool's slab is cached zeroed). _cym_pool_is_valid is asserted after each step. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "cymem4j.h"
#include "internal.h"
#include "jbridge_pool.h"

#define H(p) ((int64_t)(uintptr_t)(p))

/* Under ASan a refused huge calloc must return NULL, as glibc's does, not abort the test. */
const char* __asan_default_options(void);
const char* __asan_default_options(void) { return "allocator_may_return_null=1"; }

static cym_pool_t* pool_with(unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(cym_allocator_system(), flags, &pool) != CYM_OK) abort();
    return pool;
}

static int inside(const void* p, const char* start, uint32_t count, uint32_t stride) {
    return (const char*)p >= start && (const char*)p < start + (size_t)count * stride;
}

CHECK_BODY(leased_blocks_are_zero_and_unknown_to_c_until_committed) {
    cym_pool_t* pool = pool_with(0);
    void* start;
    uint32_t count, stride;
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 64, &start, &count, &stride));
    CHECK(count > 900 && stride == 64); /* a fresh 64 KiB slab's blocks of the 64 B class */
    CHECK(all_zero(start, (size_t)count * stride));
    CHECK(!cym_pool_owns(pool, start));
    CHECK(_cym_pool_is_valid(pool));
    for (int i = 0; i < 100; i++) { /* C's own blocks of the class come from elsewhere meanwhile */
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
        CHECK(!inside(p, start, count, stride));
    }
    memset(start, 0x5A, 3 * 64); /* Java hands out three and its user writes them */
    CHECK_EQ_INT(CYM_OK, _cym_pool_commit(pool, start, 3, 60, false));
    CHECK(cym_pool_owns(pool, start) && cym_pool_owns(pool, (char*)start + 128));
    CHECK(!cym_pool_owns(pool, (char*)start + 192)); /* the fourth was never handed out */
    CHECK_EQ_INT(60, cym_pool_size_of(pool, (char*)start + 64));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(103, s.live_blocks);
    CHECK_EQ_INT(103 * 64 - 3 * 4, s.live_bytes);
    CHECK_EQ_INT(103, s.total_allocs);
    CHECK(_cym_pool_is_valid(pool) && _cym_pool_peak_is_valid(pool));
    /* the lease goes on from the fourth; a commit from anywhere else is refused and changes nothing */
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, start, 1, 64, false));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, (char*)start + 4 * 64, 1, 64, false));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, (char*)start + 3 * 64, count, 64, false));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, (char*)start + 3 * 64, 1, 100, false)); /* another class */
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, (char*)start + 3 * 64, 1, 0, false));
    int foreign;
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, &foreign, 1, 64, false)); /* never dereferenced */
    CHECK_EQ_INT(103, stats_of(pool).live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    /* freed as any block; then the lease ends: C takes the rest back, still zero */
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, start));
    CHECK_EQ_INT(CYM_OK, _cym_pool_commit(pool, (char*)start + 3 * 64, 1, 64, true));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_commit(pool, (char*)start + 4 * 64, 0, 64, true)); /* ended */
    CHECK(_cym_pool_is_valid(pool));
    int from_lease = 0;
    for (uint32_t i = 0; i < count; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
        CHECK(all_zero(p, 64));
        from_lease += inside(p, start, count, stride);
    }
    CHECK(from_lease > 0);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(a_leased_slab_is_never_given_back_while_java_holds_it) {
    cym_pool_t* pool = pool_with(0);
    void* other[2]; /* two empty slabs of other classes first: an emptied slab beyond them would be given back */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &other[0]));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 32, &other[1]));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, other[0]));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, other[1]));
    CHECK_EQ_INT(2, _cym_pool_shard_slabs(pool, 0));
    void* first;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &first));
    void* start;
    uint32_t count, stride;
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 64, &start, &count, &stride));
    CHECK_EQ_INT((uintptr_t)first + 64, (uintptr_t)start); /* the same slab: its never-used blocks */
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, first)); /* its last live block: the slab would be empty */
    CHECK_EQ_INT(3, _cym_pool_shard_slabs(pool, 0));
    memset(start, 0x11, 64); /* Java's block: still the pool's memory (ASan would catch a slab given back) */
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_OK, _cym_pool_commit(pool, start, 1, 64, true));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, start));
    CHECK(_cym_pool_is_valid(pool)); /* empty now, and counted so */
    cym_pool_destroy(pool);
}

CHECK_BODY(a_trim_after_a_refused_allocation_keeps_the_leased_slab) {
    cym_pool_t* pool = pool_with(0);
    void* other; /* an empty slab of another class, so that the trim walks the slabs */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &other));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, other));
    void* first;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &first));
    void* start;
    uint32_t count, stride;
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 64, &start, &count, &stride));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, first)); /* the leased slab has no live block now */
    void* huge;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, (size_t)1 << 60, &huge)); /* trims, retries, fails */
    CHECK_EQ_INT(1, _cym_pool_shard_slabs(pool, 0)); /* the empty one went back, the leased one stayed */
    memset(start, 0x22, (size_t)count * stride);
    CHECK_EQ_INT(CYM_OK, _cym_pool_commit(pool, start, count, 64, true));
    CHECK_EQ_INT(count, stats_of(pool).live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(a_class_with_freed_blocks_lends_nothing_until_c_has_reused_them) {
    cym_pool_t* pool = pool_with(0);
    void* a;
    void* b;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &a));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &b));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, a));
    void* start;
    uint32_t count, stride;
    CHECK_EQ_INT(CYM_EBUSY, _cym_pool_lease(pool, 60, &start, &count, &stride)); /* a's slot first */
    CHECK(_cym_pool_is_valid(pool));
    void* again;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &again));
    CHECK(again == a);
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 60, &start, &count, &stride));
    CHECK_EQ_INT((uintptr_t)b + 64, (uintptr_t)start); /* the rest of the same slab */
    int64_t out[3] = {0, 0, 0}; /* the bridge says so with no lease, not an error */
    CHECK_EQ_INT(0, cym_j_pool_lease(H(pool), 16, 0, 0, 0, out));
    CHECK(out[1] > 0);
    void* c;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 32, &c));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 32, &again));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, c));
    CHECK_EQ_INT(0, cym_j_pool_lease(H(pool), 32, 0, 0, 0, out));
    CHECK_EQ_INT(0, out[1]);
    CHECK_EQ_INT(-CYM_EBUSY, out[2]);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(only_confined_unlimited_slab_pools_of_plain_sizes_lend) {
    void* start;
    uint32_t count, stride;
    cym_pool_t* shared = pool_with(CYM_POOL_SHARED);
    cym_pool_t* per_block = pool_with(CYM_POOL_NO_SLABS);
    cym_pool_t* limited = pool_with(0);
    cym_pool_set_limit(limited, 1 << 20);
    cym_pool_t* plain = pool_with(0);
    CHECK_EQ_INT(CYM_EUNSUPPORTED, _cym_pool_lease(shared, 64, &start, &count, &stride));
    CHECK_EQ_INT(CYM_EUNSUPPORTED, _cym_pool_lease(per_block, 64, &start, &count, &stride));
    CHECK_EQ_INT(CYM_EUNSUPPORTED, _cym_pool_lease(limited, 64, &start, &count, &stride));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_lease(plain, 0, &start, &count, &stride));
    CHECK_EQ_INT(CYM_EINVAL, _cym_pool_lease(plain, CYM_SLAB_BLOCK_MAX + 1, &start, &count, &stride));
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(plain, CYM_SLAB_BLOCK_MAX, &start, &count, &stride));
    CHECK(count >= 15 && stride == CYM_SLAB_BLOCK_MAX);
    CHECK(_cym_pool_is_valid(plain));
    cym_pool_destroy(shared);
    cym_pool_destroy(per_block);
    cym_pool_destroy(limited);
    cym_pool_destroy(plain);
}

CHECK_BODY(a_slab_destroyed_under_an_uncommitted_lease_is_cached_zeroed) {
    cym_pool_t* pool = pool_with(0);
    void* start;
    uint32_t count, stride;
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 64, &start, &count, &stride));
    memset(start, 0x77, (size_t)count * stride); /* handed out and written, never committed (a bug in Java) */
    cym_pool_destroy(pool);
    pool = pool_with(0); /* takes the slab this thread just cached */
    CHECK_EQ_INT(CYM_OK, _cym_pool_lease(pool, 64, &start, &count, &stride));
    CHECK(all_zero(start, (size_t)count * stride));
    cym_pool_destroy(pool);
}

CHECK_BODY(the_bridge_commits_a_used_up_lease_with_the_next_and_settles_leases_before_kept_blocks) {
    cym_pool_t* pool = pool_with(0);
    int64_t out[3] = {0, 0, 0};
    CHECK_EQ_INT(0, cym_j_pool_lease(H(pool), 1000, 0, 0, 0, out));
    int64_t start = out[0], count = out[1], stride = out[2];
    CHECK(start > 0 && stride == 1024 && count > 50);
    /* Java handed out every block, then leased the next run: one call commits the first and lends the second */
    CHECK_EQ_INT(0, cym_j_pool_lease(H(pool), 1000, start, count, 1000, out));
    CHECK(out[0] != start && out[1] > 0);
    CHECK_EQ_INT(count, stats_of(pool).live_blocks);
    CHECK_EQ_INT(count * 1000, stats_of(pool).live_bytes);
    /* a bad commit is reported and nothing changes: no new lease either */
    int64_t again[3] = {0, 0, 0};
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_pool_lease(H(pool), 1000, start, 1, 1000, again));
    CHECK_EQ_INT(0, again[1]);
    CHECK(_cym_pool_is_valid(pool));
    /* settle: two of the second run handed out, one of them freed by the user and kept; the lease ends */
    int64_t lease[3] = {out[0], 2, 1000};
    int64_t kept[1] = {out[0] + stride};
    CHECK_EQ_INT(0, cym_j_pool_settle(H(pool), kept, 1, 0, 1, (count + 2) * 1000, lease, 1, 1));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(count + 1, s.live_blocks);
    CHECK_EQ_INT(count + 2, s.total_allocs);
    CHECK_EQ_INT(1, s.total_frees);
    CHECK_EQ_INT((count + 2) * 1000, s.peak_bytes);
    CHECK(cym_pool_owns(pool, (void*)(uintptr_t)out[0]) && !cym_pool_owns(pool, (void*)(uintptr_t)kept[0]));
    CHECK(_cym_pool_is_valid(pool) && _cym_pool_peak_is_valid(pool));
    cym_pool_destroy(pool);
}

int main(void) {
    leased_blocks_are_zero_and_unknown_to_c_until_committed();
    a_leased_slab_is_never_given_back_while_java_holds_it();
    a_trim_after_a_refused_allocation_keeps_the_leased_slab();
    a_class_with_freed_blocks_lends_nothing_until_c_has_reused_them();
    only_confined_unlimited_slab_pools_of_plain_sizes_lend();
    a_slab_destroyed_under_an_uncommitted_lease_is_cached_zeroed();
    the_bridge_commits_a_used_up_lease_with_the_next_and_settles_leases_before_kept_blocks();
    CHECK_DONE();
}
