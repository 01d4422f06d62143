/* test_native_api.c: the public API as a native consumer uses it: the version query, the process default
 * allocator (cym_allocator_default/set_default, NULL in cym_pool_create), and adopted pointers freed once,
 * by their own function, when the pool is destroyed. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

/* A malloc/free pair that counts, to see which function released what. */
static int64_t counted_mallocs = 0, counted_frees = 0;
static void* counting_malloc(size_t n) { __atomic_add_fetch(&counted_mallocs, 1, __ATOMIC_RELAXED); return malloc(n); }
static void counting_free(void* p) { __atomic_add_fetch(&counted_frees, 1, __ATOMIC_RELAXED); free(p); }

static int64_t adopted_frees = 0;
static void adopted_free(void* p) { adopted_frees++; free(p); }

CHECK_BODY(version_query_matches_the_header) {
    CHECK_EQ_INT(CYM_VERSION_NUMBER, cym_version());
    CHECK_EQ_INT(CYM_VERSION_MAJOR * 10000 + CYM_VERSION_MINOR * 100 + CYM_VERSION_PATCH, cym_version());
    CHECK(strcmp("address not owned by the pool", cym_status_message(CYM_ENOTOWNED)) == 0);
}

CHECK_BODY(default_allocator_starts_as_system) {
    cym_allocator_t* a = cym_allocator_default();
    CHECK(a == cym_allocator_system());
    CHECK(strcmp("system", a->name) == 0);
    cym_allocator_release(a);
}

CHECK_BODY(pool_with_null_allocator_uses_the_configured_default) {
    cym_allocator_t* counting = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "counting", &counting));
    cym_allocator_set_default(counting);
    cym_allocator_t* got = cym_allocator_default();
    CHECK(got == counting);
    CHECK_EQ_INT(3, counting->refs); /* the caller's, the default's, and got's */
    cym_allocator_release(got);

    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(NULL, 0, &pool));
    CHECK(cym_pool_allocator(pool) == counting);
    int64_t before = counted_mallocs;
    void* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 4, 8, &p));
    CHECK(counted_mallocs > before);

    /* Changing the default later does not move an existing pool. */
    cym_allocator_set_default(NULL);
    CHECK(cym_allocator_default() == cym_allocator_system());
    CHECK(cym_pool_allocator(pool) == counting);
    CHECK_EQ_INT(2, counting->refs); /* the caller's and the pool's */
    cym_pool_destroy(pool);
    CHECK_EQ_INT(counted_mallocs, counted_frees);
    CHECK_EQ_INT(1, counting->refs);
    cym_allocator_release(counting);
}

CHECK_BODY(set_default_keeps_the_callers_reference) {
    cym_allocator_t* counting = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "counting", &counting));
    cym_allocator_set_default(counting);
    cym_allocator_set_default(counting); /* setting the same one twice does not drop a reference */
    CHECK_EQ_INT(2, counting->refs);
    cym_allocator_set_default(NULL);
    CHECK_EQ_INT(1, counting->refs);
    cym_allocator_release(counting);
}

static void* default_churn(void* arg) {
    cym_allocator_t* a = arg;
    for (int i = 0; i < 20000; i++) {
        cym_allocator_set_default((i & 1) ? a : NULL);
        cym_allocator_t* got = cym_allocator_default();
        cym_pool_t* pool = NULL;
        if (cym_pool_create(NULL, 0, &pool) == CYM_OK) cym_pool_destroy(pool);
        cym_allocator_release(got);
    }
    return NULL;
}

CHECK_BODY(default_survives_concurrent_set_and_get) {
    cym_allocator_t* counting = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "counting", &counting));
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, default_churn, counting);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    cym_allocator_set_default(NULL);
    CHECK_EQ_INT(1, counting->refs); /* every reference taken in the churn was given back */
    cym_allocator_release(counting);
}

CHECK_BODY(destroy_frees_each_adopted_pointer_once_with_its_own_function) {
    /* Enough adopted pointers that several share a probe run: destroy must find every one of them. */
    cym_allocator_t* counting = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "counting", &counting));
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(counting, 0, &pool));
    int64_t mallocs_before = counted_mallocs, frees_before = counted_frees;
    adopted_frees = 0;
    for (int i = 0; i < 200; i++) {
        void* own = NULL;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &own));
        void* foreign = malloc(24);
        CHECK(foreign != NULL);
        CHECK_EQ_INT(CYM_OK, cym_pool_adopt(pool, foreign, 24, adopted_free));
    }
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(400, s.live_blocks);
    CHECK_EQ_INT(200 * 16 + 200 * 24, s.live_bytes);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(200, adopted_frees);
    /* The allocator released exactly what it made: the 200 blocks and the table's generations. */
    CHECK_EQ_INT(counted_mallocs - mallocs_before, counted_frees - frees_before);
    cym_allocator_release(counting);
}

int main(void) {
    printf("test_native_api\n");
    version_query_matches_the_header();
    default_allocator_starts_as_system();
    pool_with_null_allocator_uses_the_configured_default();
    set_default_keeps_the_callers_reference();
    default_survives_concurrent_set_and_get();
    destroy_frees_each_adopted_pointer_once_with_its_own_function();
    CHECK_DONE();
}
