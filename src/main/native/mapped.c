/* mapped.c: files mapped into memory (see cymem4j/mapped.h). The only code that calls open, fstat, mmap,
 * msync and munmap. Entry points: cym_mapping_open, cym_mapping_close. */
#define _GNU_SOURCE /* MAP_NORESERVE, O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cymem4j.h"

/* address != NULL && size > 0 && mode in [CYM_MAP_READ_ONLY, CYM_MAP_COPY_ON_WRITE] */
struct cym_mapping {
    void* address;     /* what mmap returned: the file's byte 0 */
    size_t size;       /* the length mapped, the file's length at open */
    cym_map_mode mode; /* how it was mapped */
};

static cym_status fail(cym_mapping_error_t* err, cym_map_call call, int os_errno, cym_status status) {
    if (err != NULL) {
        err->call = call;
        err->os_errno = os_errno;
    }
    return status;
}

cym_status cym_mapping_open(const char* path, cym_map_mode mode, int64_t min_bytes, cym_mapping_t** out,
                            cym_mapping_error_t* err) {
    if (err != NULL) {
        err->call = CYM_MAP_CALL_NONE;
        err->os_errno = 0;
        err->file_size = -1;
    }
    if (out != NULL) *out = NULL;
    if (path == NULL || out == NULL || min_bytes < 0 ||
        (mode != CYM_MAP_READ_ONLY && mode != CYM_MAP_READ_WRITE && mode != CYM_MAP_COPY_ON_WRITE)) {
        return CYM_EINVAL;
    }
    /* Copy-on-write needs no write permission on the file: MAP_PRIVATE pages are this process's copies. */
    int fd = open(path, (mode == CYM_MAP_READ_WRITE ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return fail(err, CYM_MAP_CALL_OPEN, errno, CYM_EUNSUPPORTED);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(err, CYM_MAP_CALL_FSTAT, e, CYM_EUNSUPPORTED);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fail(err, CYM_MAP_CALL_TYPE, 0, CYM_EINVAL);
    }
    if (err != NULL) err->file_size = (int64_t)st.st_size;
    /* The length is checked here, on the descriptor that is mapped: the file may have changed since the
     * caller read its header. */
    if (st.st_size <= 0 || (int64_t)st.st_size < min_bytes || (uint64_t)st.st_size > SIZE_MAX) {
        close(fd);
        return fail(err, CYM_MAP_CALL_LENGTH, 0, CYM_EINVAL);
    }
    cym_mapping_t* m = malloc(sizeof *m); /* before mmap: a failure then has nothing to unmap */
    if (m == NULL) {
        close(fd);
        return fail(err, CYM_MAP_CALL_NONE, ENOMEM, CYM_ENOMEM);
    }
    int prot = mode == CYM_MAP_READ_ONLY ? PROT_READ : PROT_READ | PROT_WRITE;
    int flags = mode == CYM_MAP_COPY_ON_WRITE ? MAP_PRIVATE | MAP_NORESERVE : MAP_SHARED;
    void* p = mmap(NULL, (size_t)st.st_size, prot, flags, fd, 0);
    int e = errno;
    close(fd); /* the mapping holds its own reference to the file */
    if (p == MAP_FAILED) {
        free(m);
        return fail(err, CYM_MAP_CALL_MMAP, e, e == ENOMEM ? CYM_ENOMEM : CYM_EUNSUPPORTED);
    }
    m->address = p;
    m->size = (size_t)st.st_size;
    m->mode = mode;
    *out = m;
    return CYM_OK;
}

void* cym_mapping_address(const cym_mapping_t* m) { return m == NULL ? NULL : m->address; }

size_t cym_mapping_size(const cym_mapping_t* m) { return m == NULL ? 0 : m->size; }

cym_map_mode cym_mapping_mode(const cym_mapping_t* m) { return m == NULL ? CYM_MAP_READ_ONLY : m->mode; }

int cym_mapping_sync(cym_mapping_t* m) {
    if (m == NULL || m->mode != CYM_MAP_READ_WRITE) return 0;
    return msync(m->address, m->size, MS_SYNC) == 0 ? 0 : errno;
}

int cym_mapping_close(cym_mapping_t* m) {
    if (m == NULL) return 0;
    int e = cym_mapping_sync(m);
    munmap(m->address, m->size); /* fails only for a bad range, which the invariant rules out */
    free(m);
    return e;
}
