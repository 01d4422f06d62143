/* cymem4j/strided.h: strided N-d kernels over memory described by a view (data pointer, element type,
 * shape, byte strides, optional PEP 3118 suboffsets): copy, fill, compare and cast. Each is one call
 * that walks the whole view in C; contiguous dimensions are merged first, transposes are cache-blocked
 * (and vectorised where the CPU allows, chosen at run time).
 */
#ifndef CYMEM4J_STRIDED_H
#define CYMEM4J_STRIDED_H

#include <stddef.h>
#include <stdint.h>

#include "cymem4j/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element types: the typecodes of Python's array/struct modules on Linux x86-64. */
typedef enum cym_dtype {
    CYM_DTYPE_I8 = 0,  /* 'b' signed char */
    CYM_DTYPE_U8 = 1,  /* 'B' unsigned char */
    CYM_DTYPE_I16 = 2, /* 'h' short */
    CYM_DTYPE_U16 = 3, /* 'H' unsigned short */
    CYM_DTYPE_I32 = 4, /* 'i' int */
    CYM_DTYPE_U32 = 5, /* 'I' unsigned int */
    CYM_DTYPE_I64 = 6, /* 'l'/'q' long, long long */
    CYM_DTYPE_U64 = 7, /* 'L'/'Q' unsigned long, unsigned long long */
    CYM_DTYPE_F32 = 8, /* 'f' float */
    CYM_DTYPE_F64 = 9  /* 'd' double */
} cym_dtype;
#define CYM_DTYPE_COUNT 10

/* The most dimensions a view may have. */
#define CYM_MAX_NDIM 32

/* A strided view. Element (i0, ..., in-1) lives at
 *   p = data; for each dim k: p += i_k * strides[k]; if (suboffsets && suboffsets[k] >= 0)
 *   p = *(char**)p + suboffsets[k];
 * (PEP 3118). Strides are in bytes and may be zero or negative. ndim 0 is a scalar (one element). */
typedef struct cym_view_s {
    void* data;
    cym_dtype dtype;
    int ndim;
    int64_t shape[CYM_MAX_NDIM];
    int64_t strides[CYM_MAX_NDIM];
    const int64_t* suboffsets; /* NULL for direct views, else ndim entries (< 0: no indirection) */
} cym_view_t;

/* Size in bytes of one element of dtype, or 0 for an unknown dtype. */
size_t cym_dtype_size(cym_dtype dtype);

/* dst[...] = src[...]. Shapes and dtypes must be equal (CYM_EINVAL otherwise, nothing written).
 * Overlapping source and destination give the result of copying through a temporary (CYM_ENOMEM if that
 * temporary cannot be allocated; nothing written then). */
cym_status cym_strided_copy(const cym_view_t* dst, const cym_view_t* src);

/* Sets every element of dst to *value, which has dst's dtype. */
cym_status cym_strided_fill(const cym_view_t* dst, const void* value);

/* *equal = 1 if a and b have the same shape and every pair of elements compares equal by value
 * (a and b may have different dtypes; floats compare as C ==, so NaN != NaN), else 0. */
cym_status cym_strided_equal(const cym_view_t* a, const cym_view_t* b, int* equal);

/* dst[...] = (dst dtype) src[...], element by element; shapes must be equal. Float to integer truncates
 * toward zero, saturates at the integer type's range, and maps NaN to 0 (defined, unlike a C cast).
 * Integer to integer wraps modulo 2^bits (as NumPy's astype). Overlap is handled as in cym_strided_copy. */
cym_status cym_strided_cast(const cym_view_t* dst, const cym_view_t* src);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_STRIDED_H */
