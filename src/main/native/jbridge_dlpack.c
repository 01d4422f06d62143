/* jbridge_dlpack.c: the int64 encodings of the DLPack export and import for the Java binding
 * (see jbridge_dlpack.h). */
#include "jbridge_dlpack.h"

#define PTR(a) ((void*)(uintptr_t)(a))

int64_t cym_j_dlpack_export(int64_t pool, int64_t block, int64_t byte_offset, const int64_t* request) {
    if (request == NULL || byte_offset < 0) return -CYM_EINVAL;
    int64_t ndim = request[CYM_J_DLX_NDIM];
    if (ndim < 0 || ndim > CYM_MAX_NDIM) return -CYM_EINVAL;
    cym_dl_dtype_t dtype = {(uint8_t)request[CYM_J_DLX_CODE], (uint8_t)request[CYM_J_DLX_BITS],
                            (uint16_t)request[CYM_J_DLX_LANES]};
    const int64_t* shape = request + CYM_J_DLX_SHAPE;
    void* out = NULL;
    int status = cym_dlpack_export(PTR(pool), PTR(block), (uint64_t)byte_offset, (int32_t)ndim, shape, shape + ndim,
                                   dtype, (uint64_t)request[CYM_J_DLX_FLAGS], request[CYM_J_DLX_VERSIONED] != 0, &out);
    return status == CYM_OK ? (int64_t)(uintptr_t)out : -status;
}

int32_t cym_j_dlpack_describe(int64_t tensor, int32_t versioned, int64_t* out) {
    if (tensor == 0 || out == NULL) return -CYM_EINVAL;
    const cym_dl_tensor_t* t;
    if (versioned) {
        const cym_dl_managed_tensor_versioned_t* m = PTR(tensor);
        out[CYM_J_DL_MAJOR] = m->version.major;
        out[CYM_J_DL_MINOR] = m->version.minor;
        out[CYM_J_DL_FLAGS] = (int64_t)m->flags;
        t = &m->dl_tensor;
    } else {
        const cym_dl_managed_tensor_t* m = PTR(tensor);
        out[CYM_J_DL_MAJOR] = 0;
        out[CYM_J_DL_MINOR] = 0;
        out[CYM_J_DL_FLAGS] = 0;
        t = &m->dl_tensor;
    }
    out[CYM_J_DL_DATA] = (int64_t)(uintptr_t)t->data;
    out[CYM_J_DL_DEVICE_TYPE] = t->device.device_type;
    out[CYM_J_DL_DEVICE_ID] = t->device.device_id;
    out[CYM_J_DL_NDIM] = t->ndim;
    out[CYM_J_DL_CODE] = t->dtype.code;
    out[CYM_J_DL_BITS] = t->dtype.bits;
    out[CYM_J_DL_LANES] = t->dtype.lanes;
    out[CYM_J_DL_BYTE_OFFSET] = (int64_t)t->byte_offset;
    out[CYM_J_DL_HAS_STRIDES] = t->strides != NULL;
    if (t->ndim < 0 || t->ndim > CYM_MAX_NDIM || (t->ndim > 0 && t->shape == NULL)) return -CYM_EINVAL;
    for (int32_t k = 0; k < t->ndim; k++) {
        out[CYM_J_DL_SHAPE + k] = t->shape[k];
        out[CYM_J_DL_SHAPE + t->ndim + k] = t->strides != NULL ? t->strides[k] : 0;
    }
    return t->ndim;
}

int32_t cym_j_dlpack_delete(int64_t tensor, int32_t versioned) {
    if (tensor == 0) return -CYM_EINVAL;
    if (versioned) {
        cym_dl_managed_tensor_versioned_t* m = PTR(tensor);
        if (m->deleter == NULL) return 0;
        m->deleter(m);
    } else {
        cym_dl_managed_tensor_t* m = PTR(tensor);
        if (m->deleter == NULL) return 0;
        m->deleter(m);
    }
    return 1;
}

int64_t cym_j_dlpack_live_exports(void) { return cym_dlpack_live_exports(); }

int64_t cym_j_pool_pinned(int64_t pool, int64_t address) { return cym_pool_pinned(PTR(pool), PTR(address)); }
