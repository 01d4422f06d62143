/* test_strided_types.c: the element types beyond the array module's ten, through the strided kernels: bool,
 * float16 (against NumPy's conversions, and exhaustively for round trips and ties), complex64/128, byte-swapped
 * variants of every numeric type, and raw elements of any size (copied and compared bytewise, never
 * converted), plus their encoding in the Java bridge's descriptors. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "jbridge_strided.h"

static cym_view_t vec(void* data, int dtype, int64_t n, int64_t stride) {
    cym_view_t v;
    memset(&v, 0, sizeof v);
    v.data = data;
    v.dtype = (cym_dtype)dtype;
    v.ndim = 1;
    v.shape[0] = n;
    v.strides[0] = stride;
    return v;
}

static cym_view_t raw_vec(void* data, int64_t itemsize, int64_t n, int64_t stride) {
    cym_view_t v = vec(data, CYM_DTYPE_RAW, n, stride);
    v.itemsize = itemsize;
    return v;
}

static void reverse(unsigned char* b, size_t n) {
    for (size_t k = 0; k < n / 2; k++) {
        unsigned char t = b[k];
        b[k] = b[n - 1 - k];
        b[n - 1 - k] = t;
    }
}

static int equal_of(const cym_view_t* a, const cym_view_t* b) {
    int equal = -1;
    if (cym_strided_equal(a, b, &equal) != CYM_OK) return -1;
    return equal;
}

CHECK_BODY(sizes_of_the_new_types) {
    CHECK_EQ_INT(1, cym_dtype_size(CYM_DTYPE_BOOL));
    CHECK_EQ_INT(2, cym_dtype_size(CYM_DTYPE_F16));
    CHECK_EQ_INT(8, cym_dtype_size(CYM_DTYPE_C64));
    CHECK_EQ_INT(16, cym_dtype_size(CYM_DTYPE_C128));
    CHECK_EQ_INT(0, cym_dtype_size(CYM_DTYPE_RAW)); /* the view carries it */
    CHECK_EQ_INT(4, cym_dtype_size((cym_dtype)(CYM_DTYPE_I32 | CYM_DTYPE_SWAPPED)));
    CHECK_EQ_INT(16, cym_dtype_size((cym_dtype)(CYM_DTYPE_C128 | CYM_DTYPE_SWAPPED)));
    CHECK_EQ_INT(0, cym_dtype_size((cym_dtype)(CYM_DTYPE_RAW | CYM_DTYPE_SWAPPED)));
    CHECK_EQ_INT(0, cym_dtype_size((cym_dtype)0x200));
}

// ------------------------------------------------------------------------------------------------------
// float16
// ------------------------------------------------------------------------------------------------------

/* double bits -> NumPy's float16 bits (np.array([v]).astype(np.float16)), including ties, subnormals, overflow
 * and a value that rounding through float32 would get wrong (1 + 2^-11 + 2^-40). */
static const struct {
    uint64_t d;
    uint16_t h;
} NUMPY_HALVES[] = {
    {UINT64_C(0x0000000000000000), 0x0000}, /* 0.0 */
    {UINT64_C(0x8000000000000000), 0x8000}, /* -0.0 */
    {UINT64_C(0x3ff0000000000000), 0x3c00}, /* 1.0 */
    {UINT64_C(0x40effc0000000000), 0x7bff}, /* 65504.0 */
    {UINT64_C(0x40effdffae147ae1), 0x7bff}, /* 65519.99 */
    {UINT64_C(0x40effe0000000000), 0x7c00}, /* 65520.0 */
    {UINT64_C(0x40f0000000000000), 0x7c00}, /* 65536.0 */
    {UINT64_C(0x4202a05f20000000), 0x7c00}, /* 1e10 */
    {UINT64_C(0xc202a05f20000000), 0xfc00}, /* -1e10 */
    {UINT64_C(0x3e70000000000000), 0x0001}, /* 2^-24 */
    {UINT64_C(0x3e60000000000000), 0x0000}, /* 2^-25: a tie, to even zero */
    {UINT64_C(0x3e6000001ad7f29b), 0x0001}, /* just above 2^-25 */
    {UINT64_C(0x3e78000000000000), 0x0002}, /* 3 * 2^-25: a tie, to even 2 */
    {UINT64_C(0x3f10000000000000), 0x0400}, /* 2^-14 */
    {UINT64_C(0x3f0ff80000000000), 0x03ff}, /* 2^-14 - 2^-24 */
    {UINT64_C(0x3f0ffc0000000000), 0x0400}, /* 2^-14 - 2^-25: a tie, carries into the normals */
    {UINT64_C(0x3ff0020000000000), 0x3c00}, /* 1 + 2^-11: a tie, to even */
    {UINT64_C(0x3ff0060000000000), 0x3c02}, /* 1 + 3 * 2^-11: a tie, to even */
    {UINT64_C(0x3ff0020000001000), 0x3c01}, /* 1 + 2^-11 + 2^-40 */
    {UINT64_C(0x3fb999999999999a), 0x2e66}, /* 0.1 */
    {UINT64_C(0x3fd5555555555555), 0x3555}, /* 1/3 */
    {UINT64_C(0xbec4f8b588e368f1), 0x802a}, /* -2.5e-6 */
    {UINT64_C(0x3f0ffb480a5accd5), 0x03ff}, /* 6.1e-5 */
    {UINT64_C(0x7ff0000000000000), 0x7c00}, /* inf */
    {UINT64_C(0xfff0000000000000), 0xfc00}, /* -inf */
    {UINT64_C(0x01a56e1fc2f8f359), 0x0000}, /* 1e-300 */
};

CHECK_BODY(double_to_half_matches_numpy) {
    enum { N = sizeof NUMPY_HALVES / sizeof NUMPY_HALVES[0] };
    double d[N];
    uint16_t h[N];
    for (int i = 0; i < N; i++) memcpy(&d[i], &NUMPY_HALVES[i].d, 8);
    cym_view_t vd = vec(d, CYM_DTYPE_F64, N, 8), vh = vec(h, CYM_DTYPE_F16, N, 2);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vh, &vd));
    for (int i = 0; i < N; i++) CHECK_EQ_INT(NUMPY_HALVES[i].h, h[i]);
    /* float32 sources round once too (a float is exactly a double) */
    float f[N];
    uint16_t hf[N];
    cym_view_t vf = vec(f, CYM_DTYPE_F32, N, 4), vhf = vec(hf, CYM_DTYPE_F16, N, 2);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vf, &vd));
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vhf, &vf));
    for (int i = 0; i < N; i++) {
        double back = f[i];
        cym_view_t one = vec(&back, CYM_DTYPE_F64, 1, 8);
        uint16_t expect;
        cym_view_t ve = vec(&expect, CYM_DTYPE_F16, 1, 2);
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&ve, &one));
        CHECK_EQ_INT(expect, hf[i]);
    }
}

/* The neighbouring double of a positive finite x (nextafter without libm, which the tests do not link). */
static double step(double x, int direction) {
    uint64_t b;
    memcpy(&b, &x, 8);
    b = direction > 0 ? b + 1 : b - 1;
    memcpy(&x, &b, 8);
    return x;
}

CHECK_BODY(every_half_round_trips_and_ties_go_to_even) {
    static uint16_t h[65536], h2[65536];
    static double d[65536];
    for (int i = 0; i < 65536; i++) h[i] = (uint16_t)i;
    cym_view_t vh = vec(h, CYM_DTYPE_F16, 65536, 2), vd = vec(d, CYM_DTYPE_F64, 65536, 8),
               vh2 = vec(h2, CYM_DTYPE_F16, 65536, 2);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vd, &vh));
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vh2, &vd));
    for (int i = 0; i < 65536; i++) {
        const bool nan = (i & 0x7C00) == 0x7C00 && (i & 0x3FF) != 0;
        CHECK(nan ? d[i] != d[i] : true);
        CHECK_EQ_INT(i, h2[i]); /* NaN payloads survive too */
    }
    CHECK(d[0x0001] == 0x1p-24 && d[0x03FF] == 1023 * 0x1p-24 && d[0x7BFF] == 65504.0 && d[0xC000] == -2.0);
    CHECK(isinf(d[0x7C00]) && d[0xFC00] < 0);
    /* the midpoint between each positive finite half and the next rounds to the even one of the two */
    for (int i = 0; i < 0x7BFF; i++) { /* 65504's upper midpoint, 65520, rounds to infinity: the table */
        double mid = (d[i] + d[i + 1]) / 2; /* exact: halves have 11 significant bits */
        uint16_t r;
        cym_view_t vm = vec(&mid, CYM_DTYPE_F64, 1, 8), vr = vec(&r, CYM_DTYPE_F16, 1, 2);
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vr, &vm));
        CHECK_EQ_INT(i % 2 == 0 ? i : i + 1, r);
        double above = step(mid, 1), below = step(mid, -1);
        vm.data = &above;
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vr, &vm));
        CHECK_EQ_INT(i + 1, r);
        vm.data = &below;
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vr, &vm));
        CHECK_EQ_INT(i, r);
    }
}

CHECK_BODY(half_to_integers_and_back) {
    uint16_t h[4] = {0x4580 /* 5.5 */, 0xC580 /* -5.5 */, 0x7C00 /* inf */, 0x7E00 /* nan */};
    int32_t i[4];
    cym_view_t vh = vec(h, CYM_DTYPE_F16, 4, 2), vi = vec(i, CYM_DTYPE_I32, 4, 4);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vi, &vh));
    CHECK(i[0] == 5 && i[1] == -5 && i[2] == INT32_MAX && i[3] == 0);
    int64_t big[2] = {65519, 70000};
    cym_view_t vb = vec(big, CYM_DTYPE_I64, 2, 8), vh2 = vec(h, CYM_DTYPE_F16, 2, 2);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vh2, &vb));
    CHECK(h[0] == 0x7BFF && h[1] == 0x7C00);
    CHECK_EQ_INT(1, equal_of(&vh2, &vh2)); /* 65504 == 65504, inf == inf */
}

// ------------------------------------------------------------------------------------------------------
// bool and complex
// ------------------------------------------------------------------------------------------------------

CHECK_BODY(anything_to_bool_is_nonzero_and_bool_is_zero_or_one) {
    double d[6] = {0.0, -0.0, 2.5, NAN, 1e-300, -1.0};
    uint8_t b[6];
    cym_view_t vd = vec(d, CYM_DTYPE_F64, 6, 8), vb = vec(b, CYM_DTYPE_BOOL, 6, 1);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vb, &vd));
    const uint8_t expect[6] = {0, 0, 1, 1, 1, 1};
    CHECK(memcmp(b, expect, 6) == 0);
    int16_t s[3] = {0, 256, -1}; /* 256: no low bits set, still true */
    cym_view_t vs = vec(s, CYM_DTYPE_I16, 3, 2), vb3 = vec(b, CYM_DTYPE_BOOL, 3, 1);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vb3, &vs));
    CHECK(b[0] == 0 && b[1] == 1 && b[2] == 1);
    double c[4] = {0.0, 0.0, 0.0, 3.0}; /* complex 0, 3j */
    cym_view_t vc = vec(c, CYM_DTYPE_C128, 2, 16), vb2 = vec(b, CYM_DTYPE_BOOL, 2, 1);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vb2, &vc));
    CHECK(b[0] == 0 && b[1] == 1);
    /* a stored byte other than 0/1 reads as true everywhere */
    uint8_t odd[3] = {7, 0, 1};
    int32_t i[3];
    cym_view_t vo = vec(odd, CYM_DTYPE_BOOL, 3, 1), vi = vec(i, CYM_DTYPE_I32, 3, 4);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vi, &vo));
    CHECK(i[0] == 1 && i[1] == 0 && i[2] == 1);
    uint8_t ones[3] = {1, 0, 1};
    cym_view_t v1 = vec(ones, CYM_DTYPE_BOOL, 3, 1);
    CHECK_EQ_INT(1, equal_of(&vo, &v1)); /* 7 is true is 1 */
    CHECK_EQ_INT(1, equal_of(&vo, &vi)); /* True == 1 */
    cym_view_t vo_u8 = vec(odd, CYM_DTYPE_U8, 3, 1);
    CHECK_EQ_INT(0, equal_of(&vo_u8, &v1)); /* as uint8 it is 7 */
}

CHECK_BODY(complex_casts_take_the_real_part_and_compare_both_parts) {
    double c[4] = {1.5, -2.0, -7.25, 0.5};
    double re[2];
    int32_t i[2];
    float c64[4];
    cym_view_t vc = vec(c, CYM_DTYPE_C128, 2, 16), vr = vec(re, CYM_DTYPE_F64, 2, 8), vi = vec(i, CYM_DTYPE_I32, 2, 4),
               v64 = vec(c64, CYM_DTYPE_C64, 2, 8);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vr, &vc));
    CHECK(re[0] == 1.5 && re[1] == -7.25);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vi, &vc));
    CHECK(i[0] == 1 && i[1] == -7);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&v64, &vc));
    CHECK(c64[0] == 1.5f && c64[1] == -2.0f && c64[2] == -7.25f && c64[3] == 0.5f);
    CHECK_EQ_INT(1, equal_of(&v64, &vc));
    CHECK_EQ_INT(0, equal_of(&vr, &vc)); /* imaginary parts are not 0 */
    c[1] = 0.0, c[3] = 0.0;
    CHECK_EQ_INT(1, equal_of(&vr, &vc));
    CHECK_EQ_INT(0, equal_of(&vi, &vc)); /* 1 != 1.5 */
    re[0] = 3.0, re[1] = -1e300;
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vc, &vr));
    CHECK(c[0] == 3.0 && c[1] == 0.0 && c[2] == -1e300 && c[3] == 0.0);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&v64, &vc)); /* -1e300 overflows float to -inf */
    CHECK(c64[2] == -INFINITY && c64[3] == 0.0f);
    int64_t big = INT64_MAX;
    cym_view_t vbig = vec(&big, CYM_DTYPE_I64, 1, 8), one = vec(c, CYM_DTYPE_C128, 1, 16);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&one, &vbig));
    CHECK(c[0] == 0x1p63 && c[1] == 0.0);
    CHECK_EQ_INT(0, equal_of(&one, &vbig)); /* 2^63 is not INT64_MAX */
    c[1] = NAN;
    CHECK_EQ_INT(0, equal_of(&one, &one)); /* a NaN part: not equal, as NumPy */
}

CHECK_BODY(unsigned_64_above_2_63_converts_exactly) {
    uint64_t u[3] = {UINT64_C(9223372036854777856), UINT64_MAX, UINT64_C(10000000000000000000)};
    double d[3];
    cym_view_t vu = vec(u, CYM_DTYPE_U64, 3, 8), vd = vec(d, CYM_DTYPE_F64, 3, 8);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vd, &vu));
    CHECK(d[0] == 9223372036854777856.0 && d[1] == 18446744073709551616.0 && d[2] == 1e19);
    CHECK_EQ_INT(0, equal_of(&vd, &vu)); /* UINT64_MAX is not 2^64 */
    d[1] = 18446744073709549568.0; /* the largest double below 2^64 */
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vu, &vd));
    CHECK(u[0] == UINT64_C(9223372036854777856) && u[1] == UINT64_C(18446744073709549568) &&
          u[2] == UINT64_C(10000000000000000000));
    CHECK_EQ_INT(1, equal_of(&vd, &vu));
    uint16_t h[1];
    cym_view_t vh = vec(h, CYM_DTYPE_F16, 1, 2), vu1 = vec(u, CYM_DTYPE_U64, 1, 8);
    CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vh, &vu1));
    CHECK(h[0] == 0x7C00);
}

// ------------------------------------------------------------------------------------------------------
// Byte order
// ------------------------------------------------------------------------------------------------------

static const int NUMERIC[] = {CYM_DTYPE_I8, CYM_DTYPE_U8, CYM_DTYPE_I16, CYM_DTYPE_U16, CYM_DTYPE_I32,
                              CYM_DTYPE_U32, CYM_DTYPE_I64, CYM_DTYPE_U64, CYM_DTYPE_F32, CYM_DTYPE_F64,
                              CYM_DTYPE_BOOL, CYM_DTYPE_F16, CYM_DTYPE_C64, CYM_DTYPE_C128};
enum { NUMERIC_COUNT = sizeof NUMERIC / sizeof NUMERIC[0] };

/* n elements of type t holding 0, 1, ..., n-1 (as t's values), written by a cast from int32. */
static void iota(void* out, int t, int n) {
    int32_t src[64];
    for (int i = 0; i < n; i++) src[i] = i * 3 - 7;
    cym_view_t vs = vec(src, CYM_DTYPE_I32, n, 4), vd = vec(out, t, n, (int64_t)cym_dtype_size((cym_dtype)t));
    cym_strided_cast(&vd, &vs);
}

CHECK_BODY(swapped_types_convert_copy_and_compare_across_byte_orders) {
    for (int a = 0; a < NUMERIC_COUNT; a++) {
        const int t = NUMERIC[a], ts = t | CYM_DTYPE_SWAPPED;
        const size_t es = cym_dtype_size((cym_dtype)t);
        const int n = 40;
        unsigned char native[40 * 16], swapped[40 * 16], expect[40 * 16], back[40 * 16];
        iota(native, t, n);
        memcpy(expect, native, es * n); /* the swapped bytes, by hand: each part reversed */
        const size_t part = t == CYM_DTYPE_C64 || t == CYM_DTYPE_C128 ? es / 2 : es;
        for (size_t off = 0; off < es * n; off += part) reverse(expect + off, part);
        cym_view_t vn = vec(native, t, n, (int64_t)es), vs = vec(swapped, ts, n, (int64_t)es),
                   vb = vec(back, t, n, (int64_t)es);
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vs, &vn));
        CHECK(memcmp(swapped, expect, es * n) == 0);
        CHECK_EQ_INT(1, equal_of(&vs, &vn));
        CHECK_EQ_INT(1, equal_of(&vn, &vs));
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vb, &vs));
        CHECK(memcmp(back, native, es * n) == 0);
        /* copy needs one byte order (except one-byte types, where the flag is meaningless) */
        CHECK_EQ_INT(es == 1 ? CYM_OK : CYM_EINVAL, cym_strided_copy(&vb, &vs));
        /* a swapped source converts to every other type as its native twin does */
        for (int c = 0; c < NUMERIC_COUNT; c++) {
            const int u = NUMERIC[c];
            const size_t eu = cym_dtype_size((cym_dtype)u);
            unsigned char x[40 * 16], y[40 * 16];
            cym_view_t vx = vec(x, u, n, (int64_t)eu), vy = vec(y, u, n, (int64_t)eu);
            CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vx, &vn));
            CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vy, &vs));
            CHECK(memcmp(x, y, eu * n) == 0);
            cym_view_t vys = vec(y, u | CYM_DTYPE_SWAPPED, n, (int64_t)eu); /* and into a swapped destination */
            CHECK_EQ_INT(CYM_OK, cym_strided_cast(&vys, &vs));
            CHECK_EQ_INT(1, equal_of(&vys, &vx));
        }
        /* reversed and strided, both ways through the generic loop */
        cym_view_t rs = vs;
        rs.data = swapped + es * (n - 1), rs.strides[0] = -(int64_t)es, rs.shape[0] = n / 2;
        rs.strides[0] *= 2;
        cym_view_t rn = vec(back, t, n / 2, (int64_t)es);
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&rn, &rs));
        for (int i = 0; i < n / 2; i++) CHECK(memcmp(back + es * i, native + es * (n - 1 - 2 * i), es) == 0);
    }
}

CHECK_BODY(swapped_equal_sees_values_not_bits) {
    float f[2] = {0.0f, -0.0f};
    unsigned char sw[8];
    memcpy(sw, f, 8);
    reverse(sw, 4), reverse(sw + 4, 4);
    cym_view_t vf = vec(f, CYM_DTYPE_F32, 2, 4), vs = vec(sw, CYM_DTYPE_F32 | CYM_DTYPE_SWAPPED, 2, 4);
    float zeros[2] = {0.0f, 0.0f};
    cym_view_t vz = vec(zeros, CYM_DTYPE_F32 | CYM_DTYPE_SWAPPED, 2, 4);
    CHECK_EQ_INT(1, equal_of(&vs, &vz)); /* -0.0 == 0.0 in the same swapped type */
    CHECK_EQ_INT(1, equal_of(&vs, &vf));
}

// ------------------------------------------------------------------------------------------------------
// Raw elements
// ------------------------------------------------------------------------------------------------------

CHECK_BODY(raw_elements_copy_and_compare_bytewise_at_any_size) {
    const int64_t sizes[] = {1, 3, 5, 12, 16, 24, 40};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        const int64_t es = sizes[k];
        unsigned char a[40 * 12], b[40 * 12], c[40 * 12];
        for (size_t i = 0; i < sizeof a; i++) a[i] = (unsigned char)(i * 7 + 1);
        memset(b, 0, sizeof b);
        /* a 3 x 4 matrix of raw elements copied into a transposed layout, then compared */
        cym_view_t src = raw_vec(a, es, 12, es), dst = raw_vec(b, es, 12, es);
        src.ndim = dst.ndim = 2;
        src.shape[0] = dst.shape[0] = 3, src.shape[1] = dst.shape[1] = 4;
        src.strides[0] = 4 * es, src.strides[1] = es;
        dst.strides[0] = es, dst.strides[1] = 3 * es;
        CHECK_EQ_INT(CYM_OK, cym_strided_copy(&dst, &src));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) CHECK(memcmp(b + (i + 3 * j) * es, a + (4 * i + j) * es, (size_t)es) == 0);
        CHECK_EQ_INT(1, equal_of(&dst, &src));
        b[5 * es + es - 1] ^= 1; /* one bit of one element */
        CHECK_EQ_INT(0, equal_of(&dst, &src));
        /* an overlapping reversed copy of itself goes through a temporary */
        memcpy(c, a, sizeof c);
        cym_view_t fwd = raw_vec(a, es, 12, es), rev = raw_vec(a + 11 * es, es, 12, -es);
        CHECK_EQ_INT(CYM_OK, cym_strided_copy(&fwd, &rev));
        for (int i = 0; i < 12; i++) CHECK(memcmp(a + i * es, c + (11 - i) * es, (size_t)es) == 0);
        /* a raw cast between equal raw types is a copy; other casts, fills and mixed compares are refused */
        cym_view_t same = raw_vec(b, es, 12, es);
        CHECK_EQ_INT(CYM_OK, cym_strided_cast(&same, &fwd));
        CHECK(memcmp(b, a, (size_t)(12 * es)) == 0);
        cym_view_t other = raw_vec(b, es + 1, 12, es + 1), ints = vec(b, CYM_DTYPE_I8, 12, 1);
        memcpy(c, b, sizeof c);
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&other, &fwd));
        CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_strided_cast(&other, &fwd));
        CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_strided_cast(&ints, &fwd));
        CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_strided_cast(&fwd, &ints));
        CHECK_EQ_INT(CYM_EUNSUPPORTED, cym_strided_fill(&same, a));
        int equal = 7;
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(&other, &fwd, &equal));
        CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(&ints, &fwd, &equal));
        CHECK(memcmp(c, b, sizeof c) == 0 && equal == 7);
    }
}

CHECK_BODY(bad_raw_and_flag_combinations_are_rejected) {
    unsigned char a[16] = {0}, b[16] = {0};
    int equal;
    cym_view_t zero = raw_vec(a, 0, 4, 1), ok = raw_vec(b, 4, 4, 4);
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&zero, &ok));
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_equal(&zero, &zero, &equal));
    cym_view_t swapped_raw = ok;
    swapped_raw.dtype = (cym_dtype)(CYM_DTYPE_RAW | CYM_DTYPE_SWAPPED);
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&swapped_raw, &ok));
    cym_view_t wrong_size = vec(a, CYM_DTYPE_I32, 4, 4);
    wrong_size.itemsize = 8; /* a numeric view's itemsize is 0 or its own */
    CHECK_EQ_INT(CYM_EINVAL, cym_strided_copy(&wrong_size, &wrong_size));
    wrong_size.itemsize = 4;
    CHECK_EQ_INT(CYM_OK, cym_strided_copy(&wrong_size, &wrong_size));
}

// ------------------------------------------------------------------------------------------------------
// The Java bridge
// ------------------------------------------------------------------------------------------------------

CHECK_BODY(bridge_carries_itemsize_and_flags) {
    unsigned char a[24], b[24];
    for (int i = 0; i < 24; i++) a[i] = (unsigned char)i, b[i] = 0;
    const int64_t raw = CYM_DTYPE_RAW | (int64_t)6 << CYM_J_DESC_ITEMSIZE_SHIFT;
    const int64_t da[] = {(int64_t)(uintptr_t)a, raw, 1, 4, 6, 0}, db[] = {(int64_t)(uintptr_t)b, raw, 1, 4, 6, 0};
    CHECK_EQ_INT(0, cym_j_strided_equal(da, db));
    CHECK_EQ_INT(0, cym_j_strided_copy(db, da));
    CHECK(memcmp(a, b, 24) == 0);
    CHECK_EQ_INT(1, cym_j_strided_equal(da, db));
    CHECK_EQ_INT(-CYM_EUNSUPPORTED, cym_j_strided_fill(da, 0));
    const int64_t no_size[] = {(int64_t)(uintptr_t)a, CYM_DTYPE_RAW, 1, 4, 6, 0};
    cym_view_t v;
    CHECK_EQ_INT(CYM_EINVAL, cym_j_view_decode(no_size, &v));
    CHECK_EQ_INT(CYM_OK, cym_j_view_decode(da, &v));
    CHECK(v.dtype == CYM_DTYPE_RAW && v.itemsize == 6);
    /* a swapped int32 fill writes the value's bytes reversed */
    int32_t words[3];
    const int64_t dw[] = {(int64_t)(uintptr_t)words, CYM_DTYPE_I32 | CYM_DTYPE_SWAPPED, 1, 3, 4, 0};
    CHECK_EQ_INT(0, cym_j_strided_fill(dw, 0x01020304));
    CHECK(words[0] == 0x04030201 && words[2] == 0x04030201);
    /* complex fill: the real part from the bits, the imaginary part 0, each part swapped */
    double c[4] = {9, 9, 9, 9};
    double two = 2.0;
    int64_t two_bits;
    memcpy(&two_bits, &two, 8);
    const int64_t dc[] = {(int64_t)(uintptr_t)c, CYM_DTYPE_C128, 1, 2, 16, 0};
    CHECK_EQ_INT(0, cym_j_strided_fill(dc, two_bits));
    CHECK(c[0] == 2.0 && c[1] == 0.0 && c[2] == 2.0 && c[3] == 0.0);
    const int64_t dcs[] = {(int64_t)(uintptr_t)c, CYM_DTYPE_C128 | CYM_DTYPE_SWAPPED, 1, 2, 16, 0};
    CHECK_EQ_INT(0, cym_j_strided_fill(dcs, two_bits));
    unsigned char expect[8];
    memcpy(expect, &two, 8);
    reverse(expect, 8);
    CHECK(memcmp(c, expect, 8) == 0 && c[1] == 0.0);
    /* half fill from its binary16 bits */
    uint16_t h[2];
    const int64_t dh[] = {(int64_t)(uintptr_t)h, CYM_DTYPE_F16, 1, 2, 2, 0};
    CHECK_EQ_INT(0, cym_j_strided_fill(dh, 0x3C00));
    CHECK(h[0] == 0x3C00 && h[1] == 0x3C00);
    /* an itemsize that disagrees with the code */
    const int64_t bad[] = {(int64_t)(uintptr_t)words, CYM_DTYPE_I32 | (int64_t)8 << CYM_J_DESC_ITEMSIZE_SHIFT, 1, 3, 4, 0};
    CHECK_EQ_INT(-CYM_EINVAL, cym_j_strided_copy(bad, dw));
}

int main(void) {
    sizes_of_the_new_types();
    double_to_half_matches_numpy();
    every_half_round_trips_and_ties_go_to_even();
    half_to_integers_and_back();
    anything_to_bool_is_nonzero_and_bool_is_zero_or_one();
    complex_casts_take_the_real_part_and_compare_both_parts();
    unsigned_64_above_2_63_converts_exactly();
    swapped_types_convert_copy_and_compare_across_byte_orders();
    swapped_equal_sees_values_not_bits();
    raw_elements_copy_and_compare_bytewise_at_any_size();
    bad_raw_and_flag_combinations_are_rejected();
    bridge_carries_itemsize_and_flags();
    CHECK_DONE();
}
