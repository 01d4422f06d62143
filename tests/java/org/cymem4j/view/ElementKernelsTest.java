package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/**
 * The Java walk and the C kernels give the same bytes for bool, float16, complex and big-endian views too: random
 * bytes (so NaNs, infinities, subnormals, huge values and non-0/1 bools), random strided 2-d slices (negative steps,
 * transposes), every pair of types for casts, and copies and comparisons, through both paths. Seeded;
 * {@code -Dcymem4j.kernels.seed=N} reproduces.
 */
class ElementKernelsTest {
    private static final List<String> TYPES = List.of("?", "b", "B", "h", "H", "i", "I", "q", "Q", "e", "f", "d", "F",
            "D", ">h", ">H", ">i", ">I", ">q", ">Q", ">e", ">f", ">d", ">F", ">D");
    private static final String[] SLICES = {":, :", "::-1, 1::2", "1::2, ::-3", "::2, :"};

    /** A 3x4 view of random bytes: a slice of a larger array, sometimes transposed. */
    private static MemoryView randomView(Pool pool, Random rnd, DType t) {
        NativeArray a = NativeArray.allocate(pool, t, 13, 13);
        ByteBuffer b = a.view().asByteBufferUnchecked();
        byte[] bytes = new byte[b.capacity()];
        rnd.nextBytes(bytes);
        b.put(bytes);
        MemoryView v = rnd.nextBoolean() ? a.view() : a.view().T();
        return v.slice(SLICES[rnd.nextInt(SLICES.length)]).slice(":3, :4");
    }

    private static byte[] bytesOf(MemoryView v) {
        MemoryView c = v.copy();
        byte[] out = new byte[(int) c.byteSize()];
        c.asByteBufferUnchecked().get(out);
        return out;
    }

    @Test
    void shouldGiveTheSameResultsOnBothPathsForEveryPairOfTypes() {
        long seed = Long.getLong("cymem4j.kernels.seed", 18);
        Random rnd = new Random(seed);
        try (Pool pool = Pool.open()) {
            for (String from : TYPES) {
                for (String to : TYPES) {
                    String what = "seed " + seed + ": " + from + " -> " + to;
                    DType tf = ElementTypesTest.typeOf(from);
                    DType tt = ElementTypesTest.typeOf(to);
                    MemoryView src = randomView(pool, rnd, tf);
                    MemoryView java = randomView(pool, rnd, tt);
                    MemoryView c = NativeArray.allocate(pool, tt, 4, 3).view().T(); // another layout
                    Kernels.castJava(java, src);
                    Kernels.castNative(c, src);
                    assertArrayEquals(bytesOf(c), bytesOf(java), what);
                    assertEquals(Kernels.equalNative(src, c), Kernels.equalJava(src, c), what + " (equal)");
                    MemoryView other = randomView(pool, rnd, tt);
                    assertEquals(Kernels.equalNative(src, other), Kernels.equalJava(src, other), what + " (equal)");
                }
                MemoryView src = randomView(pool, rnd, ElementTypesTest.typeOf(from));
                MemoryView java = NativeArray.allocate(pool, src.dtype(), 3, 4).view();
                MemoryView c = NativeArray.allocate(pool, src.dtype(), 3, 4).view().T().slice("::-1").T();
                Kernels.copyJava(java, src.slice("::-1, ::-1"));
                Kernels.copyNative(c, src.slice("::-1, ::-1"));
                assertArrayEquals(bytesOf(src.slice("::-1, ::-1")), bytesOf(java), from + " copy (Java)");
                assertArrayEquals(bytesOf(java), bytesOf(c), from + " copy (C)");
                assertEquals(Kernels.equalNative(java, c), Kernels.equalJava(java, c), from + " (equal)");
            }
        }
    }
}
