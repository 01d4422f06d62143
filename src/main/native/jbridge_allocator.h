/* jbridge_allocator.h: the allocator functions as the Java binding calls them
 * (org.cymem4j.internal.jni.NativeAllocator). Handles and addresses travel as int64_t; every result is the one
 * bridge encoding, a value >= 0 or -cym_status ("cannot tell" is -CYM_EUNSUPPORTED). Strings arrive as NUL-terminated UTF-8 (NULL for "none"); a
 * failure reason is written into the caller's `why` buffer. No JNI here. */
#ifndef CYMEM4J_JBRIDGE_ALLOCATOR_H
#define CYMEM4J_JBRIDGE_ALLOCATOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values per fault in cym_j_pool_debug_faults' output: kind, address, size, seq, offset. */
#define CYM_J_FAULT_FIELDS 5
/* Bits of cym_j_allocator_flags. */
#define CYM_J_ALLOCATOR_DEBUG 1        /* a debug allocator */
#define CYM_J_ALLOCATOR_THREAD_BOUND 2 /* a per-pool heap that belongs to the opening thread (mimalloc-heap) */
#define CYM_J_ALLOCATOR_UPCALLS 4      /* may call back into Java (no CYM_ALLOCATOR_NO_UPCALLS) */
/* Values cym_j_allocator_failing_counts fills. */
#define CYM_J_FAILING_COUNTS 3

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
int32_t cym_j_allocator_flags(int64_t allocator); /* CYM_J_ALLOCATOR_* bits */
int64_t cym_j_allocator_usable_size(int64_t allocator, int64_t address); /* bytes, or -CYM_EUNSUPPORTED */
int32_t cym_j_allocator_backend_owns(int64_t allocator, int64_t address); /* 1, 0, or -CYM_EUNSUPPORTED */
int64_t cym_j_allocator_backend_allocated(int64_t allocator);  /* bytes, or -CYM_EUNSUPPORTED */
/* calls, failures, live bytes into out[0..CYM_J_FAILING_COUNTS-1]; 0, or -CYM_EINVAL (out -1 each) if a is not a
 * failing allocator. */
int32_t cym_j_allocator_failing_counts(int64_t allocator, int64_t* out);
/* The usable size of a pool block, asked of the allocator that made it (a pool-private one included); bytes, or
 * -CYM_EUNSUPPORTED. */
int64_t cym_j_pool_usable_size(int64_t pool, int64_t address);
/* Debug pools: checks every live block's guards; returns the live count, or -CYM_EUNSUPPORTED if not a debug pool. */
int64_t cym_j_pool_debug_check(int64_t pool);
/* Moves up to max recorded faults into out (CYM_J_FAULT_FIELDS each); returns how many. */
int64_t cym_j_pool_debug_faults(int64_t pool, int64_t* out, int64_t max);

/* Makes allocator the process default that native code sees through cym_allocator_default() (the default takes
 * its own reference). */
void cym_j_allocator_set_default(int64_t allocator);

/* cym_huge_pages_set_min (min_bytes >= 0) and cym_huge_pages_min. */
void cym_j_huge_pages_set_min(int64_t min_bytes);
int64_t cym_j_huge_pages_min(void);

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
