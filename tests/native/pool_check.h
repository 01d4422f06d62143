/* pool_check.h: helpers the C tests of pools share (beside check.h, the harness). */
#ifndef CYM_POOL_CHECK_H
#define CYM_POOL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "cymem4j.h"

/* The pool's counters now. */
static inline cym_pool_stats_t stats_of(cym_pool_t* pool) {
    cym_pool_stats_t s;
    cym_pool_stats(pool, &s);
    return s;
}

/* Whether the n bytes at p are all zero (calloc's promise). */
static inline bool all_zero(const void* p, size_t n) {
    const unsigned char* b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) return false;
    }
    return true;
}

#endif /* CYM_POOL_CHECK_H */
