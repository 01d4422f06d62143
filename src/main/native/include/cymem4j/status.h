/* cymem4j/status.h: the status every fallible cym_ function returns. It is the declared return type (not int),
 * so C++ code can store, compare and switch on it without casts; in C it converts to and from int as any enum.
 */
#ifndef CYMEM4J_STATUS_H
#define CYMEM4J_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Negative values never appear; 0 is success. */
typedef enum cym_status {
    CYM_OK = 0,
    CYM_ENOMEM = 1,      /* the allocator returned NULL; nothing changed */
    CYM_EOVERFLOW = 2,   /* count * size does not fit in size_t (or exceeds PTRDIFF_MAX) */
    CYM_ENOTOWNED = 3,   /* the address is not the start of a live block of this pool; nothing freed */
    CYM_EINVAL = 4,      /* a bad argument (NULL pool, bad flag, bad shape) */
    CYM_ELIMIT = 5,      /* a byte limit would be exceeded; the allocator was not called */
    CYM_EUNSUPPORTED = 6, /* the operation is not available (library or symbol missing, dtype pair) */
    CYM_EBUSY = 7         /* the block is pinned by an export (cym_pool_pin, DLPack); nothing changed. (Inside the
                           * core also: a lease declined while the class has freed blocks; never returned by the
                           * public API for that.) */
} cym_status;

/* A short constant English description of a status ("address not owned by the pool", ...). */
const char* cym_status_message(cym_status status);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_STATUS_H */
