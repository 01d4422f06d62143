/* bench_strided.c: times the strided kernels against memcpy/memset and naive loops on large arrays and
 * prints a markdown table (median and best of REPS runs after one warm-up; GB/s counts the bytes of the
 * elements read plus written, in 1e9 bytes, so a memcpy of N bytes counts 2N). About half a minute. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define REPS 7

// ------------------------------------------------------------------------------------------------------
// Timing
// ------------------------------------------------------------------------------------------------------

typedef void (*body_fn)(void* ctx);

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void* a, const void* b) {
    const double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* Runs body once to warm up, then REPS times, and prints a table row. */
static void row(const char* name, double bytes, body_fn body, void* ctx) {
    double ms[REPS];
    body(ctx);
    for (int i = 0; i < REPS; i++) {
        const double t0 = now_ms();
        body(ctx);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, REPS, sizeof ms[0], by_value);
    const double median = ms[REPS / 2], best = ms[0];
    printf("| %-44s | %8.1f | %8.2f | %8.2f | %6.2f | %6.2f |\n", name, bytes / 1048576.0, median, best,
           bytes / median / 1e6, bytes / best / 1e6);
    fflush(stdout);
}

static void* alloc_touched(size_t bytes) {
    void* p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    _cym_allocator_advise(p, bytes); /* huge pages for 4 MiB and more, as the library's pools advise (defaults.h) */
    memset(p, 1, bytes); /* fault the pages in before timing */
    return p;
}

static cym_view_t view(void* data, cym_dtype t, int ndim, const int64_t* shape, const int64_t* strides) {
    cym_view_t v;
    memset(&v, 0, sizeof v);
    v.data = data, v.dtype = t, v.ndim = ndim;
    for (int k = 0; k < ndim; k++) v.shape[k] = shape[k], v.strides[k] = strides[k];
    return v;
}

static void check(int status) {
    if (status != CYM_OK) {
        fprintf(stderr, "kernel failed: %s\n", cym_status_message(status));
        exit(1);
    }
}

// ------------------------------------------------------------------------------------------------------
// Bodies
// ------------------------------------------------------------------------------------------------------

typedef struct ctx_s {
    cym_view_t dst, src;
    void *d, *s;
    int64_t n, m;
    double value;
} ctx_t;

static void do_copy(void* p) {
    ctx_t* c = p;
    check(cym_strided_copy(&c->dst, &c->src));
}

static void do_copy_scalar(void* p) {
    _cym_strided_set_simd(false);
    do_copy(p);
    _cym_strided_set_simd(true);
}

static void do_cast(void* p) {
    ctx_t* c = p;
    check(cym_strided_cast(&c->dst, &c->src));
}

static void do_fill(void* p) {
    ctx_t* c = p;
    check(cym_strided_fill(&c->dst, &c->value));
}

static void do_memcpy(void* p) {
    ctx_t* c = p;
    memcpy(c->d, c->s, (size_t)c->n);
}

static void do_memset(void* p) {
    ctx_t* c = p;
    memset(c->d, (int)c->m, (size_t)c->n);
}

static void naive_transpose(void* p) {
    ctx_t* c = p;
    double* d = c->d;
    const double* s = c->s;
    for (int64_t i = 0; i < c->n; i++)
        for (int64_t j = 0; j < c->n; j++) d[i * c->n + j] = s[j * c->n + i];
}

static void naive_gather2(void* p) {
    ctx_t* c = p;
    double* d = c->d;
    const double* s = c->s;
    for (int64_t i = 0; i < c->n; i++) d[i] = s[2 * i];
}

static void naive_fill(void* p) {
    ctx_t* c = p;
    double* d = c->d;
    for (int64_t i = 0; i < c->n; i++) d[i] = c->value;
}

static void naive_cast(void* p) {
    ctx_t* c = p;
    float* d = c->d;
    const double* s = c->s;
    for (int64_t i = 0; i < c->n; i++) d[i] = (float)s[i];
}

// ------------------------------------------------------------------------------------------------------
// Cases
// ------------------------------------------------------------------------------------------------------

static void bench_transpose(void) {
    const int64_t n = 4096, bytes = n * n * 8;
    ctx_t c = {0};
    c.d = alloc_touched((size_t)bytes), c.s = alloc_touched((size_t)bytes), c.n = n;
    const int64_t shape[2] = {n, n}, c_order[2] = {n * 8, 8}, f_order[2] = {8, n * 8};
    c.dst = view(c.d, CYM_DTYPE_F64, 2, shape, c_order);
    c.src = view(c.s, CYM_DTYPE_F64, 2, shape, f_order); /* the transpose of a C array */
    row("transpose 4096x4096 f64: cym_strided_copy", 2.0 * bytes, do_copy, &c);
    row("transpose 4096x4096 f64: scalar path", 2.0 * bytes, do_copy_scalar, &c);
    row("transpose 4096x4096 f64: naive loop", 2.0 * bytes, naive_transpose, &c);
    c.n = bytes;
    row("memcpy 128 MiB", 2.0 * bytes, do_memcpy, &c);
    free(c.d);
    free(c.s);
}

static void bench_gather(void) {
    const int64_t n = INT64_C(32) << 20; /* elements copied: every other one of 64M doubles */
    ctx_t c = {0};
    c.d = alloc_touched((size_t)n * 8), c.s = alloc_touched((size_t)n * 16), c.n = n;
    const int64_t shape[1] = {n}, dense[1] = {8}, every_other[1] = {16};
    c.dst = view(c.d, CYM_DTYPE_F64, 1, shape, dense);
    c.src = view(c.s, CYM_DTYPE_F64, 1, shape, every_other);
    row("stride-2 copy of 64M f64: cym_strided_copy", 16.0 * n, do_copy, &c);
    row("stride-2 copy of 64M f64: scalar path", 16.0 * n, do_copy_scalar, &c);
    row("stride-2 copy of 64M f64: naive loop", 16.0 * n, naive_gather2, &c);
    c.n = n * 8;
    row("memcpy 256 MiB", 16.0 * n, do_memcpy, &c);
    free(c.d);
    free(c.s);
}

static void bench_fill(void) {
    const int64_t n = INT64_C(64) << 20;
    ctx_t c = {0};
    c.d = alloc_touched((size_t)n * 8), c.n = n;
    const int64_t shape[1] = {n}, dense[1] = {8};
    c.dst = view(c.d, CYM_DTYPE_F64, 1, shape, dense);
    c.value = 1.5;
    row("fill 64M f64 with 1.5: cym_strided_fill", 8.0 * n, do_fill, &c);
    row("fill 64M f64 with 1.5: naive loop", 8.0 * n, naive_fill, &c);
    c.value = 0.0;
    row("fill 64M f64 with 0.0: cym_strided_fill", 8.0 * n, do_fill, &c);
    c.n = n * 8, c.m = 0x5A;
    row("memset 512 MiB, byte 0x5A", 8.0 * n, do_memset, &c);
    c.m = 0; /* zeroing runs faster than any other byte on some machines */
    row("memset 512 MiB, byte 0", 8.0 * n, do_memset, &c);
    free(c.d);
}

static void bench_cast(void) {
    const int64_t n = INT64_C(16) << 20;
    ctx_t c = {0};
    c.d = alloc_touched((size_t)n * 4), c.s = alloc_touched((size_t)n * 8), c.n = n;
    const int64_t shape[1] = {n}, f4[1] = {4}, f8[1] = {8};
    c.dst = view(c.d, CYM_DTYPE_F32, 1, shape, f4);
    c.src = view(c.s, CYM_DTYPE_F64, 1, shape, f8);
    row("cast 16M f64 -> f32: cym_strided_cast", 12.0 * n, do_cast, &c);
    row("cast 16M f64 -> f32: naive loop", 12.0 * n, naive_cast, &c);
    free(c.d);
    free(c.s);
}

int main(void) {
    printf("| %-44s | %8s | %8s | %8s | %6s | %6s |\n", "case", "MiB", "median ms", "min ms", "GB/s", "best");
    printf("|----------------------------------------------|---------:|---------:|---------:|-------:|-------:|\n");
    bench_transpose();
    bench_gather();
    bench_fill();
    bench_cast();
    return 0;
}
