/* jbridge_allocator.h: the allocator functions as the Java binding calls them
 * (org.cymem4j.internal.jni.NativeAllocator). Handles and addresses travel as int64_t; a result >= 0 is a
 * value, a negative result is -cym_status. Strings arrive as NUL-terminated UTF-8 (NULL for "none"); a
 * failure reason is written into the caller's `why` buffer. No JNI here. */
#ifndef CYMEM4J_JBRIDGE_ALLOCATOR_H
#define CYMEM4J_JBRIDGE_ALLOCATOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values per fault in cym_j_pool_debug_faults' output: kind, address, size, seq, offset. */
#define CYM_J_FAULT_FIELDS 5

int64_t cym_j_allocator_system(void);
int64_t cym_j_allocator_named(const char* name, char* why, int64_t why_len);   /* handle, or -status */
int64_t cym_j_allocator_named_from(const char* name, const char* path, const char* prefix, char* why,
                                   int64_t why_len); /* handle, or -status */
int64_t cym_j_allocator_library(const char* path, const char* malloc_sym, const char* free_sym,
                                const char* calloc_sym, const char* realloc_sym, const char* usable_sym,
                                const char* name, char* why, int64_t why_len);  /* handle, or -status */
/* Function pointers as addresses; calloc_fn and realloc_fn may be 0. */
int64_t cym_j_allocator_wrap(int64_t malloc_fn, int64_t free_fn, int64_t calloc_fn, int64_t realloc_fn,
                             const char* name);
int64_t cym_j_allocator_debug(int64_t inner);
int64_t cym_j_allocator_failing(int64_t inner, int64_t fail_nth, int64_t fail_every, int64_t budget);
void cym_j_allocator_release(int64_t allocator);
/* Copies the allocator's name (NUL-terminated, truncated to len) into out. */
void cym_j_allocator_name(int64_t allocator, char* out, int64_t len);
int32_t cym_j_allocator_flags(int64_t allocator); /* bit 0: debug, bit 1: per-pool heap (thread-bound) */
int64_t cym_j_allocator_usable_size(int64_t allocator, int64_t address);
int32_t cym_j_allocator_backend_owns(int64_t allocator, int64_t address);
int64_t cym_j_allocator_backend_allocated(int64_t allocator);
/* calls, failures, live bytes (or -1 each if not a failing allocator). */
void cym_j_allocator_failing_counts(int64_t allocator, int64_t* out);
/* The usable size of a pool block, asked of the allocator that made it (a pool-private one included). */
int64_t cym_j_pool_usable_size(int64_t pool, int64_t address);
/* Debug pools: checks every live block's guards; returns the live count, or -1 if not a debug pool. */
int64_t cym_j_pool_debug_check(int64_t pool);
/* Moves up to max recorded faults into out (CYM_J_FAULT_FIELDS each); returns how many. */
int64_t cym_j_pool_debug_faults(int64_t pool, int64_t* out, int64_t max);

/* Makes allocator the process default that native code sees through cym_allocator_default() (the default takes
 * its own reference). */
void cym_j_allocator_set_default(int64_t allocator);

/* Hooks written in Java: one static callback per kind for the whole process (JavaCPP allows few live callback
 * instances), told which Java hook object to use by its id. malloc returns an address or 0; release is called
 * once, when the last reference to the allocator goes, so Java can forget the hooks. */
typedef int64_t (*cym_j_malloc_cb)(int32_t id, int64_t size);
typedef void (*cym_j_free_cb)(int32_t id, int64_t address);
typedef void (*cym_j_release_cb)(int32_t id);
int64_t cym_j_allocator_java(cym_j_malloc_cb malloc_cb, cym_j_free_cb free_cb, cym_j_release_cb release_cb,
                             int32_t id, const char* name); /* handle, or -status */

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_ALLOCATOR_H */
