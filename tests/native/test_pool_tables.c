/* test_pool_tables.c: the per-thread cache of address tables (pool_tables.c) behind pools on the system
 * allocator. A 1000-block pool's table grows 16 -> 64 -> 256 -> 1024 -> 2048 slots (16 B each): tables of 256 B,
 * 1 KiB, 4 KiB, 16 KiB and 32 KiB. Under -Pasan, LeakSanitizer checks that a thread's cache is freed when the
 * thread exits (thread_exit_frees_its_cached_tables). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "internal.h"

#define SLOT 16u /* bytes per table slot */
#define GROWN_TABLES (256u + 1024u + 4096u + 16384u) /* the tables a 1000-block pool outgrows */
#define LAST_TABLE (2048u * SLOT)                    /* its final table */

/* Empties the calling thread's cache, so that each check starts from a known state. */
static void drain(void) {
    for (unsigned k = 0; k <= 16; k++) free(_cym_pool_tables_take((size_t)1 << k));
}

/* Without slabs: these pools' small blocks must go through the table whose memory the cache recycles. */
static cym_pool_t* system_pool(void) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(cym_allocator_system(), CYM_POOL_NO_SLABS, &pool) != CYM_OK) abort();
    return pool;
}

static void fill(cym_pool_t* pool, int blocks, size_t size, void** out) {
    for (int i = 0; i < blocks; i++) {
        void* p;
        if (cym_pool_alloc(pool, 1, size, &p) != CYM_OK) abort();
        if (out != NULL) out[i] = p;
    }
}

/* Every table the calling thread has cached is all zero. */
static int cached_tables_are_zero(void) {
    for (unsigned k = 0; k <= 16; k++) {
        size_t bytes = (size_t)1 << k;
        void* t = _cym_pool_tables_peek(bytes);
        if (t != NULL && !all_zero(t, bytes)) return 0;
    }
    return 1;
}

CHECK_BODY(the_next_pool_on_a_thread_reuses_the_last_pools_table) {
    drain();
    cym_pool_t* a = system_pool();
    fill(a, 1000, 64, NULL);
    CHECK_EQ_INT(GROWN_TABLES, _cym_pool_tables_bytes()); /* outgrown tables kept, not freed */
    cym_pool_destroy(a);
    CHECK_EQ_INT(GROWN_TABLES + LAST_TABLE, _cym_pool_tables_bytes());
    void* table = _cym_pool_tables_peek(LAST_TABLE);
    CHECK(table != NULL);

    cym_pool_t* b = system_pool();
    fill(b, 1000, 64, NULL);
    CHECK(_cym_pool_tables_peek(LAST_TABLE) == NULL); /* b grew into a's last table */
    CHECK_EQ_INT(GROWN_TABLES, _cym_pool_tables_bytes());
    CHECK(_cym_pool_is_valid(b));
    cym_pool_destroy(b);
    CHECK(_cym_pool_tables_peek(LAST_TABLE) == table);
    CHECK_EQ_INT(GROWN_TABLES + LAST_TABLE, _cym_pool_tables_bytes());
    drain();
}

static int cmp_ptr(const void* x, const void* y) {
    uintptr_t a = *(const uintptr_t*)x, b = *(const uintptr_t*)y;
    return (a > b) - (a < b);
}

static int adopted_freed = 0;
static void counting_free(void* p) { adopted_freed++; free(p); }

CHECK_BODY(cached_tables_come_back_zeroed_and_hold_no_phantom_keys) {
    drain();
    static void* mine[1000];
    /* A pool that used every path that writes slots: growth, free (backward shift), realloc, adopt. */
    cym_pool_t* a = system_pool();
    fill(a, 1000, 48, mine);
    CHECK(cached_tables_are_zero()); /* the rehash cleared each outgrown table */
    for (int i = 0; i < 1000; i += 3) CHECK_EQ_INT(CYM_OK, cym_pool_free(a, mine[i]));
    for (int i = 1; i < 1000; i += 6) CHECK_EQ_INT(CYM_OK, cym_pool_realloc(a, mine[i], 200, &mine[i]));
    void* adopted = malloc(32);
    CHECK_EQ_INT(CYM_OK, cym_pool_adopt(a, adopted, 32, counting_free));
    cym_pool_destroy(a);
    CHECK_EQ_INT(1, adopted_freed);
    CHECK(_cym_pool_tables_peek(LAST_TABLE) != NULL);
    CHECK(cached_tables_are_zero()); /* and destroy cleared the last one */

    /* A pool built on the reused tables sees only its own keys, at every size it passes through. */
    cym_pool_t* b = system_pool();
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(b, 1, 64, &mine[i]));
        if ((i & (i + 1)) == 0 || i == 999) CHECK(_cym_pool_is_valid(b)); /* at 1, 2, 4, ... blocks */
    }
    qsort(mine, 1000, sizeof *mine, cmp_ptr);
    size_t cursor = 0, size, seen = 0;
    void* p;
    while (cym_pool_next(b, &cursor, &p, &size)) {
        seen++;
        CHECK(bsearch(&p, mine, 1000, sizeof *mine, cmp_ptr) != NULL);
        CHECK_EQ_INT(64, size);
    }
    CHECK_EQ_INT(1000, seen);
    cym_pool_stats_t s;
    cym_pool_stats(b, &s);
    CHECK_EQ_INT(1000, s.live_blocks);
    CHECK_EQ_INT(64000, s.live_bytes);
    cym_pool_destroy(b);
    CHECK(cached_tables_are_zero());
    drain();
}

CHECK_BODY(cache_keeps_one_table_per_size_within_its_bound) {
    drain();
    /* Three pools of one size alive at once: only the first table of each size released is kept. */
    cym_pool_t* p[3];
    for (int i = 0; i < 3; i++) {
        p[i] = system_pool();
        fill(p[i], 1000, 64, NULL);
    }
    for (int i = 0; i < 3; i++) cym_pool_destroy(p[i]);
    CHECK_EQ_INT(GROWN_TABLES + LAST_TABLE, _cym_pool_tables_bytes());

    /* 3000 blocks: 4096 slots (64 KiB) no longer fit beside the others; 8192 slots (128 KiB) are over the bound. */
    cym_pool_t* big = system_pool();
    fill(big, 3000, 16, NULL);
    CHECK(_cym_pool_tables_peek(4096u * SLOT) == NULL);
    cym_pool_destroy(big);
    CHECK(_cym_pool_tables_peek(8192u * SLOT) == NULL);
    CHECK_EQ_INT(GROWN_TABLES + LAST_TABLE, _cym_pool_tables_bytes());
    CHECK(_cym_pool_tables_bytes() <= CYM_POOL_TABLES_MAX_BYTES);
    CHECK(cached_tables_are_zero());

    /* The bound is on the sum: one 64 KiB table fills it. */
    drain();
    void* whole = calloc(1, CYM_POOL_TABLES_MAX_BYTES);
    CHECK(whole != NULL);
    CHECK(_cym_pool_tables_put(whole, CYM_POOL_TABLES_MAX_BYTES));
    void* small = calloc(1, 256);
    CHECK(small != NULL);
    CHECK(!_cym_pool_tables_put(small, 256));
    free(small);
    void* odd = calloc(1, 768); /* not a table size */
    CHECK(odd != NULL);
    drain();
    CHECK(!_cym_pool_tables_put(odd, 768));
    free(odd);
    CHECK_EQ_INT(0, _cym_pool_tables_bytes());
}

static void* wrapped_malloc(size_t n) { return malloc(n); }

CHECK_BODY(pools_on_other_allocators_never_use_the_cache) {
    drain();
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(wrapped_malloc, free, NULL, NULL, "plain", &a));
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &pool));
    fill(pool, 1000, 64, NULL);
    cym_pool_destroy(pool);
    CHECK_EQ_INT(0, _cym_pool_tables_bytes());
    cym_allocator_release(a);
}

static void* pools_in_thread(void* arg) {
    (void)arg;
    size_t* cached = malloc(sizeof *cached);
    if (cached == NULL) return NULL;
    for (int round = 0; round < 3; round++) {
        cym_pool_t* pool = system_pool();
        fill(pool, 1000, 64, NULL);
        cym_pool_destroy(pool);
    }
    *cached = _cym_pool_tables_bytes();
    return cached; /* the thread exits with its cache full: the key's destructor must free it */
}

CHECK_BODY(thread_exit_frees_its_cached_tables) {
    drain();
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        CHECK_EQ_INT(0, pthread_create(&t, NULL, pools_in_thread, NULL));
        void* r = NULL;
        CHECK_EQ_INT(0, pthread_join(t, &r));
        CHECK(r != NULL);
        CHECK_EQ_INT(GROWN_TABLES + LAST_TABLE, *(size_t*)r); /* it had tables to free */
        free(r);
    }
    CHECK_EQ_INT(0, _cym_pool_tables_bytes()); /* another thread's tables never land in this one's cache */
}

int main(void) {
    the_next_pool_on_a_thread_reuses_the_last_pools_table();
    cached_tables_come_back_zeroed_and_hold_no_phantom_keys();
    cache_keeps_one_table_per_size_within_its_bound();
    pools_on_other_allocators_never_use_the_cache();
    thread_exit_frees_its_cached_tables();
    CHECK_DONE();
}
