/* dlpack.c: DLPack exports of pool blocks. One libc allocation per export holds the managed tensor (at its start,
 * so the deleter's self is the record), the pin it owns (pool, block) and the shape and strides. The entry point is
 * cym_dlpack_export; the deleters unpin, which may destroy a pool whose cym_pool_destroy was deferred. */
#include <stdlib.h>
#include <string.h>

#include "cymem4j/dlpack.h"
#include "internal.h"

/* An export. Invariant: while the record exists (its deleter has not run), `block` holds one pin of `pool`. */
typedef struct export_s {
    union {
        cym_dl_managed_tensor_t legacy;
        cym_dl_managed_tensor_versioned_t versioned;
    } tensor;         /* first: the deleter's self is the record */
    cym_pool_t* pool;
    void* block;
    int64_t dims[];   /* shape[0..ndim-1], then strides[0..ndim-1] */
} export_t;

static int64_t live_exports = 0; /* records made and not yet deleted (atomic) */

static void release(export_t* e) {
    cym_pool_unpin(e->pool, e->block); /* may destroy the pool: e->pool is not read again */
    free(e);
    __atomic_sub_fetch(&live_exports, 1, __ATOMIC_RELAXED);
}

static void delete_legacy(cym_dl_managed_tensor_t* self) {
    if (self != NULL) release((export_t*)self);
}

static void delete_versioned(cym_dl_managed_tensor_versioned_t* self) {
    if (self != NULL) release((export_t*)self);
}

cym_status cym_dlpack_export(cym_pool_t* pool, void* block, uint64_t byte_offset, int32_t ndim, const int64_t* shape,
                             const int64_t* strides, cym_dl_dtype_t dtype, uint64_t flags, int versioned, void** out) {
    if (pool == NULL || out == NULL || ndim < 0 || ndim > CYM_MAX_NDIM ||
        (ndim > 0 && (shape == NULL || strides == NULL))) {
        return CYM_EINVAL;
    }
    export_t* e = malloc(sizeof *e + 2 * (size_t)ndim * sizeof(int64_t));
    if (e == NULL) return CYM_ENOMEM;
    int status = cym_pool_pin(pool, block); /* checks that block is live */
    if (status != CYM_OK) {
        free(e);
        return status;
    }
    memset(&e->tensor, 0, sizeof e->tensor);
    e->pool = pool;
    e->block = block;
    if (ndim > 0) {
        memcpy(e->dims, shape, (size_t)ndim * sizeof(int64_t));
        memcpy(e->dims + ndim, strides, (size_t)ndim * sizeof(int64_t));
    }
    cym_dl_tensor_t t = {block, {CYM_DL_CPU, 0}, ndim, dtype, ndim > 0 ? e->dims : NULL,
                         ndim > 0 ? e->dims + ndim : NULL, byte_offset};
    if (versioned) {
        e->tensor.versioned.version = (cym_dl_version_t){CYM_DLPACK_MAJOR_VERSION, CYM_DLPACK_MINOR_VERSION};
        e->tensor.versioned.manager_ctx = e;
        e->tensor.versioned.deleter = delete_versioned;
        e->tensor.versioned.flags = flags;
        e->tensor.versioned.dl_tensor = t;
    } else {
        e->tensor.legacy.dl_tensor = t;
        e->tensor.legacy.manager_ctx = e;
        e->tensor.legacy.deleter = delete_legacy;
    }
    __atomic_add_fetch(&live_exports, 1, __ATOMIC_RELAXED);
    *out = e;
    return CYM_OK;
}

int64_t cym_dlpack_live_exports(void) { return __atomic_load_n(&live_exports, __ATOMIC_RELAXED); }
