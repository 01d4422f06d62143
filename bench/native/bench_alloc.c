/* bench_alloc.c: the C floor for the allocation benchmarks. Measures, in ns per block, calloc+free pairs and
 * cym_pool_alloc+cym_pool_free pairs for 16, 64, 1024 and 65536 bytes, and 1000 x 64 B allocated then released
 * (calloc then free in order; cym_pool_alloc then cym_pool_destroy), plus the same calloc/free pairs through
 * jemalloc and mimalloc when their shared libraries can be dlopen'd. Prints one JSON object per line:
 *   {"name": "...", "allocator": "...", "size": N, "median_ns": x, "min_ns": y, "runs": R}
 * Usage: bench_alloc [runs]   (default 15 runs; each run is long enough to be well above timer resolution)
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cymem4j.h"

#define BATCH 1000
#define MAX_RUNS 101

typedef void* (*calloc_fn)(size_t, size_t);
typedef void (*free_fn)(void*);

/* Keeps the compiler from dropping an allocation whose result is otherwise unused. */
static volatile uintptr_t sink;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static void report(const char* name, const char* allocator, size_t size, double* ns, int runs) {
    qsort(ns, (size_t)runs, sizeof *ns, cmp_double);
    printf("{\"name\": \"%s\", \"allocator\": \"%s\", \"size\": %zu, \"median_ns\": %.3f, \"min_ns\": %.3f, "
           "\"runs\": %d}\n", name, allocator, size, ns[runs / 2], ns[0], runs);
    fflush(stdout);
}

/* Iterations per run: about 20 ms of work for small blocks, fewer for 64 KiB (calloc zeroes it). */
static long iterations_for(size_t size) { return size >= 65536 ? 20000 : 1000000; }

static void bench_pair(const char* allocator, calloc_fn c, free_fn f, size_t size, int runs) {
    double ns[MAX_RUNS];
    long n = iterations_for(size);
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            void* p = c(1, size);
            sink = (uintptr_t)p;
            f(p);
        }
        ns[r] = (now_ns() - t0) / (double)n;
    }
    report("calloc+free", allocator, size, ns, runs);
}

static void bench_pool_pair(size_t size, int runs) {
    double ns[MAX_RUNS];
    long n = iterations_for(size);
    cym_pool_t* pool;
    if (cym_pool_create(NULL, 0, &pool) != CYM_OK) abort();
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (long i = 0; i < n; i++) {
            void* p;
            if (cym_pool_alloc(pool, 1, size, &p) != CYM_OK) abort();
            sink = (uintptr_t)p;
            cym_pool_free(pool, p);
        }
        ns[r] = (now_ns() - t0) / (double)n;
    }
    cym_pool_destroy(pool);
    report("cym_pool_alloc+cym_pool_free", "system", size, ns, runs);
}

static void bench_batch_calloc(const char* allocator, calloc_fn c, free_fn f, int runs) {
    static void* blocks[BATCH];
    double ns[MAX_RUNS];
    int rounds = 2000;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (int k = 0; k < rounds; k++) {
            for (int i = 0; i < BATCH; i++) blocks[i] = c(1, 64);
            for (int i = 0; i < BATCH; i++) f(blocks[i]);
        }
        ns[r] = (now_ns() - t0) / ((double)rounds * BATCH);
    }
    report("batch 1000 x 64 B: calloc, then free in order", allocator, 64, ns, runs);
}

static void bench_batch_pool(int runs) {
    double ns[MAX_RUNS];
    int rounds = 2000;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (int k = 0; k < rounds; k++) {
            cym_pool_t* pool;
            if (cym_pool_create(NULL, 0, &pool) != CYM_OK) abort();
            for (int i = 0; i < BATCH; i++) {
                void* p;
                if (cym_pool_alloc(pool, 1, 64, &p) != CYM_OK) abort();
            }
            cym_pool_destroy(pool);
        }
        ns[r] = (now_ns() - t0) / ((double)rounds * BATCH);
    }
    report("batch 1000 x 64 B: cym_pool_alloc, then cym_pool_destroy", "system", 64, ns, runs);
}

/* calloc/free of a dlopen'd allocator library, or 0 if it is not installed. */
static int load(const char* lib, const char* calloc_name, const char* free_name, calloc_fn* c, free_fn* f) {
    void* h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) return 0;
    void* cs = dlsym(h, calloc_name);
    void* fs = dlsym(h, free_name);
    if (cs == NULL || fs == NULL) return 0;
    /* POSIX guarantees object and function pointers convert through dlsym; memcpy keeps -Wpedantic quiet. */
    memcpy(c, &cs, sizeof cs);
    memcpy(f, &fs, sizeof fs);
    return 1;
}

int main(int argc, char** argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 15;
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "runs must be 1..%d, got %s\n", MAX_RUNS, argv[1]);
        return 2;
    }
    static const size_t sizes[] = {16, 64, 1024, 65536};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        bench_pair("glibc", calloc, free, sizes[s], runs);
        bench_pool_pair(sizes[s], runs);
    }
    bench_batch_calloc("glibc", calloc, free, runs);
    bench_batch_pool(runs);
    calloc_fn c;
    free_fn f;
    if (load("libjemalloc.so.2", "calloc", "free", &c, &f)) {
        bench_pair("jemalloc", c, f, 64, runs);
        bench_batch_calloc("jemalloc", c, f, runs);
    }
    if (load("libmimalloc.so.2", "mi_calloc", "mi_free", &c, &f)) {
        bench_pair("mimalloc", c, f, 64, runs);
        bench_batch_calloc("mimalloc", c, f, runs);
    }
    return 0;
}
