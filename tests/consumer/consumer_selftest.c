/* consumer_selftest.c: the consumer's logic without a JVM. Built twice: by tests/consumer/CMakeLists.txt
 * against the packaged libjnicymem4j.so (find_package(cymem4j)), and by tests/native against the static core,
 * which -Pasan builds with AddressSanitizer + LeakSanitizer: a block that destroy failed to free, or freed
 * twice, fails the run there. */
#include <string.h>

#include "check.h"
#include "consumer.h"

CHECK_BODY(consumer_blocks_and_adopted_malloc_are_counted_and_freed_by_destroy) {
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(NULL, CYM_POOL_SHARED, &pool));
    CHECK_EQ_INT(CYM_OK, consumer_fill(pool, 10, 64));
    void* adopted = NULL;
    CHECK_EQ_INT(CYM_OK, consumer_adopt_malloc(pool, 100, &adopted));
    CHECK(cym_pool_owns(pool, adopted));
    CHECK_EQ_INT(100, cym_pool_size_of(pool, adopted));
    CHECK_EQ_INT(0xAB, ((unsigned char*)adopted)[99]);
    CHECK_EQ_INT(CYM_OK, consumer_fill_parallel(pool, 4, 250, 16));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(10 + 1 + 1000, s.live_blocks);
    CHECK_EQ_INT(640 + 100 + 16000, s.live_bytes);
    /* Adopted blocks keep their own free function: realloc is refused and leaves the block alone. */
    void* moved = NULL;
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_pool_realloc(pool, adopted, 200, &moved));
    CHECK(moved == NULL);
    int64_t frees_before = consumer_adopted_frees();
    cym_pool_destroy(pool);
    CHECK_EQ_INT(frees_before + 1, consumer_adopted_frees());
}

CHECK_BODY(consumer_free_of_a_foreign_pointer_frees_nothing) {
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(NULL, 0, &pool));
    CHECK_EQ_INT(CYM_OK, consumer_fill(pool, 1, 8));
    int local = 0;
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, &local));
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    CHECK_EQ_INT(1, s.live_blocks);
    cym_pool_destroy(pool);
}

CHECK_BODY(consumer_sees_the_linked_library_version) {
    CHECK_EQ_INT(CYM_VERSION_NUMBER, cym_version());
    char name[CYM_ALLOCATOR_NAME_MAX];
    consumer_default_allocator_name(name, sizeof name);
    CHECK(strcmp("system", name) == 0);
}

int main(void) {
    printf("consumer_selftest\n");
    consumer_blocks_and_adopted_malloc_are_counted_and_freed_by_destroy();
    consumer_free_of_a_foreign_pointer_frees_nothing();
    consumer_sees_the_linked_library_version();
    CHECK_DONE();
}
