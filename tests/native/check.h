/* check.h: the C tests' harness. One CHECK_BODY per behaviour; CHECK stops that body on the first
 * failure and the program exits non-zero if any body failed. */
#ifndef CYM_CHECK_H
#define CYM_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int cym_check_failures = 0;
static int cym_check_count = 0;

#define CHECK_BODY(name) \
    static void name##_body(void); \
    static void name(void) { cym_check_count++; printf("  %s\n", #name); name##_body(); } \
    static void name##_body(void)

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            cym_check_failures++; \
            return; \
        } \
    } while (0)

#define CHECK_EQ_INT(expected, actual) \
    do { \
        long long e_ = (long long)(expected), a_ = (long long)(actual); \
        if (e_ != a_) { \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n", __FILE__, __LINE__, #expected, \
                    #actual, e_, a_); \
            cym_check_failures++; \
            return; \
        } \
    } while (0)

#define CHECK_DONE() \
    do { \
        printf("%d checks, %d failed\n", cym_check_count, cym_check_failures); \
        return cym_check_failures == 0 ? 0 : 1; \
    } while (0)

#endif
