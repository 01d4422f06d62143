/* internal.h: functions shared between the C core's files (prefix _cym_<module>_), grouped by the file
 * that defines them. Nothing here is public API. */
#ifndef CYMEM4J_INTERNAL_H
#define CYMEM4J_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cymem4j.h"

/* The one overflow check for count * size (and for sizes above PTRDIFF_MAX, which no allocator can
 * satisfy and which would turn negative as ptrdiff_t). Returns true on overflow. */
static inline bool _cym_mul_overflow(size_t count, size_t size, size_t* total) {
    if (__builtin_mul_overflow(count, size, total)) return true;
    return *total > (size_t)PTRDIFF_MAX;
}

// allocator.c ------------------------------------------------------------------------------------------

/* size zeroed bytes from a (its calloc, or malloc + memset). NULL on failure. */
void* _cym_allocator_zalloc(cym_allocator_t* a, size_t size);

/* Advises the kernel to back the whole pages of [p, p + size) with huge pages when size >= cym_huge_pages_min()
 * (see defaults.h); nothing for smaller blocks, for NULL, or where the platform has no such advice. */
void _cym_allocator_advise(void* p, size_t size);

/* For tests: the bytes _cym_allocator_advise has advised so far, in the whole process (whether or not the kernel
 * took the advice). */
uint64_t _cym_allocator_advised_bytes(void);

/* Resizes p (old_size bytes) to new_size through a (its realloc, or malloc + copy + free); growth is
 * zeroed. NULL on failure, p untouched and still valid. */
void* _cym_allocator_resize(cym_allocator_t* a, void* p, size_t old_size, size_t new_size);

/* Releases p through a. */
void _cym_allocator_free(cym_allocator_t* a, void* p);

/* size (>= 1) zeroed bytes from a at a multiple of alignment (a power of two, 2 .. CYM_ALIGNMENT_MAX); *base gets
 * what _cym_allocator_free must be given to release it. Through a->aligned_zalloc_fn when set (*base == the
 * result), else over-allocated: size + alignment - 1 bytes from a's calloc (or malloc, then only the user's bytes
 * are zeroed), *base = that block, result = its first aligned address (== *base when it happens to be aligned).
 * One call into a either way. NULL on failure (*base unspecified). */
void* _cym_allocator_zalloc_aligned(cym_allocator_t* a, size_t alignment, size_t size, void** base);

/* cym_allocator_wrap plus a usable-size function (may be NULL). */
int _cym_allocator_wrap_usable(void* (*malloc_fn)(size_t), void (*free_fn)(void*),
                               void* (*calloc_fn)(size_t, size_t), void* (*realloc_fn)(void*, size_t),
                               size_t (*usable_fn)(void*), const char* name, cym_allocator_t** out);

// allocator_dl.c ---------------------------------------------------------------------------------------

/* True if releasing pool-private allocator a frees every block it handed out, so the pool may skip
 * walking its table: CYM_ALLOCATOR_RELEASE_FREES_ALL, and for a mimalloc heap, the calling thread owns it. */
bool _cym_allocator_frees_all(cym_allocator_t* a);

/* True if a gives pools (or is) a heap that only its creating thread may allocate from (mimalloc-heap). */
bool _cym_allocator_is_thread_bound(cym_allocator_t* a);

// pool.c -----------------------------------------------------------------------------------------------

/* From this many live blocks, cym_pool_destroy frees them in address order (sorted in the table's own memory)
 * instead of table order. Table order is random address order: each free then misses the cache, and an allocator's
 * LIFO free lists hand the next pool its blocks in that random order too. C, glibc, 1M blocks of 32 B: freeing in
 * random order 41-44 ns/block, sorting 12-17 plus freeing in order 4, and the next 1M callocs 8 ns/block instead of
 * 100 (bench/performance-notes.md). Below it the blocks fit in the caches and the sort would only cost. */
#define CYM_SORTED_DESTROY_MIN 65536u

/* The largest block _cym_pool_alloc_critical allocates and _cym_pool_free_critical frees: above it, zeroing or
 * returning pages to the system could take long enough to matter to the JVM's safepoints. */
#define CYM_CRITICAL_MAX_BYTES ((size_t)64 * 1024)
/* The largest table _cym_pool_alloc_critical grows to (4096 slots, 64 KiB); beyond, growth is the ordinary path's. */
#define CYM_CRITICAL_MAX_TABLE_SLOTS ((size_t)4096)

/* cym_pool_alloc and cym_pool_free for callers that must not run a callback or wait long: the JVM's critical
 * downcalls, which leave the calling thread in the Java state for the call's whole duration. They return
 * CYM_EUNSUPPORTED and do nothing (stats included) unless the pool's block allocator has CYM_ALLOCATOR_NO_UPCALLS,
 * a shared pool's lock is free at once (they never wait for it), the block is at most CYM_CRITICAL_MAX_BYTES (an
 * aligned block's size plus alignment - 1, for free), the
 * table need not grow past CYM_CRITICAL_MAX_TABLE_SLOTS (alloc), and the pool has no adopted pointers (free); the
 * caller then makes the ordinary call. */
int _cym_pool_alloc_critical(cym_pool_t* pool, size_t count, size_t size, void** out);
int _cym_pool_free_critical(cym_pool_t* pool, void* p, size_t* freed);

/* cym_pool_free, also giving the freed block's size in *freed (on CYM_OK only): the Java bridge's free returns it,
 * so that Java's block cache keeps the pool's live bytes and peak (see _cym_pool_cacheable). */
int _cym_pool_free_sized(cym_pool_t* pool, void* p, size_t* freed);

/* Java's block cache (org.cymem4j.internal.BlockCache) serves a pool's freed blocks again without a native call:
 * such a block stays live here until Java settles it, and meanwhile Java keeps the pool's live bytes and peak. A
 * pool may be cached only if nothing outside Java can see the difference: confined (Java owns every call),
 * slab-served (its allocator already sees no call per small block) and not counted in the process total (whose live
 * bytes would drift). */
bool _cym_pool_cacheable(const cym_pool_t* pool);

/* A lease for Java's block cache (_cym_slabs_lease) in a cacheable pool without a limit (a leased block is counted
 * only when committed, too late for a limit to refuse it): CYM_EUNSUPPORTED for any other pool, CYM_EINVAL for a size
 * no slab serves, and _cym_slabs_lease's CYM_EBUSY (freed blocks of the class first) and CYM_ENOMEM. No lock:
 * confined. */
int _cym_pool_lease(cym_pool_t* pool, size_t bytes, void** start, uint32_t* count, uint32_t* stride);

/* _cym_slabs_commit in the pool's shard, the committed blocks counted as allocations and live (with the peak check);
 * CYM_EINVAL (nothing changed) if the lease is not as described. No lock: confined. */
int _cym_pool_commit(cym_pool_t* pool, const void* start, size_t handed, size_t bytes, bool end);

/* After Java's cache gave its kept blocks back: adds the allocations and frees the pool did not see (the cache's
 * reuse) to its totals and sets its peak to Java's (C's own peak counted kept blocks as live), or to the live bytes
 * if those are higher. No lock: confined. */
void _cym_pool_settled(cym_pool_t* pool, int64_t allocs, int64_t frees, int64_t peak);

/* Checks the table invariants listed at the top of pool.c and the pins' (beside the struct) (O(capacity * run
 * length)): for tests. */
bool _cym_pool_is_valid(cym_pool_t* pool);

/* What the pool will hand the allocator's free for live block p: p itself, or the block an over-allocation
 * returned (see cym_pool_alloc_aligned); NULL if p is not a live block. No lock: for tests. */
void* _cym_pool_block_start(cym_pool_t* pool, const void* p);

/* Test hook: _cym_shards_peak_is_valid of the pool. No lock. */
bool _cym_pool_peak_is_valid(cym_pool_t* pool);

/* Test hook: the slabs of the pool's shard k, or SIZE_MAX if it has no shard k. No lock. */
size_t _cym_pool_shard_slabs(cym_pool_t* pool, unsigned k);

// pool_slabs.c -----------------------------------------------------------------------------------------

/* Small blocks of a slab-served pool (see pool_slabs.c): size classes of 16-byte steps up to 256 B, then four per
 * doubling up to CYM_SLAB_BLOCK_MAX; each class is served from 64 KiB slabs aligned to their size. */
#define CYM_SLAB_BYTES ((size_t)64 * 1024)
#define CYM_SLAB_BLOCK_MAX ((size_t)4096)
#define CYM_SLAB_CLASSES 32u
/* Iteration cursor stride of one slab (_cym_slabs_next): more than any slab's block count. */
#define CYM_SLAB_CURSOR_STRIDE (CYM_SLAB_BYTES / 16u)
/* Empty slabs a pool keeps for reuse (beyond them an emptied slab goes back to the allocator at once). */
#define CYM_SLAB_KEEP_EMPTY 2u

typedef struct _cym_slab_s _cym_slab_t;

/* A pool's slabs. Invariants (checked by _cym_slabs_is_valid):
 *   count == number of slabs == entries of set (key != 0), stored atomically (read without the lock to skip a
 *   shard with no slab: see _cym_shards_find_locked); set_capacity is 0 or a power of two >= 2 * count
 *   slabs[i]->index == i for i < count
 *   avail[c] lists exactly the slabs of class c with used < capacity and no lease (each once)
 *   empty == number of slabs with used == 0 and no lease, <= CYM_SLAB_KEEP_EMPTY after every call returns
 * Slab memory comes from the pool's block allocator; the arrays here from libc (like the over table). */
typedef struct _cym_slabs_s {
    _cym_slab_t** slabs;                 /* every slab, in no order; NULL until the first */
    size_t count, capacity;              /* slabs in use and room in slabs */
    uintptr_t* set;                      /* open addressing over the slabs' bases (0 = empty), linear probing */
    size_t set_capacity;                 /* 0 or a power of two */
    _cym_slab_t* avail[CYM_SLAB_CLASSES]; /* per class: slabs with a free block (doubly linked) */
    size_t empty;                        /* slabs with no live block and no lease */
} _cym_slabs_t;

/* The class of a request of bytes (<= CYM_SLAB_BLOCK_MAX), and a class's block size. */
static inline unsigned _cym_slab_class(size_t bytes) {
    if (bytes <= 256) return bytes == 0 ? 0u : (unsigned)((bytes - 1) >> 4);
    size_t b = bytes - 1;
    unsigned lg = 63u - (unsigned)__builtin_clzll((unsigned long long)b); /* 8 .. 11 */
    return 16u + (lg - 8u) * 4u + (unsigned)((b >> (lg - 2u)) & 3u);
}
static inline size_t _cym_slab_class_size(unsigned c) {
    if (c < 16u) return (size_t)(c + 1u) * 16u;
    unsigned g = (c - 16u) / 4u, r = (c - 16u) % 4u;
    return ((size_t)256 << g) + (size_t)(r + 1u) * ((size_t)64 << g);
}

/* A zeroed block of bytes (<= CYM_SLAB_BLOCK_MAX) from a slab of its class, recorded as live with that size; a new
 * slab comes from a's aligned entry point when no slab of the class has room. NULL (nothing changed) if a fails. */
void* _cym_slabs_alloc(_cym_slabs_t* s, cym_allocator_t* a, size_t bytes);

/* Lends Java a slab's never-used blocks of bytes' class (1 <= bytes <= CYM_SLAB_BLOCK_MAX), zero: *count of them
 * from *start, *stride bytes apart (an avail slab's, or a new slab's from a). C hands none of them out and never
 * gives the slab back until _cym_slabs_commit ends the lease. CYM_OK; or, nothing changed, CYM_EBUSY when the slab
 * C's alloc of the class would take next has freed blocks (C hands those out first) and CYM_ENOMEM if a fails. */
int _cym_slabs_lease(_cym_slabs_t* s, cym_allocator_t* a, size_t bytes, void** start, uint32_t* count,
                     uint32_t* stride);

/* Java handed out the first `handed` blocks of the lease whose next uncommitted block is start, each of `bytes`
 * requested: they become live blocks of that size, the lease goes on from the block after them, and ends (the
 * rest back to C, never handed out) when `end` or nothing is left. False, nothing changed, if start is not such a
 * block, handed is more than is left, or bytes is not of the slab's class. Counting them is the caller's. */
bool _cym_slabs_commit(_cym_slabs_t* s, cym_allocator_t* a, const void* start, size_t handed, size_t bytes,
                       bool end);

/* The slab whose live block starts at p, else NULL; *index gets the block's number. Safe for any p: a slab's
 * memory is read only after its base was found in s->set. */
_cym_slab_t* _cym_slabs_find(const _cym_slabs_t* s, const void* p, uint32_t* index);

/* The size recorded for live block index of slab, and the slab's block size (its class's). */
size_t _cym_slabs_size(const _cym_slab_t* slab, uint32_t index);
size_t _cym_slabs_block_size(const _cym_slab_t* slab);

/* Frees live block index of slab (found by _cym_slabs_find) and returns the size it had; may give an emptied slab
 * back to a. */
size_t _cym_slabs_free(_cym_slabs_t* s, cym_allocator_t* a, _cym_slab_t* slab, uint32_t index);

/* Resizes live block index of slab in place if new_size is of the same class (growth zeroed): true; else false
 * and nothing changed. */
bool _cym_slabs_resize(_cym_slab_t* slab, uint32_t index, size_t new_size);

/* The live slab block containing p (start <= p < start + size, or p == start for a zero-byte one), or NULL. */
void* _cym_slabs_containing(const _cym_slabs_t* s, const void* p, size_t* size);

/* Whether bytes [lo, hi) overlap any slab of s, live blocks or not (cym_pool_adopt: the pool's own memory is never
 * adopted). O(slabs). */
bool _cym_slabs_overlap(const _cym_slabs_t* s, uintptr_t lo, uintptr_t hi);

/* Iteration over the live slab blocks: cursor starts at 0; 1 with *p and *size set, or 0 at the end. */
int _cym_slabs_next(const _cym_slabs_t* s, size_t* cursor, void** p, size_t* size);

/* Gives every empty slab back to a (before a pool reports a failed allocation). */
void _cym_slabs_trim(_cym_slabs_t* s, cym_allocator_t* a);

/* Frees every slab through a (unless release_memory is false: a's release frees them) and the bookkeeping;
 * s is empty and reusable afterwards. O(slabs). */
void _cym_slabs_destroy(_cym_slabs_t* s, cym_allocator_t* a, bool release_memory);

/* Test hook: empty system-allocator slabs cached by the calling thread (at most 8). */
size_t _cym_slabs_cached(void);

/* Checks the invariants above and each slab's (pool_slabs.c); adds the live blocks and their sizes to *blocks
 * and *bytes. For tests. */
bool _cym_slabs_is_valid(const _cym_slabs_t* s, size_t* blocks, size_t* bytes);

// pool_shards.c ----------------------------------------------------------------------------------------

/* A shared slab-served pool's small blocks are split over CYM_POOL_SHARDS shards, each with its own lock, slabs and
 * counters; a thread allocates from its own shard (threads take shard ids round-robin on first use), a free goes to
 * the shard whose slab holds the block. A confined pool (or one without slabs) has one shard and takes no lock. */
#define CYM_POOL_SHARDS 4u

/* One shard. Invariants (checked by _cym_shards_is_valid, with every lock held):
 *   live_blocks == the live blocks of slabs, live_bytes == the sum of their sizes
 *   slabs, live_blocks, total_allocs, total_frees and failed_allocs change only under lock (in a shared pool)
 *   live_bytes and high_bytes are read by any thread with atomic loads (the peak and the limit need no lock)
 *   high_bytes >= live_bytes after calls ordered one after another (see _cym_shards_t) */
typedef struct _cym_shard_s {
    int lock;                   /* 0 free, 1 held (_cym_shard_lock); taken only in a shared pool */
    _cym_slabs_t slabs;
    int64_t live_bytes;         /* atomic stores under lock */
    int64_t high_bytes;         /* atomic: live_bytes at the last peak check, or higher */
    int64_t live_blocks, total_allocs, total_frees, failed_allocs;
} _cym_shard_t;

/* A shard's memory stride: each shard on its own cache lines. */
#define CYM_SHARD_STRIDE ((sizeof(_cym_shard_t) + 63u) / 64u * 64u)

/* A pool's shards and its peak. Invariants, besides each shard's:
 *   count == 1 (locking == false: a confined pool) or count == CYM_POOL_SHARDS (locking: a shared one)
 *   after calls ordered one after another: table_high >= *table_live, each shard's high >= its live, and the sum of
 *   highs (table's and shards') <= peak (_cym_shards_peak_is_valid), so an alloc that makes the pool's total pass
 *   peak passes its own participant's high and runs _cym_shards_peak: the peak is exact for calls ordered one after
 *   another (happens-before) and for allocations that only grow the pool, and approximate within the bytes of calls
 *   that run at the same time otherwise (their counters are read one by one, not as one snapshot). */
typedef struct _cym_shards_s {
    char* memory;               /* count shards, CYM_SHARD_STRIDE bytes apart */
    unsigned count;
    bool locking;
    int64_t* table_live;        /* the pool's table's live bytes (atomic stores under the pool's lock) */
    int64_t table_high;         /* atomic */
    int64_t peak;               /* atomic: the pool's peak_bytes */
} _cym_shards_t;

static inline _cym_shard_t* _cym_shards_at(const _cym_shards_t* s, unsigned k) {
    return (_cym_shard_t*)(s->memory + (size_t)k * CYM_SHARD_STRIDE);
}

/* Sets up s: one shard at `one` (a confined pool, or shared without slabs) or CYM_POOL_SHARDS fresh ones (shared
 * with slabs); false if memory runs out. s and *one must be all zero (they live in the pool, which comes zeroed). */
bool _cym_shards_init(_cym_shards_t* s, _cym_shard_t* one, bool shared, bool sharded, int64_t* table_live);

/* Frees every shard's slabs through a (unless release_memory is false) and the shards; O(slabs). */
void _cym_shards_destroy(_cym_shards_t* s, cym_allocator_t* a, bool release_memory);

/* The calling thread's ticket (0 until its first shard lookup; then >= 1, taken round-robin), and its first take. */
extern _Thread_local unsigned _cym_shards_ticket;
unsigned _cym_shards_take_ticket(void);

/* The calling thread's shard index in s. */
static inline unsigned _cym_shards_index(const _cym_shards_t* s) {
    if (s->count == 1) return 0;
    unsigned ticket = _cym_shards_ticket != 0 ? _cym_shards_ticket : _cym_shards_take_ticket();
    return (ticket - 1u) & (s->count - 1u);
}

/* The calling thread's shard. */
static inline _cym_shard_t* _cym_shards_mine(const _cym_shards_t* s) {
    return _cym_shards_at(s, _cym_shards_index(s));
}

/* Waits for a held shard lock: spins briefly, then yields the CPU between tries (pool_shards.c). */
void _cym_shard_lock_wait(_cym_shard_t* sh);

/* A shard's lock (no-op in a confined pool); try_only: never wait, false if busy. A one-word lock, not a pthread
 * mutex: a shard lock is held for a free-list push or pop (rarely a slab from the allocator) and is almost never
 * contended (each thread has its own shard), so the uncontended pair is what counts: one exchange and one plain
 * release store, against the mutex's two atomic read-modify-writes (bench/performance-notes.md). */
static inline bool _cym_shard_lock(const _cym_shards_t* s, _cym_shard_t* sh, bool try_only) {
    if (!s->locking) return true;
    if (__atomic_exchange_n(&sh->lock, 1, __ATOMIC_ACQUIRE) == 0) return true;
    if (try_only) return false;
    _cym_shard_lock_wait(sh);
    return true;
}
static inline void _cym_shard_unlock(const _cym_shards_t* s, _cym_shard_t* sh) {
    if (s->locking) __atomic_store_n(&sh->lock, 0, __ATOMIC_RELEASE);
}
/* Every shard's lock in order (after the pool's lock: the one lock order is pool, then shards by index). */
void _cym_shards_lock_all(const _cym_shards_t* s);
void _cym_shards_unlock_all(const _cym_shards_t* s);

/* The shard and slab holding live block p, with that shard's lock taken (the calling thread's shard is tried
 * first, inline; then the others); NULL with no lock held if no shard has it. try_only: *busy is set (and NULL
 * returned) if a lock that would have been needed is taken. */
_cym_shard_t* _cym_shards_find_locked_from(const _cym_shards_t* s, unsigned first, const void* p, _cym_slab_t** slab,
                                           uint32_t* index, bool try_only, bool* busy);
static inline _cym_shard_t* _cym_shards_find_locked(const _cym_shards_t* s, const void* p, _cym_slab_t** slab,
                                                    uint32_t* index, bool try_only, bool* busy) {
    unsigned mine = _cym_shards_index(s);
    _cym_shard_t* sh = _cym_shards_at(s, mine);
    /* A live block's allocation happened before this free (the caller got the address from it), and so did its
     * slab's recording: a shard seen with no slab holds no block the caller may free. */
    if (__atomic_load_n(&sh->slabs.count, __ATOMIC_RELAXED) != 0) {
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
    return s->count == 1 ? NULL : _cym_shards_find_locked_from(s, mine + 1, p, slab, index, try_only, busy);
}

/* The same with every lock already held (or a confined pool): no locking. */
_cym_shard_t* _cym_shards_find_held(const _cym_shards_t* s, const void* p, _cym_slab_t** slab, uint32_t* index);


/* The peak check after the table's or a shard's live bytes passed its high (see _cym_shards_t). */
void _cym_shards_peak(_cym_shards_t* s);

/* Sets the peak of a confined pool (no lock) to max(peak, the live bytes), each participant's high to its live bytes:
 * the invariants of _cym_shards_t hold again. For _cym_pool_settled. */
void _cym_shards_set_peak(_cym_shards_t* s, int64_t peak);

/* _cym_shards_peak for a pool with one shard and no lock (one thread at a time), inline: a confined pool growing to
 * a million blocks passes its high on every allocation. Same result: the total into the peak, the grown
 * participant's high to its live bytes, the other's lowered (never below its live bytes, as the two lives sum to at
 * most the peak) until the highs sum to at most the peak. */
static inline void _cym_shards_peak_two(_cym_shards_t* s, int64_t* grown_high, int64_t grown_live, int64_t* other_high,
                                        int64_t other_live) {
    int64_t peak = __atomic_load_n(&s->peak, __ATOMIC_RELAXED);
    if (grown_live + other_live > peak) __atomic_store_n(&s->peak, peak = grown_live + other_live, __ATOMIC_RELAXED);
    __atomic_store_n(grown_high, grown_live, __ATOMIC_RELAXED);
    if (grown_live + __atomic_load_n(other_high, __ATOMIC_RELAXED) > peak) {
        __atomic_store_n(other_high, peak - grown_live, __ATOMIC_RELAXED);
    }
}

/* The peak check after the table's live bytes grew to live (the pool's lock held). */
static inline void _cym_shards_table_grew(_cym_shards_t* s, int64_t live) {
    if (live <= __atomic_load_n(&s->table_high, __ATOMIC_RELAXED)) return;
    if (s->locking) {
        _cym_shards_peak(s);
    } else {
        _cym_shard_t* one = _cym_shards_at(s, 0);
        _cym_shards_peak_two(s, &s->table_high, live, &one->high_bytes,
                             __atomic_load_n(&one->live_bytes, __ATOMIC_RELAXED));
    }
}

/* Adds bytes and blocks (either sign) to sh's live counts (its lock held), with the peak check. */
static inline void _cym_shard_account(_cym_shards_t* s, _cym_shard_t* sh, int64_t bytes, int64_t blocks) {
    sh->live_blocks += blocks;
    int64_t live = __atomic_load_n(&sh->live_bytes, __ATOMIC_RELAXED) + bytes;
    __atomic_store_n(&sh->live_bytes, live, __ATOMIC_RELAXED);
    if (bytes > 0 && live > __atomic_load_n(&sh->high_bytes, __ATOMIC_RELAXED)) {
        if (s->locking) {
            _cym_shards_peak(s);
        } else {
            _cym_shards_peak_two(s, &sh->high_bytes, live, &s->table_high,
                                 __atomic_load_n(s->table_live, __ATOMIC_RELAXED));
        }
    }
}

/* A zeroed block of bytes from shard sh (its lock held), counted (alloc and live); the shard's empty slabs are
 * given back and the allocation retried once if a fails; NULL (failed_allocs counted) if it still fails. */
static inline void* _cym_shard_alloc(_cym_shards_t* s, _cym_shard_t* sh, cym_allocator_t* a, size_t bytes) {
    void* p = _cym_slabs_alloc(&sh->slabs, a, bytes);
    if (p == NULL && sh->slabs.empty != 0) { /* the shard's empty slabs first, then one more try */
        _cym_slabs_trim(&sh->slabs, a);
        p = _cym_slabs_alloc(&sh->slabs, a, bytes);
    }
    if (p == NULL) {
        sh->failed_allocs++;
        return NULL;
    }
    sh->total_allocs++;
    _cym_shard_account(s, sh, (int64_t)bytes, 1);
    return p;
}

/* Frees live slab block (slab, index) of shard sh (its lock held), counted; returns its size. */
static inline size_t _cym_shard_free(_cym_shard_t* sh, cym_allocator_t* a, _cym_slab_t* slab, uint32_t index) {
    size_t size = _cym_slabs_free(&sh->slabs, a, slab, index);
    sh->live_blocks--;
    __atomic_store_n(&sh->live_bytes, __atomic_load_n(&sh->live_bytes, __ATOMIC_RELAXED) - (int64_t)size,
                     __ATOMIC_RELAXED);
    sh->total_frees++;
    return size;
}

/* Live bytes of all shards (atomic loads: exact when every lock is held or no call runs). */
int64_t _cym_shards_live_bytes(const _cym_shards_t* s);

/* Adds the shards' counters to *stats (every lock held). */
void _cym_shards_add_stats(const _cym_shards_t* s, cym_pool_stats_t* stats);

/* Gives every shard's empty slabs back to a; with take_locks, each shard's lock around its own trim. */
void _cym_shards_trim(const _cym_shards_t* s, cym_allocator_t* a, bool take_locks);

/* True if some shard has an empty slab (every lock held). */
bool _cym_shards_have_empty(const _cym_shards_t* s);

/* The live slab block containing p, or NULL (every lock held). */
void* _cym_shards_containing(const _cym_shards_t* s, const void* p, size_t* size);

/* _cym_slabs_overlap over every shard (every lock held). */
bool _cym_shards_overlap(const _cym_shards_t* s, uintptr_t lo, uintptr_t hi);

/* Iteration over every shard's live slab blocks: cursor starts at 0; 1 with *p, *size set, or 0 at the end. */
int _cym_shards_next(const _cym_shards_t* s, size_t* cursor, void** p, size_t* size);

/* Total slabs over the shards (every lock held). */
size_t _cym_shards_slab_count(const _cym_shards_t* s);

/* Checks the invariants above and each shard's slabs; adds the live blocks and bytes to *blocks and *bytes. Every
 * lock held (or no call running). For tests. */
bool _cym_shards_is_valid(const _cym_shards_t* s, size_t* blocks, size_t* bytes);

/* Checks the peak's invariants (see _cym_shards_t): high >= live for each participant, total <= sum of highs <=
 * peak. They hold when every call so far was ordered one after another; calls that ran at the same time may leave a
 * high below its live bytes (harmless: that participant's next allocation runs the check) or the highs above the
 * peak (a peak of theirs may be missed): so it is asserted only after ordered calls. For tests. */
bool _cym_shards_peak_is_valid(const _cym_shards_t* s);

// pool_tables.c ----------------------------------------------------------------------------------------

/* The per-thread bound of the table cache: cached tables of one thread total at most this many bytes. */
#define CYM_POOL_TABLES_MAX_BYTES ((size_t)64 * 1024)

/* A zeroed table of exactly bytes from the calling thread's cache, or NULL (then allocate one). */
void* _cym_pool_tables_take(size_t bytes);

/* Keeps an all-zero table of bytes (from the system allocator) in the calling thread's cache; false if it does
 * not fit (bytes not a power of two, that size already cached, or the thread's bound reached): then free it. */
bool _cym_pool_tables_put(void* table, size_t bytes);

/* Test hooks: bytes cached by the calling thread, and its cached table of bytes (left in place) or NULL. */
size_t _cym_pool_tables_bytes(void);
void* _cym_pool_tables_peek(size_t bytes);

// strided.c --------------------------------------------------------------------------------------------

/* Test hook: enabled = false makes the kernels skip their AVX2 variants even where the CPU has AVX2; true
 * restores run-time detection. Affects calls that start afterwards, in every thread. */
void _cym_strided_set_simd(bool enabled);

#endif /* CYMEM4J_INTERNAL_H */
