/* jbridge_mapped.h: memory-mapped files as the Java binding calls them (org.cymem4j.internal.jni.NativeMapped).
 * A mapping travels as its cym_mapping_t* in an int64_t handle. Results are the one bridge encoding, a value
 * >= 0 or -cym_status; sync and close return an errno (0 = the data reached the file), also >= 0. No JNI here:
 * JavaCPP generates the glue around these plain C functions. */
#ifndef CYMEM4J_JBRIDGE_MAPPED_H
#define CYMEM4J_JBRIDGE_MAPPED_H

#include <stdint.h>

#include "cymem4j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Positions in the info array cym_j_mapped_open fills (a Java long[CYM_J_MAPPED_INFO_LENGTH]). */
#define CYM_J_MAPPED_INFO_ERRNO 0     /* errno of the failed call, or 0 */
#define CYM_J_MAPPED_INFO_CALL 1      /* a cym_map_call: where it stopped */
#define CYM_J_MAPPED_INFO_FILE_SIZE 2 /* the file's length, or -1 if fstat was not reached */
#define CYM_J_MAPPED_INFO_LENGTH 3

/* Maps the file at path (NUL-terminated bytes) in mode (a cym_map_mode); the file must hold at least
 * min_bytes. The handle (> 0), or -status; info (may be NULL) says where a failure stopped. */
int64_t cym_j_mapped_open(const char* path, int32_t mode, int64_t min_bytes, int64_t* info);

int64_t cym_j_mapped_address(int64_t handle); /* the file's byte 0 in memory */
int64_t cym_j_mapped_size(int64_t handle);    /* the mapped length in bytes */
int32_t cym_j_mapped_sync(int64_t handle);    /* 0, or the errno of a failed msync */
int32_t cym_j_mapped_close(int64_t handle);   /* syncs (read-write), unmaps, frees: 0, or msync's errno */

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_MAPPED_H */
