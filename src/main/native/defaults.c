/* defaults.c: the process-wide settings of defaults.h, the core's only global mutable state. The default allocator
 * (cym_allocator_default/set_default) sits behind one mutex; the huge-page threshold is one atomic word (a pool reads
 * it once per large block). */
#include <pthread.h>

#include "internal.h"

static pthread_mutex_t default_lock = PTHREAD_MUTEX_INITIALIZER;
static cym_allocator_t* default_allocator = NULL; /* guarded by default_lock; NULL means the system one */

cym_allocator_t* cym_allocator_default(void) {
    pthread_mutex_lock(&default_lock);
    /* Retained under the lock: a set_default racing this call releases only the default's own reference. */
    cym_allocator_t* a = cym_allocator_retain(default_allocator != NULL ? default_allocator : cym_allocator_system());
    pthread_mutex_unlock(&default_lock);
    return a;
}

void cym_allocator_set_default(cym_allocator_t* a) {
    cym_allocator_t* fresh = a != NULL ? cym_allocator_retain(a) : NULL;
    pthread_mutex_lock(&default_lock);
    cym_allocator_t* old = default_allocator;
    default_allocator = fresh;
    pthread_mutex_unlock(&default_lock);
    /* Outside the lock: the last release may run the allocator's release_fn, which may be slow. */
    cym_allocator_release(old);
}

static size_t huge_pages_min = CYM_HUGE_PAGES_MIN_DEFAULT; /* atomic, relaxed: a setting, it orders nothing */

void cym_huge_pages_set_min(size_t min_bytes) {
    /* No smaller block can hold a whole huge page, and a madvise (it takes the process's mmap lock) must never run
     * inside a JDK 22+ critical downcall, whose blocks are at most 64 KiB. */
    if (min_bytes != 0 && min_bytes < CYM_HUGE_PAGES_MIN_FLOOR) min_bytes = CYM_HUGE_PAGES_MIN_FLOOR;
    __atomic_store_n(&huge_pages_min, min_bytes, __ATOMIC_RELAXED);
}

size_t cym_huge_pages_min(void) { return __atomic_load_n(&huge_pages_min, __ATOMIC_RELAXED); }
