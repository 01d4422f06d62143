/* strided.c: the strided N-d kernels of cymem4j/strided.h (copy, fill, equal, cast). A call validates its
 * views, drops, flips, reorders and merges dimensions, routes overlapping copies through a temporary, then
 * walks the outer dimensions and hands the innermost two to a kernel specialised by element size; 8-byte
 * transposes and stride-2 gathers get AVX2 kernels chosen at run time. Casts and compares of the array module's
 * ten native-order types are typed loops; every other numeric type (byte-swapped, bool, float16, complex) goes
 * element by element through load_num/store_num; raw elements are copied and compared as bytes of any size.
 * The entry points are at the end.
 *
 * Where one destination element is written more than once (zero or self-overlapping strides), which source
 * element it ends up holding is unspecified: dimensions are reordered and reversed freely.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CYM_X86 1
#include <immintrin.h>
#else
#define CYM_X86 0
#endif

/* Destinations larger than this are written with non-temporal stores where a kernel can: they would
 * evict the whole last-level cache for data nobody reads back soon. */
#define NT_THRESHOLD ((int64_t)4 << 20)

/* Edge of the square blocks a transpose walks, in elements: a block of source columns and destination
 * rows stays within the L1/L2 caches and the TLB. */
#define TILE 64

// ------------------------------------------------------------------------------------------------------
// CPU features
// ------------------------------------------------------------------------------------------------------

/* 0 not yet known, 1 no AVX2 (or forced off by the test hook), 2 AVX2. The only mutable global. Racing
 * first calls all compute the same value; it is atomic only so the race is not a C data race, and the
 * compare-exchange keeps a test's override from being overwritten by a late detection. */
static atomic_int simd_state = 0;

static bool have_avx2(void) {
    int state = atomic_load_explicit(&simd_state, memory_order_relaxed);
    if (state == 0) {
        int detected = 1;
#if CYM_X86
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2")) detected = 2;
#endif
        int expected = 0;
        if (!atomic_compare_exchange_strong_explicit(&simd_state, &expected, detected, memory_order_relaxed,
                                                     memory_order_relaxed))
            detected = expected;
        state = detected;
    }
    return state == 2;
}

void _cym_strided_set_simd(bool enabled) {
    atomic_store_explicit(&simd_state, enabled ? 0 : 1, memory_order_relaxed);
}

// ------------------------------------------------------------------------------------------------------
// Views and layouts
// ------------------------------------------------------------------------------------------------------

/* A validated, non-empty view with every dimension explicit (sub[k] < 0: direct). */
typedef struct vw_s {
    char* data;
    cym_dtype dtype;
    int64_t es;    /* element size */
    int ndim;
    bool indirect; /* some sub[k] >= 0 */
    int64_t lo, hi; /* byte offsets from data of the lowest and highest byte a direct view touches */
    int64_t shape[CYM_MAX_NDIM];
    int64_t st[CYM_MAX_NDIM];
    int64_t sub[CYM_MAX_NDIM];
} vw_t;

/* The direct innermost dimensions of a pair of views after dropping, flipping, sorting and merging:
 * the same for every position of the outer (indirect) dimensions. */
typedef struct layout_s {
    int nd;
    int64_t n[CYM_MAX_NDIM];
    int64_t a[CYM_MAX_NDIM], b[CYM_MAX_NDIM]; /* byte strides of the first (written) and second operand */
    int64_t off_a, off_b;                     /* added to the base pointers by the flips */
} layout_t;

/* The code without its byte-order flag. */
#define BASE(t) ((cym_dtype)((int)(t) & ~(int)CYM_DTYPE_SWAPPED))
#define SWAPPED(t) (((int)(t) & (int)CYM_DTYPE_SWAPPED) != 0)

size_t cym_dtype_size(cym_dtype dtype) {
    if (((int)dtype & ~(int)(CYM_DTYPE_SWAPPED | 0xFF)) != 0) return 0;
    switch (BASE(dtype)) {
    case CYM_DTYPE_I8: case CYM_DTYPE_U8: case CYM_DTYPE_BOOL: return 1;
    case CYM_DTYPE_I16: case CYM_DTYPE_U16: case CYM_DTYPE_F16: return 2;
    case CYM_DTYPE_I32: case CYM_DTYPE_U32: case CYM_DTYPE_F32: return 4;
    case CYM_DTYPE_I64: case CYM_DTYPE_U64: case CYM_DTYPE_F64: case CYM_DTYPE_C64: return 8;
    case CYM_DTYPE_C128: return 16;
    case CYM_DTYPE_RAW: case CYM_DTYPE_SWAPPED: break;
    }
    return 0;
}

static bool is_float(cym_dtype t) { return t == CYM_DTYPE_F32 || t == CYM_DTYPE_F64; }

/* The ten types of the array module in native order: the typed cast table covers every pair of them. */
static bool is_plain(cym_dtype t) { return (int)t >= 0 && (int)t <= CYM_DTYPE_F64; }

/* The dtype as the kernels compare it: the flag dropped where it changes nothing (one-byte types), so '>?'
 * and '?' are one type. A view's dtype is valid (check_view). */
static cym_dtype normal_dtype(cym_dtype t) { return cym_dtype_size(t) == 1 ? BASE(t) : t; }

/* Bytes per element of a valid view. */
static int64_t elem_size(const cym_view_t* v) {
    return BASE(v->dtype) == CYM_DTYPE_RAW ? v->itemsize : (int64_t)cym_dtype_size(v->dtype);
}

static bool check_view(const cym_view_t* v) {
    if (v == NULL || v->ndim < 0 || v->ndim > CYM_MAX_NDIM) return false;
    if (v->dtype == CYM_DTYPE_RAW) {
        if (v->itemsize < 1 || v->itemsize > INT32_MAX) return false;
    } else {
        const size_t size = cym_dtype_size(v->dtype);
        if (size == 0 || (v->itemsize != 0 && v->itemsize != (int64_t)size)) return false;
    }
    for (int k = 0; k < v->ndim; k++)
        if (v->shape[k] < 0) return false;
    return true;
}

static bool same_shape(const cym_view_t* x, const cym_view_t* y) {
    if (x->ndim != y->ndim) return false;
    for (int k = 0; k < x->ndim; k++)
        if (x->shape[k] != y->shape[k]) return false;
    return true;
}

static bool is_empty(const cym_view_t* v) {
    for (int k = 0; k < v->ndim; k++)
        if (v->shape[k] == 0) return true;
    return false;
}

/* lo/hi of w from its shape and strides; false if an offset does not fit in ptrdiff_t (no real memory
 * can be described by such a view). */
static bool set_extent(vw_t* w) {
    int64_t lo = 0, hi = 0;
    for (int k = 0; k < w->ndim; k++) {
        const int64_t st = w->st[k];
        int64_t span;
        if (w->shape[k] <= 1 || st == 0) continue;
        if (st == INT64_MIN || __builtin_mul_overflow(w->shape[k] - 1, st < 0 ? -st : st, &span)) return false;
        if (st < 0 ? __builtin_sub_overflow(lo, span, &lo) : __builtin_add_overflow(hi, span, &hi)) return false;
    }
    if (__builtin_add_overflow(hi, w->es - 1, &hi) || hi > PTRDIFF_MAX || lo < -PTRDIFF_MAX) return false;
    w->lo = lo;
    w->hi = hi;
    return true;
}

/* Copies a checked, non-empty public view into *w. CYM_EINVAL for a NULL data pointer or strides whose
 * offsets overflow. */
static int load_view(vw_t* w, const cym_view_t* v) {
    if (v->data == NULL) return CYM_EINVAL;
    w->data = v->data;
    w->dtype = normal_dtype(v->dtype);
    w->es = elem_size(v);
    w->ndim = v->ndim;
    w->indirect = false;
    for (int k = 0; k < v->ndim; k++) {
        w->shape[k] = v->shape[k];
        w->st[k] = v->strides[k];
        w->sub[k] = v->suboffsets ? v->suboffsets[k] : -1;
        if (w->sub[k] >= 0) w->indirect = true;
    }
    return set_extent(w) ? CYM_OK : CYM_EINVAL;
}

/* Drops, from both views at once, the dimensions that change nothing: size 1, or stride 0 in both (the
 * same pair of elements again), unless a suboffset makes them dereference a pointer. */
static void reduce_pair(vw_t* x, vw_t* y) {
    int nd = 0;
    x->indirect = y->indirect = false;
    for (int k = 0; k < x->ndim; k++) {
        bool deref = x->sub[k] >= 0 || y->sub[k] >= 0;
        if (!deref && (x->shape[k] == 1 || (x->st[k] == 0 && y->st[k] == 0))) continue;
        x->shape[nd] = x->shape[k], x->st[nd] = x->st[k], x->sub[nd] = x->sub[k];
        y->shape[nd] = y->shape[k], y->st[nd] = y->st[k], y->sub[nd] = y->sub[k];
        x->indirect |= x->sub[nd] >= 0;
        y->indirect |= y->sub[nd] >= 0;
        nd++;
    }
    x->ndim = y->ndim = nd;
}

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; } /* strides are never INT64_MIN (set_extent) */

/* Builds the layout of dims [from, ndim) of x and y. Every dimension is flipped so that x walks forward
 * (NT stores and memcpy like that); they are sorted by decreasing |stride| of x, so the written operand
 * is walked in memory order, and neighbours that are contiguous with each other in both are merged. With
 * transpose_es > 0 (a copy of elements of that size), a dimension in which y is contiguous is moved next
 * to the innermost one, so the kernel sees the transpose. */
static void make_layout(layout_t* L, const vw_t* x, const vw_t* y, int from, int64_t transpose_es) {
    int nd = 0;
    L->off_a = L->off_b = 0;
    for (int k = from; k < x->ndim; k++) {
        int64_t n = x->shape[k], a = x->st[k], b = y->st[k];
        if (n == 1 || (a == 0 && b == 0)) continue;
        if (a < 0 || (a == 0 && b < 0)) {
            L->off_a += (n - 1) * a; /* in range: set_extent checked every (n - 1) * stride */
            L->off_b += (n - 1) * b;
            a = -a, b = -b;
        }
        /* Insertion into the sorted part: stable, and ndim is small. */
        int i = nd++;
        while (i > 0 && (L->a[i - 1] < a || (L->a[i - 1] == a && abs64(L->b[i - 1]) < abs64(b)))) {
            L->n[i] = L->n[i - 1], L->a[i] = L->a[i - 1], L->b[i] = L->b[i - 1];
            i--;
        }
        L->n[i] = n, L->a[i] = a, L->b[i] = b;
    }
    int merged = 0;
    for (int k = 0; k < nd; k++) {
        int64_t n = L->n[k], a = L->a[k], b = L->b[k], an, bn, nn;
        if (merged > 0) {
            int t = merged - 1;
            if (!__builtin_mul_overflow(a, n, &an) && !__builtin_mul_overflow(b, n, &bn) &&
                !__builtin_mul_overflow(L->n[t], n, &nn) && L->a[t] == an && L->b[t] == bn) {
                L->n[t] = nn, L->a[t] = a, L->b[t] = b;
                continue;
            }
        }
        L->n[merged] = n, L->a[merged] = a, L->b[merged] = b;
        merged++;
    }
    L->nd = merged;
    if (transpose_es > 0 && merged >= 3 && L->a[merged - 1] == transpose_es && L->b[merged - 1] != transpose_es &&
        L->b[merged - 2] != transpose_es) {
        for (int k = merged - 3; k >= 0; k--) {
            if (L->b[k] != transpose_es) continue;
            int64_t n = L->n[k], a = L->a[k], b = L->b[k];
            for (int j = k; j < merged - 2; j++) L->n[j] = L->n[j + 1], L->a[j] = L->a[j + 1], L->b[j] = L->b[j + 1];
            L->n[merged - 2] = n, L->a[merged - 2] = a, L->b[merged - 2] = b;
            break;
        }
    }
}

/* Element count of w, saturating (only compared against thresholds). */
static int64_t count_of(const vw_t* w) {
    int64_t c = 1;
    for (int k = 0; k < w->ndim; k++)
        if (__builtin_mul_overflow(c, w->shape[k], &c)) return INT64_MAX;
    return c;
}

/* True if the bytes of x and y may intersect. Pointer values are compared as integers: the views may
 * belong to different objects. Indirect views are not chased, so assumed to overlap. */
static bool may_overlap(const vw_t* x, const vw_t* y) {
    if (x->indirect || y->indirect) return true;
    uintptr_t xl = (uintptr_t)x->data - (uintptr_t)(-x->lo), xh = (uintptr_t)x->data + (uintptr_t)x->hi;
    uintptr_t yl = (uintptr_t)y->data - (uintptr_t)(-y->lo), yh = (uintptr_t)y->data + (uintptr_t)y->hi;
    return xl <= yh && yl <= xh;
}

/* True if x and y (same shape) address exactly the same elements in the same order. */
static bool same_elements(const vw_t* x, const vw_t* y) {
    if (x->data != y->data || x->es != y->es) return false;
    for (int k = 0; k < x->ndim; k++)
        if (x->st[k] != y->st[k] || (x->sub[k] >= 0 ? x->sub[k] != y->sub[k] : y->sub[k] >= 0)) return false;
    return true;
}

// ------------------------------------------------------------------------------------------------------
// Walking the views
// ------------------------------------------------------------------------------------------------------

typedef struct op_s op_t;

/* Processes a 2-d block: n0 x n1 elements, first operand at pa with byte strides (a0, a1), second at pb
 * with (b0, b1). pb is only read (it is char* so one signature serves every operation). Returns non-zero
 * to stop the walk (equal found a difference). */
typedef int (*kernel_fn)(const op_t* op, char* pa, char* pb, int64_t n0, int64_t n1, int64_t a0, int64_t a1,
                         int64_t b0, int64_t b1);

/* One dtype pair's conversion over n elements: d[i * ds] = (dst type)s[i * ss]. */
typedef void (*cast_fn)(char* d, int64_t ds, const char* s, int64_t ss, int64_t n);

struct op_s {
    kernel_fn kernel;
    int64_t es;              /* element size of the first operand */
    cym_dtype ta, tb;        /* dtypes of the operands (equal compares across them) */
    cast_fn cast;            /* cast: the typed conversion of this dtype pair, NULL: element by element */
    bool simd;               /* copy: AVX2 kernels allowed */
    bool nt;                 /* the destination is large: non-temporal stores where possible */
    bool transposes;         /* look for transposes when building the layout (copy) */
    int memset_byte;         /* fill: the byte every byte of the value equals, or -1 */
    unsigned char value[16]; /* fill: the element */
};

static char* load_ptr(const char* p) {
    char* q;
    memcpy(&q, p, sizeof q); /* the pointer slot need not be aligned */
    return q;
}

/* The direct part: an odometer over all but the innermost two dimensions. Pointers move back by
 * (n - 1) * stride when a dimension wraps rather than past its end, so no out-of-range pointer is formed. */
static int walk_inner(const op_t* op, const layout_t* L, char* pa, char* pb) {
    pa += L->off_a;
    pb += L->off_b;
    const int nd = L->nd;
    if (nd == 0) return op->kernel(op, pa, pb, 1, 1, 0, 0, 0, 0);
    if (nd == 1) return op->kernel(op, pa, pb, 1, L->n[0], 0, L->a[0], 0, L->b[0]);
    const int64_t n0 = L->n[nd - 2], n1 = L->n[nd - 1];
    const int64_t a0 = L->a[nd - 2], a1 = L->a[nd - 1], b0 = L->b[nd - 2], b1 = L->b[nd - 1];
    int64_t idx[CYM_MAX_NDIM] = {0};
    for (;;) {
        if (op->kernel(op, pa, pb, n0, n1, a0, a1, b0, b1)) return 1;
        int k = nd - 3;
        for (; k >= 0; k--) {
            if (++idx[k] < L->n[k]) {
                pa += L->a[k];
                pb += L->b[k];
                break;
            }
            idx[k] = 0;
            pa -= (L->n[k] - 1) * L->a[k];
            pb -= (L->n[k] - 1) * L->b[k];
        }
        if (k < 0) return 0;
    }
}

/* The outer dimensions [k, split), which contain every indirect one: recursion, one pointer chase per
 * indirect dimension and position. */
static int walk_outer(const op_t* op, const layout_t* L, const vw_t* x, const vw_t* y, int k, int split, char* pa,
                      char* pb) {
    if (k == split) return walk_inner(op, L, pa, pb);
    for (int64_t i = 0; i < x->shape[k]; i++) {
        char* qa = pa + i * x->st[k];
        char* qb = pb + i * y->st[k];
        if (x->sub[k] >= 0) qa = load_ptr(qa) + x->sub[k];
        if (y->sub[k] >= 0) qb = load_ptr(qb) + y->sub[k];
        if (walk_outer(op, L, x, y, k + 1, split, qa, qb)) return 1;
    }
    return 0;
}

/* Applies op to every element pair of x (written) and y (read), same shape. Returns 1 if a kernel
 * stopped the walk. */
static int run(const op_t* op, const vw_t* x, const vw_t* y) {
    int split = 0;
    for (int k = 0; k < x->ndim; k++)
        if (x->sub[k] >= 0 || y->sub[k] >= 0) split = k + 1;
    layout_t L;
    make_layout(&L, x, y, split, op->transposes ? op->es : 0);
    return walk_outer(op, &L, x, y, 0, split, x->data, y->data);
}

// ------------------------------------------------------------------------------------------------------
// Copy kernels
// ------------------------------------------------------------------------------------------------------

/* Strided 1-d loops, one per element size: memcpy into a typed local is an (unaligned-safe) single move. */
#define DEF_COPY_LOOP(N, T)                                                                                     \
    static void copy_loop_##N(char* d, const char* s, int64_t n, int64_t ds, int64_t ss) {                      \
        for (int64_t i = 0; i < n; i++) {                                                                       \
            T v;                                                                                                \
            memcpy(&v, s + i * ss, sizeof v);                                                                   \
            memcpy(d + i * ds, &v, sizeof v);                                                                   \
        }                                                                                                       \
    }
DEF_COPY_LOOP(1, uint8_t)
DEF_COPY_LOOP(2, uint16_t)
DEF_COPY_LOOP(4, uint32_t)
DEF_COPY_LOOP(8, uint64_t)

/* d(i, j) = s(i, j) with d(i, j) at d + i * d0 + j * N (rows contiguous) and s(i, j) at s + i * N + j * s1
 * (columns contiguous), in TILE x TILE blocks so both sides stay in cache while a block is done. */
#define DEF_TRANSPOSE_LOOP(N, T)                                                                                \
    static void transpose_loop_##N(char* d, const char* s, int64_t n0, int64_t n1, int64_t d0, int64_t s1) {    \
        for (int64_t ib = 0; ib < n0; ib += TILE) {                                                             \
            const int64_t ie = ib + TILE < n0 ? ib + TILE : n0;                                                 \
            for (int64_t jb = 0; jb < n1; jb += TILE) {                                                         \
                const int64_t je = jb + TILE < n1 ? jb + TILE : n1;                                             \
                for (int64_t i = ib; i < ie; i++) {                                                             \
                    char* dr = d + i * d0;                                                                      \
                    const char* sc = s + i * N;                                                                 \
                    for (int64_t j = jb; j < je; j++) {                                                         \
                        T v;                                                                                    \
                        memcpy(&v, sc + j * s1, sizeof v);                                                      \
                        memcpy(dr + j * N, &v, sizeof v);                                                       \
                    }                                                                                           \
                }                                                                                               \
            }                                                                                                   \
        }                                                                                                       \
    }
DEF_TRANSPOSE_LOOP(1, uint8_t)
DEF_TRANSPOSE_LOOP(2, uint16_t)
DEF_TRANSPOSE_LOOP(4, uint32_t)
DEF_TRANSPOSE_LOOP(8, uint64_t)

#if CYM_X86
/* Offset in elements of size es from p to the next multiple of align (p must be a multiple of es). */
static int64_t to_alignment(const char* p, uintptr_t align, int64_t es) {
    return (int64_t)((align - (uintptr_t)p % align) % align) / es;
}

/* Four 4x4 tiles of 8-byte elements: destination rows i..i+7 from source columns j..j+7, each source
 * column read as one 64-byte run and each destination row written as one, so no cache line is visited
 * twice and the write-combining buffers of NT stores are filled whole. */
__attribute__((target("avx2"))) static inline void tile8x8_avx2(char* d, const char* s, int64_t d0, int64_t s1,
                                                                bool nt) {
    for (int h = 0; h < 2; h++) {     /* destination rows i + 4h .. i + 4h + 3 */
        for (int q = 0; q < 2; q++) { /* destination columns j + 4q .. j + 4q + 3 */
            const double* sp = (const double*)(const void*)(s + h * 32 + q * 4 * s1);
            __m256d r0 = _mm256_loadu_pd(sp);
            __m256d r1 = _mm256_loadu_pd((const double*)(const void*)((const char*)sp + s1));
            __m256d r2 = _mm256_loadu_pd((const double*)(const void*)((const char*)sp + 2 * s1));
            __m256d r3 = _mm256_loadu_pd((const double*)(const void*)((const char*)sp + 3 * s1));
            __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
            __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
            __m256d o[4] = {_mm256_permute2f128_pd(t0, t2, 0x20), _mm256_permute2f128_pd(t1, t3, 0x20),
                            _mm256_permute2f128_pd(t0, t2, 0x31), _mm256_permute2f128_pd(t1, t3, 0x31)};
            for (int m = 0; m < 4; m++) {
                double* dp = (double*)(void*)(d + (h * 4 + m) * d0 + q * 32);
                if (nt)
                    _mm256_stream_pd(dp, o[m]);
                else
                    _mm256_storeu_pd(dp, o[m]);
            }
        }
    }
}

/* transpose_loop_8 with 8x8 AVX2 tiles. With nt, rows must be 32-byte aligned for the streaming stores:
 * the columns before the first aligned one, and the ragged right and bottom edges, are done by the scalar
 * loop. */
__attribute__((target("avx2"))) static void transpose_8_avx2(char* d, const char* s, int64_t n0, int64_t n1,
                                                             int64_t d0, int64_t s1, bool nt) {
    int64_t j0 = 0;
    if (nt && ((uintptr_t)d % 8 != 0 || d0 % 32 != 0)) nt = false;
    if (nt) j0 = to_alignment(d, d0 % 64 == 0 ? 64 : 32, 8);
    if (j0 > n1) j0 = n1;
    const int64_t i1 = n0 - n0 % 8, j1 = n1 - (n1 - j0) % 8;
    for (int64_t ib = 0; ib < i1; ib += TILE) {
        const int64_t ie = ib + TILE < i1 ? ib + TILE : i1;
        for (int64_t jb = j0; jb < j1; jb += TILE) {
            const int64_t je = jb + TILE < j1 ? jb + TILE : j1;
            for (int64_t j = jb; j < je; j += 8)
                for (int64_t i = ib; i < ie; i += 8) tile8x8_avx2(d + i * d0 + j * 8, s + i * 8 + j * s1, d0, s1, nt);
        }
    }
    /* Guarded so no pointer past an edge is formed. */
    if (j0 > 0) transpose_loop_8(d, s, n0, j0, d0, s1);
    if (j1 < n1) transpose_loop_8(d + j1 * 8, s + j1 * s1, n0, n1 - j1, d0, s1);
    if (i1 < n0) transpose_loop_8(d + i1 * d0 + j0 * 8, s + i1 * 8 + j0 * s1, n0 - i1, j1 - j0, d0, s1);
    if (nt) _mm_sfence(); /* streaming stores are weakly ordered: publish them before returning */
}

/* d[i] = s[2 * i] for 8-byte elements (every other double): two loads, an unpack and a lane permute per
 * four elements. Four elements read 64 bytes, up to the element after the last one used, so the vector
 * loop stops while one more element exists. */
__attribute__((target("avx2"))) static void gather2_8_avx2(char* d, const char* s, int64_t n, bool nt) {
    int64_t i = 0;
    if (nt && (uintptr_t)d % 8 != 0) nt = false;
    if (nt) {
        i = to_alignment(d, 32, 8);
        if (i > n) i = n;
        copy_loop_8(d, s, i, 8, 16);
    }
    for (; i + 4 < n; i += 4) {
        __m256d v0 = _mm256_loadu_pd((const double*)(const void*)(s + i * 16));
        __m256d v1 = _mm256_loadu_pd((const double*)(const void*)(s + i * 16 + 32));
        __m256d r = _mm256_permute4x64_pd(_mm256_unpacklo_pd(v0, v1), 0xD8);
        double* dp = (double*)(void*)(d + i * 8);
        if (nt)
            _mm256_stream_pd(dp, r);
        else
            _mm256_storeu_pd(dp, r);
    }
    copy_loop_8(d + i * 8, s + i * 16, n - i, 8, 16);
    if (nt) _mm_sfence();
}
#endif

static void copy_1d(const op_t* op, char* d, const char* s, int64_t n, int64_t ds, int64_t ss) {
    const int64_t es = op->es;
    if (ds == es && ss == es) {
        memcpy(d, s, (size_t)(n * es));
        return;
    }
#if CYM_X86
    if (es == 8 && ds == 8 && ss == 16 && op->simd && n >= 16) {
        gather2_8_avx2(d, s, n, op->nt);
        return;
    }
#endif
    switch (es) {
    case 1: copy_loop_1(d, s, n, ds, ss); break;
    case 2: copy_loop_2(d, s, n, ds, ss); break;
    case 4: copy_loop_4(d, s, n, ds, ss); break;
    case 8: copy_loop_8(d, s, n, ds, ss); break;
    default: /* complex128, raw elements of any size */
        for (int64_t i = 0; i < n; i++) memcpy(d + i * ds, s + i * ss, (size_t)es);
        break;
    }
}

/* The element sizes the transpose and fill loops are specialised for. */
static bool is_word_size(int64_t es) { return es == 1 || es == 2 || es == 4 || es == 8; }

static int copy_kernel(const op_t* op, char* d, char* s, int64_t n0, int64_t n1, int64_t a0, int64_t a1, int64_t b0,
                       int64_t b1) {
    const int64_t es = op->es;
    /* The layout puts dst's smallest stride innermost, so a transpose always arrives with dst contiguous
     * along dim 1 and src along dim 0. */
    if (n0 > 1 && n1 > 1 && a1 == es && b0 == es && b1 != es && is_word_size(es)) {
#if CYM_X86
        if (es == 8 && op->simd) {
            transpose_8_avx2(d, s, n0, n1, a0, b1, op->nt);
            return 0;
        }
#endif
        switch (es) {
        case 1: transpose_loop_1(d, s, n0, n1, a0, b1); break;
        case 2: transpose_loop_2(d, s, n0, n1, a0, b1); break;
        case 4: transpose_loop_4(d, s, n0, n1, a0, b1); break;
        default: transpose_loop_8(d, s, n0, n1, a0, b1); break;
        }
        return 0;
    }
    for (int64_t i = 0; i < n0; i++) copy_1d(op, d + i * a0, s + i * b0, n1, a1, b1);
    return 0;
}

// ------------------------------------------------------------------------------------------------------
// Fill kernels
// ------------------------------------------------------------------------------------------------------

/* n elements at stride ds (ds == N is the contiguous loop the compiler vectorises). */
#define DEF_FILL_LOOP(N, T)                                                                                     \
    static void fill_loop_##N(char* d, int64_t n, int64_t ds, const unsigned char* value) {                    \
        T v;                                                                                                    \
        memcpy(&v, value, sizeof v);                                                                            \
        if (ds == N)                                                                                            \
            for (int64_t i = 0; i < n; i++) memcpy(d + i * N, &v, sizeof v);                                    \
        else                                                                                                    \
            for (int64_t i = 0; i < n; i++) memcpy(d + i * ds, &v, sizeof v);                                   \
    }
DEF_FILL_LOOP(1, uint8_t)
DEF_FILL_LOOP(2, uint16_t)
DEF_FILL_LOOP(4, uint32_t)
DEF_FILL_LOOP(8, uint64_t)

#if CYM_X86
/* A large contiguous run with a multi-byte pattern: 16-byte streaming stores (SSE2, always present on
 * x86-64). The byte at offset k from d is value[k % es]; 16 is a multiple of es, so one vector holds the
 * pattern from the first aligned address on. */
static void fill_stream(unsigned char* d, int64_t bytes, const unsigned char* value, int64_t es) {
    int64_t head = (int64_t)((16 - (uintptr_t)d % 16) % 16);
    if (head > bytes) head = bytes;
    for (int64_t k = 0; k < head; k++) d[k] = value[k % es];
    unsigned char pattern[16];
    for (int64_t k = 0; k < 16; k++) pattern[k] = value[(head + k) % es];
    const __m128i v = _mm_loadu_si128((const __m128i*)(const void*)pattern);
    const int64_t end = head + (bytes - head) / 16 * 16;
    for (int64_t k = head; k < end; k += 16) _mm_stream_si128((__m128i*)(void*)(d + k), v);
    for (int64_t k = end; k < bytes; k++) d[k] = value[k % es];
    _mm_sfence();
}
#endif

static void fill_1d(const op_t* op, char* d, int64_t n, int64_t ds) {
    const int64_t es = op->es;
    if (ds == es && op->memset_byte >= 0) {
        memset(d, op->memset_byte, (size_t)(n * es));
        return;
    }
#if CYM_X86
    if (ds == es && op->nt && n * es >= 4096) {
        fill_stream((unsigned char*)d, n * es, op->value, es);
        return;
    }
#endif
    switch (es) {
    case 1: fill_loop_1(d, n, ds, op->value); break;
    case 2: fill_loop_2(d, n, ds, op->value); break;
    case 4: fill_loop_4(d, n, ds, op->value); break;
    case 8: fill_loop_8(d, n, ds, op->value); break;
    default: /* complex128 */
        for (int64_t i = 0; i < n; i++) memcpy(d + i * ds, op->value, (size_t)es);
        break;
    }
}

static int fill_kernel(const op_t* op, char* d, char* unused, int64_t n0, int64_t n1, int64_t a0, int64_t a1,
                       int64_t b0, int64_t b1) {
    (void)unused, (void)b0, (void)b1;
    for (int64_t i = 0; i < n0; i++) fill_1d(op, d + i * a0, n1, a1);
    return 0;
}

// ------------------------------------------------------------------------------------------------------
// Equal kernels
// ------------------------------------------------------------------------------------------------------

/* Same integer type: equal values are equal bits. */
#define DEF_EQUAL_BITS(N, T)                                                                                    \
    static bool equal_bits_##N(const char* a, const char* b, int64_t n, int64_t as, int64_t bs) {               \
        for (int64_t i = 0; i < n; i++) {                                                                       \
            T x, y;                                                                                             \
            memcpy(&x, a + i * as, sizeof x);                                                                   \
            memcpy(&y, b + i * bs, sizeof y);                                                                   \
            if (x != y) return false;                                                                           \
        }                                                                                                       \
        return true;                                                                                            \
    }
DEF_EQUAL_BITS(1, uint8_t)
DEF_EQUAL_BITS(2, uint16_t)
DEF_EQUAL_BITS(4, uint32_t)
DEF_EQUAL_BITS(8, uint64_t)

/* Same float type: ==, so not memcmp (NaN != NaN, -0.0 == 0.0). The contiguous case accumulates chunks
 * without an early exit, which the compiler vectorises. */
#define DEF_EQUAL_FLOAT(N, T)                                                                                   \
    static bool equal_float_##N(const char* a, const char* b, int64_t n, int64_t as, int64_t bs) {              \
        int64_t i = 0;                                                                                          \
        if (as == N && bs == N) {                                                                               \
            for (; i + 256 <= n; i += 256) {                                                                    \
                int same = 1;                                                                                   \
                for (int64_t k = i; k < i + 256; k++) {                                                         \
                    T x, y;                                                                                     \
                    memcpy(&x, a + k * N, sizeof x);                                                            \
                    memcpy(&y, b + k * N, sizeof y);                                                            \
                    same &= x == y;                                                                             \
                }                                                                                               \
                if (!same) return false;                                                                        \
            }                                                                                                   \
        }                                                                                                       \
        for (; i < n; i++) {                                                                                    \
            T x, y;                                                                                             \
            memcpy(&x, a + i * as, sizeof x);                                                                   \
            memcpy(&y, b + i * bs, sizeof y);                                                                   \
            if (!(x == y)) return false;                                                                        \
        }                                                                                                       \
        return true;                                                                                            \
    }
DEF_EQUAL_FLOAT(4, float)
DEF_EQUAL_FLOAT(8, double)

// ------------------------------------------------------------------------------------------------------
// Elements of any numeric dtype: byte order, float16, bool and complex, one element at a time
// ------------------------------------------------------------------------------------------------------

/* An element of any numeric dtype, widened without loss: an integer (bool is 0 or 1), or a real or complex
 * number as doubles (im == 0 for every non-complex kind). */
typedef struct num_s {
    enum { NUM_SIGNED, NUM_UNSIGNED, NUM_FLOAT, NUM_COMPLEX } kind;
    int64_t i;
    uint64_t u;
    double f, im;
} num_t;

static void reverse_bytes(unsigned char* b, size_t n) {
    for (size_t k = 0; k < n / 2; k++) {
        const unsigned char t = b[k];
        b[k] = b[n - 1 - k];
        b[n - 1 - k] = t;
    }
}

/* Converts between an element as stored and its native-order bytes (both ways: the swap is its own inverse).
 * A complex element swaps its two parts separately. */
static void to_native_order(unsigned char* b, cym_dtype t) {
    if (!SWAPPED(t)) return;
    const size_t n = cym_dtype_size(t);
    const cym_dtype base = BASE(t);
    if (base == CYM_DTYPE_C64 || base == CYM_DTYPE_C128) {
        reverse_bytes(b, n / 2);
        reverse_bytes(b + n / 2, n / 2);
    } else {
        reverse_bytes(b, n);
    }
}

/* IEEE 754 binary16 to double: exact for every value; a NaN keeps its payload in the top significand bits
 * (as NumPy's npy_halfbits_to_doublebits). */
static double half_to_double(uint16_t h) {
    const uint64_t sign = (uint64_t)(h & 0x8000u) << 48;
    const unsigned exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu;
    uint64_t bits;
    if (exp == 0x1F) {
        bits = sign | UINT64_C(0x7FF0000000000000) | ((uint64_t)man << 42);
    } else if (exp == 0) {
        const double v = (double)man * 0x1p-24; /* subnormal (or zero): exact */
        return sign ? -v : v;
    } else {
        bits = sign | ((uint64_t)(exp - 15 + 1023) << 52) | ((uint64_t)man << 42);
    }
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Double to binary16, rounded to nearest even in one step (so no double rounding through float); overflow
 * gives infinity, values below half the smallest subnormal give a signed zero; a NaN keeps its top payload
 * bits and stays a NaN (as NumPy's npy_doublebits_to_halfbits). */
static uint16_t half_from_double(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    const uint16_t sign = (uint16_t)((b >> 48) & 0x8000u);
    const int exp = (int)((b >> 52) & 0x7FF);
    const uint64_t man = b & UINT64_C(0xFFFFFFFFFFFFF);
    if (exp == 0x7FF) {
        if (man == 0) return (uint16_t)(sign | 0x7C00u);
        uint16_t nan = (uint16_t)(0x7C00u + (man >> 42));
        return (uint16_t)(sign | (nan == 0x7C00u ? 0x7C01u : nan));
    }
    const int e = exp == 0 ? -1022 : exp - 1023;  /* v = m * 2^(e - 52) */
    if (e > 15) return (uint16_t)(sign | 0x7C00u);
    const uint64_t m = exp == 0 ? man : man | (UINT64_C(1) << 52);
    const int q = e >= -14 ? e - 10 : -24;        /* the quantum of binary16 at this exponent */
    const int shift = q - (e - 52);               /* >= 42 */
    if (shift >= 64) return sign;                 /* below 2^(q - 11): less than half a quantum */
    uint64_t r = m >> shift;
    const uint64_t rem = m & ((UINT64_C(1) << shift) - 1), half = UINT64_C(1) << (shift - 1);
    if (rem > half || (rem == half && (r & 1))) r++;
    /* A rounding carry into the next binade (r == 2048, or 1024 from a subnormal) moves the exponent up by
     * adding into it; from e == 15 that is 0x7C00, infinity. */
    const uint64_t magnitude = e >= -14 ? ((uint64_t)(e + 15) << 10) + (r - 1024) : r;
    return (uint16_t)(sign | magnitude);
}

static num_t load_num(const char* p, cym_dtype t) {
    unsigned char b[16];
    memcpy(b, p, cym_dtype_size(t));
    to_native_order(b, t);
    num_t r = {NUM_SIGNED, 0, 0, 0.0, 0.0};
    switch (BASE(t)) {
    case CYM_DTYPE_I8: { int8_t v; memcpy(&v, b, sizeof v); r.i = v; break; }
    case CYM_DTYPE_I16: { int16_t v; memcpy(&v, b, sizeof v); r.i = v; break; }
    case CYM_DTYPE_I32: { int32_t v; memcpy(&v, b, sizeof v); r.i = v; break; }
    case CYM_DTYPE_I64: { int64_t v; memcpy(&v, b, sizeof v); r.i = v; break; }
    case CYM_DTYPE_U8: { uint8_t v; memcpy(&v, b, sizeof v); r.kind = NUM_UNSIGNED, r.u = v; break; }
    case CYM_DTYPE_U16: { uint16_t v; memcpy(&v, b, sizeof v); r.kind = NUM_UNSIGNED, r.u = v; break; }
    case CYM_DTYPE_U32: { uint32_t v; memcpy(&v, b, sizeof v); r.kind = NUM_UNSIGNED, r.u = v; break; }
    case CYM_DTYPE_U64: { uint64_t v; memcpy(&v, b, sizeof v); r.kind = NUM_UNSIGNED, r.u = v; break; }
    case CYM_DTYPE_BOOL: r.kind = NUM_UNSIGNED, r.u = b[0] != 0; break;
    case CYM_DTYPE_F16: { uint16_t v; memcpy(&v, b, sizeof v); r.kind = NUM_FLOAT, r.f = half_to_double(v); break; }
    case CYM_DTYPE_F32: { float v; memcpy(&v, b, sizeof v); r.kind = NUM_FLOAT, r.f = v; break; }
    case CYM_DTYPE_F64: { double v; memcpy(&v, b, sizeof v); r.kind = NUM_FLOAT, r.f = v; break; }
    case CYM_DTYPE_C64: { float v[2]; memcpy(v, b, sizeof v); r.kind = NUM_COMPLEX, r.f = v[0], r.im = v[1]; break; }
    case CYM_DTYPE_C128: { double v[2]; memcpy(v, b, sizeof v); r.kind = NUM_COMPLEX, r.f = v[0], r.im = v[1]; break; }
    default: break; /* RAW never reaches here */
    }
    return r;
}

static bool num_is_int(num_t x) { return x.kind == NUM_SIGNED || x.kind == NUM_UNSIGNED; }

/* An integer equals a double only if the double is integral and the same number: converting the integer
 * to double would round above 2^53 (int64 2^53 + 1 is not 2^53), and converting the double to the integer
 * type is only defined within its range. */
static bool int_equals_double(num_t x, double f) {
    if (x.kind == NUM_SIGNED) {
        if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return false; /* also NaN */
        int64_t t = (int64_t)f;
        return t == x.i && (double)t == f;
    }
    if (!(f >= 0.0 && f < 18446744073709551616.0)) return false;
    uint64_t t = (uint64_t)f;
    return t == x.u && (double)t == f;
}

static bool num_equal(num_t x, num_t y) {
    if (!num_is_int(x) && !num_is_int(y)) return x.f == y.f && x.im == y.im;
    if (!num_is_int(y)) return y.im == 0.0 && int_equals_double(x, y.f);
    if (!num_is_int(x)) return x.im == 0.0 && int_equals_double(y, x.f);
    if (x.kind == y.kind) return x.kind == NUM_SIGNED ? x.i == y.i : x.u == y.u;
    const num_t s = x.kind == NUM_SIGNED ? x : y, u = x.kind == NUM_SIGNED ? y : x;
    return s.i >= 0 && (uint64_t)s.i == u.u; /* int64 -1 is not uint64 max */
}

/* True for a dtype whose equal values are equal bits: integers in either byte order, and raw elements. */
static bool equal_is_bitwise(cym_dtype t) {
    const cym_dtype base = BASE(t);
    return base <= CYM_DTYPE_U64 || base == CYM_DTYPE_RAW;
}

static bool equal_1d(const op_t* op, const char* a, const char* b, int64_t n, int64_t as, int64_t bs) {
    if (op->ta == op->tb) {
        switch (op->ta) {
        case CYM_DTYPE_F32: return equal_float_4(a, b, n, as, bs);
        case CYM_DTYPE_F64: return equal_float_8(a, b, n, as, bs);
        default: break;
        }
    }
    if (op->ta == op->tb && equal_is_bitwise(op->ta)) {
        const int64_t es = op->es;
        if (as == es && bs == es) return memcmp(a, b, (size_t)(n * es)) == 0;
        switch (es) {
        case 1: return equal_bits_1(a, b, n, as, bs);
        case 2: return equal_bits_2(a, b, n, as, bs);
        case 4: return equal_bits_4(a, b, n, as, bs);
        case 8: return equal_bits_8(a, b, n, as, bs);
        default:
            for (int64_t i = 0; i < n; i++)
                if (memcmp(a + i * as, b + i * bs, (size_t)es) != 0) return false;
            return true;
        }
    }
    for (int64_t i = 0; i < n; i++)
        if (!num_equal(load_num(a + i * as, op->ta), load_num(b + i * bs, op->tb))) return false;
    return true;
}

static int equal_kernel(const op_t* op, char* a, char* b, int64_t n0, int64_t n1, int64_t a0, int64_t a1, int64_t b0,
                        int64_t b1) {
    for (int64_t i = 0; i < n0; i++)
        if (!equal_1d(op, a + i * a0, b + i * b0, n1, a1, b1)) return 1;
    return 0;
}

// ------------------------------------------------------------------------------------------------------
// Cast kernels
// ------------------------------------------------------------------------------------------------------

/* Float to integer of the given width: truncation toward zero, saturated, NaN to 0. Each comparison is
 * against a power of two, exact in double, so the final C conversion is always in range. */
static inline int64_t saturate_signed(double v, int bits) {
    const double limit = (double)((uint64_t)1 << (bits - 1));
    if (v != v) return 0;
    if (v >= limit) return (int64_t)(UINT64_MAX >> (65 - bits));
    if (v <= -limit) return -(int64_t)(UINT64_MAX >> (65 - bits)) - 1;
    return (int64_t)v;
}

static inline uint64_t saturate_unsigned(double v, int bits) {
    const double limit = 2.0 * (double)((uint64_t)1 << (bits - 1));
    if (!(v > 0.0)) return 0; /* NaN, negatives, and (-1, 0] which truncate to 0 */
    if (v >= limit) return UINT64_MAX >> (64 - bits);
    return (uint64_t)v;
}

/* cv_<dst>_<kind>: converts a source widened to int64_t (S), uint64_t (U) or double (F). Integer targets
 * wrap by taking the low bits as unsigned and reinterpreting them (exact-width types are two's
 * complement), which avoids the implementation-defined out-of-range signed conversion. */
#define DEF_CV_INT(DN, DT, UT, SATURATE, BITS)                                                                  \
    static inline DT bits_##DN(UT u) {                                                                          \
        DT r;                                                                                                   \
        memcpy(&r, &u, sizeof r);                                                                               \
        return r;                                                                                               \
    }                                                                                                           \
    static inline DT cv_##DN##_S(int64_t v) { return bits_##DN((UT)v); }                                        \
    static inline DT cv_##DN##_U(uint64_t v) { return bits_##DN((UT)v); }                                       \
    static inline DT cv_##DN##_F(double v) { return (DT)SATURATE(v, BITS); }
DEF_CV_INT(I8, int8_t, uint8_t, saturate_signed, 8)
DEF_CV_INT(U8, uint8_t, uint8_t, saturate_unsigned, 8)
DEF_CV_INT(I16, int16_t, uint16_t, saturate_signed, 16)
DEF_CV_INT(U16, uint16_t, uint16_t, saturate_unsigned, 16)
DEF_CV_INT(I32, int32_t, uint32_t, saturate_signed, 32)
DEF_CV_INT(U32, uint32_t, uint32_t, saturate_unsigned, 32)
DEF_CV_INT(I64, int64_t, uint64_t, saturate_signed, 64)
DEF_CV_INT(U64, uint64_t, uint64_t, saturate_unsigned, 64)

/* Integer to float converts the widened integer, which is the same value, so the same single rounding as
 * a direct C conversion; double to float overflows to infinity (IEEE 754, as C's Annex F). */
#define DEF_CV_FLOAT(DN, DT)                                                                                    \
    static inline DT cv_##DN##_S(int64_t v) { return (DT)v; }                                                  \
    static inline DT cv_##DN##_U(uint64_t v) { return (DT)v; }                                                 \
    static inline DT cv_##DN##_F(double v) { return (DT)v; }
DEF_CV_FLOAT(F32, float)
DEF_CV_FLOAT(F64, double)

/* The dtypes as (name, C type, kind), in cym_dtype order; DST_TYPES repeats them for the inner loop of the
 * 10x10 table (a macro cannot expand itself). */
#define SRC_TYPES(X)                                                                                            \
    X(I8, int8_t, S) X(U8, uint8_t, U) X(I16, int16_t, S) X(U16, uint16_t, U) X(I32, int32_t, S)                \
    X(U32, uint32_t, U) X(I64, int64_t, S) X(U64, uint64_t, U) X(F32, float, F) X(F64, double, F)
#define DST_TYPES(X, SN, ST, SK)                                                                                \
    X(SN, ST, SK, I8, int8_t) X(SN, ST, SK, U8, uint8_t) X(SN, ST, SK, I16, int16_t)                            \
    X(SN, ST, SK, U16, uint16_t) X(SN, ST, SK, I32, int32_t) X(SN, ST, SK, U32, uint32_t)                       \
    X(SN, ST, SK, I64, int64_t) X(SN, ST, SK, U64, uint64_t) X(SN, ST, SK, F32, float)                          \
    X(SN, ST, SK, F64, double)

#define DEF_CAST(SN, ST, SK, DN, DT)                                                                            \
    static void cast_##SN##_##DN(char* d, int64_t ds, const char* s, int64_t ss, int64_t n) {                   \
        if (ds == (int64_t)sizeof(DT) && ss == (int64_t)sizeof(ST)) {                                           \
            for (int64_t i = 0; i < n; i++) {                                                                   \
                ST v;                                                                                           \
                memcpy(&v, s + i * (int64_t)sizeof(ST), sizeof v);                                              \
                const DT w = cv_##DN##_##SK(v);                                                                 \
                memcpy(d + i * (int64_t)sizeof(DT), &w, sizeof w);                                              \
            }                                                                                                   \
            return;                                                                                             \
        }                                                                                                       \
        for (int64_t i = 0; i < n; i++) {                                                                       \
            ST v;                                                                                               \
            memcpy(&v, s + i * ss, sizeof v);                                                                   \
            const DT w = cv_##DN##_##SK(v);                                                                     \
            memcpy(d + i * ds, &w, sizeof w);                                                                   \
        }                                                                                                       \
    }
#define DEF_CASTS_FROM(SN, ST, SK) DST_TYPES(DEF_CAST, SN, ST, SK)
SRC_TYPES(DEF_CASTS_FROM)

#define CAST_ENTRY(SN, ST, SK, DN, DT) cast_##SN##_##DN,
#define CAST_ROW(SN, ST, SK) {DST_TYPES(CAST_ENTRY, SN, ST, SK)},
static const cast_fn cast_table[CYM_DTYPE_F64 + 1][CYM_DTYPE_F64 + 1] = {SRC_TYPES(CAST_ROW)}; /* [src][dst] */

/* Stores x into an element of dtype t by the rules of cym_strided_cast, in t's byte order. The typed table
 * above gives the same results for the plain pairs; this serves every other one. */
static void store_num(char* p, cym_dtype t, num_t x) {
    unsigned char b[16];
    const bool is_int = num_is_int(x);
#define STORE_INT(DN, DT)                                                                                       \
    {                                                                                                           \
        const DT v = x.kind == NUM_SIGNED ? cv_##DN##_S(x.i) : x.kind == NUM_UNSIGNED ? cv_##DN##_U(x.u)          \
                                                                                    : cv_##DN##_F(x.f);          \
        memcpy(b, &v, sizeof v);                                                                                \
        break;                                                                                                  \
    }
    switch (BASE(t)) {
    case CYM_DTYPE_I8: STORE_INT(I8, int8_t)
    case CYM_DTYPE_U8: STORE_INT(U8, uint8_t)
    case CYM_DTYPE_I16: STORE_INT(I16, int16_t)
    case CYM_DTYPE_U16: STORE_INT(U16, uint16_t)
    case CYM_DTYPE_I32: STORE_INT(I32, int32_t)
    case CYM_DTYPE_U32: STORE_INT(U32, uint32_t)
    case CYM_DTYPE_I64: STORE_INT(I64, int64_t)
    case CYM_DTYPE_U64: STORE_INT(U64, uint64_t)
    case CYM_DTYPE_F32: STORE_INT(F32, float)
    case CYM_DTYPE_F64: STORE_INT(F64, double)
    case CYM_DTYPE_BOOL:
        b[0] = x.kind == NUM_SIGNED ? x.i != 0 : x.kind == NUM_UNSIGNED ? x.u != 0 : (x.f != 0.0 || x.im != 0.0);
        break;
    case CYM_DTYPE_F16: {
        const uint16_t h = half_from_double(x.kind == NUM_SIGNED ? (double)x.i
                                            : x.kind == NUM_UNSIGNED ? (double)x.u : x.f);
        memcpy(b, &h, sizeof h);
        break;
    }
    case CYM_DTYPE_C64: {
        const float v[2] = {x.kind == NUM_SIGNED ? (float)x.i : x.kind == NUM_UNSIGNED ? (float)x.u : (float)x.f,
                            is_int ? 0.0f : (float)x.im};
        memcpy(b, v, sizeof v);
        break;
    }
    case CYM_DTYPE_C128: {
        const double v[2] = {x.kind == NUM_SIGNED ? (double)x.i : x.kind == NUM_UNSIGNED ? (double)x.u : x.f,
                             is_int ? 0.0 : x.im};
        memcpy(b, v, sizeof v);
        break;
    }
    default: return; /* RAW never reaches here */
    }
#undef STORE_INT
    to_native_order(b, t);
    memcpy(p, b, cym_dtype_size(t));
}

static int cast_kernel(const op_t* op, char* d, char* s, int64_t n0, int64_t n1, int64_t a0, int64_t a1, int64_t b0,
                       int64_t b1) {
    for (int64_t i = 0; i < n0; i++) {
        char* dr = d + i * a0;
        const char* sr = s + i * b0;
        if (op->cast != NULL) {
            op->cast(dr, a1, sr, b1, n1);
            continue;
        }
        for (int64_t j = 0; j < n1; j++) store_num(dr + j * a1, op->ta, load_num(sr + j * b1, op->tb));
    }
    return 0;
}

// ------------------------------------------------------------------------------------------------------
// Overlap: copying through a temporary
// ------------------------------------------------------------------------------------------------------

static op_t copy_op(const vw_t* dst) {
    op_t op = {copy_kernel, dst->es, dst->dtype, dst->dtype, NULL, have_avx2(), false, is_word_size(dst->es), -1, {0}};
    op.nt = count_of(dst) > NT_THRESHOLD / dst->es;
    return op;
}

/* dst = first(src) through a buffer of dst's dtype laid out contiguously in dst's own stride order and
 * direction, so the second pass is a memcpy wherever dst is contiguous (and the first does any transpose). */
static int through_temp(const op_t* first, const vw_t* dst, const vw_t* src) {
    size_t bytes = (size_t)dst->es;
    for (int k = 0; k < dst->ndim; k++)
        if (_cym_mul_overflow(bytes, (size_t)dst->shape[k], &bytes)) return CYM_EOVERFLOW;
    char* buf = malloc(bytes);
    if (buf == NULL) return CYM_ENOMEM;

    int order[CYM_MAX_NDIM]; /* dims by decreasing |stride| of dst (C order if dst is indirect) */
    for (int k = 0; k < dst->ndim; k++) {
        int i = k;
        while (i > 0 && !dst->indirect && abs64(dst->st[order[i - 1]]) < abs64(dst->st[k])) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = k;
    }
    vw_t tmp = *dst;
    tmp.indirect = false;
    int64_t stride = dst->es, offset = 0;
    for (int i = dst->ndim - 1; i >= 0; i--) {
        const int k = order[i];
        tmp.sub[k] = -1;
        tmp.st[k] = dst->st[k] < 0 ? -stride : stride;
        if (dst->st[k] < 0) offset += (dst->shape[k] - 1) * stride;
        stride *= dst->shape[k]; /* <= bytes, no overflow */
    }
    tmp.data = buf + offset;
    set_extent(&tmp);

    run(first, &tmp, src);
    const op_t second = copy_op(dst);
    run(&second, dst, &tmp);
    free(buf);
    return CYM_OK;
}

// ------------------------------------------------------------------------------------------------------
// Entry points
// ------------------------------------------------------------------------------------------------------

/* Checks both views and loads their reduced forms; *empty is set if there is nothing to do. */
static int load_pair(const cym_view_t* dst, const cym_view_t* src, vw_t* d, vw_t* s, bool* empty) {
    if (!check_view(dst) || !check_view(src) || !same_shape(dst, src)) return CYM_EINVAL;
    *empty = is_empty(dst);
    if (*empty) return CYM_OK;
    int status = load_view(d, dst);
    if (status == CYM_OK) status = load_view(s, src);
    if (status == CYM_OK) reduce_pair(d, s);
    return status;
}

/* A copy of loaded views (same element size). */
static int copy_views(const vw_t* d, const vw_t* s) {
    const op_t op = copy_op(d);
    if (!may_overlap(d, s)) {
        run(&op, d, s);
        return CYM_OK;
    }
    if (same_elements(d, s)) return CYM_OK; /* every element onto itself */
    if (!d->indirect && !s->indirect) {
        layout_t L; /* the same contiguous run in both, shifted: memmove handles the overlap itself */
        make_layout(&L, d, s, 0, 0);
        if (L.nd == 0 || (L.nd == 1 && L.a[0] == d->es && L.b[0] == d->es)) {
            memmove(d->data + L.off_a, s->data + L.off_b, (size_t)((L.nd ? L.n[0] : 1) * d->es));
            return CYM_OK;
        }
    }
    return through_temp(&op, d, s);
}

/* True if a and b (checked) hold the same element type: code, byte order and raw size. */
static bool same_dtype(const cym_view_t* a, const cym_view_t* b) {
    return normal_dtype(a->dtype) == normal_dtype(b->dtype) && elem_size(a) == elem_size(b);
}

cym_status cym_strided_copy(const cym_view_t* dst, const cym_view_t* src) {
    if (check_view(dst) && check_view(src) && !same_dtype(dst, src)) return CYM_EINVAL;
    vw_t d, s;
    bool empty;
    int status = load_pair(dst, src, &d, &s, &empty);
    if (status != CYM_OK || empty) return status;
    return copy_views(&d, &s);
}

cym_status cym_strided_cast(const cym_view_t* dst, const cym_view_t* src) {
    if (check_view(dst) && check_view(src) && !same_dtype(dst, src) &&
        (dst->dtype == CYM_DTYPE_RAW || src->dtype == CYM_DTYPE_RAW))
        return CYM_EUNSUPPORTED; /* an opaque element has no value to convert */
    vw_t d, s;
    bool empty;
    int status = load_pair(dst, src, &d, &s, &empty);
    if (status != CYM_OK || empty) return status;
    /* Same dtype, or plain integers of one width (wrapping keeps the bits): a copy. */
    if (d.es == s.es && (d.dtype == s.dtype || (is_plain(d.dtype) && is_plain(s.dtype) && !is_float(d.dtype) &&
                                                !is_float(s.dtype))))
        return copy_views(&d, &s);
    const cast_fn typed = is_plain(d.dtype) && is_plain(s.dtype) ? cast_table[s.dtype][d.dtype] : NULL;
    op_t op = {cast_kernel, d.es, d.dtype, s.dtype, typed, false, false, false, -1, {0}};
    /* Element i read whole before element i is written: in place is fine if nothing else overlaps. */
    if (!may_overlap(&d, &s) || same_elements(&d, &s)) {
        run(&op, &d, &s);
        return CYM_OK;
    }
    return through_temp(&op, &d, &s);
}

cym_status cym_strided_fill(const cym_view_t* dst, const void* value) {
    if (!check_view(dst) || value == NULL) return CYM_EINVAL;
    if (dst->dtype == CYM_DTYPE_RAW) return CYM_EUNSUPPORTED; /* an opaque element has no value to fill with */
    if (is_empty(dst)) return CYM_OK;
    vw_t d, v;
    int status = load_view(&d, dst);
    if (status != CYM_OK) return status;
    /* The value as a second view with every stride 0: the walk then drops and merges for free. */
    op_t op = {fill_kernel, d.es, d.dtype, d.dtype, NULL, false, false, false, -1, {0}};
    memcpy(op.value, value, (size_t)d.es);
    op.memset_byte = op.value[0];
    for (int64_t k = 1; k < d.es; k++)
        if (op.value[k] != op.value[0]) op.memset_byte = -1;
    v = d;
    v.data = (char*)op.value;
    v.indirect = false;
    for (int k = 0; k < v.ndim; k++) v.st[k] = 0, v.sub[k] = -1;
    reduce_pair(&d, &v);
    op.nt = count_of(&d) > NT_THRESHOLD / d.es;
    run(&op, &d, &v);
    return CYM_OK;
}

cym_status cym_strided_equal(const cym_view_t* a, const cym_view_t* b, int* equal) {
    if (!check_view(a) || !check_view(b) || equal == NULL) return CYM_EINVAL;
    if ((a->dtype == CYM_DTYPE_RAW || b->dtype == CYM_DTYPE_RAW) && !same_dtype(a, b)) return CYM_EINVAL;
    if (!same_shape(a, b)) {
        *equal = 0;
        return CYM_OK;
    }
    if (is_empty(a)) {
        *equal = 1;
        return CYM_OK;
    }
    vw_t x, y;
    int status = load_view(&x, a);
    if (status == CYM_OK) status = load_view(&y, b);
    if (status != CYM_OK) return status;
    reduce_pair(&x, &y);
    const op_t op = {equal_kernel, x.es, x.dtype, y.dtype, NULL, false, false, false, -1, {0}};
    *equal = run(&op, &x, &y) ? 0 : 1;
    return CYM_OK;
}
