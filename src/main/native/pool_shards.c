/* pool_shards.c: a pool's small (slab) blocks split over shards, so that threads sharing one pool do not take
 * turns on one lock. A shared slab-served pool has CYM_POOL_SHARDS shards, each with its own lock, slabs and
 * counters, on its own cache lines; every other pool has one shard and takes no shard lock. A thread allocates from
 * its own shard (threads take ids round-robin on first use, so the first CYM_POOL_SHARDS threads get different
 * shards); a free goes to the shard that holds the block's slab, the calling thread's own tried first, so a free by
 * the allocating thread takes one uncontended lock and a cross-thread free takes the owner's. Which shard holds a
 * block is found through each shard's own set of slab bases, under that shard's lock: no slab memory is read
 * before its base is known to be the shard's (a foreign address is never dereferenced), and a slab cannot be given
 * back while it is being looked at. The table path (blocks over CYM_SLAB_BLOCK_MAX, aligned and adopted blocks) and
 * the calls that look at the whole pool stay under the pool's lock (pool.c); the lock order is the pool's lock, then
 * the shards' by index.
 *
 * Counters are per shard, summed when the stats are read with every lock held, so stats stay exact without a
 * counter every thread writes. The peak is kept with a high-water mark per participant (each shard and the table):
 * see _cym_shards_t in internal.h.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert((CYM_POOL_SHARDS & (CYM_POOL_SHARDS - 1)) == 0, "a thread's shard is its ticket masked");

static inline int64_t load(const int64_t* x) { return __atomic_load_n(x, __ATOMIC_RELAXED); }
static inline void store(int64_t* x, int64_t v) { __atomic_store_n(x, v, __ATOMIC_RELAXED); }

_Thread_local unsigned _cym_shards_ticket;
static unsigned next_ticket;

unsigned _cym_shards_take_ticket(void) {
    unsigned ticket = __atomic_add_fetch(&next_ticket, 1u, __ATOMIC_RELAXED);
    _cym_shards_ticket = ticket != 0 ? ticket : 1u; /* wrapped around: any id will do */
    return _cym_shards_ticket;
}

bool _cym_shards_init(_cym_shards_t* s, _cym_shard_t* one, bool shared, bool sharded, int64_t* table_live) {
    /* s and *one come zeroed (the pool's zalloc): clearing them again was a sixth of an empty pool's create */
    s->table_live = table_live;
    s->locking = shared;
    if (shared && sharded) {
        void* memory = aligned_alloc(64, CYM_POOL_SHARDS * CYM_SHARD_STRIDE); /* a multiple of 64 */
        if (memory == NULL) return false;
        memset(memory, 0, CYM_POOL_SHARDS * CYM_SHARD_STRIDE);
        s->memory = memory;
        s->count = CYM_POOL_SHARDS;
    } else {
        s->memory = (char*)one;
        s->count = 1;
    }
    return true;
}

void _cym_shards_destroy(_cym_shards_t* s, cym_allocator_t* a, bool release_memory) {
    for (unsigned k = 0; k < s->count; k++) {
        _cym_shard_t* sh = _cym_shards_at(s, k);
        /* A shard that never made a slab owns nothing: skip the walk and the clearing of its 300-byte record (a `rep
         * stos`, a third of an empty pool's create + destroy), which is freed right after with the pool. */
        if (sh->slabs.slabs != NULL || sh->slabs.set != NULL) _cym_slabs_destroy(&sh->slabs, a, release_memory);
    }
    if (s->count > 1) free(s->memory);
    s->memory = NULL;
    s->count = 0;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Contention on a shard lock is a cross-thread free meeting the owner's alloc, or a whole-pool call: short. Spin
 * on a plain load (no cache-line traffic) for a while, then yield, so that a waiter never burns the time slice of a
 * preempted holder on a machine with fewer cores than threads. */
void _cym_shard_lock_wait(_cym_shard_t* sh) {
    for (unsigned tries = 0;; tries++) {
        if (__atomic_load_n(&sh->lock, __ATOMIC_RELAXED) == 0 &&
            __atomic_exchange_n(&sh->lock, 1, __ATOMIC_ACQUIRE) == 0) {
            return;
        }
        if (tries < 64) {
            cpu_relax();
        } else {
            sched_yield();
        }
    }
}

void _cym_shards_lock_all(const _cym_shards_t* s) {
    for (unsigned k = 0; k < s->count; k++) _cym_shard_lock(s, _cym_shards_at(s, k), false);
}

void _cym_shards_unlock_all(const _cym_shards_t* s) {
    for (unsigned k = s->count; k-- > 0;) _cym_shard_unlock(s, _cym_shards_at(s, k));
}

_cym_shard_t* _cym_shards_find_locked_from(const _cym_shards_t* s, unsigned first, const void* p, _cym_slab_t** slab,
                                           uint32_t* index, bool try_only, bool* busy) {
    for (unsigned n = 0; n + 1 < s->count; n++) { /* every shard but the one before first (the caller's, tried) */
        _cym_shard_t* sh = _cym_shards_at(s, (first + n) & (s->count - 1u));
        if (__atomic_load_n(&sh->slabs.count, __ATOMIC_RELAXED) == 0) continue; /* see _cym_shards_find_locked */
        if (!_cym_shard_lock(s, sh, try_only)) {
            *busy = true;
            return NULL;
        }
        _cym_slab_t* found = _cym_slabs_find(&sh->slabs, p, index);
        if (found != NULL) {
            *slab = found;
            return sh;
        }
        _cym_shard_unlock(s, sh);
    }
    return NULL;
}

_cym_shard_t* _cym_shards_find_held(const _cym_shards_t* s, const void* p, _cym_slab_t** slab, uint32_t* index) {
    for (unsigned k = 0; k < s->count; k++) {
        _cym_shard_t* sh = _cym_shards_at(s, k);
        if (sh->slabs.count == 0) continue;
        _cym_slab_t* found = _cym_slabs_find(&sh->slabs, p, index);
        if (found != NULL) {
            *slab = found;
            return sh;
        }
    }
    return NULL;
}

/* Participant k of the peak: shard k for k < count, the table for k == count. */
static inline int64_t* high_of(_cym_shards_t* s, unsigned k) {
    return k < s->count ? &_cym_shards_at(s, k)->high_bytes : &s->table_high;
}

/* The caller is the participant whose live bytes passed its high (its own lock held). The total goes into the peak;
 * the caller's high becomes its live bytes; the others' highs are lowered (never below their live bytes, as read)
 * only as far as needed for the highs to sum to at most the peak again, so that two threads each allocating and
 * freeing below their own high do not write each other's cache lines. */
void _cym_shards_peak(_cym_shards_t* s) {
    /* Between the caller's store of its live bytes and its reads of the others': of two threads passing their highs
     * at once, at least one sees the other's bytes (no store-buffer reordering), so the last check of a set of
     * growing participants reads all of them: allocations that only grow the pool end with the exact peak. */
    /* A confined pool (one thread at a time) needs neither the fence nor the CAS: a pool growing to a million
     * blocks passes its high on every allocation. */
    if (s->locking) __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int64_t live[CYM_POOL_SHARDS + 1];
    int64_t total = 0;
    for (unsigned k = 0; k < s->count; k++) total += live[k] = load(&_cym_shards_at(s, k)->live_bytes);
    total += live[s->count] = load(s->table_live);
    int64_t peak = load(&s->peak);
    if (!s->locking) {
        if (total > peak) store(&s->peak, total);
    } else {
        while (total > peak &&
               !__atomic_compare_exchange_n(&s->peak, &peak, total, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        }
    }
    if (total > peak) peak = total;
    int64_t highs = 0;
    for (unsigned k = 0; k <= s->count; k++) {
        int64_t h = load(high_of(s, k));
        if (h < live[k]) { /* the caller (its high passed), or a participant whose alloc is running now */
            store(high_of(s, k), live[k]);
            h = live[k];
        }
        highs += h;
    }
    for (unsigned k = 0; k <= s->count && highs > peak; k++) {
        int64_t h = load(high_of(s, k));
        int64_t lower = h - live[k] < highs - peak ? h - live[k] : highs - peak;
        if (lower > 0 && __atomic_compare_exchange_n(high_of(s, k), &h, h - lower, false, __ATOMIC_RELAXED,
                                                     __ATOMIC_RELAXED)) {
            highs -= lower;
        }
    }
}

void _cym_shards_set_peak(_cym_shards_t* s, int64_t peak) {
    int64_t total = load(s->table_live);
    store(&s->table_high, total);
    for (unsigned k = 0; k < s->count; k++) {
        _cym_shard_t* sh = _cym_shards_at(s, k);
        int64_t live = load(&sh->live_bytes);
        store(&sh->high_bytes, live);
        total += live;
    }
    store(&s->peak, peak > total ? peak : total);
}

int64_t _cym_shards_live_bytes(const _cym_shards_t* s) {
    int64_t total = 0;
    for (unsigned k = 0; k < s->count; k++) total += load(&_cym_shards_at(s, k)->live_bytes);
    return total;
}

void _cym_shards_add_stats(const _cym_shards_t* s, cym_pool_stats_t* stats) {
    for (unsigned k = 0; k < s->count; k++) {
        const _cym_shard_t* sh = _cym_shards_at(s, k);
        stats->live_bytes += load(&sh->live_bytes);
        stats->live_blocks += sh->live_blocks;
        stats->total_allocs += sh->total_allocs;
        stats->total_frees += sh->total_frees;
        stats->failed_allocs += sh->failed_allocs;
    }
    stats->peak_bytes = load(&s->peak);
}

void _cym_shards_trim(const _cym_shards_t* s, cym_allocator_t* a, bool take_locks) {
    for (unsigned k = 0; k < s->count; k++) {
        _cym_shard_t* sh = _cym_shards_at(s, k);
        if (take_locks) _cym_shard_lock(s, sh, false);
        _cym_slabs_trim(&sh->slabs, a);
        if (take_locks) _cym_shard_unlock(s, sh);
    }
}

bool _cym_shards_have_empty(const _cym_shards_t* s) {
    for (unsigned k = 0; k < s->count; k++) {
        if (_cym_shards_at(s, k)->slabs.empty != 0) return true;
    }
    return false;
}

void* _cym_shards_containing(const _cym_shards_t* s, const void* p, size_t* size) {
    for (unsigned k = 0; k < s->count; k++) {
        const _cym_shard_t* sh = _cym_shards_at(s, k);
        void* found = sh->slabs.count != 0 ? _cym_slabs_containing(&sh->slabs, p, size) : NULL;
        if (found != NULL) return found;
    }
    return NULL;
}

/* The cursor runs over the shards' slabs in shard order: shard k's part starts at the slabs of shards 0 .. k - 1
 * times the slab stride. */
bool _cym_shards_overlap(const _cym_shards_t* s, uintptr_t lo, uintptr_t hi) {
    for (unsigned k = 0; k < s->count; k++) {
        if (_cym_slabs_overlap(&_cym_shards_at(s, k)->slabs, lo, hi)) return true;
    }
    return false;
}

int _cym_shards_next(const _cym_shards_t* s, size_t* cursor, void** p, size_t* size) {
    size_t start = 0;
    for (unsigned k = 0; k < s->count; k++) {
        const _cym_slabs_t* slabs = &_cym_shards_at(s, k)->slabs;
        size_t span = slabs->count * CYM_SLAB_CURSOR_STRIDE;
        if (*cursor < start + span) {
            size_t local = *cursor > start ? *cursor - start : 0;
            if (_cym_slabs_next(slabs, &local, p, size)) {
                *cursor = start + local;
                return 1;
            }
        }
        start += span;
    }
    *cursor = start;
    return 0;
}

size_t _cym_shards_slab_count(const _cym_shards_t* s) {
    size_t n = 0;
    for (unsigned k = 0; k < s->count; k++) n += _cym_shards_at(s, k)->slabs.count;
    return n;
}

bool _cym_shards_is_valid(const _cym_shards_t* s, size_t* blocks, size_t* bytes) {
    if (s->count != 1 && !(s->locking && s->count == CYM_POOL_SHARDS)) return false;
    for (unsigned k = 0; k < s->count; k++) {
        const _cym_shard_t* sh = _cym_shards_at(s, k);
        size_t shard_blocks = 0, shard_bytes = 0;
        if (((uintptr_t)sh & 63u) != 0 && s->count > 1) return false;
        if (!_cym_slabs_is_valid(&sh->slabs, &shard_blocks, &shard_bytes)) return false;
        if ((int64_t)shard_blocks != sh->live_blocks || (int64_t)shard_bytes != load(&sh->live_bytes)) return false;
        *blocks += shard_blocks;
        *bytes += shard_bytes;
    }
    return true;
}

bool _cym_shards_peak_is_valid(const _cym_shards_t* s) {
    int64_t highs = load(&s->table_high), total = load(s->table_live);
    if (highs < total) return false;
    for (unsigned k = 0; k < s->count; k++) {
        const _cym_shard_t* sh = _cym_shards_at(s, k);
        if (load(&sh->high_bytes) < load(&sh->live_bytes)) return false;
        highs += load(&sh->high_bytes);
        total += load(&sh->live_bytes);
    }
    return total <= highs && highs <= load(&s->peak);
}
