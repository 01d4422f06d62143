/* jbridge_constants.c: the shared constants by name for the Java binding (see jbridge_constants.h). */
#include <string.h>

#include "internal.h"
#include "jbridge_allocator.h"
#include "jbridge_constants.h"
#include "jbridge_mapped.h"
#include "jbridge_dlpack.h"
#include "jbridge_pool.h"
#include "jbridge_strided.h"

/* One row per constant Java keeps a copy of; the name is the C macro or enumerator, spelled as in the headers. */
#define ROW(c) {#c, (int64_t)(c)}
static const struct {
    const char* name;
    int64_t value;
} constants[] = {
    /* status.h */
    ROW(CYM_OK), ROW(CYM_ENOMEM), ROW(CYM_EOVERFLOW), ROW(CYM_ENOTOWNED), ROW(CYM_EINVAL), ROW(CYM_ELIMIT),
    ROW(CYM_EUNSUPPORTED), ROW(CYM_EBUSY),
    /* strided.h */
    ROW(CYM_DTYPE_I8), ROW(CYM_DTYPE_U8), ROW(CYM_DTYPE_I16), ROW(CYM_DTYPE_U16), ROW(CYM_DTYPE_I32),
    ROW(CYM_DTYPE_U32), ROW(CYM_DTYPE_I64), ROW(CYM_DTYPE_U64), ROW(CYM_DTYPE_F32), ROW(CYM_DTYPE_F64),
    ROW(CYM_DTYPE_BOOL), ROW(CYM_DTYPE_F16), ROW(CYM_DTYPE_C64), ROW(CYM_DTYPE_C128), ROW(CYM_DTYPE_RAW),
    ROW(CYM_DTYPE_SWAPPED), ROW(CYM_DTYPE_COUNT), ROW(CYM_MAX_NDIM),
    /* pool.h */
    ROW(CYM_POOL_SHARED), ROW(CYM_POOL_NO_SLABS), ROW(CYM_ALIGNMENT_MAX), ROW(CYM_ALIGNED_SIZE_MAX),
    /* allocator.h */
    ROW(CYM_ALLOCATOR_WHY_MAX), ROW(CYM_ALLOCATOR_NAME_MAX), ROW(CYM_DEBUG_GUARD), ROW(CYM_DEBUG_OVERRUN),
    ROW(CYM_DEBUG_UNDERRUN), ROW(CYM_DEBUG_DOUBLE_FREE), ROW(CYM_DEBUG_FOREIGN_FREE), ROW(CYM_DEBUG_WRITE_AFTER_FREE),
    /* jbridge_pool.h */
    ROW(CYM_J_STAT_LIVE_BYTES), ROW(CYM_J_STAT_LIVE_BLOCKS), ROW(CYM_J_STAT_PEAK_BYTES), ROW(CYM_J_STAT_TOTAL_ALLOCS),
    ROW(CYM_J_STAT_TOTAL_FREES), ROW(CYM_J_STAT_FAILED_ALLOCS), ROW(CYM_J_STAT_LIMIT_BYTES), ROW(CYM_J_STAT_COUNT),
    ROW(CYM_J_RETIRED_COUNT), ROW(CYM_J_PROCESS_BYTES_COUNT),
    /* jbridge_allocator.h */
    ROW(CYM_J_FAULT_FIELDS), ROW(CYM_J_ALLOCATOR_DEBUG), ROW(CYM_J_ALLOCATOR_THREAD_BOUND),
    ROW(CYM_J_ALLOCATOR_UPCALLS), ROW(CYM_J_FAILING_COUNTS),
    /* jbridge_strided.h */
    ROW(CYM_J_DESC_DATA), ROW(CYM_J_DESC_DTYPE), ROW(CYM_J_DESC_NDIM), ROW(CYM_J_DESC_SHAPE),
    ROW(CYM_J_DESC_MAX_LENGTH), ROW(CYM_J_DESC_DTYPE_CODE_MASK), ROW(CYM_J_DESC_ITEMSIZE_SHIFT),
    /* mapped.h, jbridge_mapped.h */
    ROW(CYM_MAP_READ_ONLY), ROW(CYM_MAP_READ_WRITE), ROW(CYM_MAP_COPY_ON_WRITE), ROW(CYM_MAP_CALL_NONE),
    ROW(CYM_MAP_CALL_OPEN), ROW(CYM_MAP_CALL_FSTAT), ROW(CYM_MAP_CALL_TYPE), ROW(CYM_MAP_CALL_LENGTH),
    ROW(CYM_MAP_CALL_MMAP), ROW(CYM_J_MAPPED_INFO_ERRNO), ROW(CYM_J_MAPPED_INFO_CALL), ROW(CYM_J_MAPPED_INFO_FILE_SIZE),
    ROW(CYM_J_MAPPED_INFO_LENGTH),
    /* jbridge_dlpack.h, dlpack.h */
    ROW(CYM_J_DLX_NDIM), ROW(CYM_J_DLX_CODE), ROW(CYM_J_DLX_BITS), ROW(CYM_J_DLX_LANES), ROW(CYM_J_DLX_FLAGS),
    ROW(CYM_J_DLX_VERSIONED), ROW(CYM_J_DLX_SHAPE), ROW(CYM_J_DL_MAJOR), ROW(CYM_J_DL_MINOR), ROW(CYM_J_DL_FLAGS),
    ROW(CYM_J_DL_DATA), ROW(CYM_J_DL_DEVICE_TYPE), ROW(CYM_J_DL_DEVICE_ID), ROW(CYM_J_DL_NDIM), ROW(CYM_J_DL_CODE),
    ROW(CYM_J_DL_BITS), ROW(CYM_J_DL_LANES), ROW(CYM_J_DL_BYTE_OFFSET), ROW(CYM_J_DL_HAS_STRIDES),
    ROW(CYM_J_DL_SHAPE), ROW(CYM_J_DL_MAX_LENGTH), ROW(CYM_DLPACK_MAJOR_VERSION), ROW(CYM_DL_CPU),
    ROW(CYM_DL_INT), ROW(CYM_DL_UINT), ROW(CYM_DL_FLOAT), ROW(CYM_DL_COMPLEX), ROW(CYM_DL_BOOL),
    ROW(CYM_DL_FLAG_READ_ONLY), ROW(CYM_DL_FLAG_IS_COPIED),
};
#undef ROW

int64_t cym_j_constant(const char* name) {
    if (name == NULL) return -CYM_EINVAL;
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
        if (strcmp(constants[i].name, name) == 0) return constants[i].value;
    }
    return -CYM_EINVAL;
}

int64_t cym_j_status_message(int32_t status, char* out, int64_t len) {
    if (out == NULL || len <= 0) return -CYM_EINVAL;
    const char* text = cym_status_message((cym_status)status);
    size_t n = strlen(text);
    size_t copied = n < (size_t)len - 1 ? n : (size_t)len - 1;
    memcpy(out, text, copied);
    out[copied] = '\0';
    return (int64_t)n;
}
