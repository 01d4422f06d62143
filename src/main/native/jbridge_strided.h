/* jbridge_strided.h: the strided kernels as the Java binding calls them (org.cymem4j.internal.jni.NativeStrided).
 * A view travels as one int64_t descriptor (a Java long[]):
 *   [data_address, dtype, ndim, shape[0..ndim-1], strides[0..ndim-1], has_suboffsets (0/1),
 *    suboffsets[0..ndim-1] only if has_suboffsets]
 * where dtype = code | itemsize << CYM_J_DESC_ITEMSIZE_SHIFT: the cym_dtype code (CYM_DTYPE_SWAPPED included)
 * in the low bits, the element size in bytes above (required for CYM_DTYPE_RAW; 0 or the dtype's own size
 * for every other code).
 * so 4 + 2 * ndim entries, or 4 + 3 * ndim with suboffsets. The array's length is not passed: the caller
 * must build it from these rules (ndim is checked before anything after it is read). Results are the one bridge
 * encoding, a value >= 0 or -cym_status: 0 or -status, and cym_j_strided_equal 1/0 or -status. No JNI here: JavaCPP generates the glue around
 * these plain C functions. */
#ifndef CYMEM4J_JBRIDGE_STRIDED_H
#define CYMEM4J_JBRIDGE_STRIDED_H

#include <stdint.h>

#include "cymem4j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Positions in a descriptor. */
#define CYM_J_DESC_DATA 0
#define CYM_J_DESC_DTYPE 1
#define CYM_J_DESC_NDIM 2
#define CYM_J_DESC_SHAPE 3
/* The dtype entry: code = entry & CYM_J_DESC_DTYPE_CODE_MASK, itemsize = entry >> CYM_J_DESC_ITEMSIZE_SHIFT. */
#define CYM_J_DESC_DTYPE_CODE_MASK 0xFFFF
#define CYM_J_DESC_ITEMSIZE_SHIFT 32
/* The longest descriptor (CYM_MAX_NDIM dims with suboffsets). */
#define CYM_J_DESC_MAX_LENGTH (4 + 3 * CYM_MAX_NDIM)

/* Decodes desc into *view (a helper of the bridge and its C tests, not bound to Java, so it returns a plain
 * cym_status); view->suboffsets points into desc, which must outlive the view. CYM_EINVAL (view
 * unspecified) for a NULL argument, a dtype or ndim out of range, has_suboffsets not 0/1 or a negative
 * shape entry. The kernels check the rest (NULL data of a non-empty view, offsets that overflow). */
int32_t cym_j_view_decode(const int64_t* desc, cym_view_t* view);

int32_t cym_j_strided_copy(const int64_t* dst_desc, const int64_t* src_desc); /* 0, or -status */
int32_t cym_j_strided_cast(const int64_t* dst_desc, const int64_t* src_desc); /* 0, or -status */
/* Sets every element of dst to the element whose native-order bits are the low bytes of value_bits (the
 * integer for integer dtypes and bool, the binary16 bits for F16, Float.floatToRawIntBits for F32 and the real
 * part of C64, Double.doubleToRawLongBits for F64 and the real part of C128; the imaginary part is 0); a
 * CYM_DTYPE_SWAPPED dtype gets them swapped. 0, or -status (-CYM_EUNSUPPORTED for CYM_DTYPE_RAW). */
int32_t cym_j_strided_fill(const int64_t* dst_desc, int64_t value_bits);
int32_t cym_j_strided_equal(const int64_t* a_desc, const int64_t* b_desc); /* 1 equal, 0 not, or -status */

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_STRIDED_H */
