/* pool_slabs.c: the small blocks of a slab-served pool. A pool whose block allocator may serve blocks in bulk
 * (CYM_ALLOCATOR_SLABS: the system allocator and the named backends) takes 64 KiB slabs, aligned to 64 KiB, from
 * that allocator's aligned entry point and cuts each into blocks of one size class. An alloc is a free-list pop (plus
 * a memset of the requested bytes) or a bump of a fresh slab's zeroed memory; a free is a push. Neither touches the
 * pool's address table nor calls the allocator, and destroying the pool frees O(slabs). The entry points are
 * _cym_slabs_alloc, _cym_slabs_find and _cym_slabs_free (pool.c does the locking and the stats).
 *
 * A confined pool's Java side may lease a slab's never-used blocks (_cym_slabs_lease): it hands them out itself, by
 * bumping, and tells C which it handed out (_cym_slabs_commit) before C acts on or answers about any of them. While
 * leased, the slab is off its class's avail list, so C hands out none of those blocks, and it is never given back.
 *
 * Every block stays individually known: its slab is the address with the low 16 bits cleared, looked up in the
 * pool's set of slab bases before any of the slab's memory is read (so an arbitrary foreign address is never
 * dereferenced), then a live bit and the requested size (2 bytes) per block in the slab's header.
 *
 * Empty slabs of the system allocator go to a small per-thread cache (as pool_tables.c keeps tables), so that pools
 * opened and closed in a loop do not ask glibc for 64 KiB at 64 KiB alignment each time: glibc serves that request
 * by carving 128 KiB (mmap below the dynamic threshold, or a heap trim afterwards), which made a pool of 1000 x 64 B
 * cost 90 ns per block instead of 24 with the table (bench_alloc, loaded machine).
 *
 * Under AddressSanitizer the parts of a slab no live block owns (free blocks, never-used blocks, a block's bytes past
 * its requested size) are poisoned, so overruns inside a slab are caught as they would be between malloc blocks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The header at the start of every slab; blocks start at `first`. Invariants (checked by slab_is_valid):
 *   used == number of set bits of live;  used <= bump <= bump + leased <= capacity
 *   the free list holds bump - used distinct blocks, each of index < bump with its live bit clear
 *   every live block i has i < bump and _cym_slab_class(sizes[i]) == cls
 *   blocks bump + leased .. capacity - 1 have never been handed out and are all zero bytes (blocks bump ..
 *   bump + leased - 1 are Java's until committed: those it handed out may hold anything)
 *   the slab is on its pool's avail[cls] list iff used < capacity and leased == 0
 *   the slab counts in the pool's `empty` iff used == 0 and leased == 0
 *   sizes_offset + 2 * capacity <= first, first % 64 == 0, first + capacity * block_size <= CYM_SLAB_BYTES */
struct _cym_slab_s {
    _cym_slab_t* next;     /* the class's avail list (slabs with a free block) */
    _cym_slab_t* prev;
    void* free;            /* freed blocks: each holds the address of the next in its first 8 bytes */
    uint32_t index;        /* position in the pool's slabs array */
    uint32_t cls;          /* size class */
    uint32_t block_size;   /* _cym_slab_class_size(cls) */
    uint32_t capacity;     /* blocks in this slab */
    uint32_t used;         /* live blocks */
    uint32_t bump;         /* blocks below it have been handed out at least once */
    uint32_t leased;       /* blocks bump .. bump + leased - 1 are lent to Java (_cym_slabs_lease); 0: none */
    uint32_t first;        /* offset of block 0 from the slab's base */
    uint32_t sizes_offset; /* offset of the uint16_t requested sizes, one per block */
    uint32_t reciprocal;   /* 2^32 / block_size + 1: n / block_size == (n * reciprocal) >> 32 for n < 2^16 */
    uint64_t live[];       /* bit i set: block i is live */
};

_Static_assert(CYM_SLAB_BLOCK_MAX <= UINT16_MAX, "a block's requested size must fit in its uint16_t");
_Static_assert((CYM_SLAB_BYTES & (CYM_SLAB_BYTES - 1)) == 0, "slabs are found by masking the address");

#define CURSOR_STRIDE CYM_SLAB_CURSOR_STRIDE

static inline uintptr_t base_of(const void* p) { return (uintptr_t)p & ~(uintptr_t)(CYM_SLAB_BYTES - 1); }
static inline char* block_at(const _cym_slab_t* slab, uint32_t i) {
    return (char*)slab + slab->first + (size_t)i * slab->block_size;
}
static inline uint16_t* sizes_of(const _cym_slab_t* slab) {
    return (uint16_t*)((char*)slab + slab->sizes_offset);
}
static inline bool is_live(const _cym_slab_t* slab, uint32_t i) { return (slab->live[i >> 6] >> (i & 63u)) & 1u; }
/* offset / block_size without a division (offset < CYM_SLAB_BYTES; exact for every class, checked in the tests). */
static inline uint32_t block_index(const _cym_slab_t* slab, size_t offset) {
    return (uint32_t)(((uint64_t)offset * slab->reciprocal) >> 32);
}

// ------------------------------------------------------------------------------------------------------
// The set of slab bases (open addressing, linear probing, backward-shift deletion, load <= 1/2)
// ------------------------------------------------------------------------------------------------------

static inline size_t set_home(uintptr_t base, size_t capacity) {
    uint64_t h = (uint64_t)(base >> 16) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> (64u - (unsigned)__builtin_ctzll(capacity)));
}

static inline size_t set_probe(const uintptr_t* set, size_t capacity, uintptr_t base) {
    size_t i = set_home(base, capacity);
    while (set[i] != 0 && set[i] != base) i = (i + 1) & (capacity - 1);
    return i;
}

/* Makes room for one more slab in the array and the set (so that recording a new slab cannot fail). */
static bool reserve_slab(_cym_slabs_t* s) {
    if (s->count == s->capacity) {
        size_t capacity = s->capacity == 0 ? 8 : s->capacity * 2;
        _cym_slab_t** grown = realloc(s->slabs, capacity * sizeof *grown);
        if (grown == NULL) return false;
        s->slabs = grown;
        s->capacity = capacity;
    }
    if (s->count + 1 > s->set_capacity / 2) {
        size_t capacity = s->set_capacity == 0 ? 16 : s->set_capacity * 2;
        uintptr_t* fresh = calloc(capacity, sizeof *fresh);
        if (fresh == NULL) return false;
        for (size_t i = 0; i < s->set_capacity; i++) {
            if (s->set[i] != 0) fresh[set_probe(fresh, capacity, s->set[i])] = s->set[i];
        }
        free(s->set);
        s->set = fresh;
        s->set_capacity = capacity;
    }
    return true;
}

static void set_remove(_cym_slabs_t* s, uintptr_t base) {
    size_t mask = s->set_capacity - 1;
    size_t i = set_probe(s->set, s->set_capacity, base);
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (s->set[j] == 0) break;
        size_t k = set_home(s->set[j], s->set_capacity);
        bool home_between = (i <= j) ? (i < k && k <= j) : (i < k || k <= j);
        if (!home_between) {
            s->set[i] = s->set[j];
            i = j;
        }
    }
    s->set[i] = 0;
}

static inline bool set_contains(const _cym_slabs_t* s, uintptr_t base) {
    if (s->set_capacity == 0 || base == 0) return false;
    return s->set[set_probe(s->set, s->set_capacity, base)] == base;
}

// ------------------------------------------------------------------------------------------------------
// The per-thread cache of empty system-allocator slabs
// ------------------------------------------------------------------------------------------------------

/* Slabs one thread keeps: 8 x 64 KiB. Every cached slab is all zero (zeroed when it is put), so a slab taken from
 * the cache is as aligned_zalloc_fn would return it. No lock: only the owning thread reads or writes its cache; the
 * pthread key (its destructor frees a thread's slabs at exit) is made once under pthread_once. */
#define SLAB_CACHE_MAX 8u

typedef struct slab_cache_s {
    void* slab[SLAB_CACHE_MAX]; /* slab[0 .. count - 1]: zeroed slabs from the system allocator */
    unsigned count;
    bool registered;            /* the key's value is set, so cache_exit runs at thread exit */
} slab_cache_t;

static _Thread_local slab_cache_t slab_cache;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
static bool key_ready; /* atomic: drop_key may clear it at unload while other threads cache slabs */

static void cache_exit(void* value) {
    slab_cache_t* c = value;
    for (unsigned i = 0; i < c->count; i++) free(c->slab[i]);
    c->count = 0;
    c->registered = false;
}

static void make_key(void) {
    __atomic_store_n(&key_ready, pthread_key_create(&cache_key, cache_exit) == 0, __ATOMIC_RELAXED);
}

/* After dlclose, threads that exit later must not call into unmapped code: drop the destructor (a live thread's
 * cached slabs then stay allocated, at most 512 KiB per thread). */
__attribute__((destructor)) static void drop_key(void) {
    if (__atomic_exchange_n(&key_ready, false, __ATOMIC_RELAXED)) pthread_key_delete(cache_key);
}

static inline bool cacheable(const cym_allocator_t* a) { return a == cym_allocator_system(); }

static void* cache_take(void) { return slab_cache.count != 0 ? slab_cache.slab[--slab_cache.count] : NULL; }

/* Keeps slab (of the system allocator; its first `used` bytes may be non-zero) in the thread's cache, zeroed; false
 * if the cache is full or cannot be registered: then free it. */
static bool cache_put(void* slab, size_t used) {
    if (slab_cache.count == SLAB_CACHE_MAX) return false;
    if (!slab_cache.registered) {
        pthread_once(&key_once, make_key);
        if (!__atomic_load_n(&key_ready, __ATOMIC_RELAXED) || pthread_setspecific(cache_key, &slab_cache) != 0) {
            return false;
        }
        slab_cache.registered = true;
    }
    memset(slab, 0, used);
    slab_cache.slab[slab_cache.count++] = slab;
    return true;
}

size_t _cym_slabs_cached(void) { return slab_cache.count; }

/* Gives a slab (unpoisoned) back: to the thread's cache when a is the system allocator and there is room, else to a. */
static void slab_give_back(cym_allocator_t* a, _cym_slab_t* slab) {
    /* A lease never committed (a Java bug the settle reported) may have left its handed blocks dirty: zero them too. */
    size_t used = slab->first + (size_t)(slab->bump + slab->leased) * slab->block_size;
    if (cacheable(a) && cache_put(slab, used)) return;
    _cym_allocator_free(a, slab);
}

// ------------------------------------------------------------------------------------------------------
// Slabs
// ------------------------------------------------------------------------------------------------------

static void avail_push(_cym_slabs_t* s, _cym_slab_t* slab) {
    slab->prev = NULL;
    slab->next = s->avail[slab->cls];
    if (slab->next != NULL) slab->next->prev = slab;
    s->avail[slab->cls] = slab;
}

static void avail_unlink(_cym_slabs_t* s, _cym_slab_t* slab) {
    if (slab->prev != NULL) {
        slab->prev->next = slab->next;
    } else {
        s->avail[slab->cls] = slab->next;
    }
    if (slab->next != NULL) slab->next->prev = slab->prev;
    slab->next = slab->prev = NULL;
}

/* The most blocks of block_size that fit in a slab beside their header (live bits and sizes), and where the sizes
 * and the blocks start. */
static void layout(size_t block_size, uint32_t* capacity, uint32_t* sizes_offset, uint32_t* first) {
    size_t fixed = sizeof(_cym_slab_t);
    for (size_t n = (CYM_SLAB_BYTES - fixed) / (block_size + 2);; n--) {
        size_t sizes = fixed + (n + 63) / 64 * 8;
        size_t start = (sizes + 2 * n + 63) & ~(size_t)63;
        if (start + n * block_size <= CYM_SLAB_BYTES) {
            *capacity = (uint32_t)n;
            *sizes_offset = (uint32_t)sizes;
            *first = (uint32_t)start;
            return;
        }
    }
}

/* A new empty slab of class c, recorded and on the avail list; NULL (nothing changed) if memory runs out. */
static _cym_slab_t* slab_new(_cym_slabs_t* s, cym_allocator_t* a, unsigned c) {
    if (!reserve_slab(s)) return NULL;
    _cym_slab_t* slab = cacheable(a) ? cache_take() : NULL;
    if (slab == NULL) slab = a->aligned_zalloc_fn(a->ctx, CYM_SLAB_BYTES, CYM_SLAB_BYTES);
    if (slab == NULL) return NULL;
    if (((uintptr_t)slab & (CYM_SLAB_BYTES - 1)) != 0) { /* a backend that ignored the alignment: never use it */
        _cym_allocator_free(a, slab);
        return NULL;
    }
    slab->cls = c;
    slab->block_size = (uint32_t)_cym_slab_class_size(c);
    slab->reciprocal = (uint32_t)((UINT64_C(1) << 32) / slab->block_size + 1);
    layout(slab->block_size, &slab->capacity, &slab->sizes_offset, &slab->first);
    slab->index = (uint32_t)s->count;
    s->slabs[s->count] = slab;
    __atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELAXED);
    s->set[set_probe(s->set, s->set_capacity, (uintptr_t)slab)] = (uintptr_t)slab;
    avail_push(s, slab);
    s->empty++;
    POISON(block_at(slab, 0), CYM_SLAB_BYTES - slab->first);
    return slab;
}

/* Unrecords an empty slab and gives it back to a. */
static void slab_release(_cym_slabs_t* s, cym_allocator_t* a, _cym_slab_t* slab) {
    avail_unlink(s, slab);
    set_remove(s, (uintptr_t)slab);
    __atomic_store_n(&s->count, s->count - 1, __ATOMIC_RELAXED);
    _cym_slab_t* last = s->slabs[s->count];
    s->slabs[slab->index] = last;
    last->index = slab->index;
    s->empty--;
    UNPOISON(slab, CYM_SLAB_BYTES);
    slab_give_back(a, slab);
}

// ------------------------------------------------------------------------------------------------------
// Blocks
// ------------------------------------------------------------------------------------------------------

void* _cym_slabs_alloc(_cym_slabs_t* s, cym_allocator_t* a, size_t bytes) {
    unsigned c = _cym_slab_class(bytes);
    _cym_slab_t* slab = s->avail[c];
    if (slab == NULL && (slab = slab_new(s, a, c)) == NULL) return NULL;
    char* p;
    uint32_t i;
    if (slab->free != NULL) {
        p = slab->free;
        UNPOISON(p, bytes > sizeof(void*) ? bytes : sizeof(void*));
        slab->free = *(void**)p;
        memset(p, 0, bytes > sizeof(void*) ? bytes : sizeof(void*)); /* zeroed, as calloc; the link included */
        if (bytes < sizeof(void*)) POISON(p + bytes, sizeof(void*) - bytes);
        i = block_index(slab, (size_t)(p - block_at(slab, 0)));
    } else {
        i = slab->bump++;
        p = block_at(slab, i); /* never handed out: still zero */
        UNPOISON(p, bytes);
    }
    slab->live[i >> 6] |= UINT64_C(1) << (i & 63u);
    sizes_of(slab)[i] = (uint16_t)bytes;
    if (slab->used++ == 0) s->empty--;
    if (slab->used == slab->capacity) avail_unlink(s, slab);
    return p;
}

// ------------------------------------------------------------------------------------------------------
// Leases: a slab's never-used blocks lent to Java
// ------------------------------------------------------------------------------------------------------

int _cym_slabs_lease(_cym_slabs_t* s, cym_allocator_t* a, size_t bytes, void** start, uint32_t* count,
                     uint32_t* stride) {
    unsigned c = _cym_slab_class(bytes);
    _cym_slab_t* slab = s->avail[c];
    /* The slab C's own alloc would take next has freed blocks: C first, since a lease of fresh blocks meanwhile
     * would leave them unused, and a pool whose slabs each keep a few survivors would grow a slab per lease. With
     * none there, it has never-used blocks (used < capacity == bump would need a freed one): those are lent. */
    if (slab != NULL && slab->free != NULL) return CYM_EBUSY;
    if (slab == NULL && (slab = slab_new(s, a, c)) == NULL) return CYM_ENOMEM;
    avail_unlink(s, slab);
    if (slab->used == 0) s->empty--;
    slab->leased = slab->capacity - slab->bump;
    UNPOISON(block_at(slab, slab->bump), (size_t)slab->leased * slab->block_size);
    *start = block_at(slab, slab->bump);
    *count = slab->leased;
    *stride = slab->block_size;
    return CYM_OK;
}

bool _cym_slabs_commit(_cym_slabs_t* s, cym_allocator_t* a, const void* start, size_t handed, size_t bytes,
                       bool end) {
    uintptr_t base = base_of(start);
    if (!set_contains(s, base)) return false;
    _cym_slab_t* slab = (_cym_slab_t*)base;
    if (slab->leased == 0 || start != block_at(slab, slab->bump) || handed > slab->leased || bytes == 0 ||
        bytes > CYM_SLAB_BLOCK_MAX || _cym_slab_class(bytes) != slab->cls) {
        return false;
    }
    /* A run of consecutive blocks: its sizes one fill, its live bits a word at a time (a commit at close covers a
     * slab's thousand blocks; one bit and one size per step was a tenth of a batch's cost per block). */
    uint32_t lo = slab->bump, hi = slab->bump + (uint32_t)handed;
    uint16_t* sizes = sizes_of(slab);
    for (uint32_t i = lo; i < hi; i++) sizes[i] = (uint16_t)bytes;
    for (uint32_t i = lo; i < hi;) {
        uint32_t stop = (i | 63u) + 1u < hi ? (i | 63u) + 1u : hi; /* the end of i's word, or of the run */
        uint64_t bits = stop - i == 64u ? ~UINT64_C(0) : ((UINT64_C(1) << (stop - i)) - 1u) << (i & 63u);
        slab->live[i >> 6] |= bits;
        i = stop;
    }
#ifdef __SANITIZE_ADDRESS__
    for (uint32_t i = lo; i < hi; i++) POISON(block_at(slab, i) + bytes, slab->block_size - bytes);
#endif
    slab->used += (uint32_t)handed;
    slab->bump += (uint32_t)handed;
    slab->leased -= (uint32_t)handed;
    if (end && slab->leased != 0) {
        POISON(block_at(slab, slab->bump), (size_t)slab->leased * slab->block_size); /* never handed out: still zero */
        slab->leased = 0;
    }
    if (slab->leased == 0) { /* back to C, as any slab: on the avail list if it has room, counted empty if empty */
        if (slab->used < slab->capacity) avail_push(s, slab);
        if (slab->used == 0 && s->empty++ >= CYM_SLAB_KEEP_EMPTY) slab_release(s, a, slab);
    }
    return true;
}

/* The slab of the pool's that p falls in, with the index of the live block slot p is in and p's offset into that
 * slot; NULL when p is in no slab of the pool, before the first slot, or in a slot that is not live. The base is
 * looked up in the pool's set before any slab memory is read: a foreign address is never dereferenced. */
static _cym_slab_t* live_slot_of(const _cym_slabs_t* s, const void* p, uint32_t* index, size_t* inside) {
    uintptr_t base = base_of(p);
    if (!set_contains(s, base)) return NULL;
    _cym_slab_t* slab = (_cym_slab_t*)base;
    size_t offset = (uintptr_t)p - base;
    if (offset < slab->first) return NULL;
    offset -= slab->first;
    uint32_t i = block_index(slab, offset);
    if (i >= slab->bump || !is_live(slab, i)) return NULL;
    *index = i;
    *inside = offset - (size_t)i * slab->block_size;
    return slab;
}

_cym_slab_t* _cym_slabs_find(const _cym_slabs_t* s, const void* p, uint32_t* index) {
    size_t inside;
    _cym_slab_t* slab = live_slot_of(s, p, index, &inside);
    return slab != NULL && inside == 0 ? slab : NULL;
}

size_t _cym_slabs_size(const _cym_slab_t* slab, uint32_t index) { return sizes_of(slab)[index]; }

size_t _cym_slabs_block_size(const _cym_slab_t* slab) { return slab->block_size; }

size_t _cym_slabs_free(_cym_slabs_t* s, cym_allocator_t* a, _cym_slab_t* slab, uint32_t index) {
    char* p = block_at(slab, index);
    size_t size = sizes_of(slab)[index];
    slab->live[index >> 6] &= ~(UINT64_C(1) << (index & 63u));
    UNPOISON(p, sizeof(void*));
    *(void**)p = slab->free;
    slab->free = p;
    POISON(p, slab->block_size);
    if (slab->used-- == slab->capacity) avail_push(s, slab);
    if (slab->used == 0 && slab->leased == 0) {
        /* Keep a few empty slabs so that a pool allocating and freeing around a slab boundary does not call the
         * allocator each time; beyond them, memory goes back now. */
        if (s->empty++ >= CYM_SLAB_KEEP_EMPTY) slab_release(s, a, slab); /* which counts it out again */
    }
    return size;
}

bool _cym_slabs_resize(_cym_slab_t* slab, uint32_t index, size_t new_size) {
    if (new_size > CYM_SLAB_BLOCK_MAX || _cym_slab_class(new_size) != slab->cls) return false;
    char* p = block_at(slab, index);
    size_t old_size = sizes_of(slab)[index];
    if (new_size > old_size) {
        UNPOISON(p + old_size, new_size - old_size);
        memset(p + old_size, 0, new_size - old_size);
    } else {
        POISON(p + new_size, old_size - new_size);
    }
    sizes_of(slab)[index] = (uint16_t)new_size;
    return true;
}

bool _cym_slabs_overlap(const _cym_slabs_t* s, uintptr_t lo, uintptr_t hi) {
    for (size_t k = 0; k < s->count; k++) {
        uintptr_t base = (uintptr_t)s->slabs[k];
        if (base < hi && lo < base + CYM_SLAB_BYTES) return true;
    }
    return false;
}

void* _cym_slabs_containing(const _cym_slabs_t* s, const void* p, size_t* size) {
    uint32_t i;
    size_t inside;
    const _cym_slab_t* slab = live_slot_of(s, p, &i, &inside);
    if (slab == NULL) return NULL;
    size_t n = sizes_of(slab)[i];
    if (inside != 0 && inside >= n) return NULL;
    if (size != NULL) *size = n;
    return block_at(slab, i);
}

int _cym_slabs_next(const _cym_slabs_t* s, size_t* cursor, void** p, size_t* size) {
    for (size_t k = *cursor / CURSOR_STRIDE; k < s->count; k++) {
        const _cym_slab_t* slab = s->slabs[k];
        size_t start = k == *cursor / CURSOR_STRIDE ? *cursor % CURSOR_STRIDE : 0;
        for (uint32_t i = (uint32_t)start; i < slab->bump; i++) {
            if (is_live(slab, i)) {
                *p = block_at(slab, i);
                *size = sizes_of(slab)[i];
                *cursor = k * CURSOR_STRIDE + i + 1;
                return 1;
            }
        }
    }
    *cursor = s->count * CURSOR_STRIDE;
    return 0;
}

void _cym_slabs_trim(_cym_slabs_t* s, cym_allocator_t* a) {
    if (s->empty == 0) return; /* a refused allocation in a pool of many full slabs walks nothing */
    for (size_t k = s->count; k-- > 0;) {
        if (s->slabs[k]->used == 0 && s->slabs[k]->leased == 0) slab_release(s, a, s->slabs[k]);
    }
}

void _cym_slabs_destroy(_cym_slabs_t* s, cym_allocator_t* a, bool release_memory) {
    for (size_t k = 0; k < s->count; k++) {
        UNPOISON(s->slabs[k], CYM_SLAB_BYTES);
        if (release_memory) slab_give_back(a, s->slabs[k]);
    }
    free(s->slabs);
    free(s->set);
    memset(s, 0, sizeof *s);
}

// ------------------------------------------------------------------------------------------------------
// Validation (tests)
// ------------------------------------------------------------------------------------------------------

static bool slab_is_valid(const _cym_slabs_t* s, const _cym_slab_t* slab, size_t* blocks, size_t* bytes) {
    for (size_t offset = 0; offset < CYM_SLAB_BYTES; offset += 7) {
        if (block_index(slab, offset) != offset / slab->block_size) return false;
    }
    if (slab->block_size != _cym_slab_class_size(slab->cls) || slab->first % 64 != 0 ||
        slab->sizes_offset + 2 * (size_t)slab->capacity > slab->first ||
        slab->first + (size_t)slab->capacity * slab->block_size > CYM_SLAB_BYTES || slab->used > slab->bump ||
        slab->bump > slab->capacity || slab->leased > slab->capacity - slab->bump) {
        return false;
    }
    uint32_t live = 0;
    for (uint32_t i = 0; i < slab->capacity; i++) {
        if (!is_live(slab, i)) continue;
        if (i >= slab->bump || _cym_slab_class(sizes_of(slab)[i]) != slab->cls) return false;
        live++;
        *blocks += 1;
        *bytes += sizes_of(slab)[i];
    }
    if (live != slab->used) return false;
    uint32_t free_blocks = 0;
    for (const char* p = slab->free; p != NULL; free_blocks++) {
        size_t offset = (size_t)(p - block_at(slab, 0));
        uint32_t i = (uint32_t)(offset / slab->block_size);
        if (free_blocks > slab->bump || (uintptr_t)p < (uintptr_t)block_at(slab, 0) || offset % slab->block_size ||
            i >= slab->bump || is_live(slab, i)) {
            return false;
        }
        UNPOISON(p, sizeof(void*));
        const char* next = *(char* const*)p;
        POISON((void*)p, sizeof(void*));
        p = next;
    }
    if (free_blocks != slab->bump - slab->used) return false;
    for (uint32_t i = slab->bump + slab->leased; i < slab->capacity; i++) {
        const unsigned char* b = (const unsigned char*)block_at(slab, i);
        UNPOISON(b, slab->block_size);
        bool zero = true;
        for (uint32_t j = 0; j < slab->block_size; j++) zero = zero && b[j] == 0;
        POISON((void*)b, slab->block_size);
        if (!zero) return false;
    }
    bool listed = false;
    for (const _cym_slab_t* t = s->avail[slab->cls]; t != NULL; t = t->next) listed = listed || t == slab;
    return listed == (slab->used < slab->capacity && slab->leased == 0);
}

bool _cym_slabs_is_valid(const _cym_slabs_t* s, size_t* blocks, size_t* bytes) {
    size_t entries = 0, empty = 0;
    for (size_t i = 0; i < s->set_capacity; i++) entries += s->set[i] != 0;
    if (entries != s->count || (s->set_capacity != 0 && s->count > s->set_capacity / 2)) return false;
    for (size_t k = 0; k < s->count; k++) {
        const _cym_slab_t* slab = s->slabs[k];
        if (slab->index != k || !set_contains(s, (uintptr_t)slab)) return false;
        if (!slab_is_valid(s, slab, blocks, bytes)) return false;
        empty += slab->used == 0 && slab->leased == 0;
    }
    for (unsigned c = 0; c < CYM_SLAB_CLASSES; c++) {
        for (const _cym_slab_t* t = s->avail[c]; t != NULL; t = t->next) {
            if (t->cls != c || t->used >= t->capacity || t->leased != 0 || (t->next != NULL && t->next->prev != t)) {
                return false;
            }
        }
    }
    return empty == s->empty && s->empty <= CYM_SLAB_KEEP_EMPTY;
}
