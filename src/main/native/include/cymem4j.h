/* cymem4j.h: the public C API of cymem4j, for the Java bindings and for native code of JNI-heavy apps.
 *
 * One header per module, all included here:
 *   cymem4j/allocator.h   allocator hooks (system, wrapped malloc/free pairs, loaded libraries, debug, failing)
 *   cymem4j/pool.h        pools: calloc-backed blocks remembered in an address table, freed all at once
 *   cymem4j/strided.h     strided N-d kernels: copy, fill, compare, cast
 *
 * Conventions: every public name starts with cym_ (types cym_*_t, macros CYM_). Functions that can fail
 * return a cym_status (0 is success) and write results through out-parameters; on failure nothing the
 * caller owns was changed or freed. Sizes are size_t, counts of elements and bytes are never wrapped:
 * count * size overflow is an error (CYM_EOVERFLOW).
 */
#ifndef CYMEM4J_H
#define CYMEM4J_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this header; cym_version() reports the library's, so a consumer can check they agree. */
#define CYM_VERSION_MAJOR 0
#define CYM_VERSION_MINOR 1
#define CYM_VERSION_PATCH 0
#define CYM_VERSION_NUMBER (CYM_VERSION_MAJOR * 10000 + CYM_VERSION_MINOR * 100 + CYM_VERSION_PATCH)

/* CYM_VERSION_NUMBER of the library actually linked. */
int cym_version(void);

/* Status codes. Negative values never appear; 0 is success. */
typedef enum cym_status {
    CYM_OK = 0,
    CYM_ENOMEM = 1,      /* the allocator returned NULL; nothing changed */
    CYM_EOVERFLOW = 2,   /* count * size does not fit in size_t (or exceeds PTRDIFF_MAX) */
    CYM_ENOTOWNED = 3,   /* the address is not the start of a live block of this pool; nothing freed */
    CYM_EINVAL = 4,      /* a bad argument (NULL pool, bad flag, bad shape) */
    CYM_ELIMIT = 5,      /* a byte limit would be exceeded; the allocator was not called */
    CYM_EUNSUPPORTED = 6 /* the operation is not available (library or symbol missing, dtype pair) */
} cym_status;

/* A short constant English description of a status ("address not owned by the pool", ...). */
const char* cym_status_message(cym_status status);

#ifdef __cplusplus
}
#endif

#include "cymem4j/allocator.h"
#include "cymem4j/defaults.h"
#include "cymem4j/pool.h"
#include "cymem4j/strided.h"

#endif /* CYMEM4J_H */
