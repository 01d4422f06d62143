/* test_jbridge_constants.c: the constants the Java binding asks for by name, and the status texts. */
#include <string.h>

#include "check.h"
#include "cymem4j.h"
#include "jbridge_allocator.h"
#include "jbridge_constants.h"
#include "jbridge_pool.h"

CHECK_BODY(constants_are_found_by_their_c_names) {
    CHECK_EQ_INT(CYM_ENOMEM, cym_j_constant("CYM_ENOMEM"));
    CHECK_EQ_INT(CYM_DTYPE_F64, cym_j_constant("CYM_DTYPE_F64"));
    CHECK_EQ_INT(CYM_J_STAT_LIMIT_BYTES, cym_j_constant("CYM_J_STAT_LIMIT_BYTES"));
    CHECK_EQ_INT(CYM_J_ALLOCATOR_UPCALLS, cym_j_constant("CYM_J_ALLOCATOR_UPCALLS"));
    CHECK_EQ_INT(CYM_OK, cym_j_constant("CYM_OK"));
}

CHECK_BODY(an_unknown_name_is_einval) {
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_constant("CYM_NO_SUCH_THING"));
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_constant(NULL));
}

CHECK_BODY(status_texts_are_copied_and_cut_to_the_buffer) {
    char out[64];
    CHECK_EQ_INT((int64_t)strlen("byte limit exceeded"), cym_j_status_message(CYM_ELIMIT, out, sizeof out));
    CHECK(strcmp(out, "byte limit exceeded") == 0);
    char small[5];
    CHECK_EQ_INT((int64_t)strlen("invalid argument"), cym_j_status_message(CYM_EINVAL, small, sizeof small));
    CHECK(strcmp(small, "inva") == 0);
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_status_message(CYM_OK, out, 0));
}

int main(void) {
    constants_are_found_by_their_c_names();
    an_unknown_name_is_einval();
    status_texts_are_copied_and_cut_to_the_buffer();
    CHECK_DONE();
}
