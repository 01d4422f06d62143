/* test_huge_pages.c: the huge-page advice for large blocks (cym_huge_pages_set_min, defaults.h). A block of at least
 * the threshold gets madvise(MADV_HUGEPAGE) on the pages that hold it through every allocation path (calloc, malloc +
 * memset, realloc growth, aligned with a large or a small alignment); smaller blocks and a threshold of 0 get none,
 * and a large block glibc maps on its own stays one mapping (so that realloc can still grow it with mremap). What
 * was advised is counted (_cym_allocator_advised_bytes); where the kernel records the advice (VmFlags "hg" in
 * /proc/self/smaps; not under an emulator that ignores it, which a probe mapping tells) the test checks that too.
 * Each body sets the threshold it needs first, so a failed one cannot leave the next a different setting. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "cymem4j.h"
#include "internal.h"

#define MIB ((size_t)1 << 20)

/* 1 if the mapping holding p carries the huge-page advice, 0 if not, -1 if /proc/self/smaps has no such mapping;
 * *lo and *hi (if not NULL) get the mapping's bounds. */
static int mapping_of(const void* p, uintptr_t* lo, uintptr_t* hi) {
    FILE* f = fopen("/proc/self/smaps", "r");
    if (f == NULL) return -1;
    char line[512];
    int inside = 0, result = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long from, to;
        if (sscanf(line, "%lx-%lx ", &from, &to) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = (uintptr_t)p >= from && (uintptr_t)p < to;
            if (inside && lo != NULL) *lo = from;
            if (inside && hi != NULL) *hi = to;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            result = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return result;
}

static int advised(const void* p) { return mapping_of(p, NULL, NULL); }

/* Whether this kernel shows the advice in smaps: a fresh mapping, advised by hand. */
static int kernel_records_advice(void) {
    size_t bytes = 4 * MIB;
    void* m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 0;
    int shown = madvise(m, bytes, MADV_HUGEPAGE) == 0 && advised((char*)m + MIB) == 1;
    munmap(m, bytes);
    return shown;
}

static int kernel_checks;

static cym_pool_t* system_pool(void) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(cym_allocator_system(), 0, &pool) != CYM_OK) abort();
    return pool;
}

/* The pages that hold [p, p + bytes): what the advice covers. */
static uint64_t whole_pages(const void* p, size_t bytes) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    return (((uintptr_t)p + bytes + page - 1) & ~(page - 1)) - ((uintptr_t)p & ~(page - 1));
}

CHECK_BODY(default_threshold_is_four_mib_and_the_floor_two) {
    CHECK_EQ_INT(CYM_HUGE_PAGES_MIN_DEFAULT, cym_huge_pages_min());
    cym_huge_pages_set_min(1);
    CHECK_EQ_INT(CYM_HUGE_PAGES_MIN_FLOOR, cym_huge_pages_min());
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
}

CHECK_BODY(large_blocks_are_advised_small_ones_not) {
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
    cym_pool_t* pool = system_pool();
    void *small = NULL, *large = NULL;
    uint64_t before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 4 * MIB - 1, &small));
    CHECK_EQ_INT(before, _cym_allocator_advised_bytes());
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, MIB, &large));
    CHECK_EQ_INT(before + whole_pages(large, 8 * MIB), _cym_allocator_advised_bytes());
    if (kernel_checks) {
        CHECK_EQ_INT(0, advised((char*)small + MIB));
        CHECK_EQ_INT(1, advised((char*)large + 4 * MIB));
    }
    /* The block is still zeroed and usable. */
    CHECK(((unsigned char*)large)[8 * MIB - 1] == 0);
    memset(large, 7, 8 * MIB);
    cym_pool_destroy(pool);
}

CHECK_BODY(threshold_zero_turns_it_off_and_any_size_can_be_set) {
    cym_pool_t* pool = system_pool();
    void *p = NULL, *q = NULL;
    cym_huge_pages_set_min(0);
    CHECK_EQ_INT(0, cym_huge_pages_min());
    uint64_t before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16 * MIB, &p));
    CHECK_EQ_INT(before, _cym_allocator_advised_bytes());
    if (kernel_checks) CHECK_EQ_INT(0, advised((char*)p + 8 * MIB));
    cym_huge_pages_set_min(2 * MIB);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 3 * MIB, &q));
    CHECK_EQ_INT(before + whole_pages(q, 3 * MIB), _cym_allocator_advised_bytes());
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
    cym_pool_destroy(pool);
}

CHECK_BODY(realloc_growth_and_aligned_blocks_are_advised) {
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
    cym_pool_t* pool = system_pool();
    void *p = NULL, *q = NULL, *a = NULL, *s = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, MIB, &p));
    memset(p, 5, MIB);
    uint64_t before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 12 * MIB, &q));
    CHECK_EQ_INT(before + whole_pages(q, 12 * MIB), _cym_allocator_advised_bytes());
    CHECK(((unsigned char*)q)[MIB - 1] == 5 && ((unsigned char*)q)[MIB] == 0 && ((unsigned char*)q)[12 * MIB - 1] == 0);
    before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 6 * MIB, 2 * MIB, &a));
    CHECK_EQ_INT(0, (uintptr_t)a % (2 * MIB));
    CHECK_EQ_INT(before + whole_pages(a, 6 * MIB), _cym_allocator_advised_bytes());
    before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 5 * MIB, 16, &s)); /* malloc's own alignment: calloc */
    CHECK_EQ_INT(before + whole_pages(s, 5 * MIB), _cym_allocator_advised_bytes());
    if (kernel_checks) {
        CHECK_EQ_INT(1, advised((char*)q + 6 * MIB));
        CHECK_EQ_INT(1, advised((char*)a + 3 * MIB));
        CHECK_EQ_INT(1, advised((char*)s + 3 * MIB));
    }
    cym_pool_destroy(pool);
}

CHECK_BODY(a_block_mapped_on_its_own_stays_one_mapping_through_realloc) {
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
    cym_pool_t* pool = system_pool();
    void *p = NULL, *q = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64 * MIB, &p)); /* above glibc's largest mmap threshold */
    memset(p, 3, 64 * MIB);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 96 * MIB, &q));
    CHECK(((unsigned char*)q)[0] == 3 && ((unsigned char*)q)[64 * MIB - 1] == 3);
    CHECK(((unsigned char*)q)[64 * MIB] == 0 && ((unsigned char*)q)[96 * MIB - 1] == 0);
    if (kernel_checks) {
        uintptr_t lo = 0, hi = 0;
        CHECK_EQ_INT(1, mapping_of((char*)q + MIB, &lo, &hi));
        CHECK(lo <= (uintptr_t)q && hi >= (uintptr_t)q + 96 * MIB); /* one mapping holds all of it */
    }
    cym_pool_destroy(pool);
}

static void* plain_malloc(size_t n) { return malloc(n); }
static void plain_free(void* p) { free(p); }

CHECK_BODY(an_allocator_without_calloc_is_advised_before_the_zeroing) {
    cym_huge_pages_set_min(CYM_HUGE_PAGES_MIN_DEFAULT);
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(plain_malloc, plain_free, NULL, NULL, "plain", &a));
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &pool));
    void* p = NULL;
    uint64_t before = _cym_allocator_advised_bytes();
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 5 * MIB, &p));
    CHECK_EQ_INT(before + whole_pages(p, 5 * MIB), _cym_allocator_advised_bytes());
    CHECK(((unsigned char*)p)[5 * MIB - 1] == 0);
    if (kernel_checks) CHECK_EQ_INT(1, advised((char*)p + 2 * MIB));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

int main(void) {
    kernel_checks = kernel_records_advice();
    printf("kernel shows the advice in /proc/self/smaps: %s\n", kernel_checks ? "yes" : "no (checked by count only)");
    default_threshold_is_four_mib_and_the_floor_two();
    large_blocks_are_advised_small_ones_not();
    threshold_zero_turns_it_off_and_any_size_can_be_set();
    realloc_growth_and_aligned_blocks_are_advised();
    a_block_mapped_on_its_own_stays_one_mapping_through_realloc();
    an_allocator_without_calloc_is_advised_before_the_zeroing();
    CHECK_DONE();
}
