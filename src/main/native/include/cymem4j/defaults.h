/* cymem4j/defaults.h: process-wide settings. The default allocator, the one configuration chose: pools created
 * with a NULL allocator use it, and native consumers ask for it so that their blocks come from the same allocator
 * as the Java side's; it starts as cym_allocator_system(). The huge-page advice for large blocks.
 */
#ifndef CYMEM4J_DEFAULTS_H
#define CYMEM4J_DEFAULTS_H

#include "cymem4j/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The current process default, as a new reference owned by the caller: release it with
 * cym_allocator_release (a no-op for the system allocator). Never NULL; cannot fail. Thread-safe: a
 * concurrent cym_allocator_set_default cannot free the allocator returned here. */
cym_allocator_t* cym_allocator_default(void);

/* Makes a the process default (the default takes its own reference; the caller keeps theirs) and
 * releases the reference held on the previous default. NULL restores cym_allocator_system(). Pools
 * already created keep the allocator they were created with. Thread-safe. */
void cym_allocator_set_default(cym_allocator_t* a);

/* The huge-page advice's default threshold: 4 MiB, NumPy's for its arrays. */
#define CYM_HUGE_PAGES_MIN_DEFAULT ((size_t)4 << 20)
/* The smallest threshold: 2 MiB, an x86-64 or 4 KiB-page arm64 huge page (a 64 KiB-page arm64 kernel's is 512 MiB). */
#define CYM_HUGE_PAGES_MIN_FLOOR ((size_t)2 << 20)

/* Blocks of at least min_bytes (0: none; a smaller non-zero value counts as CYM_HUGE_PAGES_MIN_FLOOR) that pools
 * allocate from now on, growth by realloc included, and a pool's address table as large, are advised to the kernel
 * as huge-page memory: on Linux, madvise(MADV_HUGEPAGE) on the pages that hold the block, as soon as the allocator
 * returns it (before the zeroing or the first write, where the allocator leaves that to the pool). A strided walk
 * over a large block (a column of a matrix, a transpose) then misses the TLB far less. It is advice: the kernel's
 * transparent huge pages decide (/sys/kernel/mm/transparent_hugepage/enabled: with "never" nothing changes; its
 * defrag setting decides whether a fault may wait for compaction), and a madvise that fails (a kernel without huge
 * pages) is ignored; on a shared-memory mapping (a custom allocator's) it also sets that mapping's huge-page flag.
 * The advice stays with the pages after the block is freed, and may then cover the allocator's other blocks there.
 * Starts at CYM_HUGE_PAGES_MIN_DEFAULT. Thread-safe. */
void cym_huge_pages_set_min(size_t min_bytes);

/* The current threshold (0: off). */
size_t cym_huge_pages_min(void);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_DEFAULTS_H */
