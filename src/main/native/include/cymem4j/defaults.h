/* cymem4j/defaults.h: the process default allocator, the one configuration chose. Pools created with a
 * NULL allocator use it, and native consumers ask for it so that their blocks come from the same
 * allocator as the Java side's. It starts as cym_allocator_system().
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

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_DEFAULTS_H */
