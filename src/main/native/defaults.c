/* defaults.c: the process default allocator (cym_allocator_default/set_default). The only global mutable
 * state of the core, so it sits behind one mutex; the entry point is cym_allocator_default. */
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
