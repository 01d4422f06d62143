/* pool_tables.c: a per-thread cache of released address tables, for pools whose blocks come from the system
 * allocator (see table_alloc/table_release in pool.c). The entry points are _cym_pool_tables_take and
 * _cym_pool_tables_put.
 *
 * Why: with glibc, any table of 1 KiB or more that a pool mallocs or frees makes glibc consolidate the small
 * chunks the previous pool's cym_pool_destroy freed (malloc_consolidate runs when a request is >= 1 KiB, or a
 * free coalesces into a chunk >= 64 KiB, while fast chunks exist), and the next pool's 64 B blocks then come from
 * the top chunk through _int_malloc's slow path. 1000 x 64 B then destroy cost 26-31 ns/block against 8-10 for
 * bare calloc/free. With the tables kept here, a thread that creates and destroys such pools in a loop never calls
 * malloc or free for table memory in steady state: 25.5-26.2 -> 16.9-17.2 ns/block in C, and Batch.poolConfined
 * 38.1 -> 27.7 in the JVM (bench/performance-notes.md).
 *
 * Every cached table is all zero: pool.c clears each slot as its rehash or destroy walk reads it, so a table
 * handed out again needs no memset. The cache keeps at most one table per size (sizes are powers of two) and at
 * most CYM_POOL_TABLES_MAX_BYTES per thread; a table that does not fit goes back to free() as before.
 *
 * No lock: the cache is thread-local, so only its own thread ever reads or writes it (a table cached by one
 * thread may come from a pool created on another, but once released it belongs to the releasing thread alone).
 * The only process-wide state, the pthread key and its key_ready flag, is created once under pthread_once and only
 * read afterwards, until drop_key deletes the key when the library is unloaded. */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

/* Sizes 2^0 .. 2^16 bytes: one class per power of two up to the per-thread bound. */
#define TABLE_CLASSES 17u

typedef struct table_cache_s {
    void* table[TABLE_CLASSES]; /* table[k]: a zeroed table of 2^k bytes, or NULL */
    size_t bytes;               /* sum of the cached tables' sizes, <= CYM_POOL_TABLES_MAX_BYTES */
    bool registered;            /* the thread's key value is set, so cache_exit runs when the thread exits */
} table_cache_t;

static _Thread_local table_cache_t cache;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cache_key;
/* Set inside pthread_once (which orders it before every later read), cleared by drop_key: atomic because drop_key may
 * run at exit while other threads still release tables. */
static bool key_ready;

/* Thread exit: frees the exiting thread's tables (value is that thread's cache). A destructor of another key
 * that runs afterwards and releases a table re-registers the cache, and glibc then calls this again. */
static void cache_exit(void* value) {
    table_cache_t* c = value;
    for (unsigned k = 0; k < TABLE_CLASSES; k++) {
        free(c->table[k]);
        c->table[k] = NULL;
    }
    c->bytes = 0;
    c->registered = false;
}

static void make_key(void) {
    __atomic_store_n(&key_ready, pthread_key_create(&cache_key, cache_exit) == 0, __ATOMIC_RELAXED);
}

/* If the library is unloaded (dlclose), threads that exit later must not call into unmapped code: deleting the
 * key drops the destructor (a live thread's cached tables then stay allocated, at most 64 KiB per thread). */
__attribute__((destructor)) static void drop_key(void) {
    if (__atomic_exchange_n(&key_ready, false, __ATOMIC_RELAXED)) pthread_key_delete(cache_key);
}

/* The size class of a table of bytes, or TABLE_CLASSES if such a table is never cached. */
static inline unsigned class_of(size_t bytes) {
    if (bytes == 0 || (bytes & (bytes - 1)) != 0 || bytes > CYM_POOL_TABLES_MAX_BYTES) return TABLE_CLASSES;
    return (unsigned)__builtin_ctzll(bytes);
}

void* _cym_pool_tables_take(size_t bytes) {
    unsigned k = class_of(bytes);
    if (k == TABLE_CLASSES) return NULL;
    void* table = cache.table[k];
    if (table != NULL) {
        cache.table[k] = NULL;
        cache.bytes -= bytes;
    }
    return table;
}

bool _cym_pool_tables_put(void* table, size_t bytes) {
    unsigned k = class_of(bytes);
    if (k == TABLE_CLASSES || cache.table[k] != NULL || cache.bytes + bytes > CYM_POOL_TABLES_MAX_BYTES) {
        return false;
    }
    if (!cache.registered) {
        /* Without the key's destructor an exiting thread would leak its tables: cache nothing then. */
        pthread_once(&key_once, make_key);
        if (!__atomic_load_n(&key_ready, __ATOMIC_RELAXED) || pthread_setspecific(cache_key, &cache) != 0) return false;
        cache.registered = true;
    }
    cache.table[k] = table;
    cache.bytes += bytes;
    return true;
}

size_t _cym_pool_tables_bytes(void) { return cache.bytes; }

void* _cym_pool_tables_peek(size_t bytes) {
    unsigned k = class_of(bytes);
    return k == TABLE_CLASSES ? NULL : cache.table[k];
}
