/* test_pool_shards.c: a shared slab-served pool splits its small blocks over per-thread shards (pool_shards.c).
 * Several threads allocate and free on one pool, free each other's blocks, read the stats while others work, and
 * hit a limit together; afterwards the stats are exact (expected values counted by the test, not read from the
 * pool), the peak is exact for calls ordered one after another, _cym_pool_is_valid (every shard's slabs and
 * counters) holds, and after ordered calls _cym_pool_peak_is_valid (the highs against the lives and the peak). Destroy frees slabs on every shard. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pool_check.h"
#include "cymem4j.h"
#include "internal.h"

enum { THREADS = 4, PER_THREAD = 3000 };

static cym_pool_t* shared_pool(cym_allocator_t* a) {
    cym_pool_t* pool = NULL;
    if (cym_pool_create(a, CYM_POOL_SHARED, &pool) != CYM_OK) abort();
    return pool;
}

/* The size of block i of thread t: small classes mostly, some table blocks (over 4 KiB). */
static size_t size_for(int t, int i) { return i % 97 == 0 ? 5000u + (size_t)t : (size_t)((i * 7 + t) % 300); }

typedef struct handoff_s {
    cym_pool_t* pool;
    int t;
    unsigned char* block[PER_THREAD];
    pthread_barrier_t* barrier;
    struct handoff_s* all;
    int bad; /* failed calls or wrong bytes */
} handoff_t;

/* Allocates PER_THREAD blocks filled with its own byte, waits for every thread, then checks and frees the odd
 * blocks of the next thread (cross-thread frees) and its own even ones, and reallocates a few of its own. */
static void* alloc_then_free_the_neighbours(void* arg) {
    handoff_t* h = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        size_t n = size_for(h->t, i);
        if (cym_pool_alloc(h->pool, 1, n, (void**)&h->block[i]) != CYM_OK) h->bad++;
        for (size_t j = 0; j < n; j++) h->bad += h->block[i][j] != 0;
        memset(h->block[i], 0x10 + h->t, n);
    }
    pthread_barrier_wait(h->barrier);
    handoff_t* next = &h->all[(h->t + 1) % THREADS];
    for (int i = 1; i < PER_THREAD; i += 2) {
        size_t n = size_for(next->t, i);
        for (size_t j = 0; j < n; j++) h->bad += next->block[i][j] != 0x10 + next->t;
        if (cym_pool_free(h->pool, next->block[i]) != CYM_OK) h->bad++;
    }
    for (int i = 0; i < PER_THREAD; i += 2) {
        if (i % 10 == 0) { /* a realloc moves a block to this thread's shard or keeps it in place */
            void* q;
            if (cym_pool_realloc(h->pool, h->block[i], size_for(h->t, i) + 20, &q) != CYM_OK) h->bad++;
            h->block[i] = q;
            if (cym_pool_size_of(h->pool, q) != (int64_t)size_for(h->t, i) + 20) h->bad++;
        }
        if (cym_pool_free(h->pool, h->block[i]) != CYM_OK) h->bad++;
    }
    return NULL;
}

CHECK_BODY(threads_free_each_others_blocks_and_the_stats_stay_exact) {
    cym_pool_t* pool = shared_pool(cym_allocator_system());
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, THREADS);
    static handoff_t h[THREADS];
    pthread_t t[THREADS];
    int64_t bytes = 0, big = 0;
    for (int k = 0; k < THREADS; k++) {
        h[k] = (handoff_t){.pool = pool, .t = k, .barrier = &barrier, .all = h};
        for (int i = 0; i < PER_THREAD; i++) {
            bytes += (int64_t)size_for(k, i);
            big += size_for(k, i) > CYM_SLAB_BLOCK_MAX;
        }
    }
    CHECK(big > 0); /* table blocks too */
    for (int k = 0; k < THREADS; k++) CHECK_EQ_INT(0, pthread_create(&t[k], NULL, alloc_then_free_the_neighbours, &h[k]));
    for (int k = 0; k < THREADS; k++) pthread_join(t[k], NULL);
    pthread_barrier_destroy(&barrier);
    for (int k = 0; k < THREADS; k++) CHECK_EQ_INT(0, h[k].bad);
    /* every block freed, nothing allocated since: no shard (nor the table) has any of them (not checked inside the
     * threads: a concurrent realloc may reuse a just-freed address) */
    for (int k = 0; k < THREADS; k++) {
        for (int i = 0; i < PER_THREAD; i++) CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_free(pool, h[k].block[i]));
    }
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(0, s.live_blocks);
    CHECK_EQ_INT(0, s.live_bytes);
    CHECK_EQ_INT(THREADS * PER_THREAD, s.total_allocs); /* reallocs are not allocs */
    CHECK_EQ_INT(THREADS * PER_THREAD, s.total_frees);
    CHECK_EQ_INT(0, s.failed_allocs);
    CHECK(s.peak_bytes >= bytes); /* every block was live at the barrier */
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

typedef struct keeper_s {
    cym_pool_t* pool;
    int n;
    int bad;
} keeper_t;

static void* allocate_and_keep(void* arg) {
    keeper_t* k = arg;
    void* p;
    for (int i = 0; i < k->n; i++) k->bad += cym_pool_alloc(k->pool, 1, 64, &p) != CYM_OK;
    return NULL;
}

static int run_keepers(cym_pool_t* pool, int n) {
    keeper_t k[THREADS];
    pthread_t t[THREADS];
    int bad = 0;
    for (int i = 0; i < THREADS; i++) {
        k[i] = (keeper_t){pool, n, 0};
        if (pthread_create(&t[i], NULL, allocate_and_keep, &k[i]) != 0) abort();
        /* one after another, so that each thread is on the shard its ticket gives it (threads started together may
         * also land on one shard, which is correct but tests less) */
        pthread_join(t[i], NULL);
        bad += k[i].bad;
    }
    return bad;
}

static void* c_aligned(void* ctx, size_t alignment, size_t size) {
    __atomic_add_fetch((long*)ctx, 1, __ATOMIC_RELAXED);
    void* p = NULL;
    if (posix_memalign(&p, alignment, size) != 0) return NULL;
    memset(p, 0, size);
    return p;
}
static void* c_malloc(void* ctx, size_t n) { (void)ctx; return malloc(n); }
static void* c_calloc(void* ctx, size_t k, size_t n) { (void)ctx; return calloc(k, n); }
static void* c_realloc(void* ctx, void* p, size_t n) { (void)ctx; return realloc(p, n); }
static void c_free(void* ctx, void* p) {
    __atomic_sub_fetch((long*)ctx, 1, __ATOMIC_RELAXED); /* only slabs are freed in these tests */
    free(p);
}

CHECK_BODY(destroy_frees_the_slabs_of_every_shard) {
    long outstanding = 0; /* slabs handed out and not freed */
    cym_allocator_ops_t ops = {c_malloc, c_calloc, c_realloc, c_free, NULL, NULL};
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, &outstanding, CYM_ALLOCATOR_NO_UPCALLS | CYM_ALLOCATOR_SLABS,
                                           "counting", &a));
    a->aligned_zalloc_fn = c_aligned;
    cym_pool_t* pool = shared_pool(a);
    CHECK_EQ_INT(0, run_keepers(pool, 2000)); /* 2000 x 64 B: two slabs per thread */
    size_t slabs = 0;
    for (unsigned k = 0; k < CYM_POOL_SHARDS; k++) {
        CHECK(_cym_pool_shard_slabs(pool, k) >= 2); /* four threads, one after another: every shard has blocks */
        slabs += _cym_pool_shard_slabs(pool, k);
    }
    CHECK_EQ_INT(SIZE_MAX, _cym_pool_shard_slabs(pool, CYM_POOL_SHARDS));
    CHECK_EQ_INT(slabs, outstanding);
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(THREADS * 2000, s.live_blocks);
    CHECK_EQ_INT(THREADS * 2000 * 64, s.live_bytes);
    CHECK_EQ_INT(THREADS * 2000 * 64, s.peak_bytes);
    CHECK(_cym_pool_is_valid(pool));
    CHECK(_cym_pool_peak_is_valid(pool)); /* ordered calls only: see internal.h */
    cym_pool_destroy(pool);
    CHECK_EQ_INT(0, outstanding);
    /* a confined pool and a shared one on an allocator without slabs have one shard */
    cym_pool_t* confined = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, 0, &confined));
    CHECK_EQ_INT(SIZE_MAX, _cym_pool_shard_slabs(confined, 1));
    cym_pool_destroy(confined);
    CHECK_EQ_INT(CYM_OK, cym_pool_create(a, CYM_POOL_SHARED | CYM_POOL_NO_SLABS, &confined));
    CHECK_EQ_INT(SIZE_MAX, _cym_pool_shard_slabs(confined, 1));
    CHECK(_cym_pool_is_valid(confined));
    CHECK(_cym_pool_peak_is_valid(confined)); /* ordered calls only: see internal.h */
    cym_pool_destroy(confined);
    cym_allocator_release(a);
}

typedef struct step_s {
    cym_pool_t* pool;
    void** blocks;
    int n;
    size_t size;
    int free_them;
    int bad;
} step_t;

static void* one_step(void* arg) {
    step_t* s = arg;
    for (int i = 0; i < s->n; i++) {
        if (s->free_them) {
            s->bad += cym_pool_free(s->pool, s->blocks[i]) != CYM_OK;
        } else {
            s->bad += cym_pool_alloc(s->pool, 1, s->size, &s->blocks[i]) != CYM_OK;
        }
    }
    return NULL;
}

/* Runs one step on a new thread and waits for it: every call is ordered after the previous step's. */
static int step(cym_pool_t* pool, void** blocks, int n, size_t size, int free_them) {
    step_t s = {pool, blocks, n, size, free_them, 0};
    pthread_t t;
    if (pthread_create(&t, NULL, one_step, &s) != 0) abort();
    pthread_join(t, NULL);
    return s.bad;
}

CHECK_BODY(the_peak_is_exact_when_blocks_move_between_shards_one_step_at_a_time) {
    cym_pool_t* pool = shared_pool(cym_allocator_system());
    static void* a[100];
    static void* b[100];
    static void* c[3];
    CHECK_EQ_INT(0, step(pool, (void**)a, 100, 64, 0)); /* shard x: 6400 */
    CHECK_EQ_INT(6400, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, step(pool, (void**)a, 100, 64, 1)); /* freed from another thread */
    CHECK_EQ_INT(0, step(pool, (void**)b, 100, 64, 0)); /* shard y: 6400 again, not a new peak */
    CHECK_EQ_INT(6400, stats_of(pool).peak_bytes);
    CHECK(_cym_pool_is_valid(pool));
    CHECK(_cym_pool_peak_is_valid(pool)); /* ordered calls only: see internal.h */
    CHECK_EQ_INT(0, step(pool, (void**)a, 100, 64, 0)); /* shard z while y holds 6400: 12800 */
    CHECK_EQ_INT(12800, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, step(pool, (void**)a, 100, 64, 1));
    CHECK_EQ_INT(0, step(pool, (void**)c, 3, 10000, 0)); /* the table: 6400 + 30000 */
    CHECK_EQ_INT(36400, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, step(pool, (void**)b, 100, 64, 1));
    CHECK_EQ_INT(0, step(pool, (void**)a, 100, 64, 0)); /* 30000 + 6400 on another shard: equal, not above */
    CHECK_EQ_INT(36400, stats_of(pool).peak_bytes);
    CHECK_EQ_INT(0, step(pool, (void**)b, 1, 64, 0)); /* one more block anywhere: above */
    CHECK_EQ_INT(36464, stats_of(pool).peak_bytes);
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(36464, s.live_bytes);
    CHECK_EQ_INT(104, s.live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    CHECK(_cym_pool_peak_is_valid(pool)); /* ordered calls only: see internal.h */
    cym_pool_destroy(pool);
}

CHECK_BODY(a_limit_holds_exactly_when_threads_reach_it_together) {
    cym_pool_t* pool = shared_pool(cym_allocator_system());
    cym_pool_set_limit(pool, 64 * 1000);
    keeper_t k[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        k[i] = (keeper_t){pool, 500, 0};
        CHECK_EQ_INT(0, pthread_create(&t[i], NULL, allocate_and_keep, &k[i]));
    }
    int refused = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        refused += k[i].bad;
    }
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(64 * 1000, s.live_bytes); /* 2000 asked, exactly 1000 fit */
    CHECK_EQ_INT(1000, s.total_allocs);
    CHECK_EQ_INT(1000, s.failed_allocs);
    CHECK_EQ_INT(1000, refused);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_set_limit(pool, -1); /* without the limit, back to the shard locks alone */
    CHECK_EQ_INT(0, run_keepers(pool, 10));
    CHECK_EQ_INT(64 * 1040, stats_of(pool).live_bytes);
    cym_pool_destroy(pool);
}

typedef struct reader_s {
    cym_pool_t* pool;
    int stop;
    int bad;
    long reads;
} reader_t;

/* Reads the stats while workers churn: a snapshot under every lock is always consistent. */
static void* read_stats(void* arg) {
    reader_t* r = arg;
    while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
        cym_pool_stats_t s;
        cym_pool_stats(r->pool, &s);
        /* each worker holds at most 64 blocks of at most 199 bytes */
        r->bad += s.live_blocks < 0 || s.live_blocks > 2 * 64 || s.live_bytes < 0 || s.live_bytes > 2 * 64 * 199 ||
                  s.total_allocs - s.total_frees != s.live_blocks;
        r->reads++;
    }
    return NULL;
}

static void* churn(void* arg) {
    keeper_t* w = arg;
    void* mine[64] = {0};
    for (int i = 0; i < 50000; i++) {
        int k = i % 64;
        if (mine[k] != NULL) w->bad += cym_pool_free(w->pool, mine[k]) != CYM_OK;
        w->bad += cym_pool_alloc(w->pool, 1, (size_t)(i % 200), &mine[k]) != CYM_OK;
    }
    for (int k = 0; k < 64; k++) w->bad += cym_pool_free(w->pool, mine[k]) != CYM_OK;
    return NULL;
}

CHECK_BODY(stats_read_while_threads_churn_are_consistent_snapshots) {
    cym_pool_t* pool = shared_pool(cym_allocator_system());
    reader_t r = {pool, 0, 0, 0};
    keeper_t w[2] = {{pool, 0, 0}, {pool, 0, 0}};
    pthread_t reader, t[2];
    CHECK_EQ_INT(0, pthread_create(&reader, NULL, read_stats, &r));
    for (int i = 0; i < 2; i++) CHECK_EQ_INT(0, pthread_create(&t[i], NULL, churn, &w[i]));
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    __atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
    pthread_join(reader, NULL);
    CHECK_EQ_INT(0, w[0].bad + w[1].bad);
    CHECK_EQ_INT(0, r.bad);
    CHECK(r.reads > 0);
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(0, s.live_blocks);
    CHECK_EQ_INT(100000, s.total_frees);
    CHECK(s.peak_bytes <= 2 * 64 * 199);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(iteration_owns_and_find_containing_see_every_shard) {
    cym_pool_t* pool = shared_pool(cym_allocator_system());
    CHECK_EQ_INT(0, run_keepers(pool, 100)); /* 400 blocks over four shards */
    void* big;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 8000, &big));
    size_t cursor = 0, size, seen = 0, bytes = 0;
    void* p;
    while (cym_pool_next(pool, &cursor, &p, &size)) {
        seen++;
        bytes += size;
        if (!cym_pool_owns(pool, p) || cym_pool_size_of(pool, p) != (int64_t)size) break;
        size_t inside = 0;
        if (size > 1 && cym_pool_find_containing(pool, (char*)p + size - 1, &inside) != p) break;
    }
    CHECK_EQ_INT(401, seen);
    CHECK_EQ_INT(400 * 64 + 8000, bytes);
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, big)); /* a table block after every shard was asked */
    CHECK_EQ_INT(400, stats_of(pool).live_blocks);
    CHECK(_cym_pool_is_valid(pool));
    CHECK(_cym_pool_peak_is_valid(pool)); /* ordered calls only: see internal.h */
    cym_pool_destroy(pool);
}

/* An aligned entry point (slabs come from it) that can be made to block until released, so that a thread holds its
 * shard's lock (inside a slab allocation) for as long as the test wants. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_armed = 0, gate_entered = 0, gate_open = 0;

static void* gated_aligned(void* ctx, size_t alignment, size_t size) {
    pthread_mutex_lock(&gate_lock);
    if (gate_armed) {
        gate_armed = 0;
        gate_entered = 1;
        pthread_cond_broadcast(&gate_cond);
        while (!gate_open) pthread_cond_wait(&gate_cond, &gate_lock);
    }
    pthread_mutex_unlock(&gate_lock);
    return c_aligned(ctx, alignment, size);
}

typedef struct holder_s {
    cym_pool_t* pool;
    pthread_barrier_t* armed;
    void* kept;  /* a 64 B block of the holder's shard, allocated before the gate is armed */
    void* held;  /* the 1000 B block whose new slab blocks at the gate */
} holder_t;

static void* hold_a_shard(void* arg) {
    holder_t* h = arg;
    if (cym_pool_alloc(h->pool, 1, 64, &h->kept) != CYM_OK) abort();
    pthread_barrier_wait(h->armed); /* kept is made: the test arms the gate */
    pthread_barrier_wait(h->armed); /* armed */
    if (cym_pool_alloc(h->pool, 1, 1000, &h->held) != CYM_OK) abort(); /* a new class: a new slab, gated */
    return NULL;
}

static inline uintptr_t slab_of(const void* p) { return (uintptr_t)p & ~(uintptr_t)(CYM_SLAB_BYTES - 1); }

CHECK_BODY(a_busy_shard_sends_critical_callers_to_the_ordinary_path_and_other_shards_go_on) {
    long outstanding = 0;
    cym_allocator_ops_t ops = {c_malloc, c_calloc, c_realloc, c_free, NULL, NULL};
    cym_allocator_t* a = NULL;
    CHECK_EQ_INT(CYM_OK, cym_allocator_new(&ops, &outstanding, CYM_ALLOCATOR_NO_UPCALLS | CYM_ALLOCATOR_SLABS,
                                           "gated", &a));
    a->aligned_zalloc_fn = gated_aligned;
    cym_pool_t* pool = shared_pool(a);
    pthread_barrier_t armed;
    pthread_barrier_init(&armed, NULL, 2);
    holder_t h = {pool, &armed, NULL, NULL};
    pthread_t holder;
    CHECK_EQ_INT(0, pthread_create(&holder, NULL, hold_a_shard, &h));
    pthread_barrier_wait(&armed);
    pthread_mutex_lock(&gate_lock);
    gate_armed = 1;
    pthread_mutex_unlock(&gate_lock);
    pthread_barrier_wait(&armed);
    pthread_mutex_lock(&gate_lock);
    while (!gate_entered) pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);
    /* the holder is inside its shard's lock: a critical free of its block answers at once and changes nothing */
    size_t freed_size = 0;
    CHECK_EQ_INT(CYM_EUNSUPPORTED, _cym_pool_free_critical(pool, h.kept, &freed_size));
    /* this thread's own shard is another lock (unless both threads drew the same shard: then busy too) */
    void* mine = NULL;
    int status = _cym_pool_alloc_critical(pool, 1, 64, &mine);
    pthread_mutex_lock(&gate_lock);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    pthread_join(holder, NULL);
    pthread_barrier_destroy(&armed);
    void* probe = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 64, &probe)); /* lands in this thread's shard's 64 B slab */
    if (status == CYM_OK) {
        CHECK(slab_of(mine) != slab_of(h.kept)); /* another shard went on while the holder's was busy */
        CHECK_EQ_INT(slab_of(mine), slab_of(probe));
        CHECK_EQ_INT(CYM_OK, _cym_pool_free_critical(pool, mine, &freed_size));
    } else {
        CHECK_EQ_INT(CYM_EUNSUPPORTED, status); /* the same shard: busy, so not served, and nothing changed */
        CHECK_EQ_INT(slab_of(h.kept), slab_of(probe));
    }
    cym_pool_stats_t s = stats_of(pool);
    CHECK_EQ_INT(3, s.live_blocks); /* kept, held, probe */
    CHECK_EQ_INT(64 + 1000 + 64, s.live_bytes);
    CHECK_EQ_INT(CYM_OK, _cym_pool_free_critical(pool, h.kept, &freed_size)); /* free again: the critical path serves it */
    CHECK_EQ_INT(64, freed_size);
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
    CHECK_EQ_INT(0, outstanding);
    cym_allocator_release(a);
}

int main(void) {
    threads_free_each_others_blocks_and_the_stats_stay_exact();
    destroy_frees_the_slabs_of_every_shard();
    the_peak_is_exact_when_blocks_move_between_shards_one_step_at_a_time();
    a_limit_holds_exactly_when_threads_reach_it_together();
    stats_read_while_threads_churn_are_consistent_snapshots();
    iteration_owns_and_find_containing_see_every_shard();
    a_busy_shard_sends_critical_callers_to_the_ordinary_path_and_other_shards_go_on();
    CHECK_DONE();
}
