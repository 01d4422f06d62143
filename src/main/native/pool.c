/* pool.c: pools. The address table (open addressing, linear probing, Fibonacci hashing, backward-shift
 * deletion, load factor <= 1/2) and the operations on it: create, alloc, free, realloc, adopt, owns,
 * iteration and destroy; aligned blocks and the side table of over-allocated ones. The entry points are
 * cym_pool_alloc, cym_pool_alloc_aligned and cym_pool_destroy.
 *
 * Invariants (checked by _cym_pool_is_valid in the C tests):
 *   live_blocks == number of slots with key != 0
 *   live_bytes  == sum of word_size(word) over those slots
 *   live_blocks <= capacity / 2, capacity is 0 or a power of two >= CYM_TABLE_MIN
 *   every key sits in the probe run that starts at its home slot (no empty slot in between)
 *   aligned slot (word & WORD_ALIGNED):  1 <= lg <= log2(CYM_ALIGNMENT_MAX),  key % 2^lg == 0
 *   over_count == number of slots with WORD_ALIGNED | WORD_OVER == number of entries of over (key != 0)
 *   for each: over has {key, base} with base < key < base + 2^lg (key is the first aligned address at or after
 *   base); over_count <= over_capacity / 2; the same probe-run rule as the main table
 * With slabs (pool_slabs.c, in shards: pool_shards.c), the live blocks are the table's keys plus the shards' slab
 * blocks, disjoint; stats counts the table's only, each shard its own (cym_pool_stats sums them):
 *   stats.live_blocks == table keys, stats.live_bytes == their sizes' sum (atomic stores: the peak check reads it)
 *   slab_ok == false implies no shard has a slab (a pool without slabs never makes one)
 *   stats.peak_bytes is unused: the peak is shards.peak
 * Locks of a shared pool: `lock` guards the table, over, adopted, stats and the limit; each shard's lock its slabs
 * and counters. alloc and free of a slab block take only their shard's lock (the limit, when set, adds the pool's);
 * the calls that look at the whole pool (realloc, owns, size_of, stats, pin, ...) take every lock (lock_all), in
 * the one order: the pool's, then the shards' by index.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CYM_TABLE_MIN 16u
/* Below this many slots (16 KiB of table) the table grows x4, above it x2. A pool of 1000 blocks then rehashes
 * and reallocates its table four times instead of seven: 1000 x 64 B then destroy measured 12.5 -> 11.5 ns/block
 * (mimalloc heap), 100 blocks 25 -> 19.6. The cost: a small pool's table may be 8x its live blocks instead of 4x,
 * at most 8 KiB more per pool. */
#define CYM_TABLE_QUADRUPLE_BELOW 1024u

/* A slot of the table: key 0 means empty (no allocator returns address 0). 16 bytes for every block, aligned or
 * not: an aligned block's alignment and "over-allocated" flag live in the spare top bits of its size word. */
typedef struct slot_s {
    uintptr_t key; /* block address (an aligned block's aligned address, the one the user has) */
    size_t word;   /* bytes the user asked for (0 for a zero-byte block), encoded as below */
} slot_t;

/* The size word. An ordinary block's is its size (<= PTRDIFF_MAX, so bit 63 is 0). An aligned block's
 * (cym_pool_alloc_aligned, alignment >= 2):
 *   bit  63      WORD_ALIGNED  1
 *   bit  62      WORD_OVER     over-allocated: what the allocator returned (and must free) is in the over table
 *   bits 56..61  lg            log2 of the alignment (1 .. 30)
 *   bits 0..55   the size      (<= CYM_ALIGNED_SIZE_MAX = 2^56 - 1: more than any 64-bit address space holds)
 * An aligned block served natively (the allocator's aligned_zalloc_fn, or an over-allocation that happened to come
 * back aligned) costs nothing more than an ordinary one. */
#define WORD_ALIGNED ((size_t)1 << 63)
#define WORD_OVER ((size_t)1 << 62)
#define WORD_LG_SHIFT 56
#define WORD_SIZE_MASK (((size_t)1 << WORD_LG_SHIFT) - 1)
_Static_assert(CYM_ALIGNED_SIZE_MAX == WORD_SIZE_MASK, "aligned sizes must fit below the flags");
_Static_assert(CYM_ALIGNMENT_MAX <= ((size_t)1 << 61), "log2 of the alignment must fit in 6 bits");

static inline size_t word_size(size_t word) { return (word & WORD_ALIGNED) ? word & WORD_SIZE_MASK : word; }
static inline size_t word_alignment(size_t word) {
    return (word & WORD_ALIGNED) ? (size_t)1 << ((word >> WORD_LG_SHIFT) & 63u) : 1;
}
static inline size_t aligned_word(size_t size, size_t alignment, bool over) {
    return WORD_ALIGNED | (over ? WORD_OVER : 0) | ((size_t)__builtin_ctzll(alignment) << WORD_LG_SHIFT) | size;
}

/* An over-allocated aligned block: the address the user has (the key in slots) and the block the allocator returned.
 * 16 bytes at load <= 1/2, only for blocks whose allocator has no aligned entry point and whose block did not come
 * back aligned (a wrapped pair, a Java hook, the failing allocator, a library without an aligned symbol). */
typedef struct over_s {
    uintptr_t key;  /* aligned address; 0 means empty */
    uintptr_t base; /* what _cym_allocator_free must get */
} over_t;

/* A pointer adopted with its own free function (rare, so a plain array). */
typedef struct adopted_s {
    void* ptr;
    void (*free_fn)(void*);
} adopted_t;

struct cym_pool_s {
    cym_allocator_t* allocator; /* blocks and the table come from here (a pool-private one, or parent) */
    cym_allocator_t* parent;    /* the allocator the pool was created with (retained) */
    slot_t* slots;              /* NULL until the first block */
    size_t capacity;            /* 0 or a power of two */
    unsigned shift;             /* where the home's bits start in the Fibonacci product (see home_of) */
    adopted_t* adopted;         /* adopted pointers, also present in the table */
    size_t adopted_count, adopted_capacity;
    over_t* over;               /* over-allocated aligned blocks (libc memory, like adopted); NULL until the first */
    size_t over_capacity;       /* 0 or a power of two >= OVER_MIN */
    size_t over_count;          /* entries with key != 0 */
    cym_pool_stats_t stats;     /* live_bytes, live_blocks, ... (see pool.h) */
    unsigned flags;             /* CYM_POOL_* */
    pthread_mutex_t lock;       /* initialised and taken only when flags & CYM_POOL_SHARED */
    bool tracked;               /* counted in the process total (tracking was on when the pool was created) */
    bool critical_ok;           /* the block allocator has CYM_ALLOCATOR_NO_UPCALLS */
    bool slab_ok;               /* small blocks come from slabs (CYM_ALLOCATOR_SLABS, no CYM_POOL_NO_SLABS) */
    _cym_shards_t shards;       /* the small blocks (pool_slabs.c) in shards (pool_shards.c); never in the table */
    _cym_shard_t one;           /* the one shard of a confined pool, or of a shared one without slabs */
    /* Export pins (cym_pool_pin; DLPack). Guarded by pin_lock, which every pool has: the unpin comes from a consumer
     * on any thread, also after cym_pool_destroy. Invariants:
     *   pinned_total == sum of pins[i].count over i < pins_count, every count >= 1, every key a live block
     *   destroy_pending implies pinned_total > 0, and then only cym_pool_unpin may touch the pool: the last unpin
     *   (pinned_total 1 -> 0) runs the destroy that cym_pool_destroy deferred. */
    pthread_mutex_t pin_lock;
    struct pin_s {
        uintptr_t key;          /* a pinned block's address */
        size_t count;           /* exports of it not yet released */
    } * pins;                   /* libc memory; NULL until the first pin */
    size_t pins_count, pins_capacity;
    size_t pinned_total;        /* written under pin_lock; read without it by free/realloc as a fast "no pins" test */
    bool destroy_pending;       /* cym_pool_destroy ran while pinned_total > 0 */
};

// ------------------------------------------------------------------------------------------------------
// Process-wide accounting (opt-in; see cym_process_track)
// ------------------------------------------------------------------------------------------------------

/* Atomics, not a lock: every pool updates them from its own thread; relaxed order is enough for counters.
 * process_live == sum of live_bytes over tracked pools; process_peak == max process_live ever seen. */
static int process_tracking = 0;
static int process_ever = 0;
static int64_t process_live = 0;
static int64_t process_peak = 0;

static void process_add(int64_t delta) {
    int64_t now = __atomic_add_fetch(&process_live, delta, __ATOMIC_RELAXED);
    int64_t peak = __atomic_load_n(&process_peak, __ATOMIC_RELAXED);
    while (now > peak &&
           !__atomic_compare_exchange_n(&process_peak, &peak, now, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

void cym_process_track(int on) {
    if (on) __atomic_store_n(&process_ever, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&process_tracking, on != 0, __ATOMIC_RELAXED);
}

void cym_process_bytes(int64_t* live, int64_t* peak) {
    bool ever = __atomic_load_n(&process_ever, __ATOMIC_RELAXED);
    *live = ever ? __atomic_load_n(&process_live, __ATOMIC_RELAXED) : -1;
    *peak = ever ? __atomic_load_n(&process_peak, __ATOMIC_RELAXED) : -1;
}

// ------------------------------------------------------------------------------------------------------
// Locking (shared pools only)
// ------------------------------------------------------------------------------------------------------

static inline void lock(cym_pool_t* pool) {
    if (pool->flags & CYM_POOL_SHARED) pthread_mutex_lock(&pool->lock);
}
static inline void unlock(cym_pool_t* pool) {
    if (pool->flags & CYM_POOL_SHARED) pthread_mutex_unlock(&pool->lock);
}
/* The pool's lock and every shard's: for the calls that look at every block. */
static inline void lock_all(cym_pool_t* pool) {
    lock(pool);
    _cym_shards_lock_all(&pool->shards);
}
static inline void unlock_all(cym_pool_t* pool) {
    _cym_shards_unlock_all(&pool->shards);
    unlock(pool);
}

/* The table's live bytes change under the pool's lock, but a shard's peak check reads them without it. */
static inline void table_live_add(cym_pool_t* pool, int64_t delta) {
    int64_t live = __atomic_load_n(&pool->stats.live_bytes, __ATOMIC_RELAXED) + delta;
    __atomic_store_n(&pool->stats.live_bytes, live, __ATOMIC_RELAXED);
    if (delta > 0) _cym_shards_table_grew(&pool->shards, live);
}

// ------------------------------------------------------------------------------------------------------
// The address table
// ------------------------------------------------------------------------------------------------------

/* The home slot is bits shift .. shift + log2(capacity) of the Fibonacci product: bits 32 and up while the table
 * has at most 2^32 slots, not the top bits. With the top bits, a small table's homes are a prefix of a large
 * table's: cym_pool_destroy frees in table order, LIFO allocators (mimalloc, jemalloc) hand those blocks to the
 * next pool in reverse, and its first keys then all have the same few top bits and pile into one end of its
 * small growing table (19 extra probes per insert measured with mimalloc). Bits from 32 up put the fastest-
 * varying bits of the old order into the low bits of the new home, so those keys spread over the table. */
static inline size_t home_of(const cym_pool_t* pool, uintptr_t key) {
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> pool->shift) & (pool->capacity - 1);
}

/* The slot holding key, or the empty slot where it would go. Requires capacity > 0. */
static inline size_t probe(const cym_pool_t* pool, uintptr_t key) {
    size_t mask = pool->capacity - 1;
    size_t i = home_of(pool, key);
    while (pool->slots[i].key != 0 && pool->slots[i].key != key) i = (i + 1) & mask;
    return i;
}

/* Index of key's slot, or SIZE_MAX. */
static inline size_t find(const cym_pool_t* pool, uintptr_t key) {
    if (pool->capacity == 0 || key == 0) return SIZE_MAX;
    size_t i = probe(pool, key);
    return pool->slots[i].key == key ? i : SIZE_MAX;
}

/* Table memory. For a pool on the system allocator, tables come from and go back to the calling thread's cache
 * (pool_tables.c), which keeps glibc from consolidating the last pool's freed blocks on every table of 1 KiB or
 * more. Other allocators are left alone: their tables come from the pool's allocator, whose failures the pool must
 * report. A cached table must be all zero, so the walks that read every slot of a table about to be released
 * (the rehash in reserve_one, the block walk in cym_pool_destroy) clear the slots they read when this says so. */
static inline bool table_recyclable(const cym_pool_t* pool, size_t capacity) {
    return pool->allocator == cym_allocator_system() && capacity <= CYM_POOL_TABLES_MAX_BYTES / sizeof(slot_t);
}

static slot_t* table_alloc(cym_pool_t* pool, size_t capacity, size_t bytes) {
    slot_t* table = table_recyclable(pool, capacity) ? _cym_pool_tables_take(bytes) : NULL;
    return table != NULL ? table : _cym_allocator_zalloc(pool->allocator, bytes);
}

/* Releases a table; zeroed says every slot is empty (as table_recyclable asked the walk to leave it). */
static void table_release(cym_pool_t* pool, slot_t* table, size_t capacity, bool zeroed) {
    if (zeroed && _cym_pool_tables_put(table, capacity * sizeof(slot_t))) return;
    _cym_allocator_free(pool->allocator, table);
}

/* The table's capacity after the next insert: the current one, or the one reserve_one grows it to. */
static inline size_t capacity_for_one_more(const cym_pool_t* pool) {
    size_t needed = (size_t)pool->stats.live_blocks + 1;
    if (needed <= pool->capacity / 2) return pool->capacity;
    return pool->capacity == 0                           ? CYM_TABLE_MIN
           : pool->capacity < CYM_TABLE_QUADRUPLE_BELOW ? pool->capacity * 4
                                                        : pool->capacity * 2;
}

/* Makes room for one more key, so that the insert after a successful allocation cannot fail.
 * CYM_ENOMEM leaves the table as it was. */
static int reserve_one(cym_pool_t* pool) {
    size_t new_capacity = capacity_for_one_more(pool);
    if (new_capacity == pool->capacity) return CYM_OK;
    size_t bytes;
    if (_cym_mul_overflow(new_capacity, sizeof(slot_t), &bytes)) return CYM_ENOMEM;
    slot_t* fresh = table_alloc(pool, new_capacity, bytes);
    if (fresh == NULL) return CYM_ENOMEM;
    slot_t* old = pool->slots;
    size_t old_capacity = pool->capacity;
    pool->slots = fresh;
    pool->capacity = new_capacity;
    unsigned bits = (unsigned)__builtin_ctzll(new_capacity);
    pool->shift = bits <= 32u ? 32u : 64u - bits;
    bool recycle = table_recyclable(pool, old_capacity);
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].key != 0) {
            pool->slots[probe(pool, old[i].key)] = old[i];
            if (recycle) old[i] = (slot_t){0, 0};
        }
    }
    if (old != NULL) table_release(pool, old, old_capacity, recycle);
    return CYM_OK;
}

/* Inserts a key that is not present; room was reserved. word: the size word (for an ordinary block, its size). */
static inline void insert(cym_pool_t* pool, uintptr_t key, size_t word) {
    size_t i = probe(pool, key);
    size_t size = word_size(word);
    pool->slots[i].key = key;
    pool->slots[i].word = word;
    pool->stats.live_blocks++;
    table_live_add(pool, (int64_t)size);
    if (pool->tracked) process_add((int64_t)size);
}

/* Removes slot i, shifting later members of its probe run back so that lookups need no tombstones. */
static void remove_at(cym_pool_t* pool, size_t i) {
    size_t mask = pool->capacity - 1;
    size_t size = word_size(pool->slots[i].word);
    pool->stats.live_blocks--;
    table_live_add(pool, -(int64_t)size);
    if (pool->tracked) process_add(-(int64_t)size);
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (pool->slots[j].key == 0) break;
        size_t k = home_of(pool, pool->slots[j].key);
        /* Move j back to i unless its home lies cyclically in (i, j]. */
        bool home_between = (i <= j) ? (i < k && k <= j) : (i < k || k <= j);
        if (!home_between) {
            pool->slots[i] = pool->slots[j];
            i = j;
        }
    }
    pool->slots[i].key = 0;
    pool->slots[i].word = 0;
}

/* The stats of slab blocks of shard sh (its lock held), which have no slot: what insert and remove_at do for a
 * table block. */
static inline void shard_account(cym_pool_t* pool, _cym_shard_t* sh, int64_t bytes, int64_t blocks) {
    _cym_shard_account(&pool->shards, sh, bytes, blocks);
    if (pool->tracked) process_add(bytes);
}

/* The slab holding live block p (and its number in *index), or NULL: any address may be asked. Every lock held (or
 * a confined pool); *shard gets the slab's shard. */
static inline _cym_slab_t* slab_find_in(const cym_pool_t* pool, const void* p, uint32_t* index, _cym_shard_t** shard) {
    _cym_slab_t* slab = NULL;
    _cym_shard_t* sh = pool->slab_ok ? _cym_shards_find_held(&pool->shards, p, &slab, index) : NULL;
    if (shard != NULL) *shard = sh;
    return sh != NULL ? slab : NULL;
}
static inline _cym_slab_t* slab_find(const cym_pool_t* pool, const void* p, uint32_t* index) {
    return slab_find_in(pool, p, index, NULL);
}

/* True if p is the start of a live block of the pool (a table key or a slab block). */
static inline bool owned(const cym_pool_t* pool, const void* p) {
    uint32_t index;
    return slab_find(pool, p, &index) != NULL || find(pool, (uintptr_t)p) != SIZE_MAX;
}

static inline bool slab_served(const cym_pool_t* pool, size_t bytes) {
    return pool->slab_ok && bytes <= CYM_SLAB_BLOCK_MAX;
}

/* With the pool's lock held: then no other allocation runs while a limit is set (see alloc_small), and concurrent
 * frees only lower the total read here. */
static inline bool over_limit(const cym_pool_t* pool, size_t more) {
    if (pool->stats.limit_bytes < 0) return false;
    int64_t live = __atomic_load_n(&pool->stats.live_bytes, __ATOMIC_RELAXED) + _cym_shards_live_bytes(&pool->shards);
    return (uint64_t)live + more > (uint64_t)pool->stats.limit_bytes;
}

// ------------------------------------------------------------------------------------------------------
// The over table: where over-allocated aligned blocks really start
// ------------------------------------------------------------------------------------------------------

#define OVER_MIN 8u

static inline size_t over_home(uintptr_t key, size_t capacity) {
    return (size_t)(((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> (64u - (unsigned)__builtin_ctzll(capacity)));
}

/* The entry holding key, or the empty one where it would go. Requires capacity > 0. */
static inline size_t over_probe(const over_t* table, size_t capacity, uintptr_t key) {
    size_t i = over_home(key, capacity);
    while (table[i].key != 0 && table[i].key != key) i = (i + 1) & (capacity - 1);
    return i;
}

/* Makes room for one more entry (so that recording an over-allocated block cannot fail after the allocation).
 * CYM_ENOMEM leaves the table as it was. */
static int over_reserve_one(cym_pool_t* pool) {
    if (pool->over_count + 1 <= pool->over_capacity / 2) return CYM_OK;
    size_t capacity = pool->over_capacity == 0 ? OVER_MIN : pool->over_capacity * 2;
    over_t* fresh = calloc(capacity, sizeof *fresh);
    if (fresh == NULL) return CYM_ENOMEM;
    for (size_t i = 0; i < pool->over_capacity; i++) {
        if (pool->over[i].key != 0) fresh[over_probe(fresh, capacity, pool->over[i].key)] = pool->over[i];
    }
    free(pool->over);
    pool->over = fresh;
    pool->over_capacity = capacity;
    return CYM_OK;
}

static inline void over_put(cym_pool_t* pool, uintptr_t key, uintptr_t base) {
    pool->over[over_probe(pool->over, pool->over_capacity, key)] = (over_t){key, base};
    pool->over_count++;
}

/* The base of over-allocated block key, which must be present. */
static inline uintptr_t over_get(const cym_pool_t* pool, uintptr_t key) {
    return pool->over[over_probe(pool->over, pool->over_capacity, key)].base;
}

/* Removes over-allocated block key (present) and returns its base; backward-shift deletion as remove_at. */
static uintptr_t over_take(cym_pool_t* pool, uintptr_t key) {
    size_t mask = pool->over_capacity - 1;
    size_t i = over_probe(pool->over, pool->over_capacity, key);
    uintptr_t base = pool->over[i].base;
    pool->over_count--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (pool->over[j].key == 0) break;
        size_t k = over_home(pool->over[j].key, pool->over_capacity);
        bool home_between = (i <= j) ? (i < k && k <= j) : (i < k || k <= j);
        if (!home_between) {
            pool->over[i] = pool->over[j];
            i = j;
        }
    }
    pool->over[i] = (over_t){0, 0};
    return base;
}

/* What the allocator must free for the block at key with size word `word` (removing its over entry, if any). */
static inline void* block_start_taken(cym_pool_t* pool, uintptr_t key, size_t word) {
    return (void*)((word & WORD_OVER) && (word & WORD_ALIGNED) ? over_take(pool, key) : key);
}

/* The same for a walk that frees everything (the over table is freed whole afterwards). */
static inline void* block_start(const cym_pool_t* pool, uintptr_t key, size_t word) {
    return (void*)((word & WORD_OVER) && (word & WORD_ALIGNED) ? over_get(pool, key) : key);
}

// ------------------------------------------------------------------------------------------------------
// Adopted pointers
// ------------------------------------------------------------------------------------------------------

static adopted_t* find_adopted(cym_pool_t* pool, const void* p) {
    for (size_t i = 0; i < pool->adopted_count; i++) {
        if (pool->adopted[i].ptr == p) return &pool->adopted[i];
    }
    return NULL;
}

// ------------------------------------------------------------------------------------------------------
// Freeing a large pool in address order
// ------------------------------------------------------------------------------------------------------

/* LSD radix sort of n keys, 11 bits per pass over the bits in which they differ; the result ends in keys.
 * scratch holds n keys. O(n) per pass; at most 6 passes even for keys spread over the whole address space. */
static void sort_keys(uintptr_t* keys, uintptr_t* scratch, size_t n) {
    enum { RADIX_BITS = 11, BUCKETS = 1 << RADIX_BITS };
    uintptr_t lo = UINTPTR_MAX, hi = 0, differ = 0;
    for (size_t i = 0; i < n; i++) {
        lo = keys[i] < lo ? keys[i] : lo;
        hi = keys[i] > hi ? keys[i] : hi;
        differ |= keys[i] ^ keys[0];
    }
    if (differ == 0) return;
    unsigned low = (unsigned)__builtin_ctzll(differ); /* bits below it are the same in every key (alignment) */
    unsigned high = 64u - (unsigned)__builtin_clzll((uint64_t)(hi - lo));
    uintptr_t *src = keys, *dst = scratch;
    size_t count[BUCKETS];
    for (unsigned shift = low; shift < high; shift += RADIX_BITS) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++) count[((src[i] - lo) >> shift) & (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) dst[count[((src[i] - lo) >> shift) & (BUCKETS - 1)]++] = src[i];
        uintptr_t* t = src;
        src = dst;
        dst = t;
    }
    if (src != keys) memcpy(keys, src, n * sizeof *keys);
}

/* Frees every block in ascending address order (of what the allocator returned: an over-allocated block's start).
 * No memory is allocated (destroy cannot fail): the keys are packed into the front of the table itself, which has two slots (2 keys' worth each) per block, and the next n keys' worth
 * is the sort's scratch. The table is garbage afterwards; the caller frees it. */
static void free_in_address_order(cym_pool_t* pool) {
    uintptr_t* keys = (uintptr_t*)pool->slots;
    size_t n = 0;
    /* keys[n] lies at or before slot i's first byte (n <= i, a key is half a slot), so nothing unread is overwritten */
    for (size_t i = 0; i < pool->capacity; i++) {
        uintptr_t key = pool->slots[i].key;
        if (key != 0) keys[n++] = (uintptr_t)block_start(pool, key, pool->slots[i].word);
    }
    sort_keys(keys, keys + n, n);
    for (size_t i = 0; i < n; i++) _cym_allocator_free(pool->allocator, (void*)keys[i]);
}

// ------------------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------------------

cym_status cym_pool_create(cym_allocator_t* a, unsigned flags, cym_pool_t** out) {
    if (out == NULL || (flags & ~(CYM_POOL_SHARED | CYM_POOL_NO_SLABS)) != 0) return CYM_EINVAL;
    /* NULL is the process default; cym_allocator_default hands over the reference the pool keeps. */
    a = a == NULL ? cym_allocator_default() : cym_allocator_retain(a);
    /* Through the system allocator's zalloc, not calloc: glibc's calloc bypasses the per-thread cache (allocator.c). */
    cym_pool_t* pool = _cym_allocator_zalloc(cym_allocator_system(), sizeof *pool);
    if (pool == NULL) {
        cym_allocator_release(a);
        return CYM_ENOMEM;
    }
    pool->parent = a;
    pool->allocator = a;
    if (a->ops.pool_fn != NULL) {
        cym_allocator_t* own = a->ops.pool_fn(a->ctx);
        if (own == NULL) {
            cym_allocator_release(a);
            free(pool);
            return CYM_ENOMEM;
        }
        pool->allocator = own;
    }
    pool->flags = flags;
    pool->stats.limit_bytes = -1;
    pool->tracked = __atomic_load_n(&process_tracking, __ATOMIC_RELAXED);
    pool->critical_ok = (pool->allocator->flags & CYM_ALLOCATOR_NO_UPCALLS) != 0;
    pool->slab_ok = (pool->allocator->flags & CYM_ALLOCATOR_SLABS) != 0 && pool->allocator->aligned_zalloc_fn != NULL &&
                    (flags & CYM_POOL_NO_SLABS) == 0;
    if (!_cym_shards_init(&pool->shards, &pool->one, (flags & CYM_POOL_SHARED) != 0, pool->slab_ok,
                          &pool->stats.live_bytes)) {
        if (pool->allocator != a) cym_allocator_release(pool->allocator);
        cym_allocator_release(a);
        free(pool);
        return CYM_ENOMEM;
    }
    if (flags & CYM_POOL_SHARED) pthread_mutex_init(&pool->lock, NULL);
    pthread_mutex_init(&pool->pin_lock, NULL);
    *out = pool;
    return CYM_OK;
}

static void destroy_now(cym_pool_t* pool);

void cym_pool_destroy(cym_pool_t* pool) {
    if (pool == NULL) return;
    pthread_mutex_lock(&pool->pin_lock);
    bool pinned = pool->pinned_total != 0;
    if (pinned) pool->destroy_pending = true; /* the last cym_pool_unpin destroys it */
    pthread_mutex_unlock(&pool->pin_lock);
    if (!pinned) destroy_now(pool);
}

static void destroy_now(cym_pool_t* pool) {
    for (size_t i = 0; i < pool->adopted_count; i++) {
        size_t at = find(pool, (uintptr_t)pool->adopted[i].ptr);
        /* Not the allocator's to free. A removal that keeps probe runs intact, so that the next adopted
         * pointer's lookup still finds its slot (a bare key = 0 would split a run). */
        if (at != SIZE_MAX) remove_at(pool, at);
        pool->adopted[i].free_fn(pool->adopted[i].ptr);
    }
    free(pool->adopted);
    if (pool->tracked) { /* what the adopted removals did not take out */
        process_add(-(pool->stats.live_bytes + _cym_shards_live_bytes(&pool->shards)));
    }
    bool private_allocator = pool->allocator != pool->parent;
    bool frees_all = private_allocator && _cym_allocator_frees_all(pool->allocator);
    if (!frees_all && pool->slots != NULL) {
        /* The sorted path leaves the table garbage; its table (65536+ blocks: 2 MiB or more) is never cached. */
        bool recycle = false;
        if (pool->stats.live_blocks >= CYM_SORTED_DESTROY_MIN) {
            free_in_address_order(pool);
        } else {
            recycle = table_recyclable(pool, pool->capacity);
            for (size_t i = 0; i < pool->capacity; i++) {
                if (pool->slots[i].key != 0) {
                    _cym_allocator_free(pool->allocator, block_start(pool, pool->slots[i].key, pool->slots[i].word));
                    if (recycle) pool->slots[i] = (slot_t){0, 0};
                }
            }
        }
        table_release(pool, pool->slots, pool->capacity, recycle);
    }
    free(pool->over);
    _cym_shards_destroy(&pool->shards, pool->allocator, !frees_all); /* O(slabs), before the allocator goes */
    if (private_allocator) cym_allocator_release(pool->allocator);
    cym_allocator_release(pool->parent);
    if (pool->flags & CYM_POOL_SHARED) pthread_mutex_destroy(&pool->lock);
    pthread_mutex_destroy(&pool->pin_lock);
    free(pool->pins);
    free(pool);
}

/* A slab block of bytes from the calling thread's shard. Without a limit only that shard's lock is taken. With one
 * (read under the shard's lock: cym_pool_set_limit writes it with every lock held), a shared pool's allocations
 * take the pool's lock too, so that the check and the allocation are one step: the limit stays exact. try_only (the
 * critical path): never wait for a lock, and leave a limited shared pool to the ordinary path; CYM_EUNSUPPORTED
 * then, nothing changed. */
static int alloc_small(cym_pool_t* pool, size_t bytes, void** out, bool try_only) {
    _cym_shards_t* shards = &pool->shards;
    _cym_shard_t* sh = _cym_shards_mine(shards);
    if (!_cym_shard_lock(shards, sh, try_only)) return CYM_EUNSUPPORTED;
    bool limited = pool->stats.limit_bytes >= 0;
    if (limited && shards->locking) {
        _cym_shard_unlock(shards, sh);
        if (try_only) return CYM_EUNSUPPORTED;
        lock(pool);
        if (over_limit(pool, bytes)) {
            _cym_shards_trim(shards, pool->allocator, true); /* the memory the pool holds but no block uses */
            pool->stats.failed_allocs++;
            unlock(pool);
            return CYM_ELIMIT;
        }
        _cym_shard_lock(shards, sh, false);
    } else if (limited && over_limit(pool, bytes)) {
        _cym_shards_trim(shards, pool->allocator, false);
        sh->failed_allocs++;
        return CYM_ELIMIT;
    }
    void* p = _cym_shard_alloc(shards, sh, pool->allocator, bytes);
    _cym_shard_unlock(shards, sh);
    if (limited && shards->locking) unlock(pool);
    if (p == NULL) return CYM_ENOMEM;
    if (pool->tracked) process_add((int64_t)bytes);
    *out = p;
    return CYM_OK;
}

/* cym_pool_alloc's work for a table block, with the pool's lock (if shared) held. */
static int alloc_locked(cym_pool_t* pool, size_t bytes, void** out) {
    int status = CYM_OK;
    void* p = NULL;
    if (over_limit(pool, bytes)) {
        status = CYM_ELIMIT;
    } else if ((status = reserve_one(pool)) == CYM_OK) {
        /* A zero-byte request still gets its own address (one real byte), as cymem's calloc(0) does. */
        p = _cym_allocator_zalloc(pool->allocator, bytes != 0 ? bytes : 1);
        if (p == NULL && pool->slab_ok) { /* the empty slabs' memory first, then one more try */
            _cym_shards_trim(&pool->shards, pool->allocator, true);
            p = _cym_allocator_zalloc(pool->allocator, bytes != 0 ? bytes : 1);
        }
        if (p == NULL) status = CYM_ENOMEM;
    }
    if (status == CYM_OK) {
        insert(pool, (uintptr_t)p, bytes);
        pool->stats.total_allocs++;
        *out = p;
    } else {
        pool->stats.failed_allocs++;
    }
    return status;
}

cym_status cym_pool_alloc(cym_pool_t* pool, size_t count, size_t size, void** out) {
    size_t bytes;
    if (_cym_mul_overflow(count, size, &bytes)) return CYM_EOVERFLOW;
    if (slab_served(pool, bytes)) return alloc_small(pool, bytes, out, false);
    lock(pool);
    int status = alloc_locked(pool, bytes, out);
    unlock(pool);
    return status;
}

/* A zeroed block of bytes (<= CYM_ALIGNED_SIZE_MAX) at a multiple of alignment (2 .. CYM_ALIGNMENT_MAX), recorded
 * with its alignment; over-allocated blocks also get an over entry. With the pool's lock (if shared) held. Every
 * table is grown before the allocator is called, so a failure changes nothing but failed_allocs. */
static int alloc_aligned_locked(cym_pool_t* pool, size_t bytes, size_t alignment, void** out) {
    int status = CYM_OK;
    void* p = NULL;
    void* base = NULL;
    bool may_over = pool->allocator->aligned_zalloc_fn == NULL;
    if (over_limit(pool, bytes)) {
        status = CYM_ELIMIT;
    } else if ((status = reserve_one(pool)) == CYM_OK && (!may_over || (status = over_reserve_one(pool)) == CYM_OK)) {
        p = _cym_allocator_zalloc_aligned(pool->allocator, alignment, bytes != 0 ? bytes : 1, &base);
        if (p == NULL) status = CYM_ENOMEM;
    }
    if (status == CYM_OK) {
        bool over = base != p;
        if (over) over_put(pool, (uintptr_t)p, (uintptr_t)base);
        insert(pool, (uintptr_t)p, aligned_word(bytes, alignment, over));
        pool->stats.total_allocs++;
        *out = p;
    } else {
        pool->stats.failed_allocs++;
    }
    return status;
}

static inline bool bad_alignment(size_t alignment) {
    return alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > CYM_ALIGNMENT_MAX;
}

cym_status cym_pool_alloc_aligned(cym_pool_t* pool, size_t count, size_t size, size_t alignment, void** out) {
    if (bad_alignment(alignment)) return CYM_EINVAL;
    size_t bytes;
    if (_cym_mul_overflow(count, size, &bytes)) return CYM_EOVERFLOW;
    if (alignment == 1) return cym_pool_alloc(pool, count, size, out); /* any address will do: an ordinary block */
    if (bytes > CYM_ALIGNED_SIZE_MAX) return CYM_EOVERFLOW;
    lock(pool);
    int status = alloc_aligned_locked(pool, bytes, alignment, out);
    unlock(pool);
    return status;
}

// ------------------------------------------------------------------------------------------------------
// Export pins
// ------------------------------------------------------------------------------------------------------

/* The pin entry of p, or NULL; pin_lock held. A plain array: a pool has few blocks exported at once. */
static struct pin_s* find_pin(cym_pool_t* pool, uintptr_t key) {
    for (size_t i = 0; i < pool->pins_count; i++) {
        if (pool->pins[i].key == key) return &pool->pins[i];
    }
    return NULL;
}

/* True if block p is pinned. A pin is only added by the pool's own user (under every lock if shared, and the caller
 * holds the pool's lock or the block's shard's), so the plain read of pinned_total cannot miss a pin that happened before this call; a
 * concurrent unpin only makes it take the lock for nothing. */
static bool is_pinned(cym_pool_t* pool, void* p) {
    if (__atomic_load_n(&pool->pinned_total, __ATOMIC_RELAXED) == 0) return false;
    pthread_mutex_lock(&pool->pin_lock);
    bool pinned = find_pin(pool, (uintptr_t)p) != NULL;
    pthread_mutex_unlock(&pool->pin_lock);
    return pinned;
}

cym_status cym_pool_pin(cym_pool_t* pool, void* p) {
    if (pool == NULL) return CYM_EINVAL;
    lock_all(pool);
    int status = CYM_OK;
    if (!owned(pool, p)) {
        status = CYM_ENOTOWNED;
    } else {
        pthread_mutex_lock(&pool->pin_lock);
        struct pin_s* pin = find_pin(pool, (uintptr_t)p);
        if (pin == NULL && pool->pins_count == pool->pins_capacity) {
            size_t capacity = pool->pins_capacity != 0 ? 2 * pool->pins_capacity : 4;
            struct pin_s* grown = realloc(pool->pins, capacity * sizeof *grown);
            if (grown == NULL) {
                status = CYM_ENOMEM;
            } else {
                pool->pins = grown;
                pool->pins_capacity = capacity;
            }
        }
        if (status == CYM_OK) {
            if (pin == NULL) {
                pin = &pool->pins[pool->pins_count++];
                *pin = (struct pin_s){(uintptr_t)p, 0};
            }
            pin->count++;
            __atomic_store_n(&pool->pinned_total, pool->pinned_total + 1, __ATOMIC_RELAXED);
        }
        pthread_mutex_unlock(&pool->pin_lock);
    }
    unlock_all(pool);
    return status;
}

cym_status cym_pool_unpin(cym_pool_t* pool, void* p) {
    if (pool == NULL) return CYM_EINVAL;
    pthread_mutex_lock(&pool->pin_lock);
    struct pin_s* pin = find_pin(pool, (uintptr_t)p);
    if (pin == NULL) {
        pthread_mutex_unlock(&pool->pin_lock);
        return CYM_ENOTOWNED;
    }
    if (--pin->count == 0) *pin = pool->pins[--pool->pins_count];
    __atomic_store_n(&pool->pinned_total, pool->pinned_total - 1, __ATOMIC_RELAXED);
    bool last = pool->destroy_pending && pool->pinned_total == 0;
    pthread_mutex_unlock(&pool->pin_lock);
    if (last) destroy_now(pool); /* nobody else may touch a pool whose destroy is pending */
    return CYM_OK;
}

int64_t cym_pool_pinned(cym_pool_t* pool, const void* p) {
    if (pool == NULL) return 0;
    pthread_mutex_lock(&pool->pin_lock);
    int64_t n;
    if (p == NULL) {
        n = (int64_t)pool->pinned_total;
    } else {
        struct pin_s* pin = find_pin(pool, (uintptr_t)p);
        n = pin != NULL ? (int64_t)pin->count : 0;
    }
    pthread_mutex_unlock(&pool->pin_lock);
    return n;
}

/* Frees p if it is a slab block, under its shard's lock only; CYM_ENOTOWNED if no shard has it (then it may be a
 * table block). try_only (the critical path): CYM_EUNSUPPORTED, nothing changed, if a shard's lock is busy. */
static int free_small(cym_pool_t* pool, void* p, bool try_only, size_t* freed) {
    if (!pool->slab_ok) return CYM_ENOTOWNED;
    _cym_slab_t* slab;
    uint32_t index;
    bool busy = false;
    _cym_shard_t* sh = _cym_shards_find_locked(&pool->shards, p, &slab, &index, try_only, &busy);
    if (sh == NULL) return busy ? CYM_EUNSUPPORTED : CYM_ENOTOWNED;
    int status = CYM_OK;
    if (is_pinned(pool, p)) {
        status = CYM_EBUSY;
    } else {
        size_t size = _cym_shard_free(sh, pool->allocator, slab, index);
        if (pool->tracked) process_add(-(int64_t)size);
        *freed = size;
    }
    _cym_shard_unlock(&pool->shards, sh);
    return status;
}

/* cym_pool_free's work for a table block, with the pool's lock (if shared) held. */
static int free_locked(cym_pool_t* pool, void* p, size_t max_bytes, size_t* freed) {
    size_t i = find(pool, (uintptr_t)p);
    if (i == SIZE_MAX) return CYM_ENOTOWNED;
    if (is_pinned(pool, p)) return CYM_EBUSY;
    size_t word = pool->slots[i].word;
    /* for _cym_pool_free_critical: what goes back may be up to alignment - 1 bytes more than the block */
    if (word_size(word) + (word_alignment(word) - 1) > max_bytes) return CYM_EUNSUPPORTED;
    remove_at(pool, i);
    pool->stats.total_frees++;
    *freed = word_size(word);
    adopted_t* adopted = pool->adopted_count != 0 ? find_adopted(pool, p) : NULL;
    if (adopted != NULL) {
        void (*free_fn)(void*) = adopted->free_fn;
        *adopted = pool->adopted[--pool->adopted_count];
        free_fn(p);
    } else {
        _cym_allocator_free(pool->allocator, block_start_taken(pool, (uintptr_t)p, word));
    }
    return CYM_OK;
}

int _cym_pool_free_sized(cym_pool_t* pool, void* p, size_t* freed) {
    int status = free_small(pool, p, false, freed);
    if (status != CYM_ENOTOWNED) return status;
    lock(pool);
    status = free_locked(pool, p, SIZE_MAX, freed);
    unlock(pool);
    return status;
}

cym_status cym_pool_free(cym_pool_t* pool, void* p) {
    size_t freed;
    return _cym_pool_free_sized(pool, p, &freed);
}

/* Realloc of aligned block p (slot i, size word `word`) to new_size bytes: a new block of the same alignment (its
 * growth zeroed by the allocation), the contents copied, then the old one freed. Plain realloc keeps only the
 * allocator's default alignment; jemalloc's rallocx and mi_realloc_aligned would keep any (not used yet). The over
 * table is grown first, so after the allocation nothing can fail; on failure the old block is untouched. */
static int realloc_aligned_locked(cym_pool_t* pool, size_t i, void* p, size_t word, size_t new_size, void** out) {
    size_t alignment = word_alignment(word);
    size_t old_size = word_size(word);
    bool may_over = pool->allocator->aligned_zalloc_fn == NULL;
    void* base = NULL;
    void* q = NULL;
    if (!may_over || over_reserve_one(pool) == CYM_OK) {
        q = _cym_allocator_zalloc_aligned(pool->allocator, alignment, new_size != 0 ? new_size : 1, &base);
    }
    if (q == NULL) return CYM_ENOMEM;
    memcpy(q, p, old_size < new_size ? old_size : new_size);
    remove_at(pool, i); /* same number of keys: re-inserting after the removal needs no growth */
    void* old_start = block_start_taken(pool, (uintptr_t)p, word);
    bool over = base != q;
    if (over) over_put(pool, (uintptr_t)q, (uintptr_t)base);
    insert(pool, (uintptr_t)q, aligned_word(new_size, alignment, over));
    _cym_allocator_free(pool->allocator, old_start);
    *out = q;
    return CYM_OK;
}

/* Realloc of slab block p (slab, index of shard sh) to new_size, with every lock held: in place if new_size has the
 * block's class, else a new block (slab of the calling thread's shard, or table, as cym_pool_alloc would place it),
 * the contents copied, the old block freed. On failure the old block is untouched. */
static int realloc_slab_locked(cym_pool_t* pool, _cym_shard_t* sh, _cym_slab_t* slab, uint32_t index, void* p,
                               size_t new_size, void** out) {
    if (is_pinned(pool, p)) return CYM_EBUSY;
    size_t old_size = _cym_slabs_size(slab, index);
    if (new_size > old_size && over_limit(pool, new_size - old_size)) {
        pool->stats.failed_allocs++;
        return CYM_ELIMIT;
    }
    if (_cym_slabs_resize(slab, index, new_size)) {
        shard_account(pool, sh, (int64_t)new_size - (int64_t)old_size, 0);
        *out = p;
        return CYM_OK;
    }
    /* Counted out first, so that the peak sees old and new one at a time, as the table path's remove + insert. */
    shard_account(pool, sh, -(int64_t)old_size, -1);
    void* q = NULL;
    if (slab_served(pool, new_size)) {
        _cym_shard_t* mine = _cym_shards_mine(&pool->shards);
        q = _cym_slabs_alloc(&mine->slabs, pool->allocator, new_size);
        if (q != NULL) shard_account(pool, mine, (int64_t)new_size, 1);
    } else if (reserve_one(pool) == CYM_OK) {
        q = _cym_allocator_zalloc(pool->allocator, new_size);
        if (q != NULL) insert(pool, (uintptr_t)q, new_size);
    }
    if (q == NULL) {
        shard_account(pool, sh, (int64_t)old_size, 1); /* back to where it was: below the peak, which stays */
        pool->stats.failed_allocs++;
        return CYM_ENOMEM;
    }
    memcpy(q, p, old_size < new_size ? old_size : new_size);
    _cym_slabs_free(&sh->slabs, pool->allocator, slab, index); /* slabs never move: slab, index still name p */
    *out = q;
    return CYM_OK;
}

cym_status cym_pool_realloc(cym_pool_t* pool, void* p, size_t new_size, void** out) {
    if ((size_t)new_size > (size_t)PTRDIFF_MAX) return CYM_EOVERFLOW;
    lock_all(pool);
    int status = CYM_OK;
    uint32_t index;
    _cym_shard_t* sh;
    _cym_slab_t* slab = slab_find_in(pool, p, &index, &sh);
    size_t i = slab != NULL ? SIZE_MAX : find(pool, (uintptr_t)p);
    if (slab != NULL) {
        status = realloc_slab_locked(pool, sh, slab, index, p, new_size, out);
    } else if (i == SIZE_MAX) {
        status = CYM_ENOTOWNED;
    } else if (is_pinned(pool, p)) {
        status = CYM_EBUSY;
    } else if (pool->adopted_count != 0 && find_adopted(pool, p) != NULL) {
        status = CYM_EUNSUPPORTED;
    } else if ((pool->slots[i].word & WORD_ALIGNED) && new_size > CYM_ALIGNED_SIZE_MAX) {
        status = CYM_EOVERFLOW;
    } else {
        size_t word = pool->slots[i].word;
        size_t old_size = word_size(word);
        if (new_size > old_size && over_limit(pool, new_size - old_size)) {
            status = CYM_ELIMIT;
            pool->stats.failed_allocs++;
        } else if (word & WORD_ALIGNED) {
            status = realloc_aligned_locked(pool, i, p, word, new_size, out);
            if (status != CYM_OK) pool->stats.failed_allocs++;
        } else {
            /* A zero-byte block keeps one real byte, so its address stays unique and non-NULL. */
            void* q = _cym_allocator_resize(pool->allocator, p, old_size != 0 ? old_size : 1,
                                            new_size != 0 ? new_size : 1);
            if (q == NULL) {
                status = CYM_ENOMEM;
                pool->stats.failed_allocs++;
            } else {
                /* Same number of keys: re-inserting after the removal needs no growth. */
                remove_at(pool, i);
                insert(pool, (uintptr_t)q, new_size);
                if (old_size == 0 && new_size > 0) memset(q, 0, 1); /* the placeholder byte */
                *out = q;
            }
        }
    }
    unlock_all(pool);
    return status;
}

/* The slot of the table block that bytes [lo, hi) overlap (a zero-byte block counts as its one address), or
 * SIZE_MAX; every lock held. O(capacity): for find_containing and adopt, not the hot path. */
static size_t table_overlapping(const cym_pool_t* pool, uintptr_t lo, uintptr_t hi) {
    for (size_t i = 0; i < pool->capacity; i++) {
        uintptr_t key = pool->slots[i].key;
        size_t n = word_size(pool->slots[i].word);
        if (key != 0 && key < hi && lo < key + (n != 0 ? n : 1)) return i;
    }
    return SIZE_MAX;
}

cym_status cym_pool_adopt(cym_pool_t* pool, void* ptr, size_t size, void (*free_fn)(void*)) {
    if (ptr == NULL || free_fn == NULL || size > (size_t)PTRDIFF_MAX || (uintptr_t)ptr > UINTPTR_MAX - size - 1) {
        return CYM_EINVAL;
    }
    uintptr_t lo = (uintptr_t)ptr, hi = lo + (size != 0 ? size : 1);
    lock_all(pool);
    int status = CYM_OK;
    /* Memory the pool already holds (a block, part of one, or a slab's free or header bytes) would be handed out or
     * freed twice: refused (a live block's start, refused before, is one case of it). */
    if (table_overlapping(pool, lo, hi) != SIZE_MAX || (pool->slab_ok && _cym_shards_overlap(&pool->shards, lo, hi))) {
        status = CYM_EINVAL;
    } else if (pool->adopted_count == pool->adopted_capacity) {
        size_t cap = pool->adopted_capacity == 0 ? 4 : pool->adopted_capacity * 2;
        adopted_t* grown = realloc(pool->adopted, cap * sizeof *grown);
        if (grown == NULL) {
            status = CYM_ENOMEM;
        } else {
            pool->adopted = grown;
            pool->adopted_capacity = cap;
        }
    }
    if (status == CYM_OK) status = reserve_one(pool);
    if (status == CYM_OK) {
        pool->adopted[pool->adopted_count++] = (adopted_t){ptr, free_fn};
        insert(pool, (uintptr_t)ptr, size);
        pool->stats.total_allocs++;
    }
    unlock_all(pool);
    return status;
}

int cym_pool_owns(cym_pool_t* pool, const void* p) {
    lock_all(pool);
    int owns = owned(pool, p);
    unlock_all(pool);
    return owns;
}

int64_t cym_pool_size_of(cym_pool_t* pool, const void* p) {
    lock_all(pool);
    uint32_t index;
    _cym_slab_t* slab = slab_find(pool, p, &index);
    size_t i = slab != NULL ? SIZE_MAX : find(pool, (uintptr_t)p);
    int64_t size = slab != NULL    ? (int64_t)_cym_slabs_size(slab, index)
                   : i == SIZE_MAX ? -1
                                   : (int64_t)word_size(pool->slots[i].word);
    unlock_all(pool);
    return size;
}

int64_t cym_pool_usable_size(cym_pool_t* pool, const void* p) {
    lock_all(pool);
    uint32_t index;
    _cym_slab_t* slab = slab_find(pool, p, &index);
    bool table_block = slab == NULL && find(pool, (uintptr_t)p) != SIZE_MAX;
    int64_t class_size = slab != NULL ? (int64_t)_cym_slabs_block_size(slab) : -1;
    unlock_all(pool);
    /* A table block's usable size is the allocator's to tell; asking it about a slab block (an address inside one of
     * its blocks) would be undefined. */
    if (slab != NULL) return class_size;
    return table_block ? cym_allocator_usable_size(pool->allocator, p) : -1;
}

int64_t cym_pool_alignment_of(cym_pool_t* pool, const void* p) {
    lock_all(pool);
    uint32_t index;
    size_t i = find(pool, (uintptr_t)p);
    int64_t alignment = slab_find(pool, p, &index) != NULL ? 1
                        : i == SIZE_MAX                    ? -1
                                                           : (int64_t)word_alignment(pool->slots[i].word);
    unlock_all(pool);
    return alignment;
}

void* cym_pool_find_containing(cym_pool_t* pool, const void* p, size_t* size) {
    uintptr_t a = (uintptr_t)p;
    void* found = NULL;
    lock_all(pool);
    size_t i = a == UINTPTR_MAX ? SIZE_MAX : table_overlapping(pool, a, a + 1);
    if (i != SIZE_MAX) {
        found = (void*)pool->slots[i].key;
        if (size != NULL) *size = word_size(pool->slots[i].word);
    }
    if (found == NULL && pool->slab_ok) found = _cym_shards_containing(&pool->shards, p, size);
    unlock_all(pool);
    return found;
}

void cym_pool_stats(cym_pool_t* pool, cym_pool_stats_t* stats) {
    lock_all(pool);
    *stats = pool->stats;
    _cym_shards_add_stats(&pool->shards, stats); /* the shards' counters, and the peak */
    unlock_all(pool);
}

void cym_pool_set_limit(cym_pool_t* pool, int64_t limit) {
    lock_all(pool);
    pool->stats.limit_bytes = limit < 0 ? -1 : limit;
    unlock_all(pool);
}

cym_allocator_t* cym_pool_allocator(cym_pool_t* pool) { return pool->parent; }

cym_allocator_t* cym_pool_block_allocator(cym_pool_t* pool) { return pool->allocator; }

/* The cursor walks the table's slots (0 .. capacity - 1), then the slab blocks (capacity + the shards' cursor). */
int cym_pool_next(cym_pool_t* pool, size_t* cursor, void** p, size_t* size) {
    for (size_t i = *cursor; i < pool->capacity; i++) {
        if (pool->slots[i].key != 0) {
            *p = (void*)pool->slots[i].key;
            *size = word_size(pool->slots[i].word);
            *cursor = i + 1;
            return 1;
        }
    }
    size_t slab_cursor = *cursor > pool->capacity ? *cursor - pool->capacity : 0;
    int more = _cym_shards_next(&pool->shards, &slab_cursor, p, size);
    *cursor = pool->capacity + slab_cursor;
    return more;
}

int cym_pool_foreach(cym_pool_t* pool, int (*fn)(void* p, size_t size, void* user), void* user) {
    size_t cursor = 0, size;
    void* p;
    while (cym_pool_next(pool, &cursor, &p, &size)) {
        int r = fn(p, size, user);
        if (r != 0) return r;
    }
    return 0;
}

// ------------------------------------------------------------------------------------------------------
// Critical calls (see internal.h)
// ------------------------------------------------------------------------------------------------------

/* A critical caller never waits for a shared pool's lock: its holder may be in a long call (realloc copying a large
 * block, iteration, a free function of an adopted pointer) while the JVM waits for the critical caller to reach a
 * safepoint. Busy means "take the ordinary path", which waits outside the JVM's way. */
static inline bool try_lock(cym_pool_t* pool) {
    return (pool->flags & CYM_POOL_SHARED) == 0 || pthread_mutex_trylock(&pool->lock) == 0;
}

int _cym_pool_alloc_critical(cym_pool_t* pool, size_t count, size_t size, void** out) {
    size_t bytes;
    if (!pool->critical_ok || _cym_mul_overflow(count, size, &bytes) || bytes > CYM_CRITICAL_MAX_BYTES) {
        return CYM_EUNSUPPORTED;
    }
    if (slab_served(pool, bytes)) return alloc_small(pool, bytes, out, true); /* its shard's lock, tried */
    if (!try_lock(pool)) return CYM_EUNSUPPORTED;
    /* Growing a large table (a new table plus a rehash of every key: milliseconds at a million blocks) is work
     * for the ordinary path. */
    size_t capacity = capacity_for_one_more(pool);
    int status = capacity != pool->capacity && capacity > CYM_CRITICAL_MAX_TABLE_SLOTS
                     ? CYM_EUNSUPPORTED
                     : alloc_locked(pool, bytes, out);
    unlock(pool);
    return status;
}

int _cym_pool_free_critical(cym_pool_t* pool, void* p, size_t* freed) {
    if (!pool->critical_ok) return CYM_EUNSUPPORTED;
    int small = free_small(pool, p, true, freed); /* a slab block: its shard's lock, tried */
    if (small != CYM_ENOTOWNED) return small;
    if (!try_lock(pool)) return CYM_EUNSUPPORTED;
    /* An adopted pointer's free function is the caller's own, which may do anything; a large block may go back
     * to the system (munmap, a trim) page by page. */
    int status = pool->adopted_count != 0 ? CYM_EUNSUPPORTED : free_locked(pool, p, CYM_CRITICAL_MAX_BYTES, freed);
    unlock(pool);
    return status;
}

bool _cym_pool_cacheable(const cym_pool_t* pool) {
    return (pool->flags & CYM_POOL_SHARED) == 0 && pool->slab_ok && !pool->tracked;
}

int _cym_pool_lease(cym_pool_t* pool, size_t bytes, void** start, uint32_t* count, uint32_t* stride) {
    if (!_cym_pool_cacheable(pool) || pool->stats.limit_bytes >= 0) return CYM_EUNSUPPORTED;
    if (bytes == 0 || bytes > CYM_SLAB_BLOCK_MAX) return CYM_EINVAL;
    _cym_shard_t* sh = _cym_shards_mine(&pool->shards); /* a confined pool's one shard: no lock */
    return _cym_slabs_lease(&sh->slabs, pool->allocator, bytes, start, count, stride);
}

int _cym_pool_commit(cym_pool_t* pool, const void* start, size_t handed, size_t bytes, bool end) {
    if (!_cym_pool_cacheable(pool)) return CYM_EUNSUPPORTED;
    _cym_shard_t* sh = _cym_shards_mine(&pool->shards);
    if (!_cym_slabs_commit(&sh->slabs, pool->allocator, start, handed, bytes, end)) return CYM_EINVAL;
    sh->total_allocs += (int64_t)handed;
    _cym_shard_account(&pool->shards, sh, (int64_t)(handed * bytes), (int64_t)handed);
    return CYM_OK;
}

void _cym_pool_settled(cym_pool_t* pool, int64_t allocs, int64_t frees, int64_t peak) {
    pool->stats.total_allocs += allocs; /* cym_pool_stats adds the shards' counts to these */
    pool->stats.total_frees += frees;
    _cym_shards_set_peak(&pool->shards, peak);
}

// ------------------------------------------------------------------------------------------------------
// Validation (tests)
// ------------------------------------------------------------------------------------------------------

/* The over table's invariants: a power-of-two capacity, load <= 1/2, probe runs unbroken, over_count entries. */
static bool over_is_valid(const cym_pool_t* pool) {
    if (pool->over_capacity == 0) return pool->over == NULL && pool->over_count == 0;
    if (pool->over_capacity < OVER_MIN || (pool->over_capacity & (pool->over_capacity - 1)) != 0) return false;
    size_t entries = 0;
    for (size_t i = 0; i < pool->over_capacity; i++) {
        uintptr_t key = pool->over[i].key;
        if (key == 0) continue;
        entries++;
        for (size_t j = over_home(key, pool->over_capacity); j != i; j = (j + 1) & (pool->over_capacity - 1)) {
            if (pool->over[j].key == 0) return false;
        }
    }
    return entries == pool->over_count && entries <= pool->over_capacity / 2;
}

/* The pins' invariants (see the struct): counts sum to pinned_total, each >= 1, each key a live block. */
static bool pins_are_valid(cym_pool_t* pool) {
    pthread_mutex_lock(&pool->pin_lock);
    size_t total = 0;
    bool ok = !pool->destroy_pending;
    for (size_t i = 0; ok && i < pool->pins_count; i++) {
        total += pool->pins[i].count;
        ok = pool->pins[i].count >= 1 && owned(pool, (const void*)pool->pins[i].key);
    }
    ok = ok && total == pool->pinned_total;
    pthread_mutex_unlock(&pool->pin_lock);
    return ok;
}

bool _cym_pool_is_valid(cym_pool_t* pool) {
    if (pool->capacity != 0 && (pool->capacity & (pool->capacity - 1)) != 0) return false;
    if (!pool->slab_ok && _cym_shards_slab_count(&pool->shards) != 0) return false;
    if ((pool->shards.count > 1) != (pool->slab_ok && (pool->flags & CYM_POOL_SHARED) != 0)) return false;
    size_t slab_blocks = 0, slab_bytes = 0;
    if (!_cym_shards_is_valid(&pool->shards, &slab_blocks, &slab_bytes)) return false;
    if (!over_is_valid(pool)) return false;
    if (!pins_are_valid(pool)) return false;
    size_t blocks = 0, bytes = 0, over = 0;
    for (size_t i = 0; i < pool->capacity; i++) {
        uintptr_t key = pool->slots[i].key;
        if (key == 0) continue;
        size_t word = pool->slots[i].word;
        blocks++;
        bytes += word_size(word);
        /* no empty slot between the key's home and its slot */
        for (size_t j = home_of(pool, key); j != i; j = (j + 1) & (pool->capacity - 1)) {
            if (pool->slots[j].key == 0) return false;
        }
        if ((word & WORD_ALIGNED) == 0) continue;
        size_t alignment = word_alignment(word);
        if (alignment < 2 || alignment > CYM_ALIGNMENT_MAX || key % alignment != 0) return false;
        if (word & WORD_OVER) {
            over++;
            size_t at = over_probe(pool->over, pool->over_capacity, key);
            uintptr_t base = pool->over[at].base;
            /* the first aligned address after base: base < key < base + alignment */
            if (pool->over[at].key != key || base >= key || key - base >= alignment) return false;
        }
    }
    return blocks == (size_t)pool->stats.live_blocks && bytes == (size_t)pool->stats.live_bytes &&
           blocks <= pool->capacity / 2 &&
           over == pool->over_count;
}

void* _cym_pool_block_start(cym_pool_t* pool, const void* p) {
    uint32_t index;
    if (slab_find(pool, p, &index) != NULL) return (void*)p; /* a slab block: the slab goes back, not the block */
    size_t i = find(pool, (uintptr_t)p);
    return i == SIZE_MAX ? NULL : block_start(pool, (uintptr_t)p, pool->slots[i].word);
}

size_t _cym_pool_shard_slabs(cym_pool_t* pool, unsigned k) {
    return k < pool->shards.count ? _cym_shards_at(&pool->shards, k)->slabs.count : SIZE_MAX;
}

bool _cym_pool_peak_is_valid(cym_pool_t* pool) { return _cym_shards_peak_is_valid(&pool->shards); }
