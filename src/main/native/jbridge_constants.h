/* jbridge_constants.h: the constants the C core shares with the Java binding, asked for by name, so that a Java test
 * (NativeConstantsTest) can compare every Java copy with C's value: the status codes and their texts, the dtype codes,
 * the stat slots, the allocator flag bits, the debug fault kinds and the strided descriptor positions.
 * No JNI here: JavaCPP generates the glue around these plain C functions. */
#ifndef CYMEM4J_JBRIDGE_CONSTANTS_H
#define CYMEM4J_JBRIDGE_CONSTANTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The value of the constant called name ("CYM_ENOMEM", "CYM_DTYPE_F64", "CYM_J_STAT_LIVE_BYTES", ...; every shared
 * constant is >= 0), or -CYM_EINVAL for a name C does not share (or NULL). */
int64_t cym_j_constant(const char* name);

/* Copies cym_status_message(status) (NUL-terminated, truncated to len) into out; returns the text's full length, or
 * -CYM_EINVAL if out is NULL or len <= 0. */
int64_t cym_j_status_message(int32_t status, char* out, int64_t len);

#ifdef __cplusplus
}
#endif

#endif /* CYMEM4J_JBRIDGE_CONSTANTS_H */
