/* bench_alloc.c: the C floor for the allocation benchmarks. Measures, in ns per block, calloc+free pairs and
 * cym_pool_alloc+cym_pool_free pairs for 16, 64, 1024 and 65536 bytes, and 1000 x 64 B allocated then released
 * (calloc then free in order; cym_pool_alloc then cym_pool_destroy). The pool rows run twice: as pools are made by
 * default (small blocks from slabs, see cym_pool_create) and with CYM_POOL_NO_SLABS (one calloc per block plus the
 * address table: the "(table)" rows). The "shared pool" rows run 64 B pairs on one CYM_POOL_SHARED pool from 1 and
 * from 2 threads and report wall time per pair over all threads (2 threads scaling perfectly: half of 1 thread's);
 * the "two confined pools" row is the same work with a pool per thread: what the machine itself scales to.
 * Prints one JSON object per line:
 *   {"name": "...", "allocator": "...", "size": N, "median_ns": x, "min_ns": y, "runs": R}
 * Usage: bench_alloc [runs [allocator-label [shared]]]   (default 15 runs, label "glibc"; "shared": only the
 * confined 64 B pair and the shared rows). To measure jemalloc or mimalloc,
 * run it with LD_PRELOAD=libjemalloc.so.2 (or libmimalloc.so.2) and that label: calloc, free and the pool's
 * system allocator then all go to the preloaded library (jemalloc cannot be dlopen'd: its TLS is static).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
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

static void bench_pool_pair(const char* allocator, size_t size, int runs, unsigned flags) {
    double ns[MAX_RUNS];
    long n = iterations_for(size);
    cym_pool_t* pool;
    if (cym_pool_create(NULL, flags, &pool) != CYM_OK) abort();
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
    report(flags & CYM_POOL_NO_SLABS ? "cym_pool_alloc+cym_pool_free (table)" : "cym_pool_alloc+cym_pool_free",
           allocator, size, ns, runs);
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

static void bench_batch_pool(const char* allocator, int runs, unsigned flags) {
    double ns[MAX_RUNS];
    int rounds = 2000;
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (int k = 0; k < rounds; k++) {
            cym_pool_t* pool;
            if (cym_pool_create(NULL, flags, &pool) != CYM_OK) abort();
            for (int i = 0; i < BATCH; i++) {
                void* p;
                if (cym_pool_alloc(pool, 1, 64, &p) != CYM_OK) abort();
            }
            cym_pool_destroy(pool);
        }
        ns[r] = (now_ns() - t0) / ((double)rounds * BATCH);
    }
    report(flags & CYM_POOL_NO_SLABS ? "batch 1000 x 64 B: cym_pool_alloc, then cym_pool_destroy (table)"
                                     : "batch 1000 x 64 B: cym_pool_alloc, then cym_pool_destroy",
           allocator, 64, ns, runs);
}

#define SHARED_PAIRS 1000000L

static void* shared_pairs(void* arg) {
    cym_pool_t* pool = arg;
    for (long i = 0; i < SHARED_PAIRS; i++) {
        void* p;
        if (cym_pool_alloc(pool, 1, 64, &p) != CYM_OK) abort();
        sink = (uintptr_t)p;
        cym_pool_free(pool, p);
    }
    return NULL;
}

static void bench_shared(const char* allocator, int runs, int threads) {
    double ns[MAX_RUNS];
    cym_pool_t* pool;
    if (cym_pool_create(NULL, CYM_POOL_SHARED, &pool) != CYM_OK) abort();
    for (int r = 0; r < runs; r++) {
        pthread_t t[2];
        double t0 = now_ns();
        for (int k = 0; k < threads; k++) {
            if (pthread_create(&t[k], NULL, shared_pairs, pool) != 0) abort();
        }
        for (int k = 0; k < threads; k++) pthread_join(t[k], NULL);
        ns[r] = (now_ns() - t0) / ((double)SHARED_PAIRS * threads);
    }
    cym_pool_destroy(pool);
    report(threads == 1 ? "shared pool 64 B alloc+free, 1 thread (ns per pair)"
                        : "shared pool 64 B alloc+free, 2 threads (wall ns per pair, all threads)",
           allocator, 64, ns, runs);
}

/* The machine's own scaling, for the shared rows beside it: each thread on its own confined pool. */
static void* confined_pairs(void* arg) {
    (void)arg;
    cym_pool_t* pool;
    if (cym_pool_create(NULL, 0, &pool) != CYM_OK) abort();
    shared_pairs(pool);
    cym_pool_destroy(pool);
    return NULL;
}

static void bench_confined_threads(const char* allocator, int runs) {
    double ns[MAX_RUNS];
    for (int r = 0; r < runs; r++) {
        pthread_t t[2];
        double t0 = now_ns();
        for (int k = 0; k < 2; k++) {
            if (pthread_create(&t[k], NULL, confined_pairs, NULL) != 0) abort();
        }
        for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
        ns[r] = (now_ns() - t0) / ((double)SHARED_PAIRS * 2);
    }
    report("two confined pools 64 B alloc+free, 2 threads (wall ns per pair, all threads)", allocator, 64, ns, runs);
}

int main(int argc, char** argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 15;
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "runs must be 1..%d, got %s\n", MAX_RUNS, argv[1]);
        return 2;
    }
    const char* label = argc > 2 ? argv[2] : "glibc";
    if (argc > 3 && strcmp(argv[3], "shared") == 0) { /* only the rows a shared pool's change moves */
        bench_pool_pair(label, 64, runs, 0);
        bench_shared(label, runs, 1);
        bench_shared(label, runs, 2);
        bench_confined_threads(label, runs);
        return 0;
    }
    static const size_t sizes[] = {16, 64, 1024, 65536};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        bench_pair(label, calloc, free, sizes[s], runs);
        bench_pool_pair(label, sizes[s], runs, 0);
        bench_pool_pair(label, sizes[s], runs, CYM_POOL_NO_SLABS);
    }
    bench_batch_calloc(label, calloc, free, runs);
    bench_batch_pool(label, runs, 0);
    bench_batch_pool(label, runs, CYM_POOL_NO_SLABS);
    bench_shared(label, runs, 1);
    bench_shared(label, runs, 2);
    bench_confined_threads(label, runs);
    return 0;
}
