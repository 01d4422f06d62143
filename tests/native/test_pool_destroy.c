/* test_pool_destroy.c: cym_pool_destroy frees every block exactly once, through the pool's allocator; from
 * CYM_SORTED_DESTROY_MIN live blocks it frees them in ascending address order (pool.c, free_in_address_order). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

/* A malloc/free pair that records the order of frees. */
static uintptr_t* freed = NULL;
static size_t freed_count = 0, freed_capacity = 0;

static void* recording_malloc(size_t n) { return malloc(n); }
static void recording_free(void* p) {
    if (freed_count < freed_capacity) freed[freed_count] = (uintptr_t)p;
    freed_count++;
    free(p);
}

static int ascending(const void* a, const void* b) {
    uintptr_t x = *(const uintptr_t*)a, y = *(const uintptr_t*)b;
    return (x > y) - (x < y);
}

/* Allocates n blocks (sizes varied), frees every third one before destroy, destroys, and checks the frees. */
static int destroy_frees_each_block_once(size_t n, int expect_sorted) {
    cym_allocator_t* a = NULL;
    if (cym_allocator_wrap(recording_malloc, recording_free, NULL, NULL, "recording", &a) != CYM_OK) return 0;
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, 0, &pool) != CYM_OK) return 0;
    uintptr_t* live = malloc(n * sizeof *live);
    size_t live_count = 0;
    for (size_t i = 0; i < n; i++) {
        void* p;
        if (cym_pool_alloc(pool, 1, 8 + (i % 7) * 24, &p) != CYM_OK) return 0;
        if (i % 3 == 0) {
            if (cym_pool_free(pool, p) != CYM_OK) return 0;
        } else {
            live[live_count++] = (uintptr_t)p;
        }
    }
    freed_capacity = n + 16; /* the table is freed through the allocator too */
    freed = malloc(freed_capacity * sizeof *freed);
    freed_count = 0;
    cym_pool_destroy(pool);
    int ok = freed_count == live_count + 1; /* every live block, and the table */
    /* the blocks come first, in ascending order when sorted; then the table */
    for (size_t i = 1; ok && expect_sorted && i < live_count; i++) ok = freed[i - 1] < freed[i];
    qsort(freed, live_count, sizeof *freed, ascending);
    qsort(live, live_count, sizeof *live, ascending);
    ok = ok && memcmp(freed, live, live_count * sizeof *live) == 0;
    free(live);
    free(freed);
    freed = NULL;
    freed_capacity = 0;
    cym_allocator_release(a);
    return ok;
}

CHECK_BODY(a_small_pool_frees_every_block_once) { CHECK(destroy_frees_each_block_once(1000, 0)); }

CHECK_BODY(a_large_pool_frees_every_block_once_in_address_order) {
    /* two thirds stay live: just above the threshold, then well above it */
    CHECK(destroy_frees_each_block_once(CYM_SORTED_DESTROY_MIN * 3 / 2 + 3, 1));
    CHECK(destroy_frees_each_block_once(600000, 1));
}

CHECK_BODY(identical_low_bits_and_wide_spreads_sort_correctly) {
    /* blocks from two far-apart regions: page-aligned mmap-sized blocks among small ones */
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(recording_malloc, recording_free, NULL, NULL, "recording", &a));
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &pool));
    size_t n = CYM_SORTED_DESTROY_MIN + 10;
    for (size_t i = 0; i < n; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, i % 20000 == 0 ? 256 * 1024 : 16, &p));
    }
    freed_capacity = n + 1;
    freed = malloc(freed_capacity * sizeof *freed);
    freed_count = 0;
    cym_pool_destroy(pool);
    CHECK_EQ_INT(n + 1, freed_count);
    for (size_t i = 1; i < n; i++) CHECK(freed[i - 1] < freed[i]);
    free(freed);
    freed = NULL;
    freed_capacity = 0;
    cym_allocator_release(a);
}

int main(void) {
    a_small_pool_frees_every_block_once();
    a_large_pool_frees_every_block_once_in_address_order();
    identical_low_bits_and_wide_spreads_sort_correctly();
    CHECK_DONE();
}
