/* allocator_debug.c: allocators that wrap another one to find bugs: the debug allocator (guard bytes,
 * poison and quarantine on free, live-block tracking, faults recorded instead of crashing) and the
 * failing allocator (fault injection by call number or byte budget). Entry points: cym_allocator_debug
 * and cym_allocator_failing. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

// ------------------------------------------------------------------------------------------------------
// The debug allocator
// ------------------------------------------------------------------------------------------------------

#define DBG_LIVE UINT64_C(0x4C4956454359424B)  /* "KBYCEVIL": header of a live block */
#define DBG_FREED UINT64_C(0x4445455246594B42) /* header of a freed (quarantined) block */

struct debug_s;

/* What precedes every block: [lead][header | front guard][user bytes][back guard], where the inner block starts
 * at the lead. 80 bytes, so the user bytes of an ordinary block keep the inner allocator's 16-byte alignment; an
 * aligned block's lead (< alignment) puts the user bytes on the alignment:
 *   (uintptr_t)user_of(h) % alignment == 0,  inner block == (char*)h - lead,  lead == 0 for ordinary blocks */
typedef struct dbg_header_s {
    struct dbg_header_s *prev, *next; /* the owner's live list */
    size_t size;                      /* bytes the user asked for */
    uint64_t seq;                     /* 1, 2, ... per debug allocator */
    uint64_t magic;                   /* DBG_LIVE or DBG_FREED */
    struct debug_s* owner;            /* the debug allocator that made the block */
    size_t lead;                      /* bytes of the inner block before this header */
    size_t alignment;                 /* what the block was asked to be aligned to (1 for ordinary blocks) */
    unsigned char guard[CYM_DEBUG_GUARD];
} dbg_header_t;
_Static_assert(sizeof(dbg_header_t) % 16 == 0, "debug header must keep 16-byte alignment");

/* One debug allocator. Invariant: live_count == length of the live list; every block in the live list
 * has magic DBG_LIVE and owner == this; every quarantined block has magic DBG_FREED. */
typedef struct debug_s {
    cym_allocator_t* inner;      /* retained */
    pthread_mutex_t lock;        /* guards everything below */
    dbg_header_t* live;          /* live list head */
    int64_t live_count;
    uint64_t next_seq;
    dbg_header_t* quarantine[CYM_DEBUG_QUARANTINE]; /* a ring, oldest at q_head */
    size_t q_head, q_count;
    cym_debug_fault_t* faults;   /* recorded, not yet read */
    size_t fault_count, fault_capacity;
} debug_t;

static inline unsigned char* user_of(dbg_header_t* h) { return (unsigned char*)(h + 1); }
static inline dbg_header_t* header_of(const void* p) { return (dbg_header_t*)p - 1; }

/* Records a fault; if the fault list cannot grow, it goes to stderr instead (never lost silently). */
static void record(debug_t* d, int kind, const void* p, size_t size, uint64_t seq, size_t offset) {
    cym_debug_fault_t f = {kind, (void*)p, size, seq, offset};
    if (d->fault_count == d->fault_capacity) {
        size_t cap = d->fault_capacity == 0 ? 8 : d->fault_capacity * 2;
        cym_debug_fault_t* grown = realloc(d->faults, cap * sizeof *grown);
        if (grown == NULL) {
            fprintf(stderr, "cymem4j debug allocator: fault %d at %p (%zu bytes, #%llu)\n", kind, p, size,
                    (unsigned long long)seq);
            return;
        }
        d->faults = grown;
        d->fault_capacity = cap;
    }
    d->faults[d->fault_count++] = f;
}

/* Records a fault for each damaged guard of live block h; returns true if both are intact. */
static bool check_guards(debug_t* d, dbg_header_t* h) {
    bool ok = true;
    for (size_t i = 0; i < CYM_DEBUG_GUARD; i++) {
        if (h->guard[i] != CYM_DEBUG_GUARD_BYTE) {
            record(d, CYM_DEBUG_UNDERRUN, user_of(h), h->size, h->seq, CYM_DEBUG_GUARD - i);
            ok = false;
            break;
        }
    }
    const unsigned char* back = user_of(h) + h->size;
    for (size_t i = 0; i < CYM_DEBUG_GUARD; i++) {
        if (back[i] != CYM_DEBUG_GUARD_BYTE) {
            record(d, CYM_DEBUG_OVERRUN, user_of(h), h->size, h->seq, h->size + i);
            ok = false;
            break;
        }
    }
    return ok;
}

/* Hands a quarantined block back to inner, checking first that nobody wrote to it after the free. */
static void release_quarantined(debug_t* d, dbg_header_t* h) {
    const unsigned char* p = user_of(h);
    for (size_t i = 0; i < h->size; i++) {
        if (p[i] != CYM_DEBUG_POISON) {
            record(d, CYM_DEBUG_WRITE_AFTER_FREE, p, h->size, h->seq, i);
            break;
        }
    }
    _cym_allocator_free(d->inner, (unsigned char*)h - h->lead);
}

/* Makes the block whose header is at h (lead bytes into the inner block) live: guards, sequence, live list. */
static void* debug_place(debug_t* d, dbg_header_t* h, size_t size, size_t lead, size_t alignment) {
    h->size = size;
    h->lead = lead;
    h->alignment = alignment;
    h->magic = DBG_LIVE;
    h->owner = d;
    memset(h->guard, CYM_DEBUG_GUARD_BYTE, CYM_DEBUG_GUARD);
    memset(user_of(h) + size, CYM_DEBUG_GUARD_BYTE, CYM_DEBUG_GUARD);
    pthread_mutex_lock(&d->lock);
    h->seq = ++d->next_seq;
    h->prev = NULL;
    h->next = d->live;
    if (d->live != NULL) d->live->prev = h;
    d->live = h;
    d->live_count++;
    pthread_mutex_unlock(&d->lock);
    return user_of(h);
}

static void* debug_malloc(void* ctx, size_t size) {
    debug_t* d = ctx;
    if (size > (size_t)PTRDIFF_MAX - sizeof(dbg_header_t) - CYM_DEBUG_GUARD) return NULL;
    size_t total = sizeof(dbg_header_t) + size + CYM_DEBUG_GUARD;
    dbg_header_t* h = d->inner->ops.malloc_fn(d->inner->ctx, total);
    return h != NULL ? debug_place(d, h, size, 0, 1) : NULL;
}

/* An aligned block with the same guards: the inner block has alignment - 1 bytes more, and the header goes just
 * before the first aligned address that leaves room for it. One call to inner's malloc, as for debug_malloc. */
static void* debug_aligned_zalloc(void* ctx, size_t alignment, size_t size) {
    debug_t* d = ctx;
    if (size > (size_t)PTRDIFF_MAX - sizeof(dbg_header_t) - CYM_DEBUG_GUARD - (alignment - 1)) return NULL;
    size_t total = (alignment - 1) + sizeof(dbg_header_t) + size + CYM_DEBUG_GUARD;
    unsigned char* raw = d->inner->ops.malloc_fn(d->inner->ctx, total);
    if (raw == NULL) return NULL;
    uintptr_t user = ((uintptr_t)raw + sizeof(dbg_header_t) + (alignment - 1)) & ~(uintptr_t)(alignment - 1);
    dbg_header_t* h = header_of((void*)user);
    void* p = debug_place(d, h, size, (size_t)((unsigned char*)h - raw), alignment);
    memset(p, 0, size);
    return p;
}

/* The quarantine slot holding user pointer p, or SIZE_MAX. */
static size_t quarantined(const debug_t* d, const void* p) {
    for (size_t k = 0; k < d->q_count; k++) {
        size_t at = (d->q_head + k) % CYM_DEBUG_QUARANTINE;
        if (user_of(d->quarantine[at]) == p) return at;
    }
    return SIZE_MAX;
}

static void debug_free(void* ctx, void* p) {
    debug_t* d = ctx;
    if (p == NULL) return;
    pthread_mutex_lock(&d->lock);
    /* The quarantine first: it is how a double free is told apart without reading freed memory. */
    size_t q = quarantined(d, p);
    if (q != SIZE_MAX) {
        record(d, CYM_DEBUG_DOUBLE_FREE, p, d->quarantine[q]->size, d->quarantine[q]->seq, 0);
        pthread_mutex_unlock(&d->lock);
        return;
    }
    dbg_header_t* h = header_of(p);
    if (h->magic != DBG_LIVE || h->owner != d) {
        record(d, h->magic == DBG_FREED ? CYM_DEBUG_DOUBLE_FREE : CYM_DEBUG_FOREIGN_FREE, p, 0, 0, 0);
        pthread_mutex_unlock(&d->lock);
        return;
    }
    check_guards(d, h);
    if (h->prev != NULL) h->prev->next = h->next; else d->live = h->next;
    if (h->next != NULL) h->next->prev = h->prev;
    d->live_count--;
    h->magic = DBG_FREED;
    memset(p, CYM_DEBUG_POISON, h->size);
    if (d->q_count == CYM_DEBUG_QUARANTINE) {
        release_quarantined(d, d->quarantine[d->q_head]);
        d->quarantine[d->q_head] = h;
        d->q_head = (d->q_head + 1) % CYM_DEBUG_QUARANTINE;
    } else {
        d->quarantine[(d->q_head + d->q_count++) % CYM_DEBUG_QUARANTINE] = h;
    }
    pthread_mutex_unlock(&d->lock);
}

static size_t debug_usable(void* ctx, const void* p) {
    (void)ctx;
    return header_of(p)->size;
}

static void debug_release(void* ctx) {
    debug_t* d = ctx;
    while (d->q_count > 0) {
        release_quarantined(d, d->quarantine[d->q_head]);
        d->q_head = (d->q_head + 1) % CYM_DEBUG_QUARANTINE;
        d->q_count--;
    }
    /* Nobody can read faults or live blocks any more: say what is left, where a developer will see it.
     * Blocks still live stay allocated: their owner may still use them. */
    for (size_t i = 0; i < d->fault_count; i++) {
        fprintf(stderr, "cymem4j debug allocator: unread fault %d at %p (%zu bytes, #%llu, offset %zu)\n",
                d->faults[i].kind, d->faults[i].address, d->faults[i].size,
                (unsigned long long)d->faults[i].seq, d->faults[i].offset);
    }
    for (dbg_header_t* h = d->live; h != NULL; h = h->next) {
        fprintf(stderr, "cymem4j debug allocator: leak of %zu bytes at %p (#%llu)\n", h->size,
                (void*)user_of(h), (unsigned long long)h->seq);
    }
    free(d->faults);
    pthread_mutex_destroy(&d->lock);
    cym_allocator_release(d->inner);
    free(d);
}

static cym_allocator_t* debug_pool_fn(void* ctx);

/* A debug allocator over inner; with_pool_fn makes it hand every pool a private one. */
static int debug_new(cym_allocator_t* inner, bool with_pool_fn, cym_allocator_t** out) {
    debug_t* d = calloc(1, sizeof *d);
    if (d == NULL) return CYM_ENOMEM;
    pthread_mutex_init(&d->lock, NULL);
    d->inner = cym_allocator_retain(inner);
    cym_allocator_ops_t ops = {debug_malloc, NULL, NULL, debug_free, with_pool_fn ? debug_pool_fn : NULL,
                               debug_release};
    char name[CYM_ALLOCATOR_NAME_MAX];
    snprintf(name, sizeof name, "debug(%.48s)", inner->name);
    int status = cym_allocator_new(&ops, d, 0, name, out);
    if (status != CYM_OK) {
        debug_release(d);
        return status;
    }
    (*out)->usable_size_fn = debug_usable;
    (*out)->aligned_zalloc_fn = debug_aligned_zalloc;
    return CYM_OK;
}

static cym_allocator_t* debug_pool_fn(void* ctx) {
    cym_allocator_t* own;
    return debug_new(((debug_t*)ctx)->inner, false, &own) == CYM_OK ? own : NULL;
}

cym_status cym_allocator_debug(cym_allocator_t* inner, cym_allocator_t** out) {
    if (out == NULL) return CYM_EINVAL;
    return debug_new(inner != NULL ? inner : cym_allocator_system(), true, out);
}

int cym_allocator_is_debug(cym_allocator_t* a) { return a != NULL && a->ops.malloc_fn == debug_malloc; }

int64_t cym_allocator_debug_check(cym_allocator_t* a) {
    if (!cym_allocator_is_debug(a)) return -1;
    debug_t* d = a->ctx;
    pthread_mutex_lock(&d->lock);
    for (dbg_header_t* h = d->live; h != NULL; h = h->next) check_guards(d, h);
    int64_t live = d->live_count;
    pthread_mutex_unlock(&d->lock);
    return live;
}

size_t cym_allocator_debug_faults(cym_allocator_t* a, cym_debug_fault_t* out, size_t n) {
    if (!cym_allocator_is_debug(a) || out == NULL) return 0;
    debug_t* d = a->ctx;
    pthread_mutex_lock(&d->lock);
    size_t taken = n < d->fault_count ? n : d->fault_count;
    if (taken > 0) {
        memcpy(out, d->faults, taken * sizeof *out);
        memmove(d->faults, d->faults + taken, (d->fault_count - taken) * sizeof *out);
    }
    d->fault_count -= taken;
    pthread_mutex_unlock(&d->lock);
    return taken;
}

uint64_t cym_allocator_debug_seq(cym_allocator_t* a, const void* p) {
    if (!cym_allocator_is_debug(a) || p == NULL) return 0;
    debug_t* d = a->ctx;
    uint64_t seq = 0;
    pthread_mutex_lock(&d->lock);
    /* Walk the list rather than trust the header: p may be anything. */
    for (dbg_header_t* h = d->live; h != NULL; h = h->next) {
        if (user_of(h) == p) {
            seq = h->seq;
            break;
        }
    }
    pthread_mutex_unlock(&d->lock);
    return seq;
}

// ------------------------------------------------------------------------------------------------------
// The failing allocator
// ------------------------------------------------------------------------------------------------------

/* Every block is [16-byte size header][user bytes], so frees can keep live_bytes exact. */
#define FAIL_HEADER 16

typedef struct failing_s {
    cym_allocator_t* inner;    /* retained */
    int64_t fail_nth, fail_every, budget;
    pthread_mutex_t lock;      /* guards the counters */
    int64_t calls, failures, live_bytes;
} failing_t;

/* Counts one call and decides whether it fails. */
static bool should_fail(failing_t* f, size_t size) {
    pthread_mutex_lock(&f->lock);
    int64_t n = ++f->calls;
    bool fail = (f->fail_nth > 0 && n == f->fail_nth) || (f->fail_every > 0 && n % f->fail_every == 0) ||
                (f->budget >= 0 && (uint64_t)f->live_bytes + size > (uint64_t)f->budget);
    if (fail) f->failures++;
    else f->live_bytes += (int64_t)size;
    pthread_mutex_unlock(&f->lock);
    return fail;
}

static void* failing_alloc(failing_t* f, size_t size, bool zero) {
    if (size > (size_t)PTRDIFF_MAX - FAIL_HEADER) return NULL;
    if (should_fail(f, size)) return NULL;
    unsigned char* raw = zero ? _cym_allocator_zalloc(f->inner, size + FAIL_HEADER)
                              : f->inner->ops.malloc_fn(f->inner->ctx, size + FAIL_HEADER);
    if (raw == NULL) {
        pthread_mutex_lock(&f->lock);
        f->live_bytes -= (int64_t)size;
        pthread_mutex_unlock(&f->lock);
        return NULL;
    }
    memcpy(raw, &size, sizeof size);
    return raw + FAIL_HEADER;
}

static void* failing_malloc(void* ctx, size_t size) { return failing_alloc(ctx, size, false); }

static void* failing_calloc(void* ctx, size_t count, size_t size) {
    size_t bytes;
    if (_cym_mul_overflow(count, size, &bytes)) return NULL;
    return failing_alloc(ctx, bytes, true);
}

static void failing_free(void* ctx, void* p) {
    failing_t* f = ctx;
    if (p == NULL) return;
    unsigned char* raw = (unsigned char*)p - FAIL_HEADER;
    size_t size;
    memcpy(&size, raw, sizeof size);
    pthread_mutex_lock(&f->lock);
    f->live_bytes -= (int64_t)size;
    pthread_mutex_unlock(&f->lock);
    _cym_allocator_free(f->inner, raw);
}

static size_t failing_usable(void* ctx, const void* p) {
    (void)ctx;
    size_t size;
    memcpy(&size, (const unsigned char*)p - FAIL_HEADER, sizeof size);
    return size;
}

static void failing_release(void* ctx) {
    failing_t* f = ctx;
    pthread_mutex_destroy(&f->lock);
    cym_allocator_release(f->inner);
    free(f);
}

cym_status cym_allocator_failing(cym_allocator_t* inner, int64_t fail_nth, int64_t fail_every, int64_t budget,
                          cym_allocator_t** out) {
    if (out == NULL || fail_nth < 0 || fail_every < 0) return CYM_EINVAL;
    if (inner == NULL) inner = cym_allocator_system();
    failing_t* f = calloc(1, sizeof *f);
    if (f == NULL) return CYM_ENOMEM;
    f->inner = cym_allocator_retain(inner);
    f->fail_nth = fail_nth;
    f->fail_every = fail_every;
    f->budget = budget < 0 ? -1 : budget;
    pthread_mutex_init(&f->lock, NULL);
    /* No realloc_fn: pools synthesise it from malloc + free, so a realloc counts as one call. */
    cym_allocator_ops_t ops = {failing_malloc, failing_calloc, NULL, failing_free, NULL, failing_release};
    char name[CYM_ALLOCATOR_NAME_MAX];
    snprintf(name, sizeof name, "failing(%.48s)", inner->name);
    int status = cym_allocator_new(&ops, f, 0, name, out);
    if (status != CYM_OK) {
        failing_release(f);
        return status;
    }
    (*out)->usable_size_fn = failing_usable;
    return CYM_OK;
}

void cym_allocator_failing_counts(cym_allocator_t* a, int64_t* calls, int64_t* failures, int64_t* live_bytes) {
    bool is_failing = a != NULL && a->ops.malloc_fn == failing_malloc;
    failing_t* f = is_failing ? a->ctx : NULL;
    if (f != NULL) pthread_mutex_lock(&f->lock);
    if (calls != NULL) *calls = f != NULL ? f->calls : -1;
    if (failures != NULL) *failures = f != NULL ? f->failures : -1;
    if (live_bytes != NULL) *live_bytes = f != NULL ? f->live_bytes : -1;
    if (f != NULL) pthread_mutex_unlock(&f->lock);
}
