/* jbridge_pool.c: int64 encodings of the pool API for the Java binding (see jbridge_pool.h). */
#include <string.h>

#include "internal.h"
#include "jbridge_pool.h"

#define POOL(h) ((cym_pool_t*)(uintptr_t)(h))
#define PTR(a) ((void*)(uintptr_t)(a))

int64_t cym_j_pool_create(int64_t allocator, int32_t flags) {
    cym_pool_t* pool;
    int status = cym_pool_create((cym_allocator_t*)(uintptr_t)allocator, (unsigned)flags, &pool);
    return status == CYM_OK ? (int64_t)(uintptr_t)pool : -status;
}

/* The counters of the pools destroyed through this bridge (total allocs, total frees, failed allocs), so that Java's
 * process-wide totals outlive its pools without a stats read per close. Atomics (relaxed: counters), not a lock. */
static int64_t retired[CYM_J_RETIRED_COUNT];

void cym_j_pool_destroy(int64_t pool) {
    cym_pool_stats_t s;
    cym_pool_stats(POOL(pool), &s);
    __atomic_add_fetch(&retired[0], s.total_allocs, __ATOMIC_RELAXED);
    __atomic_add_fetch(&retired[1], s.total_frees, __ATOMIC_RELAXED);
    __atomic_add_fetch(&retired[2], s.failed_allocs, __ATOMIC_RELAXED);
    cym_pool_destroy(POOL(pool));
}

void cym_j_process_retired(int64_t* out) {
    for (int i = 0; i < CYM_J_RETIRED_COUNT; i++) out[i] = __atomic_load_n(&retired[i], __ATOMIC_RELAXED);
}

int64_t cym_j_pool_alloc(int64_t pool, int64_t count, int64_t size) {
    if (count < 0 || size < 0) return -CYM_EINVAL;
    void* p;
    int status = cym_pool_alloc(POOL(pool), (size_t)count, (size_t)size, &p);
    return status == CYM_OK ? (int64_t)(uintptr_t)p : -status;
}

int64_t cym_j_pool_alloc_aligned(int64_t pool, int64_t count, int64_t size, int64_t alignment) {
    if (count < 0 || size < 0 || alignment <= 0) return -CYM_EINVAL;
    void* p;
    int status = cym_pool_alloc_aligned(POOL(pool), (size_t)count, (size_t)size, (size_t)alignment, &p);
    return status == CYM_OK ? (int64_t)(uintptr_t)p : -status;
}

int64_t cym_j_pool_alignment_of(int64_t pool, int64_t address) {
    int64_t a = cym_pool_alignment_of(POOL(pool), PTR(address));
    return a > 0 ? a : -CYM_EINVAL;
}

int64_t cym_j_pool_free(int64_t pool, int64_t address) {
    size_t freed;
    int status = _cym_pool_free_sized(POOL(pool), PTR(address), &freed);
    return status == CYM_OK ? (int64_t)freed : -status;
}

int64_t cym_j_pool_alloc_critical(int64_t pool, int64_t count, int64_t size) {
    if (count < 0 || size < 0) return -CYM_EINVAL;
    void* p;
    int status = _cym_pool_alloc_critical(POOL(pool), (size_t)count, (size_t)size, &p);
    return status == CYM_OK ? (int64_t)(uintptr_t)p : -status;
}

int64_t cym_j_pool_free_critical(int64_t pool, int64_t address) {
    size_t freed;
    int status = _cym_pool_free_critical(POOL(pool), PTR(address), &freed);
    return status == CYM_OK ? (int64_t)freed : -status;
}

int64_t cym_j_pool_realloc(int64_t pool, int64_t address, int64_t new_size) {
    if (new_size < 0) return -CYM_EINVAL;
    void* p;
    int status = cym_pool_realloc(POOL(pool), PTR(address), (size_t)new_size, &p);
    return status == CYM_OK ? (int64_t)(uintptr_t)p : -status;
}

int32_t cym_j_pool_owns(int64_t pool, int64_t address) { return cym_pool_owns(POOL(pool), PTR(address)); }

int64_t cym_j_pool_size_of(int64_t pool, int64_t address) {
    int64_t size = cym_pool_size_of(POOL(pool), PTR(address));
    return size >= 0 ? size : -CYM_ENOTOWNED;
}

int64_t cym_j_pool_find_containing(int64_t pool, int64_t address) {
    void* start = cym_pool_find_containing(POOL(pool), PTR(address), NULL);
    return start != NULL ? (int64_t)(uintptr_t)start : -CYM_ENOTOWNED;
}

void cym_j_pool_stats(int64_t pool, int64_t* out) {
    cym_pool_stats_t s;
    cym_pool_stats(POOL(pool), &s);
    out[CYM_J_STAT_LIVE_BYTES] = s.live_bytes;
    out[CYM_J_STAT_LIVE_BLOCKS] = s.live_blocks;
    out[CYM_J_STAT_PEAK_BYTES] = s.peak_bytes;
    out[CYM_J_STAT_TOTAL_ALLOCS] = s.total_allocs;
    out[CYM_J_STAT_TOTAL_FREES] = s.total_frees;
    out[CYM_J_STAT_FAILED_ALLOCS] = s.failed_allocs;
    out[CYM_J_STAT_LIMIT_BYTES] = s.limit_bytes;
}

void cym_j_pool_set_limit(int64_t pool, int64_t limit) { cym_pool_set_limit(POOL(pool), limit); }

/* State for snapshot_one. */
typedef struct snapshot_s {
    int64_t *addresses, *sizes, capacity, count;
} snapshot_t;

static int snapshot_one(void* p, size_t size, void* user) {
    snapshot_t* s = user;
    if (s->count < s->capacity) {
        s->addresses[s->count] = (int64_t)(uintptr_t)p;
        s->sizes[s->count] = (int64_t)size;
    }
    s->count++;
    return 0;
}

int64_t cym_j_pool_snapshot(int64_t pool, int64_t* addresses, int64_t* sizes, int64_t capacity) {
    snapshot_t s = {addresses, sizes, capacity, 0};
    cym_pool_foreach(POOL(pool), snapshot_one, &s);
    return s.count;
}

void cym_j_memset(int64_t address, int32_t value, int64_t bytes) { memset(PTR(address), value, (size_t)bytes); }

void cym_j_memmove(int64_t dst, int64_t src, int64_t bytes) { memmove(PTR(dst), PTR(src), (size_t)bytes); }

void cym_j_process_track(int32_t on) { cym_process_track(on); }

void cym_j_process_bytes(int64_t* out) { cym_process_bytes(&out[0], &out[1]); }

int32_t cym_j_pool_cacheable(int64_t pool) { return _cym_pool_cacheable(POOL(pool)) ? 1 : 0; }

int32_t cym_j_pool_lease(int64_t pool, int64_t bytes, int64_t commit_start, int64_t commit_handed,
                         int64_t commit_bytes, int64_t* out) {
    if (commit_start != 0) {
        int s = _cym_pool_commit(POOL(pool), PTR(commit_start), (size_t)commit_handed, (size_t)commit_bytes, true);
        if (s != CYM_OK) return -(int32_t)s;
    }
    void* start = NULL;
    uint32_t count = 0, stride = 0;
    int s = _cym_pool_lease(POOL(pool), (size_t)bytes, &start, &count, &stride);
    out[0] = (int64_t)(uintptr_t)start;
    out[1] = s == CYM_OK ? count : 0;
    out[2] = s == CYM_OK ? stride : -(int64_t)s;
    return 0;
}

int64_t cym_j_pool_slab_count(int64_t pool) { return (int64_t)_cym_pool_shard_slabs(POOL(pool), 0); }

int32_t cym_j_pool_settle(int64_t pool, const int64_t* blocks, int32_t n, int64_t allocs, int64_t frees,
                          int64_t peak, const int64_t* leases, int32_t n_leases, int32_t end) {
    int32_t status = 0;
    for (int32_t i = 0; i < n_leases; i++) { /* first: a kept block may be one of the committed ones */
        const int64_t* l = leases + 3 * i;
        int s = _cym_pool_commit(POOL(pool), PTR(l[0]), (size_t)l[1], (size_t)l[2], end != 0);
        if (s != CYM_OK && status == 0) status = -(int32_t)s;
    }
    for (int32_t i = 0; i < n; i++) {
        int s = cym_pool_free(POOL(pool), PTR(blocks[i]));
        if (s != CYM_OK && status == 0) status = -(int32_t)s;
    }
    _cym_pool_settled(POOL(pool), allocs, frees - n, peak); /* cym_pool_free counted the n */
    return status;
}

int32_t cym_j_pool_check(int64_t pool) {
    return _cym_pool_is_valid(POOL(pool)) && _cym_pool_peak_is_valid(POOL(pool)) ? 1 : 0;
}
