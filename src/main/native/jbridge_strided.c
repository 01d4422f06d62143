/* jbridge_strided.c: descriptor decoding and the int64 encodings of the strided API for the Java binding
 * (see jbridge_strided.h). */
#include <stdbool.h>
#include <string.h>

#include "jbridge_strided.h"

int32_t cym_j_view_decode(const int64_t* desc, cym_view_t* view) {
    if (desc == NULL || view == NULL) return CYM_EINVAL;
    const int64_t ndim = desc[CYM_J_DESC_NDIM];
    const int64_t dtype = desc[CYM_J_DESC_DTYPE] & CYM_J_DESC_DTYPE_CODE_MASK;
    const int64_t itemsize = (int64_t)((uint64_t)desc[CYM_J_DESC_DTYPE] >> CYM_J_DESC_ITEMSIZE_SHIFT);
    const bool raw = dtype == CYM_DTYPE_RAW;
    if (desc[CYM_J_DESC_DTYPE] < 0 || (raw ? itemsize < 1 : cym_dtype_size((cym_dtype)dtype) == 0) ||
        ndim < 0 || ndim > CYM_MAX_NDIM)
        return CYM_EINVAL;
    const int64_t* shape = desc + CYM_J_DESC_SHAPE;
    const int64_t* strides = shape + ndim;
    const int64_t has_suboffsets = strides[ndim];
    if (has_suboffsets != 0 && has_suboffsets != 1) return CYM_EINVAL;
    view->data = (void*)(uintptr_t)desc[CYM_J_DESC_DATA];
    view->dtype = (cym_dtype)dtype;
    view->itemsize = itemsize; /* the kernels check it against the dtype's own size */
    view->ndim = (int)ndim;
    for (int k = 0; k < ndim; k++) {
        if (shape[k] < 0) return CYM_EINVAL;
        view->shape[k] = shape[k];
        view->strides[k] = strides[k];
    }
    view->suboffsets = has_suboffsets ? strides + ndim + 1 : NULL;
    return CYM_OK;
}

/* Decodes both descriptors, then calls fn. */
static int32_t pair(const int64_t* dst_desc, const int64_t* src_desc,
                    cym_status (*fn)(const cym_view_t*, const cym_view_t*)) {
    cym_view_t dst, src;
    int32_t status = cym_j_view_decode(dst_desc, &dst);
    if (status == CYM_OK) status = cym_j_view_decode(src_desc, &src);
    return -(status == CYM_OK ? (int32_t)fn(&dst, &src) : status);
}

int32_t cym_j_strided_copy(const int64_t* dst_desc, const int64_t* src_desc) {
    return pair(dst_desc, src_desc, cym_strided_copy);
}

int32_t cym_j_strided_cast(const int64_t* dst_desc, const int64_t* src_desc) {
    return pair(dst_desc, src_desc, cym_strided_cast);
}

int32_t cym_j_strided_fill(const int64_t* dst_desc, int64_t value_bits) {
    cym_view_t dst;
    int32_t status = cym_j_view_decode(dst_desc, &dst);
    if (status != CYM_OK) return -status;
    /* The low bits as the element's own representation: narrowing the integer keeps them on any byte order.
     * A complex element gets them as its real part and a zero imaginary part; a swapped dtype, swapped. */
    unsigned char value[16] = {0};
    const cym_dtype base = (cym_dtype)(dst.dtype & ~CYM_DTYPE_SWAPPED);
    const size_t part = base == CYM_DTYPE_C64 ? 4 : base == CYM_DTYPE_C128 ? 8 : cym_dtype_size(dst.dtype);
    const uint64_t bits = (uint64_t)value_bits;
    const uint8_t b8 = (uint8_t)bits;
    const uint16_t b16 = (uint16_t)bits;
    const uint32_t b32 = (uint32_t)bits;
    switch (part) {
    case 0: return -CYM_EUNSUPPORTED; /* raw: no value to fill with */
    case 1: memcpy(value, &b8, 1); break;
    case 2: memcpy(value, &b16, 2); break;
    case 4: memcpy(value, &b32, 4); break;
    default: memcpy(value, &bits, 8); break;
    }
    if ((dst.dtype & CYM_DTYPE_SWAPPED) && part > 1 && part <= 8) { /* part <= 8 always; the bound tells gcc so */
        unsigned char swapped[8];
        for (size_t k = 0; k < part; k++) swapped[k] = value[part - 1 - k];
        memcpy(value, swapped, part);
    }
    return -(int32_t)cym_strided_fill(&dst, value);
}

int32_t cym_j_strided_equal(const int64_t* a_desc, const int64_t* b_desc) {
    cym_view_t a, b;
    int32_t status = cym_j_view_decode(a_desc, &a);
    if (status == CYM_OK) status = cym_j_view_decode(b_desc, &b);
    int equal = 0;
    if (status == CYM_OK) status = cym_strided_equal(&a, &b, &equal);
    return status == CYM_OK ? equal : -status;
}
