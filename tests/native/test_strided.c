/* test_strided.c: the strided kernels (copy, fill, equal, cast) against naive reference implementations on
 * random views (permuted, sliced, reversed, broadcast, misaligned, 0-d, empty, up to 10 dims, indirect
 * through tables of pointers), overlapping copies, transposes and gathers on both the AVX2 and the portable
 * path, every cast pair's edge values, bad arguments, and the Java bridge's descriptors. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "jbridge_strided.h"

/* Under AddressSanitizer a huge malloc must return NULL (as it does without it) for the ENOMEM test. */
const char* __asan_default_options(void);
const char* __asan_default_options(void) { return "allocator_may_return_null=1"; }

/* The ten types of the array module (native order); the other dtypes are in test_strided_types.c. */
#define PLAIN_DTYPES 10
static const cym_dtype ALL_DTYPES[PLAIN_DTYPES] = {
    CYM_DTYPE_I8, CYM_DTYPE_U8, CYM_DTYPE_I16, CYM_DTYPE_U16, CYM_DTYPE_I32,
    CYM_DTYPE_U32, CYM_DTYPE_I64, CYM_DTYPE_U64, CYM_DTYPE_F32, CYM_DTYPE_F64};

// ------------------------------------------------------------------------------------------------------
// Random numbers and allocations
// ------------------------------------------------------------------------------------------------------

typedef struct rng_s {
    uint64_t s;
} rng_t;

static uint64_t next_u64(rng_t* r) { /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}

static int64_t rnd(rng_t* r, int64_t n) { return (int64_t)(next_u64(r) % (uint64_t)n); } /* [0, n) */

static void random_bytes(rng_t* r, unsigned char* p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)next_u64(r);
}

/* Every allocation of a case, freed at its end. */
typedef struct allocs_s {
    void** p;
    size_t n, cap;
} allocs_t;

static void* track(allocs_t* a, size_t bytes) {
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->p = realloc(a->p, a->cap * sizeof *a->p);
        if (a->p == NULL) abort();
    }
    void* p = calloc(bytes ? bytes : 1, 1);
    if (p == NULL) abort();
    return a->p[a->n++] = p;
}

static void free_all(allocs_t* a) {
    for (size_t i = 0; i < a->n; i++) free(a->p[i]);
    free(a->p);
    a->p = NULL;
    a->n = a->cap = 0;
}

// ------------------------------------------------------------------------------------------------------
// Views and the naive reference
// ------------------------------------------------------------------------------------------------------

/* A view with its own storage for suboffsets, and the one buffer its elements live in. */
typedef struct tv_s {
    cym_view_t v;
    int64_t sub[CYM_MAX_NDIM];
    unsigned char* buf;
    size_t size;
} tv_t;

static int64_t count_of(const cym_view_t* v) {
    int64_t c = 1;
    for (int k = 0; k < v->ndim; k++) c *= v->shape[k];
    return c;
}

static bool next_index(int64_t* idx, const int64_t* shape, int ndim) {
    for (int k = ndim - 1; k >= 0; k--) {
        if (++idx[k] < shape[k]) return true;
        idx[k] = 0;
    }
    return false;
}

/* PEP 3118, literally (integer arithmetic, so no pointer is formed outside an object). */
static unsigned char* elem_ptr(const cym_view_t* v, const int64_t* idx) {
    uintptr_t p = (uintptr_t)v->data;
    for (int k = 0; k < v->ndim; k++) {
        p += (uintptr_t)(idx[k] * v->strides[k]);
        if (v->suboffsets && v->suboffsets[k] >= 0) {
            char* q;
            memcpy(&q, (void*)p, sizeof q);
            p = (uintptr_t)q + (uintptr_t)v->suboffsets[k];
        }
    }
    return (unsigned char*)p;
}

static bool is_float_t(cym_dtype t) { return t == CYM_DTYPE_F32 || t == CYM_DTYPE_F64; }
static bool is_signed_t(cym_dtype t) {
    return t == CYM_DTYPE_I8 || t == CYM_DTYPE_I16 || t == CYM_DTYPE_I32 || t == CYM_DTYPE_I64;
}

/* The element's value, exact in x87 long double (64-bit mantissa) for every dtype. */
static long double value_of(const unsigned char* p, cym_dtype t) {
    switch (t) {
    case CYM_DTYPE_I8: { int8_t v; memcpy(&v, p, 1); return v; }
    case CYM_DTYPE_U8: { uint8_t v; memcpy(&v, p, 1); return v; }
    case CYM_DTYPE_I16: { int16_t v; memcpy(&v, p, 2); return v; }
    case CYM_DTYPE_U16: { uint16_t v; memcpy(&v, p, 2); return v; }
    case CYM_DTYPE_I32: { int32_t v; memcpy(&v, p, 4); return v; }
    case CYM_DTYPE_U32: { uint32_t v; memcpy(&v, p, 4); return v; }
    case CYM_DTYPE_I64: { int64_t v; memcpy(&v, p, 8); return v; }
    case CYM_DTYPE_U64: { uint64_t v; memcpy(&v, p, 8); return v; }
    case CYM_DTYPE_F32: { float v; memcpy(&v, p, 4); return v; }
    case CYM_DTYPE_F64: { double v; memcpy(&v, p, 8); return v; }
    default: break;
    }
    abort();
}

/* The integer's bits as a (sign-extended) uint64_t. */
static uint64_t int_bits(const unsigned char* p, cym_dtype t) {
    long double v = value_of(p, t);
    return is_signed_t(t) ? (uint64_t)(int64_t)v : (uint64_t)v;
}

/* 2^n and truncation toward zero in long double without libm (the tests do not link it): values of
 * magnitude >= 2^63 are already integers in the 64-bit mantissa. */
static long double pow2l(int n) {
    long double x = 1;
    while (n-- > 0) x *= 2;
    return x;
}
static long double trunc_ld(long double x) { return x >= 0x1p63L || x <= -0x1p63L ? x : (long double)(int64_t)x; }

/* The header's cast semantics, written independently of the kernels: integer wrap by masking, float to
 * integer through trunc_ld and long double limits, integer to float straight from the source C type. */
static void ref_convert(unsigned char* out, cym_dtype dt, const unsigned char* in, cym_dtype st) {
    const size_t dn = cym_dtype_size(dt);
    if (dt == st) { /* a copy keeps every bit, signalling NaNs included */
        memcpy(out, in, dn);
        return;
    }
    if (dt == CYM_DTYPE_F32 || dt == CYM_DTYPE_F64) {
        double d = 0;
        float f = 0;
        if (is_float_t(st)) {
            double x = (double)value_of(in, st);
            d = x, f = (float)x;
        } else if (is_signed_t(st)) {
            int64_t x = (int64_t)int_bits(in, st);
            d = (double)x, f = (float)x;
        } else {
            uint64_t x = int_bits(in, st);
            d = (double)x, f = (float)x;
        }
        if (dt == CYM_DTYPE_F32) memcpy(out, &f, 4);
        else memcpy(out, &d, 8);
        return;
    }
    uint64_t bits;
    if (!is_float_t(st)) {
        bits = int_bits(in, st);
    } else {
        long double x = value_of(in, st);
        const int nbits = (int)dn * 8;
        long double lo = is_signed_t(dt) ? -pow2l(nbits - 1) : 0;
        long double hi = is_signed_t(dt) ? pow2l(nbits - 1) - 1 : pow2l(nbits) - 1;
        if (x != x) x = 0;
        x = trunc_ld(x);
        if (x < lo) x = lo;
        if (x > hi) x = hi;
        bits = x < 0 ? (uint64_t)(int64_t)x : (uint64_t)x;
    }
    memcpy(out, &bits, dn); /* the low bytes (x86-64 is little-endian) */
}

/* Naive dst = src through a temporary (so overlap gives the documented result), applied to exp, a copy
 * of dst->buf. */
static void ref_cast(const tv_t* dst, unsigned char* exp, const cym_view_t* src) {
    const int64_t n = count_of(&dst->v);
    const size_t des = cym_dtype_size(dst->v.dtype);
    if (n == 0) return;
    unsigned char* vals = malloc((size_t)n * des);
    int64_t idx[CYM_MAX_NDIM] = {0}, i = 0;
    do ref_convert(vals + i++ * des, dst->v.dtype, elem_ptr(src, idx), src->dtype);
    while (next_index(idx, src->shape, src->ndim));
    memset(idx, 0, sizeof idx);
    i = 0;
    do memcpy(exp + (elem_ptr(&dst->v, idx) - dst->buf), vals + i++ * des, des);
    while (next_index(idx, dst->v.shape, dst->v.ndim));
    free(vals);
}

static bool ref_equal(const cym_view_t* a, const cym_view_t* b) {
    if (a->ndim != b->ndim) return false;
    for (int k = 0; k < a->ndim; k++)
        if (a->shape[k] != b->shape[k]) return false;
    if (count_of(a) == 0) return true;
    int64_t idx[CYM_MAX_NDIM] = {0};
    do
        if (!(value_of(elem_ptr(a, idx), a->dtype) == value_of(elem_ptr(b, idx), b->dtype))) return false;
    while (next_index(idx, a->shape, a->ndim));
    return true;
}

/* Random strides for shape: a padded C layout over a random permutation of the dims, stepped (sliced),
 * partly reversed, sometimes with element gaps that misalign elements, and zero (broadcast) strides if
 * zeros. Without zeros no two elements overlap. *lo, *hi: byte extent relative to data. */
static void random_strides(rng_t* r, int ndim, const int64_t* shape, int64_t es, bool zeros, int64_t* st,
                           int64_t* lo, int64_t* hi) {
    int perm[CYM_MAX_NDIM];
    for (int k = 0; k < ndim; k++) perm[k] = k;
    const int64_t order = rnd(r, 4);
    for (int k = 0; k < ndim; k++) {
        if (order == 1) perm[k] = ndim - 1 - k; /* Fortran */
        if (order >= 2) {                       /* shuffled */
            int j = (int)rnd(r, k + 1), t = perm[k];
            perm[k] = perm[j], perm[j] = t;
        }
    }
    int64_t acc = rnd(r, 6) == 0 ? es + 1 + rnd(r, 3) : rnd(r, 6) == 0 ? 2 * es : es;
    for (int p = ndim - 1; p >= 0; p--) {
        const int k = perm[p];
        const int64_t n = shape[k] > 0 ? shape[k] : 1, step = rnd(r, 4) == 0 ? 2 + rnd(r, 2) : 1;
        st[k] = acc * step;
        if (rnd(r, 4) == 0) st[k] = -st[k];
        if (zeros && rnd(r, 8) == 0) st[k] = 0;
        acc = acc * step * n + (rnd(r, 5) == 0 ? es * rnd(r, 3) : 0);
    }
    *lo = 0, *hi = es - 1;
    for (int k = 0; k < ndim; k++) {
        const int64_t span = (shape[k] > 0 ? shape[k] - 1 : 0) * st[k];
        if (span < 0) *lo += span;
        else *hi += span;
    }
}

static void init_view(tv_t* t, cym_dtype dtype, int ndim, const int64_t* shape) {
    memset(t, 0, sizeof *t);
    t->v.dtype = dtype;
    t->v.ndim = ndim;
    for (int k = 0; k < ndim; k++) t->v.shape[k] = shape[k];
}

/* A random direct view in a buffer of its own, exactly its extent (plus a misaligning head), so a kernel
 * touching a byte beyond it trips AddressSanitizer. */
static void own_view(rng_t* r, allocs_t* mem, tv_t* t, cym_dtype dtype, int ndim, const int64_t* shape, bool zeros) {
    init_view(t, dtype, ndim, shape);
    int64_t lo, hi;
    random_strides(r, ndim, shape, (int64_t)cym_dtype_size(dtype), zeros, t->v.strides, &lo, &hi);
    const int64_t head = rnd(r, 4) == 0 ? rnd(r, 8) : 0;
    t->size = (size_t)(head + hi - lo + 1);
    t->buf = track(mem, t->size);
    random_bytes(r, t->buf, t->size);
    t->v.data = t->buf + head - lo;
}

/* Two random direct views in one shared buffer at random places: they overlap more often than not. */
static void shared_views(rng_t* r, allocs_t* mem, tv_t* x, tv_t* y, cym_dtype tx, cym_dtype ty, int ndim,
                         const int64_t* shape) {
    init_view(x, tx, ndim, shape);
    init_view(y, ty, ndim, shape);
    int64_t xlo, xhi, ylo, yhi;
    random_strides(r, ndim, shape, (int64_t)cym_dtype_size(tx), false, x->v.strides, &xlo, &xhi);
    random_strides(r, ndim, shape, (int64_t)cym_dtype_size(ty), true, y->v.strides, &ylo, &yhi);
    const int64_t xe = xhi - xlo + 1, ye = yhi - ylo + 1, size = (xe > ye ? xe : ye) + rnd(r, 24);
    unsigned char* buf = track(mem, (size_t)size);
    random_bytes(r, buf, (size_t)size);
    x->buf = y->buf = buf;
    x->size = y->size = (size_t)size;
    x->v.data = buf + rnd(r, size - xe + 1) - xlo;
    y->v.data = buf + rnd(r, size - ye + 1) - ylo;
}

/* State of make_indirect's recursion. */
typedef struct indirect_s {
    allocs_t* mem;
    const cym_view_t* direct; /* the view being re-expressed */
    const bool* deref;        /* which dims become indirect */
    int64_t* st;              /* the new strides */
    const int64_t* sub;       /* the new suboffsets */
} indirect_t;

/* The pointer that leads into dims [from, ndim) at byte offset off of the direct view: the data itself
 * past the last indirect dim, else a fresh C-contiguous table of pointers over dims [from, k] (k the next
 * indirect dim) whose entries lead on from k + 1, less the suboffset that the walk adds back. */
static uintptr_t build_tables(const indirect_t* c, int from, int64_t off) {
    const cym_view_t* v = c->direct;
    int k = from;
    while (k < v->ndim && !c->deref[k]) k++;
    if (k == v->ndim) return (uintptr_t)v->data + (uintptr_t)off;
    int64_t count = 1;
    for (int m = k; m >= from; m--) {
        c->st[m] = count * (int64_t)sizeof(char*);
        count *= v->shape[m];
    }
    unsigned char* table = track(c->mem, (size_t)count * sizeof(char*));
    int64_t idx[CYM_MAX_NDIM] = {0};
    for (int64_t f = 0; f < count; f++) {
        int64_t rest = f, off2 = off;
        for (int m = k; m >= from; m--) {
            idx[m] = rest % v->shape[m];
            rest /= v->shape[m];
            off2 += idx[m] * v->strides[m];
        }
        uintptr_t entry = build_tables(c, k + 1, off2) - (uintptr_t)c->sub[k];
        memcpy(table + f * (int64_t)sizeof(char*), &entry, sizeof entry);
    }
    return (uintptr_t)table;
}

/* Re-expresses a non-empty direct view through tables of row pointers: a random nonempty set of dims
 * becomes indirect (PEP 3118 suboffsets), the elements stay where they were. */
static void make_indirect(rng_t* r, allocs_t* mem, tv_t* t) {
    bool deref[CYM_MAX_NDIM] = {false}, any = false;
    for (int k = 0; k < t->v.ndim; k++) {
        deref[k] = rnd(r, 3) == 0;
        any |= deref[k];
    }
    if (!any && t->v.ndim > 0) deref[rnd(r, t->v.ndim)] = true;
    for (int k = 0; k < t->v.ndim; k++) t->sub[k] = deref[k] ? (rnd(r, 2) ? 0 : 8 * rnd(r, 3)) : -1 - rnd(r, 3);
    const cym_view_t direct = t->v;
    indirect_t c = {mem, &direct, deref, t->v.strides, t->sub};
    t->v.data = (void*)build_tables(&c, 0, 0);
    t->v.suboffsets = t->sub;
}

/* A random shape: mostly 0-3 dims, sometimes up to 10 small ones, at most ~2000 elements, rarely empty. */
static int random_shape(rng_t* r, int64_t* shape) {
    const int ndim = rnd(r, 8) == 0 ? 4 + (int)rnd(r, 7) : (int)rnd(r, 4);
    int64_t total = 1;
    for (int k = 0; k < ndim; k++) {
        const int64_t cap = ndim > 4 ? 3 : ndim > 2 ? 12 : 45;
        shape[k] = 1 + rnd(r, cap);
        if (total * shape[k] > 2000) shape[k] = 1;
        total *= shape[k];
    }
    if (ndim > 0 && rnd(r, 25) == 0) shape[rnd(r, ndim)] = 0;
    return ndim;
}

static void describe(const char* what, const cym_view_t* d, const cym_view_t* s) {
    fprintf(stderr, "%s: dtypes %d <- %d, ndim %d, shape/dst/src strides:", what, d->dtype, s->dtype, d->ndim);
    for (int k = 0; k < d->ndim; k++)
        fprintf(stderr, " %lld/%lld/%lld%s%s", (long long)d->shape[k], (long long)d->strides[k],
                (long long)s->strides[k], d->suboffsets && d->suboffsets[k] >= 0 ? "*d" : "",
                s->suboffsets && s->suboffsets[k] >= 0 ? "*s" : "");
    fprintf(stderr, "\n");
}

// ------------------------------------------------------------------------------------------------------
// Random cases
// ------------------------------------------------------------------------------------------------------

/* One random copy (cast if tdst != tsrc or as_cast): separate buffers, one shared buffer, or indirect
 * views; the whole destination buffer must match the reference and the source must be unchanged. */
static bool random_copy_case(rng_t* r, cym_dtype tdst, cym_dtype tsrc, bool as_cast) {
    allocs_t mem = {0};
    int64_t shape[CYM_MAX_NDIM];
    const int ndim = random_shape(r, shape);
    tv_t d, s;
    const int64_t mode = rnd(r, 6);
    if (mode == 0 || mode == 1) {
        shared_views(r, &mem, &d, &s, tdst, tsrc, ndim, shape);
    } else {
        own_view(r, &mem, &d, tdst, ndim, shape, false);
        own_view(r, &mem, &s, tsrc, ndim, shape, true);
        if (count_of(&d.v) > 0 && ndim > 0 && (mode == 3 || mode == 5)) make_indirect(r, &mem, &d);
        if (count_of(&s.v) > 0 && ndim > 0 && (mode == 4 || mode == 5)) make_indirect(r, &mem, &s);
    }
    unsigned char* exp = track(&mem, d.size);
    memcpy(exp, d.buf, d.size);
    ref_cast(&d, exp, &s.v);
    unsigned char* src_before = NULL;
    if (s.buf != d.buf) {
        src_before = track(&mem, s.size);
        memcpy(src_before, s.buf, s.size);
    }
    const int status = as_cast ? cym_strided_cast(&d.v, &s.v) : cym_strided_copy(&d.v, &s.v);
    bool ok = status == CYM_OK && memcmp(exp, d.buf, d.size) == 0 &&
              (src_before == NULL || memcmp(src_before, s.buf, s.size) == 0);
    if (!ok) describe(as_cast ? "cast" : "copy", &d.v, &s.v);
    free_all(&mem);
    return ok;
}

static bool random_fill_case(rng_t* r) {
    allocs_t mem = {0};
    int64_t shape[CYM_MAX_NDIM];
    const int ndim = random_shape(r, shape);
    const cym_dtype t = ALL_DTYPES[rnd(r, PLAIN_DTYPES)];
    const size_t es = cym_dtype_size(t);
    tv_t d;
    own_view(r, &mem, &d, t, ndim, shape, true);
    if (count_of(&d.v) > 0 && ndim > 0 && rnd(r, 4) == 0) make_indirect(r, &mem, &d);
    unsigned char value[8];
    random_bytes(r, value, sizeof value);
    if (rnd(r, 3) == 0) memset(value, rnd(r, 2) ? 0 : value[0], sizeof value); /* the memset path */
    unsigned char* exp = track(&mem, d.size);
    memcpy(exp, d.buf, d.size);
    if (count_of(&d.v) > 0) {
        int64_t idx[CYM_MAX_NDIM] = {0};
        do memcpy(exp + (elem_ptr(&d.v, idx) - d.buf), value, es);
        while (next_index(idx, d.v.shape, d.v.ndim));
    }
    bool ok = cym_strided_fill(&d.v, value) == CYM_OK && memcmp(exp, d.buf, d.size) == 0;
    if (!ok) describe("fill", &d.v, &d.v);
    free_all(&mem);
    return ok;
}

/* a holds small integers (exact in every dtype) and b the same values cast to its dtype, so they are
 * equal; then one element of b changes and they are not. */
static bool random_equal_case(rng_t* r) {
    allocs_t mem = {0};
    int64_t shape[CYM_MAX_NDIM];
    const int ndim = random_shape(r, shape);
    const cym_dtype ta = ALL_DTYPES[rnd(r, PLAIN_DTYPES)], tb = ALL_DTYPES[rnd(r, PLAIN_DTYPES)];
    tv_t a, b;
    own_view(r, &mem, &a, ta, ndim, shape, true);
    own_view(r, &mem, &b, tb, ndim, shape, false);
    const int64_t n = count_of(&a.v);
    int64_t idx[CYM_MAX_NDIM] = {0};
    if (n > 0) {
        do {
            const int8_t small = (int8_t)rnd(r, 100);
            ref_convert(elem_ptr(&a.v, idx), ta, (const unsigned char*)&small, CYM_DTYPE_I8);
        } while (next_index(idx, shape, ndim));
    }
    ref_cast(&b, b.buf, &a.v);
    if (n > 0 && ndim > 0 && rnd(r, 4) == 0) make_indirect(r, &mem, &a);
    if (n > 0 && ndim > 0 && rnd(r, 4) == 0) make_indirect(r, &mem, &b);
    int equal = -1;
    bool ok = cym_strided_equal(&a.v, &b.v, &equal) == CYM_OK && equal == 1 && ref_equal(&a.v, &b.v);
    if (ok && n > 0) {
        for (int k = 0; k < ndim; k++) idx[k] = rnd(r, shape[k]);
        const int8_t other = (int8_t)(100 + rnd(r, 20));
        ref_convert(elem_ptr(&b.v, idx), tb, (const unsigned char*)&other, CYM_DTYPE_I8);
        /* A zero stride in a repeats the changed element's partner everywhere: still unequal there. */
        ok = cym_strided_equal(&a.v, &b.v, &equal) == CYM_OK && equal == 0 && !ref_equal(&a.v, &b.v);
    }
    if (!ok) describe("equal", &a.v, &b.v);
    free_all(&mem);
    return ok;
}

// ------------------------------------------------------------------------------------------------------
// Checks
// ------------------------------------------------------------------------------------------------------

CHECK_BODY(dtype_sizes_follow_the_typecodes) {
    const size_t sizes[PLAIN_DTYPES] = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8};
    for (int t = 0; t < PLAIN_DTYPES; t++) CHECK_EQ_INT(sizes[t], cym_dtype_size(ALL_DTYPES[t]));
    CHECK_EQ_INT(0, cym_dtype_size((cym_dtype)CYM_DTYPE_COUNT));
    CHECK_EQ_INT(0, cym_dtype_size((cym_dtype)-1));
}

static cym_view_t vec(void* data, cym_dtype t, int64_t n, int64_t stride) {
    cym_view_t v;
    memset(&v, 0, sizeof v);
    v.data = data;
    v.dtype = t;
    v.ndim = 1;
    v.shape[0] = n;
    v.strides[0] = stride;
    return v;
}

CHECK_BODY(bad_arguments_are_rejected_and_nothing_is_written) {
    double d[8] = {0}, s[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double zero[8] = {0};
    cym_view_t dv = vec(d, CYM_DTYPE_F64, 8, 8), sv = vec(s, CYM_DTYPE_F64, 8, 8);
    int equal = 7;
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(NULL, &sv));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&dv, NULL));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_cast(NULL, &sv));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_fill(NULL, s));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_fill(&dv, NULL));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(NULL, &sv, &equal));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(&dv, &sv, NULL));

    cym_view_t bad = dv; /* each defect in turn, on the destination and on the source */
    for (int defect = 0; defect < 7; defect++) {
        bad = dv;
        switch (defect) {
        case 0: bad.ndim = -1; break;
        case 1: bad.ndim = CYM_MAX_NDIM + 1; break;
        case 2: bad.shape[0] = -1; break;
        case 3: bad.dtype = (cym_dtype)CYM_DTYPE_COUNT; break;
        case 4: bad.dtype = (cym_dtype)-1; break;
        case 5: bad.data = NULL; break;
        case 6: bad.shape[0] = 3, bad.strides[0] = INT64_MAX / 2 + 1; break; /* offsets overflow */
        }
        cym_view_t bad_src = bad;
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&bad, &sv));
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_cast(&bad, &sv));
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_fill(&bad, s));
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&dv, &bad_src));
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_cast(&dv, &bad_src));
        if (defect != 2 && defect != 6) /* a shape mismatch is no error for equal (see below) */
            CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(&bad, &sv, &equal));
        CHECK(memcmp(d, zero, sizeof d) == 0);
    }
    cym_view_t short_src = vec(s, CYM_DTYPE_F64, 7, 8), f32 = vec(s, CYM_DTYPE_F32, 8, 4);
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&dv, &short_src)); /* shape mismatch */
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_cast(&dv, &short_src));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&dv, &f32)); /* copy needs one dtype */
    cym_view_t two_d = dv;
    two_d.ndim = 2, two_d.shape[0] = 2, two_d.shape[1] = 4, two_d.strides[0] = 32, two_d.strides[1] = 8;
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&two_d, &sv)); /* same count, other shape */
    CHECK(memcmp(d, zero, sizeof d) == 0);
    /* Equal treats a shape mismatch as "not equal", not as an error. */
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&dv, &short_src, &equal));
    CHECK_EQ_INT(0, equal);
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&two_d, &sv, &equal));
    CHECK_EQ_INT(0, equal);
}

CHECK_BODY(empty_views_succeed_without_touching_memory) {
    cym_view_t e = vec(NULL, CYM_DTYPE_I32, 0, 4), e2 = e;
    e2.dtype = CYM_DTYPE_F64;
    int equal = -1;
    const int32_t one = 1;
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&e, &e));
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&e2, &e));
    CHECK_EQ_INT(CYM_OK, cym_strided_fill(&e, &one));
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&e, &e2, &equal));
    CHECK_EQ_INT(1, equal);
    cym_view_t wide = e; /* 0 x 1e18: still nothing to do */
    wide.ndim = 2, wide.shape[0] = 0, wide.shape[1] = INT64_C(1000000000000000000), wide.strides[1] = 4;
    CHECK_EQ_INT(CYM_OK, cym_strided_fill(&wide, &one));
    cym_view_t mismatch = vec(NULL, CYM_DTYPE_F64, 0, 8);
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&mismatch, &e)); /* dtypes still checked */
}

CHECK_BODY(zero_d_views_are_scalars) {
    double x = 1.5, y = -2.0;
    int16_t h = 0;
    cym_view_t vx, vy, vh;
    memset(&vx, 0, sizeof vx);
    vx.data = &x, vx.dtype = CYM_DTYPE_F64;
    vy = vx, vy.data = &y;
    vh = vx, vh.data = &h, vh.dtype = CYM_DTYPE_I16;
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&vx, &vy));
    CHECK(x == -2.0);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vh, &vx));
    CHECK_EQ_INT(-2, h);
    const double seven = 7.0;
    CHECK_EQ_INT(CYM_OK, cym_strided_fill(&vy, &seven));
    CHECK(y == 7.0);
    int equal = -1;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&vh, &vx, &equal));
    CHECK_EQ_INT(1, equal);
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&vh, &vy, &equal));
    CHECK_EQ_INT(0, equal);
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&vx, &vx)); /* onto itself */
    CHECK(x == -2.0);
}

/* Runs count random cases of fn on the AVX2 path, then on the portable one. */
#define RANDOM_BOTH_PATHS(count, seed, call)                                                                    \
    for (int simd = 1; simd >= 0; simd--) {                                                                     \
        _cym_strided_set_simd(simd);                                                                            \
        rng_t rng_ = {seed};                                                                                    \
        rng_t* r = &rng_;                                                                                       \
        for (int i = 0; i < (count); i++) {                                                                     \
            if (!(call)) {                                                                                      \
                _cym_strided_set_simd(true);                                                                    \
                fprintf(stderr, "  case %d, simd %d\n", i, simd);                                               \
                CHECK(call);                                                                                    \
            }                                                                                                   \
        }                                                                                                       \
    }                                                                                                           \
    _cym_strided_set_simd(true)

CHECK_BODY(random_copies_match_the_reference) {
    RANDOM_BOTH_PATHS(3000, UINT64_C(0x1234567), random_copy_case(r, ALL_DTYPES[i % PLAIN_DTYPES],
                                                                    ALL_DTYPES[i % PLAIN_DTYPES], false));
}

CHECK_BODY(random_casts_of_every_pair_match_the_reference) {
    RANDOM_BOTH_PATHS(2000, UINT64_C(0xC0FFEE), random_copy_case(r, ALL_DTYPES[i % PLAIN_DTYPES],
                                                                   ALL_DTYPES[i / PLAIN_DTYPES % PLAIN_DTYPES],
                                                                   true));
}

CHECK_BODY(random_fills_match_the_reference) { RANDOM_BOTH_PATHS(1500, UINT64_C(0xF111), random_fill_case(r)); }

CHECK_BODY(random_compares_match_the_reference) { RANDOM_BOTH_PATHS(1500, UINT64_C(0xE0), random_equal_case(r)); }

/* dst = src for a 2-d transpose of n0 x n1 elements of size es, with the given byte misalignments, on both
 * paths, checked against the reference over the whole destination. */
static bool transpose_case(int64_t n0, int64_t n1, int64_t es, int64_t dmis, int64_t smis, int64_t pad) {
    static const cym_dtype by_size[9] = {0, CYM_DTYPE_U8, CYM_DTYPE_I16, 0, 0, 0, 0, 0, CYM_DTYPE_F64};
    const cym_dtype t = es == 4 ? CYM_DTYPE_F32 : by_size[es];
    const int64_t drow = (n1 + pad) * es, scol = (n0 + pad) * es;
    allocs_t mem = {0};
    rng_t r = {(uint64_t)(n0 * 1000 + n1)};
    tv_t d, s;
    const int64_t shape[2] = {n0, n1};
    init_view(&d, t, 2, shape);
    init_view(&s, t, 2, shape);
    d.size = (size_t)(dmis + n0 * drow), s.size = (size_t)(smis + n1 * scol);
    d.buf = track(&mem, d.size), s.buf = track(&mem, s.size);
    random_bytes(&r, d.buf, d.size);
    random_bytes(&r, s.buf, s.size);
    d.v.data = d.buf + dmis, s.v.data = s.buf + smis;
    d.v.strides[0] = drow, d.v.strides[1] = es;
    s.v.strides[0] = es, s.v.strides[1] = scol;
    unsigned char* before = track(&mem, d.size);
    memcpy(before, d.buf, d.size);
    unsigned char* exp = track(&mem, d.size);
    memcpy(exp, d.buf, d.size);
    ref_cast(&d, exp, &s.v);
    bool ok = true;
    for (int simd = 1; simd >= 0 && ok; simd--) {
        _cym_strided_set_simd(simd);
        memcpy(d.buf, before, d.size);
        ok = cym_strided_copy(&d.v, &s.v) == CYM_OK && memcmp(exp, d.buf, d.size) == 0;
        /* The same transpose with the dims listed the other way round (the layout sorts them back). */
        cym_view_t dt = d.v, st = s.v;
        dt.shape[0] = n1, dt.shape[1] = n0, dt.strides[0] = es, dt.strides[1] = drow;
        st.shape[0] = n1, st.shape[1] = n0, st.strides[0] = scol, st.strides[1] = es;
        memcpy(d.buf, before, d.size);
        ok = ok && cym_strided_copy(&dt, &st) == CYM_OK && memcmp(exp, d.buf, d.size) == 0;
        if (!ok) fprintf(stderr, "transpose %lldx%lld es %lld mis %lld/%lld pad %lld simd %d\n", (long long)n0,
                         (long long)n1, (long long)es, (long long)dmis, (long long)smis, (long long)pad, simd);
    }
    _cym_strided_set_simd(true);
    free_all(&mem);
    return ok;
}

CHECK_BODY(transposes_match_the_reference_on_both_paths) {
    static const int64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 70, 129};
    const int nsizes = (int)(sizeof sizes / sizeof sizes[0]);
    for (int es = 1; es <= 8; es *= 2)
        for (int i = 0; i < nsizes; i++)
            for (int j = 0; j < nsizes; j += 3)
                CHECK(transpose_case(sizes[i], sizes[(i + j) % nsizes], es, (i + j) % 3 == 0 ? 0 : es * (j % 4),
                                     j % 5 == 0 ? 0 : es, j % 2));
    CHECK(transpose_case(67, 45, 8, 3, 5, 0)); /* elements not 8-byte aligned */
    CHECK(transpose_case(1024, 1024, 8, 0, 0, 0)); /* > 4 MiB: streaming stores */
    CHECK(transpose_case(1000, 1030, 8, 8, 8, 0)); /* streaming with an unaligned head column */
    CHECK(transpose_case(700, 800, 8, 8, 0, 1)); /* rows not 32-byte multiples: no streaming */
    CHECK(transpose_case(1024, 1100, 4, 4, 0, 0));
}

CHECK_BODY(batched_and_3d_transposes_match_the_reference) {
    rng_t r = {77};
    for (int simd = 1; simd >= 0; simd--) {
        _cym_strided_set_simd(simd);
        for (int c = 0; c < 60; c++) {
            allocs_t mem = {0};
            const int64_t es = (int64_t)1 << rnd(&r, 4);
            const cym_dtype t = es == 1   ? CYM_DTYPE_I8
                                : es == 2 ? CYM_DTYPE_U16
                                : es == 4 ? CYM_DTYPE_I32
                                          : CYM_DTYPE_F64;
            const int64_t shape[3] = {1 + rnd(&r, 5), 1 + rnd(&r, 40), 1 + rnd(&r, 40)};
            tv_t d, s;
            init_view(&d, t, 3, shape);
            init_view(&s, t, 3, shape);
            const int64_t n = shape[0] * shape[1] * shape[2];
            d.size = s.size = (size_t)(n * es);
            d.buf = track(&mem, d.size), s.buf = track(&mem, s.size);
            random_bytes(&r, s.buf, s.size);
            d.v.data = d.buf, s.v.data = s.buf;
            d.v.strides[0] = shape[1] * shape[2] * es, d.v.strides[1] = shape[2] * es, d.v.strides[2] = es;
            /* source: a permutation of a C array, c % 3 picks which dim is contiguous */
            const int perms[3][3] = {{0, 2, 1}, {2, 1, 0}, {1, 0, 2}};
            const int* p = perms[c % 3];
            int64_t acc = es;
            for (int k = 2; k >= 0; k--) {
                s.v.strides[p[k]] = acc;
                acc *= shape[p[k]];
            }
            unsigned char* exp = track(&mem, d.size);
            ref_cast(&d, exp, &s.v);
            CHECK_EQ_INT(CYM_OK, cym_strided_copy(&d.v, &s.v));
            CHECK(memcmp(exp, d.buf, d.size) == 0);
            free_all(&mem);
        }
    }
    _cym_strided_set_simd(true);
}

CHECK_BODY(in_place_transpose_of_a_square_matrix) {
    for (int simd = 1; simd >= 0; simd--) {
        _cym_strided_set_simd(simd);
        static const int64_t sizes[] = {1, 2, 5, 37, 64, 256, 1030};
        for (int i = 0; i < 7; i++) {
            for (int64_t es = 1; es <= 8; es *= 2) {
                const int64_t n = sizes[i];
                const cym_dtype t = es == 1   ? CYM_DTYPE_U8
                                    : es == 2 ? CYM_DTYPE_I16
                                    : es == 4 ? CYM_DTYPE_F32
                                              : CYM_DTYPE_I64;
                unsigned char* a = malloc((size_t)(n * n * es));
                unsigned char* orig = malloc((size_t)(n * n * es));
                rng_t r = {(uint64_t)(n + es)};
                random_bytes(&r, orig, (size_t)(n * n * es));
                memcpy(a, orig, (size_t)(n * n * es));
                cym_view_t dv, tv;
                memset(&dv, 0, sizeof dv);
                dv.data = a, dv.dtype = t, dv.ndim = 2, dv.shape[0] = dv.shape[1] = n;
                dv.strides[0] = n * es, dv.strides[1] = es;
                tv = dv, tv.strides[0] = es, tv.strides[1] = n * es;
                CHECK_EQ_INT(CYM_OK, cym_strided_copy(&dv, &tv));
                bool ok = true;
                for (int64_t y = 0; y < n && ok; y++)
                    for (int64_t x = 0; x < n && ok; x++)
                        ok = memcmp(a + (y * n + x) * es, orig + (x * n + y) * es, (size_t)es) == 0;
                free(a);
                free(orig);
                CHECK(ok);
            }
        }
    }
    _cym_strided_set_simd(true);
}

CHECK_BODY(overlapping_copies_act_through_a_temporary) {
    for (int simd = 1; simd >= 0; simd--) {
        _cym_strided_set_simd(simd);
        for (int64_t n = 1; n < 200; n += 13) {
            for (int shift = -3; shift <= 3; shift++) {
                /* contiguous (memmove), every other element, and reversed, shifted by whole elements */
                for (int kind = 0; kind < 3; kind++) {
                    const int64_t stride = kind == 0 ? 8 : kind == 1 ? 16 : -8, span = 2 * n + 8;
                    int64_t* buf = calloc((size_t)(span + 8), 8);
                    int64_t* exp = calloc((size_t)(span + 8), 8);
                    for (int64_t i = 0; i < span + 8; i++) buf[i] = exp[i] = i * 1000 + 7;
                    int64_t* base = buf + 4 + (stride < 0 ? n - 1 : 0) + 4;
                    cym_view_t src = vec(base, CYM_DTYPE_I64, n, stride);
                    cym_view_t dst = vec(base + shift, CYM_DTYPE_I64, n, stride);
                    int64_t* tmp = malloc((size_t)n * 8);
                    for (int64_t i = 0; i < n; i++) tmp[i] = base[i * stride / 8];
                    for (int64_t i = 0; i < n; i++) exp[(base - buf) + shift + i * stride / 8] = tmp[i];
                    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&dst, &src));
                    bool same = memcmp(buf, exp, (size_t)(span + 8) * 8) == 0;
                    /* and as a cast to the same width, which reduces to the copy */
                    cym_view_t usrc = src;
                    usrc.dtype = CYM_DTYPE_U64;
                    for (int64_t i = 0; i < span + 8; i++) buf[i] = i * 1000 + 7;
                    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&dst, &usrc));
                    same = same && memcmp(buf, exp, (size_t)(span + 8) * 8) == 0;
                    free(tmp);
                    free(buf);
                    free(exp);
                    CHECK(same);
                }
            }
        }
    }
    _cym_strided_set_simd(true);
}

CHECK_BODY(overlapping_casts_act_through_a_temporary) {
    /* int32 -> int64 widening in place over the same start: element i + 1's source is overwritten by
     * element i's result unless the cast goes through a temporary. */
    int64_t buf[64];
    int32_t* narrow = (int32_t*)(void*)buf;
    for (int i = 0; i < 64; i++) narrow[i] = -i;
    cym_view_t dst = vec(buf, CYM_DTYPE_I64, 64, 8), src = vec(buf, CYM_DTYPE_I32, 64, 4);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&dst, &src));
    for (int i = 0; i < 64; i++) CHECK_EQ_INT(-i, buf[i]);
    /* same width in place: element by element, no temporary needed */
    double d[16];
    for (int i = 0; i < 16; i++) d[i] = i + 0.75;
    cym_view_t dv = vec(d, CYM_DTYPE_F64, 16, 8), iv = vec(d, CYM_DTYPE_I64, 16, 8);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&iv, &dv));
    for (int i = 0; i < 16; i++) {
        int64_t v;
        memcpy(&v, &d[i], 8);
        CHECK_EQ_INT(i, v);
    }
}

CHECK_BODY(a_temporary_that_cannot_be_allocated_is_enomem_and_writes_nothing) {
    /* dst walks dim 0 and src dim 1 of the same 2^23 doubles: 2^46 elements overlap, 512 TiB of
     * temporary, more than the address space. */
    const int64_t n = INT64_C(1) << 23;
    double* buf = calloc((size_t)n, 8);
    CHECK(buf != NULL);
    buf[1] = 42.0;
    cym_view_t dst, src;
    memset(&dst, 0, sizeof dst);
    dst.data = buf, dst.dtype = CYM_DTYPE_F64, dst.ndim = 2, dst.shape[0] = dst.shape[1] = n;
    dst.strides[0] = 8, dst.strides[1] = 0;
    src = dst, src.strides[0] = 0, src.strides[1] = 8;
    CHECK_EQ_INT(CYM_ENOMEM, cym_strided_copy(&dst, &src));
    src.dtype = CYM_DTYPE_F32;
    src.shape[1] = n, src.strides[1] = 4;
    CHECK_EQ_INT(CYM_ENOMEM, cym_strided_cast(&dst, &src));
    bool untouched = buf[1] == 42.0;
    for (int64_t i = 0; i < n && untouched; i++) untouched = i == 1 || buf[i] == 0.0;
    free(buf);
    CHECK(untouched);
}

CHECK_BODY(stride_two_gathers_match_the_reference) {
    for (int simd = 1; simd >= 0; simd--) {
        _cym_strided_set_simd(simd);
        for (int64_t n = 0; n < 80; n++) {
            for (int mis = 0; mis < 3; mis++) {
                /* the source ends at its last element (no slack), so a read past it trips ASan */
                const int64_t sbytes = n ? (2 * n - 1) * 8 + mis : 1;
                unsigned char* sbuf = malloc((size_t)sbytes);
                double* d = calloc((size_t)n + 2, 8);
                for (int64_t i = 0; i < sbytes; i++) sbuf[i] = (unsigned char)(i * 7 + 1);
                char* dst0 = (char*)d + (mis == 2 ? 4 : 8 * mis);
                cym_view_t dv = vec(dst0, CYM_DTYPE_F64, n, 8), sv = vec(sbuf + mis, CYM_DTYPE_F64, n, 16);
                CHECK_EQ_INT(CYM_OK, cym_strided_copy(&dv, &sv));
                bool ok = true;
                for (int64_t i = 0; i < n && ok; i++) ok = memcmp(dst0 + i * 8, sbuf + mis + i * 16, 8) == 0;
                free(sbuf);
                free(d);
                CHECK(ok);
            }
        }
        /* > 4 MiB of destination: streaming stores, with an unaligned start */
        const int64_t n = 600001;
        double* s = malloc((size_t)(2 * n - 1) * 8);
        double* d = malloc((size_t)(n + 1) * 8);
        for (int64_t i = 0; i < 2 * n - 1; i++) s[i] = (double)i;
        cym_view_t dv = vec(d + 1, CYM_DTYPE_F64, n, 8), sv = vec(s, CYM_DTYPE_F64, n, 16);
        CHECK_EQ_INT(CYM_OK, cym_strided_copy(&dv, &sv));
        bool ok = true;
        for (int64_t i = 0; i < n && ok; i++) ok = d[i + 1] == (double)(2 * i);
        free(s);
        free(d);
        CHECK(ok);
    }
    _cym_strided_set_simd(true);
}

CHECK_BODY(large_and_patterned_fills) {
    /* > 4 MiB contiguous: memset for a repeated byte, streaming stores for a pattern, from odd starts */
    const int64_t n = 700001;
    unsigned char* buf = malloc((size_t)(n * 8 + 16));
    for (int start = 0; start < 3; start++) {
        for (int t = 0; t < PLAIN_DTYPES; t++) {
            const cym_dtype dt = ALL_DTYPES[t];
            const int64_t es = (int64_t)cym_dtype_size(dt), count = n * 8 / es - 1;
            memset(buf, 0xEE, (size_t)(n * 8 + 16));
            unsigned char value[8] = {1, 2, 3, 4, 5, 6, 7, 8};
            if (start == 1) memset(value, 0x5A, 8);
            cym_view_t v = vec(buf + 1 + start, dt, count, es);
            CHECK_EQ_INT(CYM_OK, cym_strided_fill(&v, value));
            bool ok = buf[start] == 0xEE && buf[1 + start + count * es] == 0xEE;
            for (int64_t i = 0; i < count * es && ok; i++) ok = buf[1 + start + i] == value[i % es];
            CHECK(ok);
        }
    }
    free(buf);
    /* broadcast dimensions: a 1000 x 3 view over 3 elements */
    float f[3] = {0};
    cym_view_t b = vec(f, CYM_DTYPE_F32, 1000, 0);
    b.ndim = 2, b.shape[1] = 3, b.strides[1] = 4;
    const float x = -0.5f;
    CHECK_EQ_INT(CYM_OK, cym_strided_fill(&b, &x));
    CHECK(f[0] == x && f[1] == x && f[2] == x);
}

/* Edge values of every dtype, as bytes of that dtype. */
static int edge_values(cym_dtype t, unsigned char out[][8]) {
    static const double floats[] = {0.0, -0.0, 0.4, -0.4, 0.5, -0.99, 1.0, -1.0, 1.5, -1.5, 3.99, -3.99,
                                    126.5, 127.0, 127.99, 128.0, -128.0, -128.99, -129.0, 255.0, 255.5, 256.0,
                                    32767.5, 32768.0, -32768.5, -32769.0, 65535.9, 65536.0, 2147483647.0,
                                    2147483647.5, 2147483648.0, -2147483648.0, -2147483648.9, -2147483649.0,
                                    4294967295.0, 4294967296.0, 9007199254740993.0, 9223372036854775807.0,
                                    -9223372036854775808.0, -9223372036854777856.0, 18446744073709551615.0,
                                    36893488147419103232.0, 1e30, -1e30, 3.4e38, 3.5e38, -3.5e38, 1e300, -1e300,
                                    1e-310, INFINITY, -INFINITY, NAN, -NAN};
    static const int64_t ints[] = {0, 1, -1, 2, 42, -42, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768,
                                   -32769, 65535, 65536, 2147483647, INT64_C(2147483648), INT64_C(-2147483648),
                                   INT64_C(-2147483649), INT64_C(4294967295), INT64_C(4294967296),
                                   INT64_C(9007199254740993), INT64_C(16777217), INT64_MAX, INT64_MIN,
                                   INT64_MIN + 1, INT64_C(-9007199254740993)};
    int n = 0;
    if (is_float_t(t)) {
        for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++, n++) {
            const float f = (float)floats[i]; /* out-of-range doubles become infinities, as C's Annex F */
            if (t == CYM_DTYPE_F32) memcpy(out[n], &f, 4);
            else memcpy(out[n], &floats[i], 8);
        }
    } else {
        for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++, n++) memcpy(out[n], &ints[i], 8); /* wraps */
    }
    return n;
}

CHECK_BODY(every_cast_pair_on_edge_values) {
    unsigned char vals[64][8];
    for (int si = 0; si < PLAIN_DTYPES; si++) {
        const cym_dtype st = ALL_DTYPES[si];
        const int n = edge_values(st, vals);
        const size_t ses = cym_dtype_size(st);
        unsigned char src[64 * 8], strided_src[64 * 16];
        for (int i = 0; i < n; i++) {
            memcpy(src + i * ses, vals[i], ses);
            memcpy(strided_src + i * 16, vals[i], ses);
        }
        for (int di = 0; di < PLAIN_DTYPES; di++) {
            const cym_dtype dt = ALL_DTYPES[di];
            const size_t des = cym_dtype_size(dt);
            unsigned char dst[64 * 8], dst2[64 * 24], expect[8];
            cym_view_t dv = vec(dst, dt, n, (int64_t)des), sv = vec(src, st, n, (int64_t)ses);
            cym_view_t dv2 = vec(dst2 + 23 * (n - 1), dt, n, -23), sv2 = vec(strided_src, st, n, 16);
            CHECK_EQ_INT(CYM_OK, cym_strided_cast(&dv, &sv));
            CHECK_EQ_INT(CYM_OK, cym_strided_cast(&dv2, &sv2));
            for (int i = 0; i < n; i++) {
                ref_convert(expect, dt, vals[i], st);
                if (memcmp(expect, dst + i * des, des) != 0 || memcmp(expect, dst2 + 23 * (n - 1 - i), des) != 0) {
                    fprintf(stderr, "cast %d -> %d of value #%d\n", st, dt, i);
                    CHECK(false);
                }
            }
        }
    }
}

static cym_view_t scalar(void* p, cym_dtype t) {
    cym_view_t v;
    memset(&v, 0, sizeof v);
    v.data = p, v.dtype = t;
    return v;
}

CHECK_BODY(cast_semantics_spelled_out) {
    double d;
    float f;
    int8_t i8;
    uint8_t u8;
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    cym_view_t vd = scalar(&d, CYM_DTYPE_F64), vf = scalar(&f, CYM_DTYPE_F32), vi8 = scalar(&i8, CYM_DTYPE_I8);
    cym_view_t vu8 = scalar(&u8, CYM_DTYPE_U8), vi32 = scalar(&i32, CYM_DTYPE_I32), vu32 = scalar(&u32, CYM_DTYPE_U32);
    cym_view_t vi64 = scalar(&i64, CYM_DTYPE_I64), vu64 = scalar(&u64, CYM_DTYPE_U64);
    d = NAN;
    cym_strided_cast(&vi32, &vd);
    CHECK_EQ_INT(0, i32);
    cym_strided_cast(&vu64, &vd);
    CHECK(u64 == 0);
    d = 1e300;
    cym_strided_cast(&vi32, &vd);
    CHECK_EQ_INT(INT32_MAX, i32);
    cym_strided_cast(&vf, &vd);
    CHECK(isinf(f) && f > 0);
    d = -1e300;
    cym_strided_cast(&vi32, &vd);
    CHECK_EQ_INT(INT32_MIN, i32);
    cym_strided_cast(&vu32, &vd);
    CHECK_EQ_INT(0, u32);
    d = 3.99;
    cym_strided_cast(&vi8, &vd);
    CHECK_EQ_INT(3, i8);
    d = -3.99;
    cym_strided_cast(&vi8, &vd);
    CHECK_EQ_INT(-3, i8);
    d = 18446744073709551616.0; /* 2^64 */
    cym_strided_cast(&vu64, &vd);
    CHECK(u64 == UINT64_MAX);
    d = 9223372036854775808.0; /* 2^63 */
    cym_strided_cast(&vi64, &vd);
    CHECK(i64 == INT64_MAX);
    i32 = -1;
    cym_strided_cast(&vu8, &vi32);
    CHECK_EQ_INT(255, u8);
    i32 = 300;
    cym_strided_cast(&vi8, &vi32);
    CHECK_EQ_INT(44, i8);
    i64 = -1;
    cym_strided_cast(&vu64, &vi64);
    CHECK(u64 == UINT64_MAX);
    u64 = UINT64_MAX;
    cym_strided_cast(&vd, &vu64);
    CHECK(d == 18446744073709551616.0);
    /* 2^60 + 2^36 + 1 is just above a float midpoint; through double it would land on the midpoint and
     * round to even (down): the conversion must be direct */
    i64 = (INT64_C(1) << 60) + (INT64_C(1) << 36) + 1;
    cym_strided_cast(&vf, &vi64);
    CHECK(f == (float)((INT64_C(1) << 60) + (INT64_C(1) << 37)));
    i32 = 16777217;
    cym_strided_cast(&vf, &vi32);
    CHECK(f == 16777216.0f);
}

CHECK_BODY(equal_compares_values_across_dtypes) {
    int64_t i64;
    uint64_t u64;
    double d;
    float f;
    int8_t i8;
    uint8_t u8;
    cym_view_t vi64 = scalar(&i64, CYM_DTYPE_I64), vu64 = scalar(&u64, CYM_DTYPE_U64), vd = scalar(&d, CYM_DTYPE_F64);
    cym_view_t vf = scalar(&f, CYM_DTYPE_F32), vi8 = scalar(&i8, CYM_DTYPE_I8), vu8 = scalar(&u8, CYM_DTYPE_U8);
    int eq = -1;
#define EQ(x, y, expected)                                                                                      \
    do {                                                                                                        \
        CHECK_EQ_INT(CYM_OK, cym_strided_equal(&x, &y, &eq));                                                   \
        CHECK_EQ_INT(expected, eq);                                                                             \
        CHECK_EQ_INT(CYM_OK, cym_strided_equal(&y, &x, &eq));                                                   \
        CHECK_EQ_INT(expected, eq);                                                                             \
    } while (0)
    i64 = -1, u64 = UINT64_MAX;
    EQ(vi64, vu64, 0);
    i8 = -1, u8 = 255;
    EQ(vi8, vu8, 0);
    i8 = 5, u8 = 5;
    EQ(vi8, vu8, 1);
    i64 = (INT64_C(1) << 53) + 1, d = 9007199254740992.0; /* (double)i64 == d, but the values differ */
    EQ(vi64, vd, 0);
    i64 = INT64_MAX, d = 9223372036854775808.0;
    EQ(vi64, vd, 0);
    i64 = INT64_MIN, d = -9223372036854775808.0;
    EQ(vi64, vd, 1);
    u64 = UINT64_MAX, d = 18446744073709551616.0;
    EQ(vu64, vd, 0);
    u64 = UINT64_C(1) << 63, d = 9223372036854775808.0;
    EQ(vu64, vd, 1);
    i64 = 3, d = 3.5;
    EQ(vi64, vd, 0);
    i64 = 0, d = -0.0;
    EQ(vi64, vd, 1);
    d = NAN, f = NAN;
    EQ(vd, vf, 0);
    EQ(vd, vd, 0); /* NaN != NaN even against itself */
    d = -0.0, f = 0.0f;
    EQ(vd, vf, 1);
    d = 0.1, f = 0.1f; /* different values */
    EQ(vd, vf, 0);
    d = 0.5, f = 0.5f;
    EQ(vd, vf, 1);
    u64 = 7, i8 = 7;
    EQ(vu64, vi8, 1);
#undef EQ
    /* same float dtype, contiguous: == not memcmp */
    double a[300], b[300];
    for (int i = 0; i < 300; i++) a[i] = b[i] = i;
    cym_view_t va = vec(a, CYM_DTYPE_F64, 300, 8), vb = vec(b, CYM_DTYPE_F64, 300, 8);
    a[7] = 0.0, b[7] = -0.0;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&va, &vb, &eq));
    CHECK_EQ_INT(1, eq);
    a[299] = NAN, b[299] = NAN;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&va, &vb, &eq));
    CHECK_EQ_INT(0, eq);
    a[299] = b[299] = 1.0, b[100] = 100.5;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&va, &vb, &eq));
    CHECK_EQ_INT(0, eq);
}

CHECK_BODY(indirect_rows_from_separate_allocations) {
    /* a 5 x 7 int32 matrix as an array of row pointers (suboffsets {0, -1}), rows from separate mallocs */
    int32_t* rows[5];
    for (int i = 0; i < 5; i++) {
        rows[i] = malloc(7 * sizeof(int32_t));
        for (int j = 0; j < 7; j++) rows[i][j] = i * 10 + j;
    }
    const int64_t subs[2] = {0, -1};
    cym_view_t m;
    memset(&m, 0, sizeof m);
    m.data = rows, m.dtype = CYM_DTYPE_I32, m.ndim = 2, m.shape[0] = 5, m.shape[1] = 7;
    m.strides[0] = sizeof(int32_t*), m.strides[1] = 4, m.suboffsets = subs;
    double out[7][5];
    cym_view_t o;
    memset(&o, 0, sizeof o);
    o.data = out, o.dtype = CYM_DTYPE_F64, o.ndim = 2, o.shape[0] = 5, o.shape[1] = 7;
    o.strides[0] = 8, o.strides[1] = 5 * 8; /* transposed */
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&o, &m));
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 7; j++) CHECK(out[j][i] == i * 10 + j);
    int eq = 0;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&m, &o, &eq));
    CHECK_EQ_INT(1, eq);
    const int32_t minus = -1;
    cym_view_t col = m; /* column 3 of every row */
    col.ndim = 1, col.data = rows, col.shape[0] = 5;
    const int64_t col_subs[1] = {3 * 4};
    col.suboffsets = col_subs;
    CHECK_EQ_INT(CYM_OK, cym_strided_fill(&col, &minus));
    for (int i = 0; i < 5; i++) CHECK(rows[i][3] == -1 && rows[i][2] == i * 10 + 2);
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&m, &m)); /* onto itself */
    CHECK(rows[4][6] == 46);
    for (int i = 0; i < 5; i++) free(rows[i]);
}

CHECK_BODY(up_to_max_ndim_dimensions) {
    /* 32 dims, five of them of size 2: reversed-order copy against the reference */
    rng_t r = {32};
    allocs_t mem = {0};
    int64_t shape[CYM_MAX_NDIM];
    for (int k = 0; k < CYM_MAX_NDIM; k++) shape[k] = k % 7 == 3 ? 2 : 1;
    tv_t d, s;
    own_view(&r, &mem, &d, CYM_DTYPE_I16, CYM_MAX_NDIM, shape, false);
    own_view(&r, &mem, &s, CYM_DTYPE_I16, CYM_MAX_NDIM, shape, true);
    unsigned char* exp = track(&mem, d.size);
    memcpy(exp, d.buf, d.size);
    ref_cast(&d, exp, &s.v);
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&d.v, &s.v));
    CHECK(memcmp(exp, d.buf, d.size) == 0);
    int eq = 0;
    CHECK_EQ_INT(CYM_OK, cym_strided_equal(&d.v, &s.v, &eq));
    CHECK_EQ_INT(1, eq);
    d.v.ndim = s.v.ndim = CYM_MAX_NDIM + 1;
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&d.v, &s.v));
    free_all(&mem);
}

// ------------------------------------------------------------------------------------------------------
// The Java bridge
// ------------------------------------------------------------------------------------------------------

/* Writes a descriptor of v into desc (room for CYM_J_DESC_MAX_LENGTH). */
static void encode(const cym_view_t* v, int64_t* desc) {
    int64_t* p = desc;
    *p++ = (int64_t)(uintptr_t)v->data;
    *p++ = v->dtype;
    *p++ = v->ndim;
    for (int k = 0; k < v->ndim; k++) *p++ = v->shape[k];
    for (int k = 0; k < v->ndim; k++) *p++ = v->strides[k];
    *p++ = v->suboffsets != NULL;
    if (v->suboffsets)
        for (int k = 0; k < v->ndim; k++) *p++ = v->suboffsets[k];
}

CHECK_BODY(bridge_decodes_descriptors) {
    int32_t data[6];
    const int64_t d1[] = {(int64_t)(uintptr_t)data, CYM_DTYPE_I32, 2, 2, 3, 12, 4, 0};
    cym_view_t v;
    CHECK_EQ_INT(CYM_OK, cym_j_view_decode(d1, &v));
    CHECK(v.data == data && v.dtype == CYM_DTYPE_I32 && v.ndim == 2 && v.suboffsets == NULL);
    CHECK(v.shape[0] == 2 && v.shape[1] == 3 && v.strides[0] == 12 && v.strides[1] == 4);
    const int64_t d2[] = {(int64_t)(uintptr_t)data, CYM_DTYPE_F64, 1, 5, -8, 1, 16};
    CHECK_EQ_INT(CYM_OK, cym_j_view_decode(d2, &v));
    CHECK(v.suboffsets == d2 + 6 && v.suboffsets[0] == 16 && v.strides[0] == -8);
    const int64_t d0[] = {(int64_t)(uintptr_t)data, CYM_DTYPE_U8, 0, 0};
    CHECK_EQ_INT(CYM_OK, cym_j_view_decode(d0, &v));
    CHECK(v.ndim == 0 && v.suboffsets == NULL);
    int64_t big[CYM_J_DESC_MAX_LENGTH] = {(int64_t)(uintptr_t)data, CYM_DTYPE_U8, CYM_MAX_NDIM};
    for (int k = 0; k < CYM_MAX_NDIM; k++) big[3 + k] = 1, big[3 + CYM_MAX_NDIM + k] = 1;
    big[3 + 2 * CYM_MAX_NDIM] = 1;
    for (int k = 0; k < CYM_MAX_NDIM; k++) big[4 + 2 * CYM_MAX_NDIM + k] = -1;
    CHECK_EQ_INT(CYM_OK, cym_j_view_decode(big, &v));
    CHECK(v.suboffsets == big + 4 + 2 * CYM_MAX_NDIM);

    int64_t bad[8];
    CHECK_EQ_INT(CYM_EINVAL, cym_j_view_decode(NULL, &v));
    CHECK_EQ_INT(CYM_EINVAL, cym_j_view_decode(d1, NULL));
    const int64_t edits[][2] = {{1, -1}, {1, CYM_DTYPE_COUNT}, {2, -1}, {2, CYM_MAX_NDIM + 1}, {7, 2}, {7, -1},
                                {3, -1}, {4, INT64_MIN}};
    for (size_t e = 0; e < sizeof edits / sizeof edits[0]; e++) {
        memcpy(bad, d1, sizeof d1);
        bad[edits[e][0]] = edits[e][1];
        CHECK_EQ_INT(CYM_EINVAL, cym_j_view_decode(bad, &v));
        CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_copy(bad, d1));
        CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_copy(d1, bad));
        CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_cast(bad, d1));
        CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_fill(bad, 0));
        CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_equal(d1, bad));
    }
}

CHECK_BODY(bridge_runs_the_kernels) {
    double a[12], b[12];
    for (int i = 0; i < 12; i++) a[i] = i + 0.25, b[i] = 0;
    cym_view_t va = vec(a, CYM_DTYPE_F64, 12, 8), vb = vec(b, CYM_DTYPE_F64, 12, 8);
    va.ndim = vb.ndim = 2, va.shape[0] = vb.shape[0] = 3, va.shape[1] = vb.shape[1] = 4;
    va.strides[0] = 32, va.strides[1] = 8, vb.strides[0] = 8, vb.strides[1] = 24;
    int64_t da[CYM_J_DESC_MAX_LENGTH], db[CYM_J_DESC_MAX_LENGTH];
    encode(&va, da);
    encode(&vb, db);
    CHECK_EQ_INT(0, cym_j_strided_equal(da, db));
    CHECK_EQ_INT(CYM_OK, cym_j_strided_copy(db, da)); /* b = a, b stored transposed */
    CHECK_EQ_INT(1, cym_j_strided_equal(da, db));
    CHECK(b[1] == a[4] && b[3] == a[1]);
    int32_t ints[12];
    cym_view_t vi = vec(ints, CYM_DTYPE_I32, 12, 4);
    vi.ndim = 2, vi.shape[0] = 3, vi.shape[1] = 4, vi.strides[0] = 16, vi.strides[1] = 4;
    int64_t di[CYM_J_DESC_MAX_LENGTH];
    encode(&vi, di);
    CHECK_EQ_INT(CYM_OK, cym_j_strided_cast(di, da));
    CHECK_EQ_INT(5, ints[5]);
    CHECK_EQ_INT(0, cym_j_strided_equal(di, da)); /* 5 != 5.25 */
    /* fill from value bits, per dtype */
    double one_and_half = 1.5;
    int64_t bits;
    memcpy(&bits, &one_and_half, 8);
    CHECK_EQ_INT(CYM_OK, cym_j_strided_fill(da, bits));
    CHECK(a[0] == 1.5 && a[11] == 1.5);
    float fl[4], ff = -2.5f;
    int32_t fbits;
    memcpy(&fbits, &ff, 4);
    cym_view_t vf = vec(fl, CYM_DTYPE_F32, 4, 4);
    int64_t df[CYM_J_DESC_MAX_LENGTH];
    encode(&vf, df);
    CHECK_EQ_INT(CYM_OK, cym_j_strided_fill(df, (int64_t)fbits)); /* sign-extended int bits */
    CHECK(fl[0] == -2.5f && fl[3] == -2.5f);
    int8_t i8[3];
    uint16_t u16[3];
    cym_view_t v8 = vec(i8, CYM_DTYPE_I8, 3, 1), v16 = vec(u16, CYM_DTYPE_U16, 3, 2);
    int64_t d8[CYM_J_DESC_MAX_LENGTH], d16[CYM_J_DESC_MAX_LENGTH];
    encode(&v8, d8);
    encode(&v16, d16);
    CHECK_EQ_INT(CYM_OK, cym_j_strided_fill(d8, -1));
    CHECK(i8[0] == -1 && i8[2] == -1);
    CHECK_EQ_INT(CYM_OK, cym_j_strided_fill(d16, 0xBEEF));
    CHECK(u16[0] == 0xBEEF && u16[2] == 0xBEEF);
    /* an indirect view through the bridge */
    int32_t* rows[3] = {ints, ints + 4, ints + 8};
    const int64_t subs[2] = {0, -1};
    cym_view_t vr = vi;
    vr.data = rows, vr.strides[0] = sizeof(int32_t*), vr.suboffsets = subs;
    int64_t dr[CYM_J_DESC_MAX_LENGTH];
    encode(&vr, dr);
    CHECK_EQ_INT(1, cym_j_strided_equal(dr, di));
    /* shape mismatch: not equal for equal, an error for copy */
    vb.shape[0] = 2;
    encode(&vb, db);
    CHECK_EQ_INT(0, cym_j_strided_equal(da, db));
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_copy(db, da));
}

int main(void) {
    dtype_sizes_follow_the_typecodes();
    bad_arguments_are_rejected_and_nothing_is_written();
    empty_views_succeed_without_touching_memory();
    zero_d_views_are_scalars();
    random_copies_match_the_reference();
    random_casts_of_every_pair_match_the_reference();
    random_fills_match_the_reference();
    random_compares_match_the_reference();
    transposes_match_the_reference_on_both_paths();
    batched_and_3d_transposes_match_the_reference();
    in_place_transpose_of_a_square_matrix();
    overlapping_copies_act_through_a_temporary();
    overlapping_casts_act_through_a_temporary();
    a_temporary_that_cannot_be_allocated_is_enomem_and_writes_nothing();
    stride_two_gathers_match_the_reference();
    large_and_patterned_fills();
    every_cast_pair_on_edge_values();
    cast_semantics_spelled_out();
    equal_compares_values_across_dtypes();
    indirect_rows_from_separate_allocations();
    up_to_max_ndim_dimensions();
    bridge_decodes_descriptors();
    bridge_runs_the_kernels();
    CHECK_DONE();
}
