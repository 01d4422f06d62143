/* test_system_zalloc.c: the system allocator's zeroed allocation. Small blocks are malloc'd and memset (glibc's
 * calloc bypasses its per-thread cache), so a block reused straight from that cache must still come back zeroed,
 * for every size on both sides of the small/large threshold and from a thread other than main. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "internal.h"

/* Dirties a block, frees it, and allocates the same size again (the allocator's cache hands back that chunk). */
static int reused_blocks_are_zeroed(size_t size) {
    cym_allocator_t* a = cym_allocator_system();
    for (int round = 0; round < 16; round++) {
        unsigned char* p = _cym_allocator_zalloc(a, size);
        if (p == NULL || !all_zero(p, size)) return 0;
        memset(p, 0xA5, size);
        _cym_allocator_free(a, p);
    }
    return 1;
}

static const size_t sizes[] = {1, 8, 16, 24, 64, 100, 512, 1000, 1023, 1024, 1025, 1032, 4096, 65536};

CHECK_BODY(small_and_large_reused_blocks_are_zeroed) {
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) CHECK(reused_blocks_are_zeroed(sizes[i]));
}

static void* zeroed_in_thread(void* arg) {
    (void)arg;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        if (!reused_blocks_are_zeroed(sizes[i])) return (void*)0;
    }
    return (void*)1;
}

CHECK_BODY(reused_blocks_are_zeroed_in_another_thread) {
    pthread_t t;
    void* ok = NULL;
    CHECK_EQ_INT(0, pthread_create(&t, NULL, zeroed_in_thread, NULL));
    CHECK_EQ_INT(0, pthread_join(t, &ok));
    CHECK(ok == (void*)1);
}

CHECK_BODY(pool_blocks_reused_after_free_are_zeroed) {
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(NULL, 0, &pool));
    for (int round = 0; round < 16; round++) {
        void* p = NULL;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, 8, &p));
        CHECK(all_zero(p, 64));
        memset(p, 0xFF, 64);
        CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    }
    cym_pool_destroy(pool);
}

int main(void) {
    small_and_large_reused_blocks_are_zeroed();
    reused_blocks_are_zeroed_in_another_thread();
    pool_blocks_reused_after_free_are_zeroed();
    CHECK_DONE();
}
