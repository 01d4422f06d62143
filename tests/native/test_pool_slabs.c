/* test_pool_slabs.c: small blocks served from slabs (pool_slabs.c) keep every per-block promise of a pool: owns,
 * size_of (the size asked for), double and foreign free, realloc across classes, exact stats, the limit, iteration,
 * pins; destroy frees every slab; allocators without CYM_ALLOCATOR_SLABS, and CYM_POOL_NO_SLABS, keep one allocator
 * call per block. _cym_pool_is_valid (the table's and the slabs' invariants) is asserted after each step. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "pool_check.h"
#include "cymem4j.h"
#include "internal.h"

// ---- a counting allocator over libc -------------------------------------------------------------------------

typedef struct counts_s {
    long calls;   /* malloc + calloc + realloc + aligned calls */
    long aligned; /* aligned calls */
    long frees;
    int fail_plain; /* the next malloc/calloc returns NULL (once) */
} counts_t;

static bool failed_now(counts_t* c) {
    bool fail = c->fail_plain != 0;
    c->fail_plain = 0;
    return fail;
}
static void* c_malloc(void* ctx, size_t n) { ((counts_t*)ctx)->calls++; return failed_now(ctx) ? NULL : malloc(n); }
static void* c_calloc(void* ctx, size_t k, size_t n) {
    ((counts_t*)ctx)->calls++;
    return failed_now(ctx) ? NULL : calloc(k, n);
}
static void* c_realloc(void* ctx, void* p, size_t n) { ((counts_t*)ctx)->calls++; return realloc(p, n); }
static void c_free(void* ctx, void* p) { ((counts_t*)ctx)->frees++; free(p); }
static void* c_aligned(void* ctx, size_t alignment, size_t size) {
    ((counts_t*)ctx)->calls++;
    ((counts_t*)ctx)->aligned++;
    void* p = NULL;
    if (posix_memalign(&p, alignment, size) != 0) return NULL;
    memset(p, 0, size);
    return p;
}

/* A counting allocator; slabs: whether it lets pools take slabs from it. */
static cym_allocator_t* counting(counts_t* counts, int slabs) {
    memset(counts, 0, sizeof *counts);
    cym_allocator_ops_t ops = {c_malloc, c_calloc, c_realloc, c_free, NULL, NULL};
    cym_allocator_t* a = NULL;
    if (cym_allocator_new(&ops, counts, CYM_ALLOCATOR_NO_UPCALLS | (slabs ? CYM_ALLOCATOR_SLABS : 0), "counting",
                          &a) != CYM_OK) {
        abort();
    }
    a->aligned_zalloc_fn = c_aligned;
    return a;
}

static cym_pool_t* pool_on(cym_allocator_t* a, unsigned flags) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, flags, &pool) != CYM_OK) abort();
    return pool;
}

static long wrapped_calls;
static void* wrapped_malloc(size_t n) {
    wrapped_calls++;
    return malloc(n);
}

// ---- classes ------------------------------------------------------------------------------------------------

CHECK_BODY(size_classes_are_16_byte_steps_then_four_per_doubling_up_to_4_kib) {
    static const size_t expected[CYM_SLAB_CLASSES] = {16,  32,  48,  64,  80,   96,   112,  128,  144,  160, 176,
                                                      192, 208, 224, 240, 256,  320,  384,  448,  512,  640, 768,
                                                      896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096};
    for (unsigned c = 0; c < CYM_SLAB_CLASSES; c++) CHECK_EQ_INT(expected[c], _cym_slab_class_size(c));
    for (size_t n = 0; n <= CYM_SLAB_BLOCK_MAX; n++) {
        unsigned c = _cym_slab_class(n);
        CHECK(c < CYM_SLAB_CLASSES);
        CHECK(expected[c] >= n);                      /* fits */
        CHECK(c == 0 || expected[c - 1] < n);         /* and is the smallest that does */
    }
}

// ---- per-block promises -------------------------------------------------------------------------------------

CHECK_BODY(small_blocks_come_from_slabs_not_one_allocator_call_each) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    void* p[1000];
    for (int i = 0; i < 1000; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p[i]));
    /* a 64 KiB slab holds about 990 blocks of 64 B beside its header: two slabs, no table */
    CHECK_EQ_INT(2, n.calls);
    CHECK_EQ_INT(2, n.aligned);
    CHECK_EQ_INT(1000, stats_of(pool).live_blocks);
    CHECK_EQ_INT(64000, stats_of(pool).live_bytes);
    for (int i = 0; i < 1000; i++) {
        CHECK(all_zero(p[i], 64));
        CHECK((uintptr_t)p[i] % 16 == 0);
        memset(p[i], 0xEE, 64);
    }
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(2, n.frees); /* O(slabs) */
    cym_allocator_release(a);
}

CHECK_BODY(owns_and_size_of_report_the_requested_size) {
    static const size_t sizes[] = {0, 1, 15, 16, 17, 100, 255, 256, 257, 1000, 4095, 4096, 4097, 70000};
    enum { N = sizeof sizes / sizeof sizes[0] };
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void* p[N];
    int64_t total = 0;
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, sizes[i], &p[i]));
        total += (int64_t)sizes[i];
    }
    for (int i = 0; i < N; i++) {
        CHECK(cym_pool_owns(pool, p[i]));
        CHECK_EQ_INT(sizes[i], cym_pool_size_of(pool, p[i]));
        CHECK_EQ_INT(1, cym_pool_alignment_of(pool, p[i]));
        int64_t usable = cym_pool_usable_size(pool, p[i]);
        CHECK(usable >= (int64_t)sizes[i]);
        if (sizes[i] <= CYM_SLAB_BLOCK_MAX) CHECK_EQ_INT(_cym_slab_class_size(_cym_slab_class(sizes[i])), usable);
        CHECK(all_zero(p[i], sizes[i]));
        if (sizes[i] > 1) CHECK(!cym_pool_owns(pool, (char*)p[i] + 1)); /* interior */
        for (int j = 0; j < N; j++) CHECK(i == j || p[i] != p[j]);         /* zero-byte blocks too */
    }
    CHECK_EQ_INT(N, stats_of(pool).live_blocks);
    CHECK_EQ_INT(total, stats_of(pool).live_bytes);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(double_interior_and_foreign_frees_are_refused_and_change_nothing) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    cym_pool_t* other = pool_on(cym_allocator_system(), 0);
    void *p, *q, *theirs;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 48, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 48, &q));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(other, 1, 48, &theirs));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, p));                  /* double */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, (char*)q + 16));      /* the next, never handed out */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, (char*)q + 8));       /* interior */
    uintptr_t base = (uintptr_t)q & ~(uintptr_t)(CYM_SLAB_BYTES - 1);
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, (void*)base));        /* the slab's header */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, theirs));             /* another pool's slab block */
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, NULL));
    int local = 0;
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, &local));
    /* An address whose 64 KiB base is inaccessible: reading it would crash, so the set of slab bases must answer. */
    char* guard = mmap(NULL, 2 * CYM_SLAB_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guard != MAP_FAILED);
    uintptr_t hole = ((uintptr_t)guard + CYM_SLAB_BYTES - 1) & ~(uintptr_t)(CYM_SLAB_BYTES - 1);
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, (void*)(hole + 128)));
    CHECK(!cym_pool_owns(pool, (void*)(hole + 128)));
    CHECK_EQ_INT(-1, cym_pool_size_of(pool, (void*)(hole + 128)));
    CHECK_EQ_INT(-1, cym_pool_usable_size(pool, (void*)(hole + 128)));
    CHECK(cym_pool_find_containing(pool, (void*)(hole + 128), NULL) == NULL);
    munmap(guard, 2 * CYM_SLAB_BYTES);
    CHECK_EQ_INT(1, stats_of(pool).live_blocks);
    CHECK_EQ_INT(1, stats_of(pool).total_frees);
    CHECK(cym_pool_owns(other, theirs));
    CHECK(_cym_pool_is_valid(pool) && _cym_pool_is_valid(other));
    cym_pool_destroy(other);
    cym_pool_destroy(pool);
}

CHECK_BODY(a_freed_block_is_reused_zeroed_and_counted_once) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 100, &p));
    memset(p, 0x5A, 100);
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 97, &q));
    CHECK(q == p); /* the free list's top */
    CHECK(all_zero(q, 97));
    CHECK_EQ_INT(97, cym_pool_size_of(pool, q));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(97, s.live_bytes);
    CHECK_EQ_INT(100, s.peak_bytes);
    CHECK_EQ_INT(2, s.total_allocs);
    CHECK_EQ_INT(1, s.total_frees);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(realloc_stays_in_place_within_a_class_and_moves_across) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    unsigned char *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 40, (void**)&p));
    for (int i = 0; i < 40; i++) p[i] = (unsigned char)(i + 1);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 20, (void**)&q)); /* class 48 -> 32: moves */
    CHECK(q != p);
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, q, 30, (void**)&p)); /* same class 32: in place */
    CHECK(p == q);
    for (int i = 0; i < 20; i++) CHECK_EQ_INT(i + 1, p[i]);
    CHECK(all_zero(p + 20, 10)); /* growth zeroed, even though the bytes were the old block's */
    CHECK_EQ_INT(30, cym_pool_size_of(pool, p));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 3000, (void**)&q)); /* to class 3072 */
    for (int i = 0; i < 20; i++) CHECK_EQ_INT(i + 1, q[i]);
    CHECK(all_zero(q + 20, 2980));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, q, 10000, (void**)&p)); /* past the slabs: a table block */
    CHECK_EQ_INT(10000, cym_pool_size_of(pool, p));
    CHECK(all_zero(p + 20, 9980));
    CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, p, 0, (void**)&q));
    CHECK(q != NULL && cym_pool_owns(pool, q));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_realloc(pool, p + 1, 8, (void**)&q));
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(1, s.live_blocks);
    CHECK_EQ_INT(0, s.live_bytes);
    CHECK_EQ_INT(10000, s.peak_bytes); /* old and new are never counted together */
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(the_limit_counts_requested_bytes_and_empty_slabs_go_back_before_failing) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    void* p[64];
    for (unsigned c = 0; c < 8; c++) { /* eight classes, eight slabs */
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, _cym_slab_class_size(c * 4u), &p[c]));
    }
    for (unsigned c = 0; c < 8; c++) CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p[c]));
    CHECK_EQ_INT(8 - CYM_SLAB_KEEP_EMPTY, n.frees); /* a couple of empty slabs are kept */
    cym_pool_set_limit(pool, 100);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 60, &p[0]));
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_alloc(pool, 1, 41, &p[1]));
    CHECK_EQ_INT(8, n.frees); /* the kept ones released before the refusal */
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 40, &p[1]));
    CHECK_EQ_INT(CYM_ELIMIT, cym_pool_realloc(pool, p[1], 41, &p[2]));
    CHECK_EQ_INT(2, stats_of(pool).failed_allocs);
    CHECK_EQ_INT(100, stats_of(pool).live_bytes);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(n.aligned, n.frees);
    cym_allocator_release(a);
}

CHECK_BODY(a_failed_table_allocation_gives_the_empty_slabs_back_and_retries) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    void* p[4];
    for (unsigned c = 0; c < 4; c++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, _cym_slab_class_size(c * 8u), &p[c]));
    for (unsigned c = 0; c < 4; c++) CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p[c]));
    CHECK_EQ_INT(2, n.frees); /* two empty slabs kept */
    void* big;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 100000, &big)); /* table growth: a calloc that works */
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, big));
    long frees = n.frees;
    n.fail_plain = 1;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 100000, &big)); /* the block's first calloc fails */
    CHECK_EQ_INT(frees + 2, n.frees);                             /* the kept slabs went back first */
    CHECK_EQ_INT(100000, cym_pool_size_of(pool, big));
    CHECK_EQ_INT(0, stats_of(pool).failed_allocs);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

CHECK_BODY(alloc_free_around_an_empty_slab_does_not_thrash) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    for (int i = 0; i < 10000; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
        CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    }
    CHECK_EQ_INT(1, n.calls);
    CHECK_EQ_INT(0, n.frees);
    cym_pool_destroy(pool);
    CHECK_EQ_INT(1, n.frees);
    cym_allocator_release(a);
}

CHECK_BODY(destroy_frees_many_slabs_and_nothing_else) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    for (int i = 0; i < 200000; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, (size_t)(i % 300), &p));
    }
    CHECK_EQ_INT(200000, stats_of(pool).live_blocks);
    CHECK(n.aligned > 100);
    CHECK_EQ_INT(n.aligned, n.calls); /* no table: every call was a slab */
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(n.calls, n.frees);
    cym_allocator_release(a);
}

typedef struct seen_s {
    void** blocks;
    size_t* sizes;
    int n, count, wrong;
} seen_t;

static int see(void* p, size_t size, void* user) {
    seen_t* s = user;
    s->count++;
    int hits = 0;
    for (int i = 0; i < s->n; i++) hits += s->blocks[i] == p && s->sizes[i] == size;
    if (hits != 1) s->wrong++;
    return 0;
}

CHECK_BODY(iteration_and_find_containing_see_slab_and_table_blocks) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void* blocks[300];
    size_t sizes[300];
    for (int i = 0; i < 300; i++) {
        sizes[i] = (size_t)(i * 37) % 6000;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, sizes[i], &blocks[i]));
    }
    for (int i = 0; i < 300; i += 3) CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, blocks[i]));
    int live = 0;
    for (int i = 0; i < 300; i++) {
        if (i % 3 == 0) {
            blocks[i] = NULL;
        } else {
            live++;
        }
    }
    seen_t s = {blocks, sizes, 300, 0, 0};
    CHECK_EQ_INT(0, cym_pool_foreach(pool, see, &s));
    CHECK_EQ_INT(live, s.count);
    CHECK_EQ_INT(0, s.wrong);
    size_t cursor = 0, size;
    void* p;
    int walked = 0;
    while (cym_pool_next(pool, &cursor, &p, &size)) walked++;
    CHECK_EQ_INT(live, walked);
    for (int i = 1; i < 300; i++) {
        if (blocks[i] == NULL || sizes[i] < 2) continue;
        size_t found_size = 0;
        CHECK(cym_pool_find_containing(pool, (char*)blocks[i] + sizes[i] - 1, &found_size) == blocks[i]);
        CHECK_EQ_INT(sizes[i], found_size);
    }
    cym_pool_destroy(pool);
}

CHECK_BODY(pins_hold_slab_blocks_and_adopt_refuses_them) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_pin(pool, p));
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_free(pool, p));
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_realloc(pool, p, 2000, &q));
    CHECK_EQ_INT(CYM_EINVAL, cym_pool_adopt(pool, p, 64, free));
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_OK, cym_pool_unpin(pool, p));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_pin(pool, p));
    cym_pool_destroy(pool);
}

CHECK_BODY(aligned_blocks_go_through_the_table) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, 0);
    void *p, *q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p)); /* one slab */
    long before = n.aligned;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc_aligned(pool, 1, 64, 64, &q));
    CHECK_EQ_INT(before + 1, n.aligned); /* its own call */
    CHECK_EQ_INT(64, cym_pool_alignment_of(pool, q));
    CHECK_EQ_INT(1, cym_pool_alignment_of(pool, p));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    cym_allocator_release(a);
}

// ---- who is slab-served --------------------------------------------------------------------------------------

CHECK_BODY(no_slabs_flag_and_allocators_without_the_flag_keep_one_call_per_block) {
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    cym_pool_t* pool = pool_on(a, CYM_POOL_NO_SLABS);
    for (int i = 0; i < 100; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    }
    CHECK_EQ_INT(0, n.aligned);
    CHECK(n.calls >= 100); /* 100 blocks plus the table's growth */
    cym_pool_destroy(pool);
    cym_allocator_release(a);

    cym_allocator_t* plain = counting(&n, 0);
    pool = pool_on(plain, 0);
    for (int i = 0; i < 100; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    }
    CHECK_EQ_INT(0, n.aligned);
    CHECK(n.calls >= 100);
    cym_pool_destroy(pool);
    cym_allocator_release(plain);
    CHECK_EQ_INT(CYM_EINVAL, cym_pool_create(NULL, 4u, &pool));

    /* cymem's Pool(WrapMalloc(priv_malloc), WrapFree(priv_free)): every block from priv_malloc */
    wrapped_calls = 0;
    cym_allocator_t* wrapped = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_wrap(wrapped_malloc, free, NULL, NULL, "priv", &wrapped));
    pool = pool_on(wrapped, 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p)); /* the table, then the block */
    CHECK_EQ_INT(2, wrapped_calls);
    for (int i = 0; i < 7; i++) CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    CHECK_EQ_INT(2 + 7, wrapped_calls); /* the 16-slot table holds 8: one call per block */
    cym_pool_destroy(pool);
    cym_allocator_release(wrapped);
}

CHECK_BODY(debug_and_failing_allocators_still_see_every_block) {
    cym_allocator_t* debug = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_debug(NULL, &debug));
    cym_pool_t* pool = pool_on(debug, 0);
    for (int i = 0; i < 10; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 32, &p));
        CHECK(cym_allocator_debug_seq(cym_pool_block_allocator(pool), p) != 0); /* a block of the debug allocator */
    }
    CHECK_EQ_INT(10 + 1, cym_allocator_debug_check(cym_pool_block_allocator(pool))); /* the blocks and the table */
    cym_pool_destroy(pool);
    cym_allocator_release(debug);

    cym_allocator_t* failing = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 0, 0, -1, &failing)); /* counts, never fails */
    pool = pool_on(failing, 0);
    for (int i = 0; i < 5; i++) {
        void* p;
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &p));
    }
    int64_t calls, failures, live;
    cym_allocator_failing_counts(failing, &calls, &failures, &live);
    CHECK_EQ_INT(6, calls); /* the table, then one call per block */
    CHECK_EQ_INT(5 * 16 + 16 * 16, live);
    cym_pool_destroy(pool);
    cym_allocator_release(failing);

    CHECK_EQ_INT(CYM_OK, cym_allocator_failing(NULL, 4, 0, -1, &failing)); /* call 4 fails: the third block */
    pool = pool_on(failing, 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &p));
    CHECK_EQ_INT(CYM_ENOMEM, cym_pool_alloc(pool, 1, 16, &p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &p));
    CHECK_EQ_INT(3, stats_of(pool).live_blocks);
    cym_pool_destroy(pool);
    cym_allocator_release(failing);
}

typedef struct worker_s {
    cym_pool_t* pool;
    int ok;
} worker_t;

static void* churn(void* arg) {
    worker_t* w = arg;
    void* mine[64] = {0};
    w->ok = 1;
    for (int i = 0; i < 100000; i++) {
        int k = i % 64;
        if (mine[k] != NULL && cym_pool_free(w->pool, mine[k]) != CYM_OK) w->ok = 0;
        if (cym_pool_alloc(w->pool, 1, (size_t)(i % 200), &mine[k]) != CYM_OK) w->ok = 0;
    }
    for (int k = 0; k < 64; k++) {
        if (cym_pool_free(w->pool, mine[k]) != CYM_OK) w->ok = 0;
    }
    return NULL;
}

CHECK_BODY(a_shared_pool_serves_slab_blocks_to_two_threads) {
    cym_pool_t* pool = pool_on(cym_allocator_system(), CYM_POOL_SHARED);
    worker_t w[2] = {{pool, 0}, {pool, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) CHECK_EQ_INT(0, pthread_create(&t[i], NULL, churn, &w[i]));
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    CHECK(w[0].ok && w[1].ok);
    CHECK_EQ_INT(0, stats_of(pool).live_blocks);
    CHECK_EQ_INT(200000, stats_of(pool).total_frees);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

static void* open_and_close_a_pool(void* arg) {
    (void)arg;
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void* p;
    if (cym_pool_alloc(pool, 1, 64, &p) != CYM_OK) abort();
    memset(p, 0x77, 64);
    cym_pool_destroy(pool);
    return (void*)(uintptr_t)_cym_slabs_cached();
}

CHECK_BODY(system_slabs_are_cached_per_thread_zeroed_and_freed_at_thread_exit) {
    size_t before = _cym_slabs_cached();
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    void* p;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    CHECK_EQ_INT(before > 0 ? before - 1 : 0, _cym_slabs_cached()); /* taken from the cache when it had one */
    memset(p, 0x77, 64);
    cym_pool_destroy(pool);
    CHECK(_cym_slabs_cached() >= 1);
    pool = pool_on(cym_allocator_system(), 0);
    void* q;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &q));
    CHECK(all_zero(q, 64)); /* the cached slab came back zeroed */
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    pthread_t t;
    void* cached = NULL;
    CHECK_EQ_INT(0, pthread_create(&t, NULL, open_and_close_a_pool, NULL));
    pthread_join(t, &cached);
    CHECK_EQ_INT(1, (uintptr_t)cached); /* its slab stayed in its cache; LeakSanitizer checks it was freed at exit */
    /* a counting allocator's slabs never enter the cache */
    counts_t n;
    cym_allocator_t* a = counting(&n, 1);
    size_t mine = _cym_slabs_cached();
    pool = pool_on(a, 0);
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &p));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(mine, _cym_slabs_cached());
    CHECK_EQ_INT(1, n.frees);
    cym_allocator_release(a);
}

// ---- a random walk against a shadow copy ---------------------------------------------------------------------

CHECK_BODY(a_random_walk_keeps_every_invariant_and_every_byte) {
    enum { SLOTS = 512 };
    cym_pool_t* pool = pool_on(cym_allocator_system(), 0);
    unsigned char* block[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    uint64_t x = 88172645463325252u;
    int64_t bytes = 0, blocks = 0;
    for (int step = 0; step < 200000; step++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int k = (int)(x % SLOTS);
        size_t want = (size_t)(x >> 20) % ((x >> 40) % 8 == 0 ? 9000 : 300);
        if (block[k] == NULL) {
            CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, want, (void**)&block[k]));
            CHECK(all_zero(block[k], want));
            memset(block[k], k & 0xFF, want);
            size[k] = want;
            bytes += (int64_t)want;
            blocks++;
        } else if ((x >> 32) % 3 == 0) {
            unsigned char* q;
            CHECK_EQ_INT(CYM_OK, cym_pool_realloc(pool, block[k], want, (void**)&q));
            for (size_t i = 0; i < want && i < size[k]; i++) CHECK_EQ_INT(k & 0xFF, q[i]);
            if (want > size[k]) CHECK(all_zero(q + size[k], want - size[k]));
            memset(q, k & 0xFF, want);
            bytes += (int64_t)want - (int64_t)size[k];
            block[k] = q;
            size[k] = want;
        } else {
            for (size_t i = 0; i < size[k]; i++) CHECK_EQ_INT(k & 0xFF, block[k][i]);
            CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, block[k]));
            CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, block[k]));
            block[k] = NULL;
            bytes -= (int64_t)size[k];
            blocks--;
        }
        if (step % 5000 == 0) CHECK(_cym_pool_is_valid(pool) && _cym_pool_peak_is_valid(pool));
        CHECK_EQ_INT(bytes, stats_of(pool).live_bytes);
        CHECK_EQ_INT(blocks, stats_of(pool).live_blocks);
    }
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

/* cym_pool_adopt refuses memory the pool already holds: a block's start or interior, a freed slot or the header of
 * one of its slabs, a range that reaches into a block; a foreign block is adopted and freed once at destroy. */
static int adopt_frees;
static void count_adopt_free(void* p) {
    adopt_frees++;
    free(p);
}
static void adopt_refuses_the_pools_own_memory(void) {
    cym_pool_t* pool;
    CHECK(cym_pool_create(cym_allocator_system(), 0, &pool) == CYM_OK);
    void *small, *freed, *big;
    CHECK(cym_pool_alloc(pool, 1, 64, &small) == CYM_OK);
    CHECK(cym_pool_alloc(pool, 1, 64, &freed) == CYM_OK);
    CHECK(cym_pool_free(pool, freed) == CYM_OK);
    CHECK(cym_pool_alloc(pool, 1, 10000, &big) == CYM_OK); /* a table block */
    void* slab = (void*)((uintptr_t)small & ~(uintptr_t)(CYM_SLAB_BYTES - 1));
    void* refused[] = {small, (char*)small + 8, freed, slab, (char*)slab + 16, big, (char*)big + 5000};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK(cym_pool_adopt(pool, refused[i], 8, count_adopt_free) == CYM_EINVAL);
    }
    CHECK(cym_pool_adopt(pool, (char*)big - 4, 8, count_adopt_free) == CYM_EINVAL); /* reaches into big */
    void* foreign = malloc(32);
    CHECK(foreign != NULL && cym_pool_adopt(pool, foreign, 32, count_adopt_free) == CYM_OK);
    CHECK(_cym_pool_is_valid(pool));
    void* again;
    CHECK(cym_pool_alloc(pool, 1, 64, &again) == CYM_OK && again == freed); /* the slot is still the pool's */
    cym_pool_destroy(pool);
    CHECK(adopt_frees == 1); /* the foreign block, once; nothing of the pool's own */
}

int main(void) {
    size_classes_are_16_byte_steps_then_four_per_doubling_up_to_4_kib();
    small_blocks_come_from_slabs_not_one_allocator_call_each();
    owns_and_size_of_report_the_requested_size();
    double_interior_and_foreign_frees_are_refused_and_change_nothing();
    a_freed_block_is_reused_zeroed_and_counted_once();
    realloc_stays_in_place_within_a_class_and_moves_across();
    the_limit_counts_requested_bytes_and_empty_slabs_go_back_before_failing();
    a_failed_table_allocation_gives_the_empty_slabs_back_and_retries();
    alloc_free_around_an_empty_slab_does_not_thrash();
    destroy_frees_many_slabs_and_nothing_else();
    iteration_and_find_containing_see_slab_and_table_blocks();
    pins_hold_slab_blocks_and_adopt_refuses_them();
    aligned_blocks_go_through_the_table();
    no_slabs_flag_and_allocators_without_the_flag_keep_one_call_per_block();
    debug_and_failing_allocators_still_see_every_block();
    a_shared_pool_serves_slab_blocks_to_two_threads();
    system_slabs_are_cached_per_thread_zeroed_and_freed_at_thread_exit();
    a_random_walk_keeps_every_invariant_and_every_byte();
    adopt_refuses_the_pools_own_memory();
    CHECK_DONE();
}
