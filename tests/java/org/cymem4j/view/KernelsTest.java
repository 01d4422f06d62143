package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/**
 * The Java loops and the C kernels behind MemoryView's whole-view operations must give the same results: random
 * views (types, shapes, slices with negative steps, transposes, overlapping source and destination) run through
 * both, and the destinations are compared bit for bit. Seeded; {@code -Dcymem4j.kernels.seed=N} reproduces.
 */
class KernelsTest {
    private static final String TYPECODES = "bBhHiIlLqQfd";

    private static MemoryView randomView(Pool pool, Random rnd, DType dtype, long[] shape) {
        long[] base = shape.clone();
        for (int k = 0; k < base.length; k++) {
            base[k] = shape[k] * 2 + 1;
        }
        MemoryView v = NativeArray.allocate(pool, dtype, rnd.nextBoolean() ? Order.C : Order.FORTRAN, base).view();
        long[] raw = new long[(int) v.size()];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = rnd.nextInt(5) == 0 ? rnd.nextLong() : rnd.nextInt(2001) - 1000;
        }
        Kernels.scatter(v, raw);
        if (dtype.isFloating()) {
            MemoryView tmp = NativeArray.allocate(pool, DType.LONG, base).view();
            Kernels.scatter(tmp, raw);
            Kernels.castJava(v, tmp); // ordinary numbers, plus the odd NaN/huge value from random bits below
            if (base.length > 0 && rnd.nextBoolean()) {
                v.slice(Index.at(0)).fill(Double.NaN);
            }
        }
        StringBuilder expr = new StringBuilder();
        for (int k = 0; k < shape.length; k++) {
            boolean back = rnd.nextBoolean();
            int start = back ? (int) (base[k] - 1 - rnd.nextInt(2)) : rnd.nextInt(2);
            expr.append(k == 0 ? "" : ", ").append(start).append("::").append(back ? -2 : 2);
        }
        MemoryView s = shape.length == 0 ? v.slice("...") : v.slice(expr.toString());
        s = s.slice(shapeFix(shape));
        if (shape.length > 1 && rnd.nextBoolean()) {
            // a transposed view: the base's transpose, trimmed to the reversed shape, transposed back
            return v.T().slice(shapeFix(reversed(shape))).T().slice("::-1");
        }
        return s;
    }

    private static long[] reversed(long[] shape) {
        long[] r = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            r[k] = shape[shape.length - 1 - k];
        }
        return r;
    }

    /** An index trimming each axis of {@code have} to {@code want}. */
    private static String shapeFix(long[] want) {
        StringBuilder b = new StringBuilder("...");
        if (want.length == 0) {
            return b.toString();
        }
        b.setLength(0);
        for (int k = 0; k < want.length; k++) {
            b.append(k == 0 ? "" : ", ").append(":").append(want[k]);
        }
        return b.toString();
    }

    private static long[] bits(MemoryView v) {
        return Kernels.rawBits(v);
    }

    @Test
    void shouldGiveTheSameResultsInJavaAndInC() {
        long seed = Long.getLong("cymem4j.kernels.seed", System.nanoTime() & 0xFFFFFF);
        Random rnd = new Random(seed);
        String tag = "[seed " + seed + "] ";
        try (Pool pool = Pool.open()) {
            for (int round = 0; round < 300; round++) {
                int ndim = rnd.nextInt(5);
                long[] shape = new long[ndim];
                for (int k = 0; k < ndim; k++) {
                    shape[k] = 1 + rnd.nextInt(6);
                }
                DType a = DType.fromTypecode(TYPECODES.charAt(rnd.nextInt(TYPECODES.length())));
                DType b = rnd.nextBoolean() ? a : DType.fromTypecode(TYPECODES.charAt(rnd.nextInt(TYPECODES.length())));
                MemoryView src = randomView(pool, rnd, a, shape);
                MemoryView dst1 = randomView(pool, rnd, b, shape);
                MemoryView dst2 = dst1.copy();
                String what = tag + "round " + round + " " + a + "->" + b + " shape " + java.util.Arrays.toString(shape);
                assertEquals(Kernels.equalJava(src, dst1), Kernels.equalNative(src, dst1), what + " equal");
                if (a == b) {
                    Kernels.copyJava(dst1, src);
                    Kernels.copyNative(dst2, src);
                    assertArrayEquals(bits(dst1), bits(dst2), what + " copy");
                    assertTrue(Kernels.equalNative(dst2, src) == Kernels.equalJava(dst1, src), what);
                    // overlapping: a view onto itself reversed, both ways
                    MemoryView self1 = src.copy();
                    MemoryView self2 = src.copy();
                    String rev = ndim == 0 ? "..." : "::-1";
                    Kernels.copyJava(self1, self1.slice(rev));
                    Kernels.copyNative(self2, self2.slice(rev));
                    assertArrayEquals(bits(self1), bits(self2), what + " overlapping copy");
                } else {
                    Kernels.castJava(dst1, src);
                    Kernels.castNative(dst2, src);
                    assertArrayEquals(bits(dst1), bits(dst2), what + " cast");
                    assertEquals(Kernels.equalJava(dst1, src), Kernels.equalNative(dst2, src), what + " equal after cast");
                }
                long fill = rnd.nextLong();
                if (b == DType.FLOAT) {
                    fill &= 0xFFFF_FFFFL;
                }
                Kernels.fillJava(dst1, fill);
                Kernels.fillNative(dst2, fill);
                assertArrayEquals(bits(dst1), bits(dst2), what + " fill");
            }
        }
    }
}
