/* consumer.c: a native consumer of cymem4j (see consumer.h). Written against the public header only. */
#define _GNU_SOURCE /* dladdr */
#include "consumer.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int64_t adopted_frees = 0; /* atomic */

static void consumer_adopted_free(void* p) {
    __atomic_add_fetch(&adopted_frees, 1, __ATOMIC_RELAXED);
    free(p);
}

int consumer_fill(cym_pool_t* pool, int count, size_t size) {
    for (int i = 0; i < count; i++) {
        void* p = NULL;
        int status = cym_pool_alloc(pool, 1, size, &p);
        if (status != CYM_OK) return status;
        memset(p, i & 0xff, size);
    }
    return CYM_OK;
}

int consumer_adopt_malloc(cym_pool_t* pool, size_t size, void** out) {
    void* p = malloc(size != 0 ? size : 1);
    if (p == NULL) return CYM_ENOMEM;
    memset(p, 0xAB, size);
    int status = cym_pool_adopt(pool, p, size, consumer_adopted_free);
    if (status != CYM_OK) {
        free(p); /* the pool refused it, so it is still ours */
        return status;
    }
    *out = p;
    return CYM_OK;
}

int64_t consumer_adopted_frees(void) { return __atomic_load_n(&adopted_frees, __ATOMIC_RELAXED); }

typedef struct fill_job_s {
    cym_pool_t* pool;
    int count;
    size_t size;
    int status;
} fill_job_t;

static void* fill_thread(void* arg) {
    fill_job_t* job = arg;
    job->status = consumer_fill(job->pool, job->count, job->size);
    return NULL;
}

int consumer_fill_parallel(cym_pool_t* pool, int threads, int per_thread, size_t size) {
    if (threads <= 0 || threads > 64) return CYM_EINVAL;
    pthread_t ids[64];
    fill_job_t jobs[64];
    int started = 0, status = CYM_OK;
    for (; started < threads; started++) {
        jobs[started] = (fill_job_t){pool, per_thread, size, CYM_OK};
        if (pthread_create(&ids[started], NULL, fill_thread, &jobs[started]) != 0) {
            status = CYM_EINVAL;
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        if (status == CYM_OK) status = jobs[i].status;
    }
    return status;
}

void consumer_default_allocator_name(char* buf, size_t capacity) {
    cym_allocator_t* a = cym_allocator_default();
    strncpy(buf, a->name, capacity - 1);
    buf[capacity - 1] = '\0';
    cym_allocator_release(a);
}

const char* consumer_core_path(void) {
    Dl_info info;
    if (dladdr((void*)(uintptr_t)&cym_pool_alloc, &info) == 0 || info.dli_fname == NULL) return "";
    return info.dli_fname;
}
