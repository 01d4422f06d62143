/* cymem4j/mapped.h: files mapped into memory (mmap), for memory-mapped .npy arrays (Npy.map in Java).
 *
 * A mapping covers a whole regular file, from byte 0 (mmap needs a page-aligned file offset; the caller adds
 * its own data offset to the address). It is not pool memory: no byte limit counts it, and a file larger
 * than RAM is read lazily, page by page, by the kernel. Only this module calls open/fstat/mmap/msync/munmap.
 *
 * Modes, as NumPy's np.load(mmap_mode=...) and Java's FileChannel.MapMode:
 *   CYM_MAP_READ_ONLY      'r'   MAP_SHARED, PROT_READ: a write faults, so callers must refuse writes first
 *   CYM_MAP_READ_WRITE     'r+'  MAP_SHARED, PROT_READ|PROT_WRITE: writes reach the file (at the latest when
 *                                cym_mapping_close msyncs)
 *   CYM_MAP_COPY_ON_WRITE  'c'   MAP_PRIVATE|MAP_NORESERVE, PROT_READ|PROT_WRITE: writes stay in this process
 *
 * Invariants (cym_mapping_t): address != NULL && size > 0 && size == the file's length when mapped;
 * mode is one of the three above. What stays the caller's race, as with any mmap: another process
 * truncating the file under the mapping (an access past the new end raises SIGBUS).
 */
#ifndef CYMEM4J_MAPPED_H
#define CYMEM4J_MAPPED_H

#include <stddef.h>
#include <stdint.h>

#include "cymem4j/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cym_map_mode {
    CYM_MAP_READ_ONLY = 0,
    CYM_MAP_READ_WRITE = 1,
    CYM_MAP_COPY_ON_WRITE = 2
} cym_map_mode;

/* Which system call a failed cym_mapping_open stopped at (cym_mapping_error_t.call). */
typedef enum cym_map_call {
    CYM_MAP_CALL_NONE = 0,
    CYM_MAP_CALL_OPEN = 1,   /* open(2): os_errno says why (ENOENT, EACCES, ...) */
    CYM_MAP_CALL_FSTAT = 2,  /* fstat(2) */
    CYM_MAP_CALL_TYPE = 3,   /* not a regular file (a directory, a pipe, a device) */
    CYM_MAP_CALL_LENGTH = 4, /* the file is shorter than min_bytes, or empty: file_size says how long it is */
    CYM_MAP_CALL_MMAP = 5    /* mmap(2): os_errno says why (ENOMEM: no address space, ENODEV, ...) */
} cym_map_call;

/* What cym_mapping_open reports beside its status, for an error message that names the problem. */
typedef struct cym_mapping_error {
    int os_errno;     /* errno of the failed call, or 0 */
    cym_map_call call; /* where it stopped, CYM_MAP_CALL_NONE on success */
    int64_t file_size; /* the file's length once fstat succeeded, else -1 */
} cym_mapping_error_t;

typedef struct cym_mapping cym_mapping_t;

/* Maps the whole file at path in mode; the file must hold at least min_bytes bytes and at least one.
 * On success *out is a new mapping that cym_mapping_close releases (the file descriptor is already
 * closed: the mapping keeps the file alive). On failure *out is NULL, nothing stays open or mapped, err
 * (if not NULL) says where it stopped, and the status is CYM_EINVAL for a NULL path or out, a bad mode,
 * a negative min_bytes, a file that is not regular or is shorter than min_bytes; CYM_ENOMEM when mmap or
 * malloc found no memory; CYM_EUNSUPPORTED when open, fstat or mmap failed otherwise (err->os_errno). */
cym_status cym_mapping_open(const char* path, cym_map_mode mode, int64_t min_bytes, cym_mapping_t** out,
                            cym_mapping_error_t* err);

/* The first byte of the file in memory; NULL for a NULL mapping. */
void* cym_mapping_address(const cym_mapping_t* m);

/* The mapped length in bytes (the file's length when mapped); 0 for a NULL mapping. */
size_t cym_mapping_size(const cym_mapping_t* m);

/* The mode the mapping was made with. */
cym_map_mode cym_mapping_mode(const cym_mapping_t* m);

/* Writes a read-write mapping's changed pages to the file and waits (msync MS_SYNC); nothing for the
 * other modes. Returns 0 or the errno of a failed msync (EIO: the data may not have reached the file). */
int cym_mapping_sync(cym_mapping_t* m);

/* Syncs a read-write mapping (as cym_mapping_sync), unmaps and frees m; a NULL m is a no-op. Always
 * releases everything; returns 0 or the errno of a failed msync (the unmapped data may be lost). m must
 * not be used again, and no thread may still touch the memory. */
int cym_mapping_close(cym_mapping_t* m);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_MAPPED_H */
