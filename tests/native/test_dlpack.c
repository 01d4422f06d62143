/* test_dlpack.c: DLPack exports of pool blocks (cym_dlpack_export) and the pins under them (cym_pool_pin/unpin):
 * the struct layouts (the 1.x versioned struct against the specification's offsets; the legacy struct against
 * Debian's <dlpack/dlpack.h>, DLPack 0.6), the fields of an export, free/realloc refused with CYM_EBUSY while pinned,
 * destroy deferred until the last deleter (the memory stays readable; ASan/LSan check the rest under -Pasan), pins
 * that count, deleters from another thread, and refusals that leave nothing behind. */
#include <dlpack/dlpack.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "internal.h"

// ---- the ABI ---------------------------------------------------------------------------------------------------

/* The legacy struct, member by member, against Debian's header (DLPack 0.6). */
_Static_assert(sizeof(cym_dl_managed_tensor_t) == sizeof(DLManagedTensor), "DLManagedTensor size");
_Static_assert(offsetof(cym_dl_managed_tensor_t, dl_tensor) == offsetof(DLManagedTensor, dl_tensor), "dl_tensor");
_Static_assert(offsetof(cym_dl_managed_tensor_t, manager_ctx) == offsetof(DLManagedTensor, manager_ctx), "ctx");
_Static_assert(offsetof(cym_dl_managed_tensor_t, deleter) == offsetof(DLManagedTensor, deleter), "deleter");
_Static_assert(sizeof(cym_dl_tensor_t) == sizeof(DLTensor), "DLTensor size");
_Static_assert(offsetof(cym_dl_tensor_t, data) == offsetof(DLTensor, data), "data");
_Static_assert(offsetof(cym_dl_tensor_t, device) == offsetof(DLTensor, device), "device");
_Static_assert(offsetof(cym_dl_tensor_t, ndim) == offsetof(DLTensor, ndim), "ndim");
_Static_assert(offsetof(cym_dl_tensor_t, dtype) == offsetof(DLTensor, dtype), "dtype");
_Static_assert(offsetof(cym_dl_tensor_t, shape) == offsetof(DLTensor, shape), "shape");
_Static_assert(offsetof(cym_dl_tensor_t, strides) == offsetof(DLTensor, strides), "strides");
_Static_assert(offsetof(cym_dl_tensor_t, byte_offset) == offsetof(DLTensor, byte_offset), "byte_offset");
_Static_assert(sizeof(cym_dl_device_t) == sizeof(DLDevice), "DLDevice size");
_Static_assert(offsetof(cym_dl_device_t, device_id) == offsetof(DLDevice, device_id), "device_id");
_Static_assert(sizeof(cym_dl_dtype_t) == sizeof(DLDataType), "DLDataType size");
_Static_assert(offsetof(cym_dl_dtype_t, code) == offsetof(DLDataType, code), "code");
_Static_assert(offsetof(cym_dl_dtype_t, bits) == offsetof(DLDataType, bits), "bits");
_Static_assert(offsetof(cym_dl_dtype_t, lanes) == offsetof(DLDataType, lanes), "lanes");
_Static_assert(CYM_DL_CPU == kDLCPU && CYM_DL_INT == kDLInt && CYM_DL_UINT == kDLUInt && CYM_DL_FLOAT == kDLFloat &&
                   CYM_DL_COMPLEX == kDLComplex,
               "codes shared with DLPack 0.6");

/* The 1.x versioned struct on LP64, as the specification lays it out (version {u32, u32}, then pointers, flags,
 * then the DLTensor): Debian 12's header predates it. */
_Static_assert(offsetof(cym_dl_managed_tensor_versioned_t, version) == 0, "version");
_Static_assert(offsetof(cym_dl_version_t, minor) == 4, "minor");
_Static_assert(offsetof(cym_dl_managed_tensor_versioned_t, manager_ctx) == 8, "manager_ctx");
_Static_assert(offsetof(cym_dl_managed_tensor_versioned_t, deleter) == 16, "deleter");
_Static_assert(offsetof(cym_dl_managed_tensor_versioned_t, flags) == 24, "flags");
_Static_assert(offsetof(cym_dl_managed_tensor_versioned_t, dl_tensor) == 32, "dl_tensor");
_Static_assert(sizeof(cym_dl_managed_tensor_versioned_t) == 32 + 48, "versioned size");
_Static_assert(sizeof(cym_dl_tensor_t) == 48 && offsetof(cym_dl_tensor_t, byte_offset) == 40, "DLTensor on LP64");
_Static_assert(CYM_DL_BOOL == 6 && CYM_DL_FLAG_READ_ONLY == 1 && CYM_DL_FLAG_IS_COPIED == 2, "1.x constants");

// ---- helpers ---------------------------------------------------------------------------------------------------

/* A wrapped malloc/free pair that counts, so a test sees when the pool's memory really goes back. */
static int64_t frees;
static void* counting_malloc(size_t size) { return malloc(size); }
static void counting_free(void* p) {
    if (p != NULL) __atomic_add_fetch(&frees, 1, __ATOMIC_RELAXED);
    free(p);
}

static cym_pool_t* counting_pool(unsigned flags) {
    cym_allocator_t* a = NULL;
    if (cym_allocator_wrap(counting_malloc, counting_free, NULL, NULL, "counting", &a) != CYM_OK) return NULL;
    cym_pool_t* pool = NULL;
    cym_status s = cym_pool_create(a, flags, &pool);
    cym_allocator_release(a);
    return s == CYM_OK ? pool : NULL;
}

static const cym_dl_dtype_t F64 = {CYM_DL_FLOAT, 64, 1};

// ---- behaviours ------------------------------------------------------------------------------------------------

CHECK_BODY(an_export_describes_the_block_and_its_deleter_unpins) {
    cym_pool_t* pool = counting_pool(0);
    CHECK(pool != NULL);
    double* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 6, sizeof(double), (void**)&p));
    for (int i = 0; i < 6; i++) p[i] = i;
    int64_t shape[2] = {3, 2}, strides[2] = {1, 3}; /* the transpose of a 2x3 C array */
    void* out = NULL;
    int64_t live = cym_dlpack_live_exports();
    CHECK_EQ_INT(CYM_OK, cym_dlpack_export(pool, p, 8, 2, shape, strides, F64, CYM_DL_FLAG_READ_ONLY, 1, &out));
    cym_dl_managed_tensor_versioned_t* t = out;
    CHECK_EQ_INT(1, t->version.major);
    CHECK_EQ_INT(CYM_DL_FLAG_READ_ONLY, t->flags);
    CHECK(t->dl_tensor.data == p);
    CHECK_EQ_INT(8, t->dl_tensor.byte_offset);
    CHECK_EQ_INT(CYM_DL_CPU, t->dl_tensor.device.device_type);
    CHECK_EQ_INT(0, t->dl_tensor.device.device_id);
    CHECK_EQ_INT(2, t->dl_tensor.ndim);
    CHECK(t->dl_tensor.shape[0] == 3 && t->dl_tensor.shape[1] == 2);
    CHECK(t->dl_tensor.strides[0] == 1 && t->dl_tensor.strides[1] == 3);
    CHECK(t->dl_tensor.dtype.code == CYM_DL_FLOAT && t->dl_tensor.dtype.bits == 64 && t->dl_tensor.dtype.lanes == 1);
    CHECK(t->manager_ctx != NULL && t->deleter != NULL);
    CHECK_EQ_INT(live + 1, cym_dlpack_live_exports());
    CHECK_EQ_INT(1, cym_pool_pinned(pool, p));
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_free(pool, p));
    void* moved = NULL;
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_realloc(pool, p, 1024, &moved));
    cym_pool_stats_t stats;
    cym_pool_stats(pool, &stats);
    CHECK_EQ_INT(1, stats.live_blocks); /* nothing changed */
    CHECK_EQ_INT(3.0, p[3]);
    t->deleter(t);
    CHECK_EQ_INT(live, cym_dlpack_live_exports());
    CHECK_EQ_INT(0, cym_pool_pinned(pool, NULL));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    CHECK(_cym_pool_is_valid(pool));
    cym_pool_destroy(pool);
}

CHECK_BODY(a_legacy_export_has_the_same_tensor_and_no_version) {
    cym_pool_t* pool = counting_pool(CYM_POOL_SHARED);
    CHECK(pool != NULL);
    int32_t* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 4, sizeof(int32_t), (void**)&p));
    int64_t shape[1] = {4}, strides[1] = {-1};
    void* out = NULL;
    cym_dl_dtype_t i32 = {CYM_DL_INT, 32, 1};
    CHECK_EQ_INT(CYM_OK, cym_dlpack_export(pool, p, 12, 1, shape, strides, i32, 0, 0, &out));
    cym_dl_managed_tensor_t* t = out;
    CHECK(t->dl_tensor.data == p && t->dl_tensor.byte_offset == 12 && t->dl_tensor.strides[0] == -1);
    CHECK(t->manager_ctx != NULL);
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_free(pool, p));
    t->deleter(t);
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    cym_pool_destroy(pool);
}

CHECK_BODY(destroy_with_an_export_outstanding_is_deferred_to_the_last_deleter) {
    cym_pool_t* pool = counting_pool(0);
    CHECK(pool != NULL);
    double* p = NULL;
    double* q = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, sizeof(double), (void**)&p));
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 8, sizeof(double), (void**)&q));
    p[7] = 42.0;
    int64_t shape[1] = {8}, strides[1] = {1};
    void* a = NULL;
    void* b = NULL;
    CHECK_EQ_INT(CYM_OK, cym_dlpack_export(pool, p, 0, 1, shape, strides, F64, 0, 1, &a));
    CHECK_EQ_INT(CYM_OK, cym_dlpack_export(pool, p, 0, 1, shape, strides, F64, 0, 0, &b));
    CHECK_EQ_INT(2, cym_pool_pinned(pool, p));
    int64_t before = __atomic_load_n(&frees, __ATOMIC_RELAXED);
    cym_pool_destroy(pool);                                  /* deferred: nothing freed */
    CHECK_EQ_INT(before, __atomic_load_n(&frees, __ATOMIC_RELAXED));
    cym_dl_managed_tensor_versioned_t* va = a;
    CHECK_EQ_INT(42.0, ((double*)va->dl_tensor.data)[7]);    /* the consumer still reads (ASan: not freed) */
    va->deleter(va);                                         /* one pin left: still nothing freed */
    CHECK_EQ_INT(before, __atomic_load_n(&frees, __ATOMIC_RELAXED));
    cym_dl_managed_tensor_t* lb = b;
    CHECK_EQ_INT(42.0, ((double*)lb->dl_tensor.data)[7]);
    lb->deleter(lb);                                         /* the last: both blocks and the table go back */
    CHECK(__atomic_load_n(&frees, __ATOMIC_RELAXED) >= before + 3);
}

static void* call_deleter(void* t) {
    cym_dl_managed_tensor_versioned_t* m = t;
    m->deleter(m);
    return NULL;
}

CHECK_BODY(the_last_deleter_may_run_on_another_thread) {
    cym_pool_t* pool = counting_pool(CYM_POOL_SHARED);
    CHECK(pool != NULL);
    void* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 16, 8, &p));
    int64_t shape[1] = {16}, strides[1] = {1};
    void* t = NULL;
    CHECK_EQ_INT(CYM_OK, cym_dlpack_export(pool, p, 0, 1, shape, strides, F64, 0, 1, &t));
    int64_t before = __atomic_load_n(&frees, __ATOMIC_RELAXED);
    cym_pool_destroy(pool);
    pthread_t thread;
    CHECK_EQ_INT(0, pthread_create(&thread, NULL, call_deleter, t));
    CHECK_EQ_INT(0, pthread_join(thread, NULL));
    CHECK(__atomic_load_n(&frees, __ATOMIC_RELAXED) >= before + 2);
}

CHECK_BODY(refused_exports_pin_and_allocate_nothing) {
    cym_pool_t* pool = counting_pool(0);
    CHECK(pool != NULL);
    char* p = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 64, 1, (void**)&p));
    int64_t shape[1] = {8}, strides[1] = {1};
    void* out = NULL;
    int64_t live = cym_dlpack_live_exports();
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_dlpack_export(pool, p + 8, 0, 1, shape, strides, F64, 0, 1, &out)); /* interior */
    CHECK_EQ_INT(CYM_EINVAL, cym_dlpack_export(pool, p, 0, CYM_MAX_NDIM + 1, shape, strides, F64, 0, 1, &out));
    CHECK_EQ_INT(CYM_EINVAL, cym_dlpack_export(pool, p, 0, 1, NULL, strides, F64, 0, 1, &out));
    CHECK_EQ_INT(CYM_EINVAL, cym_dlpack_export(NULL, p, 0, 1, shape, strides, F64, 0, 1, &out));
    CHECK_EQ_INT(live, cym_dlpack_live_exports());
    CHECK_EQ_INT(0, cym_pool_pinned(pool, NULL));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_unpin(pool, p));
    CHECK_EQ_INT(CYM_ENOTOWNED, cym_pool_pin(pool, p + 1));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, p));
    cym_pool_destroy(pool);
}

CHECK_BODY(pins_count_and_many_blocks_grow_the_pin_table) {
    cym_pool_t* pool = counting_pool(0);
    CHECK(pool != NULL);
    void* blocks[40];
    for (int i = 0; i < 40; i++) {
        CHECK_EQ_INT(CYM_OK, cym_pool_alloc(pool, 1, 16, &blocks[i]));
        CHECK_EQ_INT(CYM_OK, cym_pool_pin(pool, blocks[i]));
    }
    CHECK_EQ_INT(CYM_OK, cym_pool_pin(pool, blocks[3]));
    CHECK_EQ_INT(41, cym_pool_pinned(pool, NULL));
    CHECK(_cym_pool_is_valid(pool));
    CHECK_EQ_INT(2, cym_pool_pinned(pool, blocks[3]));
    for (int i = 0; i < 40; i++) CHECK_EQ_INT(CYM_OK, cym_pool_unpin(pool, blocks[i]));
    CHECK_EQ_INT(CYM_EBUSY, cym_pool_free(pool, blocks[3]));
    CHECK_EQ_INT(CYM_OK, cym_pool_unpin(pool, blocks[3]));
    CHECK_EQ_INT(CYM_OK, cym_pool_free(pool, blocks[3]));
    CHECK_EQ_INT(0, cym_pool_pinned(pool, NULL));
    cym_pool_destroy(pool);
}

int main(void) {
    an_export_describes_the_block_and_its_deleter_unpins();
    a_legacy_export_has_the_same_tensor_and_no_version();
    destroy_with_an_export_outstanding_is_deferred_to_the_last_deleter();
    the_last_deleter_may_run_on_another_thread();
    refused_exports_pin_and_allocate_nothing();
    pins_count_and_many_blocks_grow_the_pin_table();
    CHECK_DONE();
}
