/* test_pool.c: the pool core: alloc/free/realloc/adopt semantics, misuse, the table's invariants, stats,
 * limits, iteration, shared pools across threads, and a pool of 1,000,000 blocks. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "internal.h"

static cym_pool_t* new_pool(unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(NULL, flags, &pool) != CYM_OK) abort();
    return pool;
}

CHECK_BODY(alloc_is_zeroed_and_counted) {
    cym_pool_t* pool = new_pool(0);
    void* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 10, sizeof(int), &p));
    CHECK(p != NULL);
    CHECK(all_zero(p, 40));
    CHECK(cym_pool_owns(pool, p));
    CHECK_EQ_INT(40, cym_pool_size_of(pool, p));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(40, s.live_bytes);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(1, s.total_allocs);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(zero_byte_requests_get_unique_addresses) {
    cym_pool_t* pool = new_pool(0);
    void *a = NULL, *b = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 0, 8, &a));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, 0, &b));
    CHECK(a != NULL && b != NULL && a != b);
    CHECK_EQ_INT(0, cym_pool_size_of(pool, a));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, a));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, a));
    cym_pool_destroy(pool);
}

CHECK_BODY(overflow_is_an_error_not_a_wrap) {
    cym_pool_t* pool = new_pool(0);
    void* p = (void*)0x1234;
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_alloc(pool, SIZE_MAX / 2 + 1, 2, &p));
    CHECK_EQ_INT(CYM_EOVERFLOW, cym_pool_alloc(pool, (size_t)PTRDIFF_MAX + 1, 1, &p));
    CHECK(p == (void*)0x1234);
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(0, s.live_blocks);
    cym_pool_destroy(pool);
}

CHECK_BODY(free_of_foreign_interior_or_freed_address_frees_nothing) {
    cym_pool_t* pool = new_pool(0);
    cym_pool_t* other = new_pool(0);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(other, 1, 64, &q));
    int on_stack;
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, &on_stack));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, q));           /* another pool's block */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, (char*)p + 8)); /* interior */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, NULL));
    CHECK(cym_pool_owns(pool, p) && cym_pool_owns(other, q));
    size_t size = 0;
    CHECK(cym_pool_find_containing(pool, (char*)p + 8, &size) == p);
    CHECK_EQ_INT(64, size);
    CHECK(cym_pool_find_containing(pool, (char*)p + 64, NULL) == NULL);
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, p)); /* double free */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_realloc(pool, p, 128, &q));
    cym_pool_destroy(pool);
    cym_pool_destroy(other);
}

CHECK_BODY(realloc_keeps_contents_zeroes_growth_and_may_shrink) {
    cym_pool_t* pool = new_pool(0);
    unsigned char* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 16, 1, (void**)&p));
    for (int i = 0; i < 16; i++) p[i] = (unsigned char)(i + 1);
    unsigned char* q;
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 1 << 20, (void**)&q));
    for (int i = 0; i < 16; i++) CHECK_EQ_INT(i + 1, q[i]);
    CHECK(all_zero(q + 16, (1 << 20) - 16));
    CHECK_EQ_INT(1 << 20, cym_pool_size_of(pool, q));
    CHECK(q == p || !cym_pool_owns(pool, p));
    unsigned char* r;
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, q, 4, (void**)&r));
    CHECK_EQ_INT(4, cym_pool_size_of(pool, r));
    CHECK_EQ_INT(1, r[0]);
    CHECK_EQ_INT(4, r[3]);
    unsigned char* z;
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, r, 0, (void**)&z));
    CHECK(z != NULL);
    CHECK_EQ_INT(0, cym_pool_size_of(pool, z));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(0, s.live_bytes);
    CHECK_EQ_INT(1 << 20, s.peak_bytes);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

/* An allocator that fails when told to: proves failure leaves the pool unchanged. */
static int fail_next = 0;
static void* flaky_malloc(void* ctx, size_t n) { (void)ctx; if (fail_next) return NULL; return malloc(n); }
static void* flaky_realloc(void* ctx, void* p, size_t n) { (void)ctx; if (fail_next) return NULL; return realloc(p, n); }
static void flaky_free(void* ctx, void* p) { (void)ctx; free(p); }

CHECK_BODY(failed_realloc_keeps_the_old_block_owned) {
    cym_allocator_ops_t ops = {flaky_malloc, NULL, flaky_realloc, flaky_free, NULL, NULL};
    cym_allocator_t* a;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, NULL, 0, "flaky", &a));
    cym_pool_t* pool;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &pool));
    cym_allocator_release(a); /* the pool holds its own reference */
    int* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 4, sizeof(int), (void**)&p));
    p[3] = 42;
    fail_next = 1;
    void* q = (void*)0x1;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_realloc(pool, p, 1 << 20, &q));
    CHECK(q == (void*)0x1);
    void* r;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 8, &r));
    fail_next = 0;
    CHECK(cym_pool_owns(pool, p));
    CHECK_EQ_INT(42, p[3]);
    CHECK_EQ_INT(16, cym_pool_size_of(pool, p));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(2, s.failed_allocs);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(table_growth_failure_leaves_pool_consistent) {
    cym_allocator_ops_t ops = {flaky_malloc, NULL, flaky_realloc, flaky_free, NULL, NULL};
    cym_allocator_t* a;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, NULL, 0, "flaky", &a));
    cym_pool_t* pool;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &pool));
    cym_allocator_release(a);
    void* p;
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8, &p)); /* table of 16 is full */
    fail_next = 1;
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 8, &p)); /* growth fails first */
    fail_next = 0;
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8, &p));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(limit_fails_before_the_allocator_is_called) {
    cym_pool_t* pool = new_pool(0);
    cym_pool_set_limit(pool, 100);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 60, &p));
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_alloc(pool, 1, 41, &q));
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_realloc(pool, p, 101, &q));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 40, &q));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(100, s.live_bytes);
    CHECK_EQ_INT(100, s.limit_bytes);
    CHECK_EQ_INT(2, s.failed_allocs);
    cym_pool_set_limit(pool, -5);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 1000, &q));
    cym_pool_destroy(pool);
}

static int adopted_freed = 0;
static void counting_free(void* p) { adopted_freed++; free(p); }

CHECK_BODY(adopted_pointers_are_freed_with_their_own_function) {
    cym_pool_t* pool = new_pool(0);
    void* a = malloc(32);
    void* b = malloc(32);
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(pool, a, 32, counting_free));
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(pool, b, 32, counting_free));
    CHECK_EQ_INT(CYM_EINVAL, cym_pool_adopt(pool, a, 32, counting_free));
    CHECK(cym_pool_owns(pool, a));
    void* q;
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_pool_realloc(pool, a, 64, &q));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, a));
    CHECK_EQ_INT(1, adopted_freed);
    cym_pool_destroy(pool);
    CHECK_EQ_INT(2, adopted_freed);
}

static int sum_sizes(void* p, size_t size, void* user) { (void)p; *(size_t*)user += size; return 0; }

CHECK_BODY(iteration_visits_every_live_block_once) {
    cym_pool_t* pool = new_pool(0);
    void* p[100];
    size_t expected = 0;
    for (int i = 0; i < 100; i++) { CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, (size_t)i, 3, &p[i])); expected += (size_t)i * 3; }
    for (int i = 0; i < 100; i += 3) { CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p[i])); expected -= (size_t)i * 3; }
    size_t total = 0;
    CHECK_EQ_INT(0, cym_pool_foreach(pool, sum_sizes, &total));
    CHECK_EQ_INT(expected, total);
    size_t cursor = 0, size, seen = 0;
    void* q;
    while (cym_pool_next(pool, &cursor, &q, &size)) { CHECK(cym_pool_owns(pool, q)); seen++; }
    CHECK_EQ_INT(66, seen);
    cym_pool_destroy(pool);
}

CHECK_BODY(a_million_blocks_in_random_order) {
    enum { N = 1000000 };
    cym_pool_t* pool = new_pool(0);
    void** p = malloc(N * sizeof *p);
    for (size_t i = 0; i < N; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16 + i % 48, &p[i]));
    CHECK(_cym_pool_is_valid(pool));
    /* free every other block in a scrambled order, then check the rest are all still there */
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N / 2; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t j = (size_t)(x % N);
        if (p[j] != NULL) { CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p[j])); p[j] = NULL; }
    }
    CHECK(_cym_pool_is_valid(pool));
    size_t live = 0;
    for (size_t i = 0; i < N; i++) {
        if (p[i] != NULL) { CHECK(cym_pool_owns(pool, p[i])); CHECK_EQ_INT(16 + i % 48, cym_pool_size_of(pool, p[i])); live++; }
    }
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(live, s.live_blocks);
    free(p);
    cym_pool_destroy(pool); /* frees the rest; ASan/LSan would report a leak */
}

static void* hammer(void* arg) {
    cym_pool_t* pool = arg;
    void* p[64];
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < 64; i++) if (cym_pool_alloc(pool, 1, 32, &p[i]) != CYM_OK) return (void*)1;
        for (int i = 0; i < 64; i++) if (cym_pool_free(pool, p[i]) != CYM_OK) return (void*)1;
    }
    return NULL;
}

CHECK_BODY(shared_pool_survives_concurrent_threads) {
    cym_pool_t* pool = new_pool(CYM_POOL_SHARED);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, hammer, pool);
    for (int i = 0; i < 4; i++) { void* r; pthread_join(t[i], &r); CHECK(r == NULL); }
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(0, s.live_blocks);
    CHECK_EQ_INT(4 * 2000 * 64, s.total_frees);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(bad_arguments_are_rejected) {
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_EINVAL, cym_pool_create(NULL, 0x80, &pool));
    CHECK(pool == NULL);
    CHECK_EQ_INT(CYM_EINVAL, cym_pool_create(NULL, 0, NULL));
    cym_allocator_ops_t no_free = {flaky_malloc, NULL, NULL, NULL, NULL, NULL};
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_EINVAL, cym_allocator_new(&no_free, NULL, 0, "x", &a));
    CHECK(a == NULL);
    CHECK(cym_version() == CYM_VERSION_NUMBER);
    CHECK(strcmp(cym_status_message(CYM_ENOTOWNED), "address not owned by the pool") == 0);
}

CHECK_BODY(process_totals_count_only_pools_created_while_tracking) {
    int64_t live, peak;
    cym_pool_t* before = new_pool(0); /* made before tracking: never counted */
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(before, 1, 1000, &p));
    cym_process_track(1);
    cym_process_bytes(&live, &peak);
    int64_t base = live;
    cym_pool_t* a = new_pool(0);
    cym_pool_t* b = new_pool(CYM_POOL_SHARED);
    void *x, *y, *z;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(a, 1, 100, &x));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(b, 2, 50, &y));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(a, x, 300, &x)); /* +200 */
    cym_process_bytes(&live, &peak);
    CHECK_EQ_INT(base + 400, live);
    CHECK(peak >= base + 400);
    int64_t high = peak;
    CHECK_EQ_INT(CYM_OK, cym_pool_free(a, x));
    void* adopted = malloc(64);
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(b, adopted, 64, free));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(b, 1, 10, &z));
    cym_process_bytes(&live, &peak);
    CHECK_EQ_INT(base + 100 + 64 + 10, live);
    CHECK_EQ_INT(high, peak); /* the peak stays */
    cym_pool_destroy(b);      /* its blocks, adopted one included, leave the total */
    cym_pool_destroy(a);
    cym_process_track(0);
    cym_process_bytes(&live, &peak);
    CHECK_EQ_INT(base, live);
    cym_pool_destroy(before);
    cym_process_bytes(&live, &peak);
    CHECK_EQ_INT(base, live); /* the untracked pool never touched it */
}

int main(void) {
    alloc_is_zeroed_and_counted();
    zero_byte_requests_get_unique_addresses();
    overflow_is_an_error_not_a_wrap();
    free_of_foreign_interior_or_freed_address_frees_nothing();
    realloc_keeps_contents_zeroes_growth_and_may_shrink();
    failed_realloc_keeps_the_old_block_owned();
    table_growth_failure_leaves_pool_consistent();
    limit_fails_before_the_allocator_is_called();
    adopted_pointers_are_freed_with_their_own_function();
    iteration_visits_every_live_block_once();
    a_million_blocks_in_random_order();
    shared_pool_survives_concurrent_threads();
    bad_arguments_are_rejected();
    process_totals_count_only_pools_created_while_tracking();
    CHECK_DONE();
}
