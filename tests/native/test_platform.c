/* test_platform.c: the platform assumptions of the C core (ARCHITECTURE.md, "Platforms"), checked on every target
 * the build makes (linux-x86_64 natively, linux-arm64 under qemu-aarch64). A port to a platform where one of
 * these fails needs the code named in the failing check changed first. */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cymem4j.h"

/* size_t and pointers are 64-bit: the Java binding passes both as one int64_t (jbridge_*.c, Java's long). */
_Static_assert(sizeof(void*) == 8, "cymem4j needs 64-bit pointers");
_Static_assert(sizeof(size_t) == 8, "cymem4j needs a 64-bit size_t");
_Static_assert(sizeof(uintptr_t) == sizeof(void*), "uintptr_t holds a pointer");
/* Little-endian: Java reads blocks in native byte order, and the tests, the NumPy comparisons and the model test
 * compare bytes written by Java with bytes written by C as little-endian values. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "cymem4j is tested on little-endian targets only");

CHECK_BODY(pointers_and_sizes_are_64_bit_and_addresses_are_positive_int64) {
    CHECK_EQ_INT(8, sizeof(void*));
    CHECK_EQ_INT(8, sizeof(size_t));
    CHECK_EQ_INT(8, sizeof(int64_t));
    /* An address crosses to Java as an int64_t whose sign carries errors (-status): user-space addresses must be
     * positive as int64_t, on x86_64 (47-bit) and arm64 (48-bit, or 52-bit with LVA) alike. */
    void* heap = malloc(64);
    CHECK(heap != NULL);
    int64_t as_long = (int64_t)(uintptr_t)heap;
    int64_t stack_long = (int64_t)(uintptr_t)&as_long;
    free(heap);
    CHECK(as_long > 0);
    CHECK(stack_long > 0);
}

CHECK_BODY(byte_order_is_little_endian_at_run_time) {
    uint32_t word = 0x01020304u;
    unsigned char bytes[4];
    memcpy(bytes, &word, sizeof bytes);
    CHECK_EQ_INT(0x04, bytes[0]);
    CHECK_EQ_INT(0x01, bytes[3]);
}

CHECK_BODY(page_size_is_a_power_of_two_of_at_least_4_kib) {
    /* arm64 kernels use 4, 16 or 64 KiB pages: nothing in the core may assume 4096 (its only 4096s are a table
     * size and a streaming-store threshold on x86_64, neither a page size). */
    long page = sysconf(_SC_PAGESIZE);
    printf("    page size %ld\n", page);
    CHECK(page >= 4096);
    CHECK((page & (page - 1)) == 0);
}

CHECK_BODY(pool_blocks_are_aligned_for_any_scalar) {
    /* Blocks come from the allocator's calloc/malloc: aligned for max_align_t (16 on both targets), so Java's
     * 8-byte reads at offset 0 and C's double/int64_t/long double accesses are aligned. */
    CHECK(alignof(max_align_t) >= 16);
    cym_pool_t* pool = NULL;
    CHECK_EQ_INT(CYM_OK, cym_pool_create(NULL, 0, &pool));
    int misaligned = 0;
    for (size_t size = 1; size <= 1024; size += 7) {
        void* p = NULL;
        if (cym_pool_alloc(pool, 1, size, &p) != CYM_OK || p == NULL) {
            misaligned = -1;
            break;
        }
        if ((uintptr_t)p % alignof(max_align_t) != 0) misaligned++;
    }
    cym_pool_destroy(pool);
    CHECK_EQ_INT(0, misaligned);
}

CHECK_BODY(the_atomics_the_core_uses_are_lock_free) {
    /* Reference counts (allocator.c), process counters (pool.c, jbridge_pool.c) and flags (pool_tables.c,
     * strided.c) are __atomic builtins on int64_t, size_t, int and bool: they must never fall back to libatomic's
     * locks, since a critical FFM downcall (JDK 22+) may run them and must not wait. */
    CHECK(__atomic_always_lock_free(sizeof(int64_t), 0));
    CHECK(__atomic_always_lock_free(sizeof(size_t), 0));
    CHECK(__atomic_always_lock_free(sizeof(int), 0));
    CHECK(__atomic_always_lock_free(sizeof(_Bool), 0));
    int64_t counter = 0;
    CHECK(__atomic_is_lock_free(sizeof counter, &counter));
    int64_t expected = 0;
    CHECK(__atomic_compare_exchange_n(&counter, &expected, INT64_C(1) << 40, false, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED));
    CHECK(__atomic_add_fetch(&counter, 1, __ATOMIC_ACQ_REL) == (INT64_C(1) << 40) + 1);
}

CHECK_BODY(tcmalloc_loads_at_run_time_except_on_arm64_where_the_reason_says_so) {
    /* Debian's tcmalloc has 64-byte-aligned thread-local storage. glibc on x86_64 opens it at run time; on arm64 it
     * refuses static TLS aligned beyond the process's start-up TLS (16 here, as in a JVM), whatever the reserve:
     * the reason must say how to get it anyway (LD_PRELOAD). ./test.sh installs the package on both. */
    cym_allocator_t* a = NULL;
    char why[CYM_ALLOCATOR_WHY_MAX] = "";
    cym_status status = cym_allocator_named("tcmalloc", why, sizeof why, &a);
    printf("    tcmalloc: %s\n", status == CYM_OK ? "loaded" : why);
#if defined(__aarch64__)
    CHECK_EQ_INT(CYM_EUNSUPPORTED, status);
    CHECK(strstr(why, "static TLS") != NULL);
    CHECK(strstr(why, "LD_PRELOAD") != NULL);
#else
    CHECK_EQ_INT(CYM_OK, status);
    cym_allocator_release(a);
#endif
}

int main(void) {
#if defined(__x86_64__)
    printf("target: x86_64\n");
#elif defined(__aarch64__)
    printf("target: aarch64\n");
#else
    printf("target: other\n");
#endif
    pointers_and_sizes_are_64_bit_and_addresses_are_positive_int64();
    byte_order_is_little_endian_at_run_time();
    page_size_is_a_power_of_two_of_at_least_4_kib();
    pool_blocks_are_aligned_for_any_scalar();
    the_atomics_the_core_uses_are_lock_free();
    tcmalloc_loads_at_run_time_except_on_arm64_where_the_reason_says_so();
    CHECK_DONE();
}
