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

/* Element types: the typecodes of Python's array/struct modules on Linux x86-64, NumPy's bool, float16 and
 * complex, and an opaque element of any size (structs, byte strings, sub-arrays). A numeric code may be OR'ed
 * with CYM_DTYPE_SWAPPED: the element is stored in the byte order opposite to this machine's (NumPy's '>i4' on
 * x86-64); a complex element swaps each of its two parts. One-byte types ignore the flag. */
typedef enum cym_dtype {
    CYM_DTYPE_I8 = 0,    /* 'b' signed char */
    CYM_DTYPE_U8 = 1,    /* 'B' unsigned char */
    CYM_DTYPE_I16 = 2,   /* 'h' short */
    CYM_DTYPE_U16 = 3,   /* 'H' unsigned short */
    CYM_DTYPE_I32 = 4,   /* 'i' int */
    CYM_DTYPE_U32 = 5,   /* 'I' unsigned int */
    CYM_DTYPE_I64 = 6,   /* 'l'/'q' long, long long */
    CYM_DTYPE_U64 = 7,   /* 'L'/'Q' unsigned long, unsigned long long */
    CYM_DTYPE_F32 = 8,   /* 'f' float */
    CYM_DTYPE_F64 = 9,   /* 'd' double */
    CYM_DTYPE_BOOL = 10, /* '?' _Bool: one byte; any non-zero byte reads as true, true is stored as 1 */
    CYM_DTYPE_F16 = 11,  /* 'e' IEEE 754 binary16 */
    CYM_DTYPE_C64 = 12,  /* 'Zf' float _Complex: real, imaginary */
    CYM_DTYPE_C128 = 13, /* 'Zd' double _Complex */
    CYM_DTYPE_RAW = 14,  /* opaque bytes of cym_view_t.itemsize: copied and compared bytewise, never converted */
    CYM_DTYPE_SWAPPED = 0x100 /* flag: stored in the opposite byte order (numeric codes only) */
} cym_dtype;
#define CYM_DTYPE_COUNT 15 /* codes are [0, CYM_DTYPE_COUNT), optionally | CYM_DTYPE_SWAPPED */

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
    int64_t itemsize;          /* CYM_DTYPE_RAW: bytes per element, >= 1; other dtypes: 0 or their own size */
} cym_view_t;

/* Size in bytes of one element of dtype (CYM_DTYPE_SWAPPED ignored), or 0 for an unknown dtype and for
 * CYM_DTYPE_RAW, whose size the view carries. */
size_t cym_dtype_size(cym_dtype dtype);

/* dst[...] = src[...], bit for bit. Shapes and dtypes (byte order and raw itemsize included) must be equal
 * (CYM_EINVAL otherwise, nothing written).
 * Overlapping source and destination give the result of copying through a temporary (CYM_ENOMEM if that
 * temporary cannot be allocated; nothing written then). */
cym_status cym_strided_copy(const cym_view_t* dst, const cym_view_t* src);

/* Sets every element of dst to *value, which has dst's dtype (and byte order). CYM_EUNSUPPORTED for
 * CYM_DTYPE_RAW, nothing written: an opaque element has no value to fill with. */
cym_status cym_strided_fill(const cym_view_t* dst, const void* value);

/* *equal = 1 if a and b have the same shape and every pair of elements compares equal by value
 * (a and b may have different dtypes and byte orders; floats compare as C ==, so NaN != NaN; complex numbers
 * compare both parts, a real equals a complex whose imaginary part is 0; bool is 0 or 1), else 0. Raw
 * elements compare bytewise and only with raw elements of the same itemsize (CYM_EINVAL otherwise). */
cym_status cym_strided_equal(const cym_view_t* a, const cym_view_t* b, int* equal);

/* dst[...] = (dst dtype) src[...], element by element; shapes must be equal. NumPy's astype with
 * casting='unsafe': integer to integer wraps modulo 2^bits; float to integer truncates toward zero,
 * saturates at the integer type's range, and maps NaN to 0 (defined, where NumPy's is not); anything to
 * bool is (value != 0), bool to a number 0 or 1; to float16 rounds to nearest even, once, from the exact
 * value (from double directly, not through float); complex to real takes the real part, real to complex
 * has imaginary part 0. Byte orders are converted. Overlap is handled as in cym_strided_copy. Equal raw
 * dtypes copy; any other cast of CYM_DTYPE_RAW is CYM_EUNSUPPORTED, nothing written. */
cym_status cym_strided_cast(const cym_view_t* dst, const cym_view_t* src);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_STRIDED_H */
