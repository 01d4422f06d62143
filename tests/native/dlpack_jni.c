/* dlpack_jni.c: a DLPack consumer and producer written only against Debian's <dlpack/dlpack.h> (DLPack 0.6), loaded
 * by org.cymem4j.view.DLPackTest with System.load: it never sees cymem4j's headers, so the round trips check our
 * structs against another party's. The legacy struct is the header's DLManagedTensor; the 1.x versioned struct,
 * which that header predates, is declared here from the specification (its layout is checked in test_dlpack.c).
 *
 * Consumer: reads a tensor's elements as double (any supported dtype, strided, byte_offset), writes them back
 * scaled, calls the deleter. Producer: malloc'd tensors of any dtype and layout whose deleter counts. */
#include <dlpack/dlpack.h>
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* DLPack 1.x, from the specification. */
typedef struct {
    uint32_t major;
    uint32_t minor;
} TestVersion;

typedef struct TestManagedVersioned {
    TestVersion version;
    void* manager_ctx;
    void (*deleter)(struct TestManagedVersioned* self);
    uint64_t flags;
    DLTensor dl_tensor;
} TestManagedVersioned;

#define TEST_KDLBOOL 6 /* kDLBool, added after DLPack 0.6 */

__extension__ typedef _Float16 half_t; /* IEEE binary16, gcc's extension on x86-64 */

static DLTensor* tensor_of(jlong address, jboolean versioned) {
    return versioned ? &((TestManagedVersioned*)(uintptr_t)address)->dl_tensor
                     : &((DLManagedTensor*)(uintptr_t)address)->dl_tensor;
}

/* Element at flat C-order position i (i < size), as a pointer. */
static char* element(const DLTensor* t, int64_t i) {
    int64_t itemsize = t->dtype.bits / 8 * t->dtype.lanes;
    int64_t offset = 0;
    int64_t contiguous = 1;
    for (int k = t->ndim - 1; k >= 0; k--) {
        int64_t idx = i % t->shape[k];
        i /= t->shape[k];
        int64_t stride = t->strides != NULL ? t->strides[k] : contiguous;
        offset += idx * stride;
        contiguous *= t->shape[k];
    }
    return (char*)t->data + t->byte_offset + offset * itemsize;
}

static double get(const DLTensor* t, const char* p) {
    switch (t->dtype.code) {
    case kDLInt:
        switch (t->dtype.bits) {
        case 8: return *(const int8_t*)p;
        case 16: return (double)*(const int16_t*)p;
        case 32: return *(const int32_t*)p;
        default: return (double)*(const int64_t*)p;
        }
    case kDLUInt:
    case TEST_KDLBOOL:
        switch (t->dtype.bits) {
        case 8: return *(const uint8_t*)p;
        case 16: return *(const uint16_t*)p;
        case 32: return *(const uint32_t*)p;
        default: return (double)*(const uint64_t*)p;
        }
    case kDLFloat:
        switch (t->dtype.bits) {
        case 16: return (double)*(const half_t*)p;
        case 32: return *(const float*)p;
        default: return *(const double*)p;
        }
    case kDLComplex: /* the real part */
        return t->dtype.bits == 64 ? *(const float*)p : *(const double*)p;
    default: return -1e300;
    }
}

static void put(const DLTensor* t, char* p, double v) {
    switch (t->dtype.code) {
    case kDLInt:
        switch (t->dtype.bits) {
        case 8: *(int8_t*)p = (int8_t)v; return;
        case 16: *(int16_t*)p = (int16_t)v; return;
        case 32: *(int32_t*)p = (int32_t)v; return;
        default: *(int64_t*)p = (int64_t)v; return;
        }
    case kDLUInt:
    case TEST_KDLBOOL:
        switch (t->dtype.bits) {
        case 8: *(uint8_t*)p = (uint8_t)v; return;
        case 16: *(uint16_t*)p = (uint16_t)v; return;
        case 32: *(uint32_t*)p = (uint32_t)v; return;
        default: *(uint64_t*)p = (uint64_t)v; return;
        }
    case kDLFloat:
        switch (t->dtype.bits) {
        case 16: *(half_t*)p = (half_t)v; return;
        case 32: *(float*)p = (float)v; return;
        default: *(double*)p = v; return;
        }
    case kDLComplex:
        if (t->dtype.bits == 64) {
            ((float*)p)[0] = (float)v;
        } else {
            ((double*)p)[0] = v;
        }
        return;
    default: return;
    }
}

static int64_t size_of(const DLTensor* t) {
    int64_t n = 1;
    for (int k = 0; k < t->ndim; k++) n *= t->shape[k];
    return n;
}

/* The tensor's fields: [version major (-1 legacy), flags, device_type, device_id, ndim, code, bits, lanes,
 * byte_offset, data, shape..., strides... (0 when NULL)]. */
JNIEXPORT jlongArray JNICALL Java_org_cymem4j_view_DLPackTestLibrary_describe(JNIEnv* env, jclass cls, jlong address,
                                                                              jboolean versioned) {
    (void)cls;
    const DLTensor* t = tensor_of(address, versioned);
    jlong out[10 + 64];
    const TestManagedVersioned* v = (const TestManagedVersioned*)(uintptr_t)address;
    out[0] = versioned ? (jlong)v->version.major : -1;
    out[1] = versioned ? (jlong)v->flags : 0;
    out[2] = t->device.device_type;
    out[3] = t->device.device_id;
    out[4] = t->ndim;
    out[5] = t->dtype.code;
    out[6] = t->dtype.bits;
    out[7] = t->dtype.lanes;
    out[8] = (jlong)t->byte_offset;
    out[9] = (jlong)(uintptr_t)t->data;
    for (int k = 0; k < t->ndim && k < 32; k++) {
        out[10 + k] = t->shape[k];
        out[10 + t->ndim + k] = t->strides != NULL ? t->strides[k] : 0;
    }
    jsize n = 10 + 2 * t->ndim;
    jlongArray r = (*env)->NewLongArray(env, n);
    if (r != NULL) (*env)->SetLongArrayRegion(env, r, 0, n, out);
    return r;
}

/* Every element as double, in C order. */
JNIEXPORT jdoubleArray JNICALL Java_org_cymem4j_view_DLPackTestLibrary_read(JNIEnv* env, jclass cls, jlong address,
                                                                            jboolean versioned) {
    (void)cls;
    const DLTensor* t = tensor_of(address, versioned);
    int64_t n = size_of(t);
    jdoubleArray r = (*env)->NewDoubleArray(env, (jsize)n);
    if (r == NULL) return NULL;
    for (int64_t i = 0; i < n; i++) {
        jdouble x = get(t, element(t, i));
        (*env)->SetDoubleArrayRegion(env, r, (jsize)i, 1, &x);
    }
    return r;
}

/* Writes element i = values[i] (C order). */
JNIEXPORT void JNICALL Java_org_cymem4j_view_DLPackTestLibrary_write(JNIEnv* env, jclass cls, jlong address,
                                                                     jboolean versioned, jdoubleArray values) {
    (void)cls;
    const DLTensor* t = tensor_of(address, versioned);
    int64_t n = size_of(t);
    for (int64_t i = 0; i < n && i < (*env)->GetArrayLength(env, values); i++) {
        jdouble x;
        (*env)->GetDoubleArrayRegion(env, values, (jsize)i, 1, &x);
        put(t, element(t, i), x);
    }
}

JNIEXPORT void JNICALL Java_org_cymem4j_view_DLPackTestLibrary_callDeleter(JNIEnv* env, jclass cls, jlong address,
                                                                           jboolean versioned) {
    (void)env;
    (void)cls;
    if (versioned) {
        TestManagedVersioned* m = (TestManagedVersioned*)(uintptr_t)address;
        m->deleter(m);
    } else {
        DLManagedTensor* m = (DLManagedTensor*)(uintptr_t)address;
        m->deleter(m);
    }
}

// ---- producer ----------------------------------------------------------------------------------------------------

static int64_t deleted; /* deleter calls of produced tensors (atomic) */

/* One allocation: the managed tensor, shape, strides, then the data. */
typedef struct {
    union {
        DLManagedTensor legacy;
        TestManagedVersioned versioned;
    } m;
    int64_t dims[64];
} Produced;

static void delete_legacy(DLManagedTensor* self) {
    __atomic_add_fetch(&deleted, 1, __ATOMIC_RELAXED);
    free(self->manager_ctx);
}

static void delete_versioned(TestManagedVersioned* self) {
    __atomic_add_fetch(&deleted, 1, __ATOMIC_RELAXED);
    free(self->manager_ctx);
}

/* A tensor of the given dtype and shape whose memory holds `values` (C order) laid out with the given strides in
 * elements (null: NULL strides, compact C order), starting `offset_elems` elements after data. Versioned with
 * `flags`, or legacy. */
JNIEXPORT jlong JNICALL Java_org_cymem4j_view_DLPackTestLibrary_produce(JNIEnv* env, jclass cls, jboolean versioned,
                                                                        jlong flags, jint code, jint bits,
                                                                        jlongArray shape, jlongArray strides,
                                                                        jlong offset_elems, jlong span_elems,
                                                                        jdoubleArray values) {
    (void)cls;
    jsize ndim = (*env)->GetArrayLength(env, shape);
    size_t itemsize = (size_t)bits / 8;
    Produced* p = calloc(1, sizeof(Produced) + (size_t)span_elems * itemsize + 16);
    if (p == NULL) return 0;
    (*env)->GetLongArrayRegion(env, shape, 0, ndim, (jlong*)p->dims);
    if (strides != NULL) (*env)->GetLongArrayRegion(env, strides, 0, ndim, (jlong*)(p->dims + 32));
    DLTensor t;
    memset(&t, 0, sizeof t);
    t.data = (char*)(p + 1);
    t.device.device_type = kDLCPU;
    t.ndim = ndim;
    t.dtype.code = (uint8_t)code;
    t.dtype.bits = (uint8_t)bits;
    t.dtype.lanes = 1;
    t.shape = p->dims;
    t.strides = strides != NULL ? p->dims + 32 : NULL;
    t.byte_offset = (uint64_t)offset_elems * itemsize;
    int64_t n = size_of(&t);
    for (int64_t i = 0; i < n; i++) {
        jdouble x;
        (*env)->GetDoubleArrayRegion(env, values, (jsize)i, 1, &x);
        put(&t, element(&t, i), x);
    }
    if (versioned) {
        p->m.versioned.version.major = 1;
        p->m.versioned.version.minor = 1;
        p->m.versioned.manager_ctx = p;
        p->m.versioned.deleter = delete_versioned;
        p->m.versioned.flags = (uint64_t)flags;
        p->m.versioned.dl_tensor = t;
    } else {
        p->m.legacy.manager_ctx = p;
        p->m.legacy.deleter = delete_legacy;
        p->m.legacy.dl_tensor = t;
    }
    return (jlong)(uintptr_t)p;
}

/* Sets a produced tensor's fields to bad values, to test refusals: which = 0 device CUDA, 1 version 2.0,
 * 2 lanes 4, 3 ndim 40. */
JNIEXPORT void JNICALL Java_org_cymem4j_view_DLPackTestLibrary_spoil(JNIEnv* env, jclass cls, jlong address,
                                                                     jboolean versioned, jint which) {
    (void)env;
    (void)cls;
    DLTensor* t = tensor_of(address, versioned);
    switch (which) {
    case 0: t->device.device_type = kDLCUDA; break;
    case 1: ((TestManagedVersioned*)(uintptr_t)address)->version.major = 2; break;
    case 2: t->dtype.lanes = 4; break;
    default: t->ndim = 40; break;
    }
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_view_DLPackTestLibrary_deleted(JNIEnv* env, jclass cls) {
    (void)env;
    (void)cls;
    return __atomic_load_n(&deleted, __ATOMIC_RELAXED);
}

// ---- a counting allocator for the pool (Allocator.functions) -----------------------------------------------------

static int64_t frees;
static void* counting_malloc(size_t size) { return malloc(size); }
static void counting_free(void* p) {
    if (p != NULL) __atomic_add_fetch(&frees, 1, __ATOMIC_RELAXED);
    free(p);
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_view_DLPackTestLibrary_mallocFn(JNIEnv* env, jclass cls) {
    (void)env;
    (void)cls;
    return (jlong)(uintptr_t)counting_malloc;
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_view_DLPackTestLibrary_freeFn(JNIEnv* env, jclass cls) {
    (void)env;
    (void)cls;
    return (jlong)(uintptr_t)counting_free;
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_view_DLPackTestLibrary_frees(JNIEnv* env, jclass cls) {
    (void)env;
    (void)cls;
    return __atomic_load_n(&frees, __ATOMIC_RELAXED);
}
