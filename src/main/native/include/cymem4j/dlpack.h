/* cymem4j/dlpack.h: DLPack tensors out of pool blocks, and the DLPack structs as this library defines them.
 *
 * The structs below are our own definitions of DLPack's ABI (DLPack 1.x DLManagedTensorVersioned and the legacy
 * 0.x DLManagedTensor, https://dmlc.github.io/dlpack/latest/c_api.html): same members, same order, same types, so
 * a pointer to one of ours is a pointer to DLPack's struct. tests/native checks sizeof/offsetof against Debian's
 * <dlpack/dlpack.h> (legacy) and against the 1.x layout of the specification (versioned).
 *
 * Ownership: the producer fills a managed tensor and hands its address to a consumer, which calls its deleter
 * exactly once when done (the deleter frees the struct; the tensor is unusable afterwards). */
#ifndef CYMEM4J_DLPACK_H
#define CYMEM4J_DLPACK_H

#include <stdint.h>

#include "cymem4j/pool.h"
#include "cymem4j/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* DLPack version this header describes (the versioned struct's version member). */
#define CYM_DLPACK_MAJOR_VERSION 1
#define CYM_DLPACK_MINOR_VERSION 1

/* DLDeviceType: only the CPU is ours. */
#define CYM_DL_CPU 1

/* DLDataTypeCode values this library uses. */
#define CYM_DL_INT 0u
#define CYM_DL_UINT 1u
#define CYM_DL_FLOAT 2u
#define CYM_DL_COMPLEX 5u
#define CYM_DL_BOOL 6u

/* The versioned struct's flags. */
#define CYM_DL_FLAG_READ_ONLY ((uint64_t)1 << 0)
#define CYM_DL_FLAG_IS_COPIED ((uint64_t)1 << 1)

typedef struct cym_dl_version {
    uint32_t major; /* a consumer refuses a tensor whose major version it does not know */
    uint32_t minor;
} cym_dl_version_t;

typedef struct cym_dl_device {
    int32_t device_type; /* DLDeviceType, an enum: 4 bytes */
    int32_t device_id;
} cym_dl_device_t;

typedef struct cym_dl_dtype {
    uint8_t code;   /* DLDataTypeCode */
    uint8_t bits;   /* of one lane */
    uint16_t lanes; /* 1 for scalars */
} cym_dl_dtype_t;

typedef struct cym_dl_tensor {
    void* data;             /* the allocation's start (our exports: the pool block) */
    cym_dl_device_t device;
    int32_t ndim;
    cym_dl_dtype_t dtype;
    int64_t* shape;         /* ndim entries */
    int64_t* strides;       /* ndim entries, in elements (may be negative), or NULL for compact C order */
    uint64_t byte_offset;   /* element (0, ..., 0) is at (char*)data + byte_offset */
} cym_dl_tensor_t;

/* DLManagedTensor (DLPack 0.x, "legacy"). */
typedef struct cym_dl_managed_tensor {
    cym_dl_tensor_t dl_tensor;
    void* manager_ctx;
    void (*deleter)(struct cym_dl_managed_tensor* self);
} cym_dl_managed_tensor_t;

/* DLManagedTensorVersioned (DLPack 1.x). */
typedef struct cym_dl_managed_tensor_versioned {
    cym_dl_version_t version;
    void* manager_ctx;
    void (*deleter)(struct cym_dl_managed_tensor_versioned* self);
    uint64_t flags;         /* CYM_DL_FLAG_* */
    cym_dl_tensor_t dl_tensor;
} cym_dl_managed_tensor_versioned_t;

/* Exports part of live block `block` of `pool` as a DLPack tensor on the CPU: data = block, the given byte offset,
 * shape and strides (in elements; copied, never NULL in our exports), dtype. The block is pinned
 * (cym_pool_pin) until the tensor's deleter runs: free/realloc of it fail with CYM_EBUSY and destroying the pool
 * is deferred. versioned: a cym_dl_managed_tensor_versioned_t (flags as given) else a cym_dl_managed_tensor_t;
 * *out gets its address. The caller checked that every element lies inside the block. CYM_EINVAL (ndim outside
 * 0..CYM_MAX_NDIM, NULL arguments), CYM_ENOTOWNED (block not live), CYM_ENOMEM: nothing pinned or allocated then.
 * The deleter may run on any thread; it frees the struct (libc memory) and unpins. */
cym_status cym_dlpack_export(cym_pool_t* pool, void* block, uint64_t byte_offset, int32_t ndim, const int64_t* shape,
                             const int64_t* strides, cym_dl_dtype_t dtype, uint64_t flags, int versioned, void** out);

/* Exports made and not yet deleted, process-wide (for tests and leak checks). */
int64_t cym_dlpack_live_exports(void);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_DLPACK_H */
