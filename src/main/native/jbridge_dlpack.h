/* jbridge_dlpack.h: DLPack export and import as the Java binding calls them (org.cymem4j.internal.jni.NativeDLPack).
 * Addresses travel as int64_t; results are one encoding, a value >= 0 or -cym_status. No JNI here. */
#ifndef CYMEM4J_JBRIDGE_DLPACK_H
#define CYMEM4J_JBRIDGE_DLPACK_H

#include <stdint.h>

#include "cymem4j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The export request, a Java long[]: [ndim, code, bits, lanes, flags, versioned (0/1), shape..., strides...]
 * (strides in elements). */
#define CYM_J_DLX_NDIM 0
#define CYM_J_DLX_CODE 1
#define CYM_J_DLX_BITS 2
#define CYM_J_DLX_LANES 3
#define CYM_J_DLX_FLAGS 4
#define CYM_J_DLX_VERSIONED 5
#define CYM_J_DLX_SHAPE 6

/* What cym_j_dlpack_describe fills: a header, then shape[0..ndim-1] and strides[0..ndim-1] (in elements; zeros when
 * the tensor has none). Legacy tensors give version 0.0 and flags 0. */
#define CYM_J_DL_MAJOR 0
#define CYM_J_DL_MINOR 1
#define CYM_J_DL_FLAGS 2
#define CYM_J_DL_DATA 3
#define CYM_J_DL_DEVICE_TYPE 4
#define CYM_J_DL_DEVICE_ID 5
#define CYM_J_DL_NDIM 6
#define CYM_J_DL_CODE 7
#define CYM_J_DL_BITS 8
#define CYM_J_DL_LANES 9
#define CYM_J_DL_BYTE_OFFSET 10
#define CYM_J_DL_HAS_STRIDES 11
#define CYM_J_DL_SHAPE 12
/* The length of the array cym_j_dlpack_describe needs. */
#define CYM_J_DL_MAX_LENGTH (CYM_J_DL_SHAPE + 2 * CYM_MAX_NDIM)

/* cym_dlpack_export of block `block` of `pool`: the managed tensor's address, or -status. */
int64_t cym_j_dlpack_export(int64_t pool, int64_t block, int64_t byte_offset, const int64_t* request);

/* Reads managed tensor `tensor` (versioned: a DLManagedTensorVersioned, else a DLManagedTensor) into
 * out[0..CYM_J_DL_MAX_LENGTH-1]: ndim, or -CYM_EINVAL for a NULL tensor, or with the header filled, an ndim outside
 * 0..CYM_MAX_NDIM or a non-NULL shape missing (shape and strides are then not read). Checks nothing else. */
int32_t cym_j_dlpack_describe(int64_t tensor, int32_t versioned, int64_t* out);

/* Calls the tensor's deleter (once: the caller's duty): 1, or 0 if it has none; -CYM_EINVAL for NULL. */
int32_t cym_j_dlpack_delete(int64_t tensor, int32_t versioned);

/* cym_dlpack_live_exports. */
int64_t cym_j_dlpack_live_exports(void);

/* cym_pool_pinned: pins of block `address` of the pool, or of the whole pool for address 0. */
int64_t cym_j_pool_pinned(int64_t pool, int64_t address);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_DLPACK_H */
