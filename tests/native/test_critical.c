/* test_critical.c: the entry points the JVM calls as critical downcalls (cym_j_pool_alloc_critical and
 * cym_j_pool_free_critical, see internal.h): they do the ordinary work when the pool qualifies, and otherwise
 * answer "not on this path" without touching the pool, so that the caller's ordinary call still sees it as it was. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "internal.h"
#include "jbridge_pool.h"

#define H(pool) ((int64_t)(uintptr_t)(pool))
#define NOT_HERE ((int64_t)-CYM_EUNSUPPORTED)

static cym_pool_t* pool_with(cym_allocator_t* a, unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, flags, &pool) != CYM_OK) abort();
    return pool;
}

CHECK_BODY(confined_system_pool_allocates_and_frees_on_the_critical_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t p = cym_j_pool_alloc_critical(H(pool), 8, 8);
    CHECK(p > 0);
    const unsigned char* bytes = (const unsigned char*)(uintptr_t)p;
    for (int i = 0; i < 64; i++) CHECK_EQ_INT(0, bytes[i]);
    CHECK_EQ_INT(64, cym_pool_size_of(pool, (void*)(uintptr_t)p));
    CHECK_EQ_INT(1, stats_of(pool).total_allocs);
    CHECK_EQ_INT(64, cym_j_pool_free_critical(H(pool), p)); /* the freed size */
    CHECK_EQ_INT(0, stats_of(pool).live_blocks);
    CHECK_EQ_INT(1, stats_of(pool).total_frees);
    /* misuse gets the ordinary answers */
    CHECK_EQ_INT(-CYM_ENOTOWNED, cym_j_pool_free_critical(H(pool), p));
    int local;
    CHECK_EQ_INT(-CYM_ENOTOWNED, cym_j_pool_free_critical(H(pool), (int64_t)(uintptr_t)&local));
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

CHECK_BODY(large_blocks_are_freed_on_the_ordinary_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t big = cym_j_pool_alloc(H(pool), 1, CYM_CRITICAL_MAX_BYTES + 1);
    int64_t edge = cym_j_pool_alloc(H(pool), 1, CYM_CRITICAL_MAX_BYTES);
    CHECK(big > 0 && edge > 0);
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), big));
    CHECK(cym_pool_owns(pool, (void*)(uintptr_t)big)); /* untouched */
    CHECK_EQ_INT(0, stats_of(pool).total_frees);
    CHECK_EQ_INT(CYM_CRITICAL_MAX_BYTES + 1, cym_j_pool_free(H(pool), big));
    CHECK_EQ_INT(CYM_CRITICAL_MAX_BYTES, cym_j_pool_free_critical(H(pool), edge));
    cym_pool_destroy(pool);
}

CHECK_BODY(growing_the_table_past_4096_slots_is_left_to_the_ordinary_path) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), CYM_POOL_NO_SLABS); /* slab blocks need no table */
    /* a 4096-slot table holds 2048 keys at load 1/2 */
    for (size_t i = 0; i < CYM_CRITICAL_MAX_TABLE_SLOTS / 2; i++) CHECK(cym_j_pool_alloc_critical(H(pool), 1, 8) > 0);
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), 1, 8));
    CHECK_EQ_INT(CYM_CRITICAL_MAX_TABLE_SLOTS / 2, stats_of(pool).live_blocks);
    CHECK_EQ_INT(0, stats_of(pool).failed_allocs);
    CHECK(cym_j_pool_alloc(H(pool), 1, 8) > 0);          /* grows the table to 8192 slots */
    CHECK(cym_j_pool_alloc_critical(H(pool), 1, 8) > 0); /* and the critical path works in it again */
    CHECK(_cym_pool_is_valid(pool));
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

CHECK_BODY(shared_pools_take_the_critical_path_when_their_lock_is_free) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), CYM_POOL_SHARED);
    int64_t p = cym_j_pool_alloc_critical(H(pool), 1, 64);
    CHECK(p > 0);
    CHECK_EQ_INT(64, cym_j_pool_free_critical(H(pool), p));
    CHECK_EQ_INT(-CYM_ENOTOWNED, cym_j_pool_free_critical(H(pool), p));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(1, s.total_allocs);
    CHECK_EQ_INT(1, s.total_frees);
    cym_pool_destroy(pool);
}

/* An allocator (flagged NO_UPCALLS) whose malloc can be made to block until released, so that a thread holds a
 * shared pool's lock for as long as the test wants. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_armed = 0, gate_entered = 0, gate_open = 0;

static void* gated_malloc(void* ctx, size_t n) {
    (void)ctx;
    pthread_mutex_lock(&gate_lock);
    if (gate_armed) {
        gate_armed = 0;
        gate_entered = 1;
        pthread_cond_broadcast(&gate_cond);
        while (!gate_open) pthread_cond_wait(&gate_cond, &gate_lock);
    }
    pthread_mutex_unlock(&gate_lock);
    return malloc(n);
}
static void gated_free(void* ctx, void* p) {
    (void)ctx;
    free(p);
}

static void* alloc_through_gate(void* arg) {
    void* p = NULL;
    return cym_pool_alloc(arg, 1, 64, &p) == CYM_OK ? p : NULL;
}

CHECK_BODY(a_busy_shared_pool_sends_critical_callers_to_the_ordinary_path_without_waiting) {
    cym_allocator_ops_t ops = {gated_malloc, NULL, NULL, gated_free, NULL, NULL};
    cym_allocator_t* gated = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, NULL, CYM_ALLOCATOR_NO_UPCALLS, "gated", &gated));
    cym_pool_t* pool = pool_with(gated, CYM_POOL_SHARED);
    int64_t kept = cym_j_pool_alloc_critical(H(pool), 1, 64);
    CHECK(kept > 0);
    gate_armed = 1;
    pthread_t holder;
    CHECK_EQ_INT(0, pthread_create(&holder, NULL, alloc_through_gate, pool));
    pthread_mutex_lock(&gate_lock);
    while (!gate_entered) pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    /* the holder is inside cym_pool_alloc, lock held: both critical calls return at once, changing nothing */
    CHECK_EQ_INT(NOT_HERE, cym_j_pool_alloc_critical(H(pool), 1, 64));
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), kept));
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    void* held = NULL;
    pthread_join(holder, &held);
    CHECK(held != NULL);
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(2, s.live_blocks);
    CHECK_EQ_INT(2, s.total_allocs);
    CHECK_EQ_INT(0, s.total_frees);
    CHECK(cym_j_pool_free_critical(H(pool), kept) >= 0); /* the freed size */
    cym_pool_destroy(pool);
    cym_allocator_release(gated);
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
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), p));
    CHECK_EQ_INT(1, stats_of(pool).live_blocks);
    cym_pool_destroy(pool);
    /* the owner of a custom allocator may opt in */
    wrapped->flags |= CYM_ALLOCATOR_NO_UPCALLS;
    pool = pool_with(wrapped, 0);
    p = cym_j_pool_alloc_critical(H(pool), 1, 64);
    CHECK(p > 0);
    CHECK_EQ_INT(64, cym_j_pool_free_critical(H(pool), p));
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
    int64_t p = cym_j_pool_alloc_critical(H(pool), 1, 8192); /* a table block (over the slab classes) */
    int64_t small = cym_j_pool_alloc_critical(H(pool), 1, 16);
    void* foreign = malloc(8);
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(pool, foreign, 8, counting_free));
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), (int64_t)(uintptr_t)foreign));
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_pool_free_critical(H(pool), p));
    /* a slab block is never adopted: its free stays on the critical path */
    CHECK_EQ_INT(16, cym_j_pool_free_critical(H(pool), small));
    CHECK_EQ_INT(0, adopted_freed);
    CHECK_EQ_INT(2, stats_of(pool).live_blocks);
    CHECK_EQ_INT(8, cym_j_pool_free(H(pool), (int64_t)(uintptr_t)foreign));
    CHECK_EQ_INT(1, adopted_freed);
    CHECK_EQ_INT(8192, cym_j_pool_free_critical(H(pool), p)); /* none adopted any more */
    cym_pool_destroy(pool);
}

CHECK_BODY(named_backends_are_marked_no_upcalls) {
    const char* names[] = {"mimalloc", "mimalloc-heap", "tcmalloc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char why[256];
        cym_allocator_t* a = NULL;
        /* ./test.sh and .ci/run install these libraries; jemalloc is left out because it needs GLIBC_TUNABLES at
         * start-up. Without one, this check fails and says which Debian package provides it. */
        if (cym_allocator_named(names[i], why, sizeof why, &a) != CYM_OK) {
            fprintf(stderr, "FAILED: test_critical needs the allocator backend '%s': %s\n", names[i], why);
        }
        CHECK(a != NULL);
        CHECK(a->flags & CYM_ALLOCATOR_NO_UPCALLS);
        cym_pool_t* pool = pool_with(a, 0);
        int64_t p = cym_j_pool_alloc_critical(H(pool), 1, 64);
        CHECK(p > 0);
        CHECK_EQ_INT(64, cym_j_pool_free_critical(H(pool), p));
        cym_pool_destroy(pool);
        cym_allocator_release(a);
    }
    CHECK(cym_allocator_system()->flags & CYM_ALLOCATOR_NO_UPCALLS);
}

/* Java's block cache (org.cymem4j.internal.BlockCache): which pools may keep one, and its settle. */
CHECK_BODY(only_confined_slab_served_untracked_pools_are_cacheable) {
    cym_pool_t* confined = pool_with(cym_allocator_system(), 0);
    cym_pool_t* shared = pool_with(cym_allocator_system(), CYM_POOL_SHARED);
    cym_pool_t* per_block = pool_with(cym_allocator_system(), CYM_POOL_NO_SLABS);
    CHECK_EQ_INT(1, cym_j_pool_cacheable(H(confined)));
    CHECK_EQ_INT(0, cym_j_pool_cacheable(H(shared)));
    CHECK_EQ_INT(0, cym_j_pool_cacheable(H(per_block)));
    cym_process_track(1);
    cym_pool_t* tracked = pool_with(cym_allocator_system(), 0);
    cym_process_track(0);
    CHECK_EQ_INT(0, cym_j_pool_cacheable(H(tracked)));
    cym_pool_destroy(confined);
    cym_pool_destroy(shared);
    cym_pool_destroy(per_block);
    cym_pool_destroy(tracked);
}

CHECK_BODY(settling_frees_the_kept_blocks_adds_the_unseen_counts_and_sets_the_peak) {
    cym_pool_t* pool = pool_with(cym_allocator_system(), 0);
    int64_t kept[2] = {cym_j_pool_alloc(H(pool), 1, 64), cym_j_pool_alloc(H(pool), 1, 100)};
    int64_t table = cym_j_pool_alloc(H(pool), 1, 10000);
    CHECK(kept[0] > 0 && kept[1] > 0 && table > 0);
    /* Java: the two were freed, then reused 5 times and freed again (5 allocs and 7 frees C did not see); its
     * peak, 10100, is below C's (which counted the kept blocks while the table block was allocated) */
    CHECK_EQ_INT(10164, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, cym_j_pool_settle(H(pool), kept, 2, 5, 7, 10100, NULL, 0, 0));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(10000, s.live_bytes);
    CHECK_EQ_INT(3 + 5, s.total_allocs);
    CHECK_EQ_INT(7, s.total_frees);
    CHECK_EQ_INT(10100, s.peak_bytes);
    CHECK(!cym_pool_owns(pool, (void*)(uintptr_t)kept[0]));
    CHECK(_cym_pool_is_valid(pool) && _cym_pool_peak_is_valid(pool));
    /* the peak counts on from there, and never below the live bytes */
    CHECK(cym_j_pool_alloc(H(pool), 1, 200) > 0);
    CHECK_EQ_INT(10200, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, cym_j_pool_settle(H(pool), NULL, 0, 0, 0, 5, NULL, 0, 0));
    CHECK_EQ_INT(10200, stats_of(pool).peak_bytes);
    CHECK(_cym_pool_peak_is_valid(pool));
    /* a block the pool does not hold is reported, the rest still done */
    int64_t gone[1] = {kept[0]};
    CHECK_EQ_INT(-CYM_ENOTOWNED, cym_j_pool_settle(H(pool), gone, 1, 0, 1, 0, NULL, 0, 0));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

int main(void) {
    confined_system_pool_allocates_and_frees_on_the_critical_path();
    the_largest_critical_request_is_64_kib();
    large_blocks_are_freed_on_the_ordinary_path();
    growing_the_table_past_4096_slots_is_left_to_the_ordinary_path();
    a_limit_refuses_on_the_critical_path_too();
    shared_pools_take_the_critical_path_when_their_lock_is_free();
    a_busy_shared_pool_sends_critical_callers_to_the_ordinary_path_without_waiting();
    allocators_without_the_no_upcalls_flag_stay_on_the_ordinary_path();
    a_pool_with_adopted_pointers_frees_on_the_ordinary_path();
    named_backends_are_marked_no_upcalls();
    only_confined_slab_served_untracked_pools_are_cacheable();
    settling_frees_the_kept_blocks_adds_the_unseen_counts_and_sets_the_peak();
    CHECK_DONE();
}
