/* cymem4j/pool.h: pools. A pool hands out zeroed blocks from its allocator, remembers every address (in
 * an open-addressing table, O(1) insert, lookup and delete; small blocks in the slabs they come from, see
 * cym_pool_create), and frees every remaining block when it is destroyed. It is cymem's Pool with three differences: count * size overflow is an error, freeing an
 * address the pool does not own is an error that frees nothing, and realloc may shrink.
 *
 * Threads: a pool made with CYM_POOL_SHARED takes its own lock in every call; any other pool must be
 * used by one thread at a time. cym_pool_destroy must not race any other call on the same pool.
 *
 * Every function below takes a live pool: NULL, or a pool already destroyed, is undefined behaviour (not
 * checked, for speed). A pool that Java owns (the handle from Pool.nativeHandle()) is live while the Java
 * Pool is open; native code may allocate, free, adopt and query, but never destroy it (Java does, on close).
 */
#ifndef CYMEM4J_POOL_H
#define CYMEM4J_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "cymem4j/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cym_pool_s cym_pool_t;

/* cym_pool_create flags. */
#define CYM_POOL_SHARED 1u /* every call takes the pool's mutex */
#define CYM_POOL_NO_SLABS 2u /* one allocator call per block even if the allocator allows slabs (see below) */

/* Counters of one pool; a snapshot taken under the pool's lock. */
typedef struct cym_pool_stats_s {
    int64_t live_bytes;     /* sum of the sizes of the live blocks */
    int64_t live_blocks;    /* number of live blocks (adopted pointers included) */
    int64_t peak_bytes;     /* highest live_bytes seen */
    int64_t total_allocs;   /* successful alloc/calloc calls (and adopts) */
    int64_t total_frees;    /* successful frees (not counting cym_pool_destroy) */
    int64_t failed_allocs;  /* alloc/realloc calls that returned CYM_ENOMEM or CYM_ELIMIT */
    int64_t limit_bytes;    /* the byte limit, or -1 for none */
} cym_pool_stats_t;

/* A new empty pool bound to allocator a (retained; NULL means the process default, cym_allocator_default()).
 * The pool owns what it allocates; the caller owns the pool and must destroy it. CYM_EINVAL for NULL out or
 * an unknown flag; CYM_ENOMEM leaves nothing behind.
 * Slabs: if the pool's block allocator has CYM_ALLOCATOR_SLABS and an aligned_zalloc_fn, and flags lack
 * CYM_POOL_NO_SLABS, blocks of up to 4 KiB (cym_pool_alloc, cym_pool_realloc; not cym_pool_alloc_aligned with an
 * alignment >= 2) come from 64 KiB slabs the pool takes from the allocator and gives back when a slab empties (a
 * couple are kept) or the pool is destroyed; no allocator call per block. Every block is still the pool's own:
 * owns, size_of (the size asked for), free (CYM_ENOTOWNED for foreign, interior and freed addresses), realloc,
 * stats, the limit, iteration and pins behave exactly as for the other blocks. */
cym_status cym_pool_create(cym_allocator_t* a, unsigned flags, cym_pool_t** out);

/* Frees every live block through the pool's allocator (adopted ones through their own free function), the
 * table, and the pool; releases the allocator. The pool pointer is invalid afterwards. NULL is ignored.
 * Never call it on a pool Java owns. If blocks are pinned (cym_pool_pin), nothing is freed now: the pool's
 * memory stays valid until the last cym_pool_unpin, which destroys it; no other call may use the pool. */
void cym_pool_destroy(cym_pool_t* pool);

/* Pins live block p for an export (a DLPack tensor handed to C): until the matching cym_pool_unpin,
 * cym_pool_free and cym_pool_realloc of p return CYM_EBUSY (nothing changed) and cym_pool_destroy frees nothing
 * (see above). Pins count: n pins need n unpins. CYM_ENOTOWNED if p is not the start of a live block,
 * CYM_ENOMEM if the pin table cannot grow; the pool is unchanged then. */
cym_status cym_pool_pin(cym_pool_t* pool, void* p);

/* Drops one pin of p, from any thread, also after cym_pool_destroy (the last unpin of a destroyed pool frees it:
 * the pool pointer is invalid afterwards). CYM_ENOTOWNED if p is not pinned. */
cym_status cym_pool_unpin(cym_pool_t* pool, void* p);

/* The pins of block p, or of the whole pool when p is NULL (0 if none). */
int64_t cym_pool_pinned(cym_pool_t* pool, const void* p);

/* A zeroed block of count * size bytes (calloc semantics, as cymem's Pool.alloc: there is no uninitialised
 * variant), owned by the pool, written to *out. A zero-byte request gives a unique non-NULL address (of
 * size 0). On error (CYM_EOVERFLOW, CYM_ENOMEM, CYM_ELIMIT) *out is left alone and the pool is unchanged. */
cym_status cym_pool_alloc(cym_pool_t* pool, size_t count, size_t size, void** out);

/* The largest aligned block (bytes): 2^56 - 1, more than any 64-bit address space holds; the table keeps an aligned
 * block's alignment in the size word's top bits. */
#define CYM_ALIGNED_SIZE_MAX (((size_t)1 << 56) - 1)

/* A zeroed block of count * size bytes whose address is a multiple of alignment, owned by the pool, written to
 * *out. alignment is any power of two from 1 to CYM_ALIGNMENT_MAX (1 GiB); 1 is an ordinary cym_pool_alloc.
 * The block is the pool's like any other: cym_pool_free, size_of, owns, find_containing, iteration, stats, the byte
 * limit (the size counted is count * size, never the padding), the critical free and cym_pool_destroy take the
 * aligned address; cym_pool_realloc gives a block with the same alignment; cym_pool_alignment_of tells it.
 * Served by the allocator's aligned_zalloc_fn (system, jemalloc, mimalloc, mimalloc-heap, tcmalloc, debug);
 * an allocator without one (wrapped pairs, libraries by path, Java hooks, failing) is asked once for
 * count * size + alignment - 1 bytes and the pool remembers where that block starts, to free it (cost: the
 * padding, and 32-64 bytes of side table per block that did not come back aligned). Errors, *out left alone and
 * the pool unchanged: CYM_EINVAL (alignment 0, not a power of two, above CYM_ALIGNMENT_MAX), CYM_EOVERFLOW
 * (count * size overflows, or exceeds CYM_ALIGNED_SIZE_MAX), CYM_ELIMIT, CYM_ENOMEM. */
cym_status cym_pool_alloc_aligned(cym_pool_t* pool, size_t count, size_t size, size_t alignment, void** out);

/* Frees block p of this pool. CYM_ENOTOWNED if p is not the start of a live block of this pool
 * (foreign, interior, already freed, NULL), CYM_EBUSY if it is pinned (cym_pool_pin): nothing is freed. */
cym_status cym_pool_free(cym_pool_t* pool, void* p);

/* Resizes block p to new_size bytes: the contents up to the smaller size are kept, any growth is
 * zeroed, the block may move (*out gets its address). An aligned block stays aligned as it was: it always moves
 * (new aligned block, copy, free). On error the old block is still valid, owned and unchanged: CYM_ENOTOWNED
 * (p not a block of this pool), CYM_EBUSY (p pinned), CYM_ENOMEM, CYM_ELIMIT, CYM_EOVERFLOW (new_size above
 * PTRDIFF_MAX, or above CYM_ALIGNED_SIZE_MAX for an aligned block). */
cym_status cym_pool_realloc(cym_pool_t* pool, void* p, size_t new_size, void** out);

/* Makes the pool own ptr, a block made elsewhere that free_fn releases; the pool calls free_fn(ptr) once,
 * when ptr is freed through it or when the pool is destroyed. size is what stats count (may be 0); the
 * byte limit does not apply (the memory exists already). On any error ptr is still the caller's: CYM_EINVAL
 * for NULL ptr/free_fn, size > PTRDIFF_MAX, or bytes [ptr, ptr + size) that overlap memory the pool holds (a block
 * or part of one, or any byte of its slabs: it would be handed out or freed twice); CYM_ENOMEM if the table cannot
 * grow.
 * Adopted blocks cannot be realloc'd (CYM_EUNSUPPORTED). */
cym_status cym_pool_adopt(cym_pool_t* pool, void* ptr, size_t size, void (*free_fn)(void*));

/* 1 if p is the start of a live block of this pool, else 0. */
int cym_pool_owns(cym_pool_t* pool, const void* p);

/* The size in bytes of live block p, or -1 if the pool does not own it. */
int64_t cym_pool_size_of(cym_pool_t* pool, const void* p);

/* The bytes usable at live block p (at least its size): a slab block's class size, else what the block allocator
 * reports (cym_allocator_usable_size); -1 if the pool does not own p or the allocator cannot tell. */
int64_t cym_pool_usable_size(cym_pool_t* pool, const void* p);

/* The alignment live block p was allocated with (cym_pool_alloc_aligned's; 1 for any other block, which is still
 * aligned as its allocator aligns it), or -1 if the pool does not own it. */
int64_t cym_pool_alignment_of(cym_pool_t* pool, const void* p);

/* The start of the live block that contains p (p itself or an interior address), or NULL. O(blocks):
 * meant for error messages, not for hot paths. */
void* cym_pool_find_containing(cym_pool_t* pool, const void* p, size_t* size);

/* Copies the counters into *stats (not NULL). */
void cym_pool_stats(cym_pool_t* pool, cym_pool_stats_t* stats);

/* Sets a byte limit: an alloc or realloc that would make live_bytes exceed it fails with CYM_ELIMIT
 * before the allocator is called. limit < 0 removes the limit. Live bytes above a new limit stay. */
void cym_pool_set_limit(cym_pool_t* pool, int64_t limit);

/* The allocator the pool's blocks come from (borrowed; valid while the pool lives). */
cym_allocator_t* cym_pool_allocator(cym_pool_t* pool);

/* The allocator that actually makes this pool's blocks: the pool-private one its allocator's pool_fn
 * returned (a mimalloc heap, a debug allocator's per-pool tracker), else cym_pool_allocator(pool).
 * Borrowed; valid while the pool lives. */
cym_allocator_t* cym_pool_block_allocator(cym_pool_t* pool);

/* Iteration without a callback: start with *cursor = 0; each call returns 1 and the next block's address
 * and size, or 0 at the end. Takes no lock, even on a shared pool: the pool must not change during the walk. */
int cym_pool_next(cym_pool_t* pool, size_t* cursor, void** p, size_t* size);

/* Calls fn(p, size, user) for every live block; stops early when fn returns non-zero (and returns that). */
int cym_pool_foreach(cym_pool_t* pool, int (*fn)(void* p, size_t size, void* user), void* user);

/* Process-wide accounting. Off by default, because it costs an atomic add (and, on growth, a compare-and-swap)
 * on every allocation and free in every pool. When on, pools created from then on add their live bytes to a
 * process total and keep its peak; pools created before keep out of it, so the total stays exact. Turning it
 * off stops new pools from joining; pools already counted keep counting until destroyed. Thread-safe. */
void cym_process_track(int on);

/* Live bytes over the counted pools and the highest that total has reached; both -1 if tracking was never on. */
void cym_process_bytes(int64_t* live, int64_t* peak);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_POOL_H */
