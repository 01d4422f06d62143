package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.NativeArray;
import org.cymem4j.view.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arrays that ask for an alignment (issue 19): NativeArray.allocateAligned and TypedArray.allocateAligned, served by
 * Pool.allocAligned; a typed array keeps its alignment through every growth (realloc), contents included.
 */
class ArrayAlignmentTest {
    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {1, 2, 16, 32, 64, 4096, 1 << 20})
    void shouldPlaceANativeArrayAtTheAlignment(long alignment) {
        try (Pool pool = Pool.open()) {
            for (Order order : Order.values()) {
                NativeArray a = NativeArray.allocateAligned(pool, DType.FLOAT, order, alignment, 3, 5);
                assertEquals(0, a.view().address() % alignment, "address " + a.view().address());
                assertEquals(60, a.view().byteSize());
                assertEquals(0.0f, a.view().getFloat(2, 4));   // zeroed
                a.view().putFloat(2, 4, 1.5f);
                assertEquals(1.5f, a.view().getFloat(2, 4));
                a.close();
            }
            assertEquals(0, pool.liveBlocks());
        }
    }

    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {32, 64, 4096})
    void shouldKeepATypedArraysAlignmentWhenItGrows(long alignment) {
        try (TypedArray a = TypedArray.allocateAligned(DType.LONG, 0, alignment)) {
            int moves = 0;
            long last = a.address();
            for (long i = 0; i < 20_000; i++) {
                a.append(i);
                long at = a.address();
                if (at != last) {
                    moves++;
                    last = at;
                }
                assertEquals(0, at % alignment, "address " + at + " after " + (i + 1) + " appends");
            }
            assertTrue(moves > 0, "the buffer never moved");
            a.resize(5);
            assertEquals(0, a.address() % alignment);
            for (int i = 0; i < 5; i++) {
                assertEquals(i, a.getLong(i));
            }
        }
        try (Pool pool = Pool.open()) {
            TypedArray t = TypedArray.allocateAligned(pool, DType.DOUBLE, 3, alignment);
            assertEquals(0, t.address() % alignment);
            t.extend(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
            assertEquals(0, t.address() % alignment);
            assertEquals(12, t.length());
            assertEquals(9.0, t.getDouble(11));
        }
    }

    @Test
    void shouldRefuseBadAlignmentsNamingTheValue() {
        try (Pool pool = Pool.open()) {
            for (long bad : new long[] {0, 3, -64, 1L << 31}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> NativeArray.allocateAligned(pool, DType.INT, Order.C, bad, 4));
                assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> TypedArray.allocateAligned(pool, DType.INT, 4, bad));
                assertThrows(IllegalArgumentException.class, () -> TypedArray.allocateAligned(DType.INT, 4, bad));
            }
            assertEquals(0, pool.liveBlocks());
        }
    }
}
