/* sanitizer_selfcheck.c: proves the sanitizer build is really checking pool memory. It reads one byte past the
 * end of a pool block, which a normal build does not notice (malloc rounds sizes up) and AddressSanitizer must
 * abort on. Registered only when CYM_SANITIZE is on, with WILL_FAIL: the test passes only if ASan stops it, so a
 * profile that silently lost its instrumentation fails CI. */
#include <stdio.h>

#include "cymem4j.h"

int main(void) {
    cym_pool_t* pool;
    unsigned char* p;
    if (cym_pool_create(NULL, 0, &pool) != CYM_OK) return 0;
    if (cym_pool_alloc(pool, 10, 4, (void**)&p) != CYM_OK) return 0;
    volatile unsigned char past_end = p[40]; /* the off-by-one: bytes 0..39 are the block */
    printf("read %d past the end and nothing stopped it\n", past_end);
    cym_pool_destroy(pool);
    return 0; /* reaching here means no sanitizer: ctest counts it as a failure (WILL_FAIL) */
}
