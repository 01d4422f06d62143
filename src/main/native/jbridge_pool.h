/* jbridge_pool.h: the pool functions as the Java binding calls them (org.cymem4j.internal.jni.NativePool).
 * Addresses and handles travel as int64_t. Every bridge function that returns something returns one encoding: a
 * value >= 0, or -cym_status (ARCHITECTURE.md); void ones fill the caller's array.
 * No JNI here: JavaCPP generates the glue around these plain C functions. */
#ifndef CYMEM4J_JBRIDGE_POOL_H
#define CYMEM4J_JBRIDGE_POOL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Index of each counter in the array filled by cym_j_pool_stats. */
#define CYM_J_STAT_LIVE_BYTES 0
#define CYM_J_STAT_LIVE_BLOCKS 1
#define CYM_J_STAT_PEAK_BYTES 2
#define CYM_J_STAT_TOTAL_ALLOCS 3
#define CYM_J_STAT_TOTAL_FREES 4
#define CYM_J_STAT_FAILED_ALLOCS 5
#define CYM_J_STAT_LIMIT_BYTES 6
#define CYM_J_STAT_COUNT 7
/* Values cym_j_process_retired and cym_j_process_bytes fill. */
#define CYM_J_RETIRED_COUNT 3
#define CYM_J_PROCESS_BYTES_COUNT 2

int64_t cym_j_pool_create(int64_t allocator, int32_t flags);   /* handle, or -status */
void cym_j_pool_destroy(int64_t pool);
/* out[0..CYM_J_RETIRED_COUNT-1]: total allocs, total frees and failed allocs summed over every pool cym_j_pool_destroy destroyed. */
void cym_j_process_retired(int64_t* out);
int64_t cym_j_pool_alloc(int64_t pool, int64_t count, int64_t size); /* address, or -status */
/* cym_pool_alloc_aligned: address, or -status (-CYM_EINVAL for a bad alignment) */
int64_t cym_j_pool_alloc_aligned(int64_t pool, int64_t count, int64_t size, int64_t alignment);
/* cym_pool_alignment_of: the block's alignment (1 for an ordinary block), or -CYM_EINVAL if the pool does not own it */
int64_t cym_j_pool_alignment_of(int64_t pool, int64_t address);
int64_t cym_j_pool_free(int64_t pool, int64_t address);        /* the freed block's size, or -status */
/* The same two for the FFM critical downcalls of org.cymem4j.internal.PoolCalls (JDK 22+; not bound by JavaCPP).
 * -CYM_EUNSUPPORTED means "not on this path": nothing was done, make the
 * call above instead (see _cym_pool_alloc_critical in internal.h). Results as the two above. */
int64_t cym_j_pool_alloc_critical(int64_t pool, int64_t count, int64_t size);
int64_t cym_j_pool_free_critical(int64_t pool, int64_t address);
int64_t cym_j_pool_realloc(int64_t pool, int64_t address, int64_t new_size); /* address, or -status */
int32_t cym_j_pool_owns(int64_t pool, int64_t address);        /* 1 owned, 0 not */
int64_t cym_j_pool_size_of(int64_t pool, int64_t address);     /* size, or -CYM_ENOTOWNED */
int64_t cym_j_pool_find_containing(int64_t pool, int64_t address); /* block start, or -CYM_ENOTOWNED */
void cym_j_pool_stats(int64_t pool, int64_t* out);             /* CYM_J_STAT_COUNT values */
void cym_j_pool_set_limit(int64_t pool, int64_t limit);
/* Writes up to capacity (address, size) pairs; returns the number of live blocks (may exceed capacity). */
int64_t cym_j_pool_snapshot(int64_t pool, int64_t* addresses, int64_t* sizes, int64_t capacity);
/* cym_process_track, and cym_process_bytes into out[0] (live) and out[1] (peak). */
void cym_j_process_track(int32_t on);
void cym_j_process_bytes(int64_t* out);
/* 1 if Java may keep a block cache for the pool (_cym_pool_cacheable), else 0. */
int32_t cym_j_pool_cacheable(int64_t pool);
/* A lease of never-used slab blocks of `bytes` for Java's block cache (_cym_pool_lease), after committing and ending
 * the lease whose next uncommitted block is commit_start (0: none) with commit_handed blocks of commit_bytes handed
 * out. Returns
 * the commit's -status (nothing done), else 0 with out[0] the first block, out[1] the count and out[2] the stride;
 * out[1] 0 when no lease was made (out[2] then the lease's -status: not a lending pool, freed blocks of the class to
 * use first, or no memory). */
int32_t cym_j_pool_lease(int64_t pool, int64_t bytes, int64_t commit_start, int64_t commit_handed,
                         int64_t commit_bytes, int64_t* out);
/* Test hook: the slabs of the pool's first shard (_cym_pool_shard_slabs). */
int64_t cym_j_pool_slab_count(int64_t pool);
/* Settles Java's block cache: commits leases[0..n_leases) (triples: next uncommitted block, blocks handed out,
 * requested size; ending each lease when `end`), then frees blocks[0..n) (live blocks Java's user freed and the
 * cache kept), adds the cache's unseen allocs and frees (the n included) to the totals and sets the peak to Java's
 * (_cym_pool_settled). 0, or the first -status (nothing should fail: the cache keeps only live blocks of the pool
 * and leases as C made them); every step is tried regardless. */
int32_t cym_j_pool_settle(int64_t pool, const int64_t* blocks, int32_t n, int64_t allocs, int64_t frees,
                          int64_t peak, const int64_t* leases, int32_t n_leases, int32_t end);
/* Test hook: 1 if the pool's invariants hold (_cym_pool_is_valid and the peak's), else 0. */
int32_t cym_j_pool_check(int64_t pool);
/* memset(address, value, bytes) and memmove for the Java accessors' bulk operations. */
void cym_j_memset(int64_t address, int32_t value, int64_t bytes);
void cym_j_memmove(int64_t dst, int64_t src, int64_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_POOL_H */
