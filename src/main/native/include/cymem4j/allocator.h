/* cymem4j/allocator.h: allocator hooks. An allocator is a table of functions plus a context and a name;
 * every pool is bound to one allocator for its whole life, so each block is released by the free
 * function that matches the function that made it, whatever the process default is by then.
 */
#ifndef CYMEM4J_ALLOCATOR_H
#define CYMEM4J_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cym_allocator_s cym_allocator_t;

/* The functions behind an allocator. ctx is the allocator's context (cym_allocator_new's ctx).
 * malloc_fn and free_fn are required. calloc_fn and realloc_fn may be NULL: pools then synthesise them
 * from malloc_fn/free_fn (malloc + memset; malloc + copy + free), which cymem's WrapMalloc never allowed.
 * pool_fn may be NULL; when set, every pool made with this allocator asks it for a pool-private
 * allocator (for example a mimalloc heap). release_fn, when set, is called once when the last reference
 * to the allocator goes; if the allocator was made with CYM_ALLOCATOR_RELEASE_FREES_ALL, releasing it
 * frees every block it handed out, and pools skip walking their table. */
typedef struct cym_allocator_ops_s {
    void* (*malloc_fn)(void* ctx, size_t size);
    void* (*calloc_fn)(void* ctx, size_t count, size_t size);
    void* (*realloc_fn)(void* ctx, void* p, size_t size);
    void (*free_fn)(void* ctx, void* p);
    cym_allocator_t* (*pool_fn)(void* ctx);
    void (*release_fn)(void* ctx);
} cym_allocator_ops_t;

/* cym_allocator_new flags. */
#define CYM_ALLOCATOR_RELEASE_FREES_ALL 1u

/* Maximum length of an allocator name, including the terminating NUL; longer names are truncated. */
#define CYM_ALLOCATOR_NAME_MAX 64

struct cym_allocator_s {
    cym_allocator_ops_t ops;           /* copied from cym_allocator_new's argument */
    void* ctx;                         /* passed as the first argument of every op */
    unsigned flags;                    /* CYM_ALLOCATOR_* */
    char name[CYM_ALLOCATOR_NAME_MAX]; /* for messages and logs: "system", "jemalloc", "debug(system)" */
    int64_t refs;                      /* references held (atomic); the system allocator ignores it */
};

/* The process's libc allocator (malloc/calloc/realloc/free). Static: retain and release are no-ops. */
cym_allocator_t* cym_allocator_system(void);

/* A new allocator with one reference owned by the caller (release it with cym_allocator_release).
 * ops must have malloc_fn and free_fn. The struct itself comes from the system allocator.
 * Returns CYM_EINVAL for a missing function, CYM_ENOMEM if the struct cannot be allocated. */
int cym_allocator_new(const cym_allocator_ops_t* ops, void* ctx, unsigned flags, const char* name,
                      cym_allocator_t** out);

/* cymem's WrapMalloc/WrapFree: an allocator over a plain malloc/free pair (calloc and realloc are
 * synthesised). calloc_fn and realloc_fn may be NULL; when given they are used. One reference owned by
 * the caller. */
int cym_allocator_wrap(void* (*malloc_fn)(size_t), void (*free_fn)(void*), void* (*calloc_fn)(size_t, size_t),
                       void* (*realloc_fn)(void*, size_t), const char* name, cym_allocator_t** out);

/* Take one more reference; returns a. */
cym_allocator_t* cym_allocator_retain(cym_allocator_t* a);

/* Drop one reference; the last one calls ops.release_fn(ctx) and frees the struct. NULL is ignored. */
void cym_allocator_release(cym_allocator_t* a);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_ALLOCATOR_H */
