/* consumer.h: the C side of a native library that uses cymem4j the way a JNI-heavy application would:
 * through cymem4j.h only, on pools Java owns (a handle from Pool.nativeHandle()). No JNI here; consumer_jni.c
 * exposes it to the Java test and consumer_selftest.c runs it without a JVM (also under ASan). */
#ifndef CYMEM4J_CONSUMER_H
#define CYMEM4J_CONSUMER_H

#include <stddef.h>
#include <stdint.h>

#include <cymem4j.h>

/* Allocates count zeroed blocks of size bytes into pool and writes i & 0xff to every byte of block i.
 * Stops at the first failure and returns its status; the blocks made so far stay in the pool. */
int consumer_fill(cym_pool_t* pool, int count, size_t size);

/* Allocates size bytes with plain malloc, writes 0xAB to each, and makes the pool own the block with
 * consumer_adopted_free as its free function. On error the block is freed here and *out is untouched. */
int consumer_adopt_malloc(cym_pool_t* pool, size_t size, void** out);

/* How many blocks consumer_adopted_free released since the library loaded. */
int64_t consumer_adopted_frees(void);

/* consumer_fill from threads native threads at once, per_thread blocks each (the pool must be shared).
 * Returns the first failing status, or CYM_EINVAL if a thread could not be started. */
int consumer_fill_parallel(cym_pool_t* pool, int threads, int per_thread, size_t size);

/* The name of the process default allocator (cym_allocator_default), copied into buf. */
void consumer_default_allocator_name(char* buf, size_t capacity);

/* The path of the shared object that provides cym_pool_alloc to this library, or "" if unknown. */
const char* consumer_core_path(void);

#endif /* CYMEM4J_CONSUMER_H */
