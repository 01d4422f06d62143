/* consumer_jni.c: the JNI entry points of libcymconsumer.so for org.cymem4j.consumer.ConsumerLibrary (a
 * test class). Pool handles arrive as jlong (Pool.nativeHandle()); statuses go back as cym_status values. */
#include <jni.h>

#include "consumer.h"

static cym_pool_t* pool_of(jlong handle) { return (cym_pool_t*)(intptr_t)handle; }

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_fill(JNIEnv* env, jclass cls, jlong pool,
                                                                       jint count, jlong size) {
    (void)env, (void)cls;
    return consumer_fill(pool_of(pool), count, (size_t)size);
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_adoptMalloc(JNIEnv* env, jclass cls, jlong pool,
                                                                               jlong size) {
    (void)env, (void)cls;
    void* p = NULL;
    int status = consumer_adopt_malloc(pool_of(pool), (size_t)size, &p);
    return status == CYM_OK ? (jlong)(intptr_t)p : -(jlong)status;
}

JNIEXPORT jlong JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_adoptedFrees(JNIEnv* env, jclass cls) {
    (void)env, (void)cls;
    return consumer_adopted_frees();
}

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_fillParallel(JNIEnv* env, jclass cls, jlong pool,
                                                                               jint threads, jint perThread,
                                                                               jlong size) {
    (void)env, (void)cls;
    return consumer_fill_parallel(pool_of(pool), threads, perThread, (size_t)size);
}

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_free(JNIEnv* env, jclass cls, jlong pool,
                                                                       jlong address) {
    (void)env, (void)cls;
    return cym_pool_free(pool_of(pool), (void*)(intptr_t)address);
}

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_realloc(JNIEnv* env, jclass cls, jlong pool,
                                                                          jlong address, jlong size) {
    (void)env, (void)cls;
    void* q = NULL;
    return cym_pool_realloc(pool_of(pool), (void*)(intptr_t)address, (size_t)size, &q);
}

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_libraryVersion(JNIEnv* env, jclass cls) {
    (void)env, (void)cls;
    return cym_version();
}

JNIEXPORT jint JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_headerVersion(JNIEnv* env, jclass cls) {
    (void)env, (void)cls;
    return CYM_VERSION_NUMBER;
}

JNIEXPORT jstring JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_defaultAllocatorName(JNIEnv* env, jclass cls) {
    (void)cls;
    char name[CYM_ALLOCATOR_NAME_MAX];
    consumer_default_allocator_name(name, sizeof name);
    return (*env)->NewStringUTF(env, name);
}

JNIEXPORT jstring JNICALL Java_org_cymem4j_consumer_ConsumerLibrary_corePath(JNIEnv* env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, consumer_core_path());
}
