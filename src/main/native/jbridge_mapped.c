/* jbridge_mapped.c: the int64 encodings of the memory-mapped file API for the Java binding
 * (see jbridge_mapped.h). */
#include "jbridge_mapped.h"

static cym_mapping_t* mapping(int64_t handle) { return (cym_mapping_t*)(uintptr_t)handle; }

int64_t cym_j_mapped_open(const char* path, int32_t mode, int64_t min_bytes, int64_t* info) {
    cym_mapping_t* m;
    cym_mapping_error_t err;
    cym_status s = cym_mapping_open(path, (cym_map_mode)mode, min_bytes, &m, &err);
    if (info != NULL) {
        info[CYM_J_MAPPED_INFO_ERRNO] = err.os_errno;
        info[CYM_J_MAPPED_INFO_CALL] = err.call;
        info[CYM_J_MAPPED_INFO_FILE_SIZE] = err.file_size;
    }
    return s == CYM_OK ? (int64_t)(uintptr_t)m : -(int64_t)s;
}

int64_t cym_j_mapped_address(int64_t handle) { return (int64_t)(uintptr_t)cym_mapping_address(mapping(handle)); }

int64_t cym_j_mapped_size(int64_t handle) { return (int64_t)cym_mapping_size(mapping(handle)); }

int32_t cym_j_mapped_sync(int64_t handle) { return cym_mapping_sync(mapping(handle)); }

int32_t cym_j_mapped_close(int64_t handle) { return cym_mapping_close(mapping(handle)); }
