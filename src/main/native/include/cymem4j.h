/* cymem4j.h: the public C API of cymem4j, for the Java bindings and for native code of JNI-heavy apps.
 *
 * One header per module, all included here:
 *   cymem4j/allocator.h   allocator hooks (system, wrapped malloc/free pairs, loaded libraries, debug, failing)
 *   cymem4j/pool.h        pools: calloc-backed blocks (aligned on request) remembered in an address table,
 *                         freed all at once
 *   cymem4j/strided.h     strided N-d kernels: copy, fill, compare, cast
 *   cymem4j/mapped.h      whole files mapped into memory (mmap): read-only, read-write, copy-on-write
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

#include "cymem4j/status.h"

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


#ifdef __cplusplus
}
#endif

#include "cymem4j/allocator.h"
#include "cymem4j/defaults.h"
#include "cymem4j/mapped.h"
#include "cymem4j/pool.h"
#include "cymem4j/strided.h"
#include "cymem4j/dlpack.h"

#endif /* CYMEM4J_H */
