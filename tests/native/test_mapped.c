/* test_mapped.c: files mapped into memory (mapped.h): every mode reads the file, read-write writes reach it
 * after close, copy-on-write writes do not, and every refusal (missing file, directory, short or empty file,
 * bad arguments) maps nothing and says where it stopped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cymem4j.h"

static char path[64];

static void write_file(const char* bytes, size_t n) {
    FILE* f = fopen(path, "wb");
    if (n > 0) fwrite(bytes, 1, n, f);
    fclose(f);
}

static void read_file(char* out, size_t n) {
    FILE* f = fopen(path, "rb");
    size_t got = fread(out, 1, n, f);
    (void)got;
    fclose(f);
}

CHECK_BODY(should_map_read_only_and_see_the_file) {
    write_file("hello", 5);
    cym_mapping_t* m;
    cym_mapping_error_t err;
    CHECK_EQ_INT(CYM_OK, cym_mapping_open(path, CYM_MAP_READ_ONLY, 5, &m, &err));
    CHECK_EQ_INT(CYM_MAP_CALL_NONE, err.call);
    CHECK_EQ_INT(5, err.file_size);
    CHECK_EQ_INT(5, cym_mapping_size(m));
    CHECK_EQ_INT(CYM_MAP_READ_ONLY, cym_mapping_mode(m));
    CHECK(memcmp(cym_mapping_address(m), "hello", 5) == 0);
    CHECK_EQ_INT(0, cym_mapping_sync(m));
    CHECK_EQ_INT(0, cym_mapping_close(m));
}

CHECK_BODY(should_write_through_a_read_write_mapping) {
    write_file("hello", 5);
    cym_mapping_t* m;
    CHECK_EQ_INT(CYM_OK, cym_mapping_open(path, CYM_MAP_READ_WRITE, 0, &m, NULL));
    ((char*)cym_mapping_address(m))[0] = 'j';
    CHECK_EQ_INT(0, cym_mapping_close(m));
    char back[6] = {0};
    read_file(back, 5);
    CHECK(strcmp(back, "jello") == 0);
}

CHECK_BODY(should_keep_copy_on_write_writes_in_memory) {
    write_file("hello", 5);
    cym_mapping_t* m;
    CHECK_EQ_INT(CYM_OK, cym_mapping_open(path, CYM_MAP_COPY_ON_WRITE, 5, &m, NULL));
    char* p = cym_mapping_address(m);
    p[0] = 'c';
    CHECK(memcmp(p, "cello", 5) == 0);
    CHECK_EQ_INT(0, cym_mapping_close(m));
    char back[6] = {0};
    read_file(back, 5);
    CHECK(strcmp(back, "hello") == 0);
}

CHECK_BODY(should_refuse_a_file_shorter_than_min_bytes) {
    write_file("hello", 5);
    cym_mapping_t* m = (cym_mapping_t*)&m;
    cym_mapping_error_t err;
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(path, CYM_MAP_READ_ONLY, 6, &m, &err));
    CHECK(m == NULL);
    CHECK_EQ_INT(CYM_MAP_CALL_LENGTH, err.call);
    CHECK_EQ_INT(5, err.file_size);
}

CHECK_BODY(should_refuse_an_empty_file) {
    write_file("", 0);
    cym_mapping_t* m;
    cym_mapping_error_t err;
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(path, CYM_MAP_READ_ONLY, 0, &m, &err));
    CHECK_EQ_INT(CYM_MAP_CALL_LENGTH, err.call);
    CHECK_EQ_INT(0, err.file_size);
}

CHECK_BODY(should_name_open_and_errno_for_a_missing_file) {
    cym_mapping_t* m;
    cym_mapping_error_t err;
    CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_mapping_open("/nonexistent/cymem4j.npy", CYM_MAP_READ_ONLY, 0, &m, &err));
    CHECK_EQ_INT(CYM_MAP_CALL_OPEN, err.call);
    CHECK_EQ_INT(ENOENT, err.os_errno);
    CHECK_EQ_INT(-1, err.file_size);
}

CHECK_BODY(should_refuse_a_directory) {
    cym_mapping_t* m;
    cym_mapping_error_t err;
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open("/tmp", CYM_MAP_READ_ONLY, 0, &m, &err));
    CHECK_EQ_INT(CYM_MAP_CALL_TYPE, err.call);
}

CHECK_BODY(should_refuse_bad_arguments) {
    cym_mapping_t* m;
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(NULL, CYM_MAP_READ_ONLY, 0, &m, NULL));
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(path, CYM_MAP_READ_ONLY, 0, NULL, NULL));
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(path, (cym_map_mode)3, 0, &m, NULL));
    CHECK_EQ_INT(CYM_EINVAL, cym_mapping_open(path, CYM_MAP_READ_ONLY, -1, &m, NULL));
    CHECK_EQ_INT(0, cym_mapping_close(NULL));
    CHECK(cym_mapping_address(NULL) == NULL);
    CHECK_EQ_INT(0, cym_mapping_size(NULL));
}

int main(void) {
    snprintf(path, sizeof path, "/tmp/cym_test_mapped_%ld.bin", (long)getpid());
    should_map_read_only_and_see_the_file();
    should_write_through_a_read_write_mapping();
    should_keep_copy_on_write_writes_in_memory();
    should_refuse_a_file_shorter_than_min_bytes();
    should_refuse_an_empty_file();
    should_name_open_and_errno_for_a_missing_file();
    should_refuse_a_directory();
    should_refuse_bad_arguments();
    remove(path);
    CHECK_DONE();
}
