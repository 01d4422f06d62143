package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/** Array factories check sizes before allocating, and leave the pool as it was when they fail. */
class NativeArraySizeTest {

    @Test
    void shouldRefuseAnIndirectArrayWithTooManyRowsWithoutLeaking() {
        try (Pool pool = Pool.open()) {
            NativeArray keep = NativeArray.allocate(pool, DType.INT, 3);
            long blocks = pool.liveBlocks();
            long bytes = pool.liveBytes();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocateIndirect(pool, DType.BYTE, Integer.MAX_VALUE, 1));
            assertTrue(e.getMessage().contains(Integer.toString(Integer.MAX_VALUE)), e.getMessage());
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
            e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocateIndirect(pool, DType.BYTE, 1L << 40, 1));
            assertTrue(e.getMessage().contains(Long.toString(1L << 40)), e.getMessage());
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
            assertTrue(keep.isOpen());
        }
    }

    @Test
    void shouldRefuseAnIndirectRowWhoseSizeOverflows() {
        try (Pool pool = Pool.open()) {
            long blocks = pool.liveBlocks();
            long bytes = pool.liveBytes();
            // no rows, so the shape has no elements, but a row of 2^80 elements cannot be described
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocateIndirect(pool, DType.BYTE, 0, 1L << 40, 1L << 40));
            assertTrue(e.getMessage().contains(Long.toString(1L << 40)), e.getMessage());
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
        }
    }

    @Test
    void shouldFreeTheTableAndRowsWhenARowAllocationFails() {
        try (Pool pool = Pool.builder().limit(1 << 20).open()) {
            long blocks = pool.liveBlocks();
            long bytes = pool.liveBytes();
            // the table (8 KiB) fits, the rows (1000 x 4 KiB) exceed the limit part way
            assertThrows(NativeOutOfMemoryError.class, () -> NativeArray.allocateIndirect(pool, DType.INT, 1000, 1024));
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
            NativeArray fits = NativeArray.allocateIndirect(pool, DType.INT, 10, 1024);
            assertArrayEquals(new long[] {10, 1024}, fits.shape());
        }
    }

    @Test
    void shouldRefuseStridesThatOverflowBehindAZeroLengthAxis() {
        try (Pool pool = Pool.open()) {
            long blocks = pool.liveBlocks();
            // NumPy: "array is too big" for np.empty((0, 2**62, 4)); the strides cannot be represented
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocate(pool, DType.DOUBLE, 0, 1L << 62, 4));
            assertTrue(e.getMessage().contains(Long.toString(1L << 62)), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.allocate(pool, DType.DOUBLE, Order.FORTRAN, 4, 1L << 62, 0));
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(0, NativeArray.allocate(pool, DType.DOUBLE, 0, 1L << 20, 4).view().size());   // representable
        }
    }

    @Test
    void shouldCheckFromArraysShapeBeforeAllocating() {
        try (Pool pool = Pool.builder().limit(1 << 20).open()) {
            long blocks = pool.liveBlocks();
            long bytes = pool.liveBytes();
            // a shape of 2^30 elements for 3 values: refused as a mismatch, without asking the pool for 1 GiB
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeArray.copyOf(pool, new byte[3], 1L << 30));
            assertTrue(e.getMessage().contains("1073741824") && e.getMessage().contains("3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> NativeArray.copyOf(pool, new double[3], 1L << 20, 1L << 20));
            assertThrows(IllegalArgumentException.class, () -> NativeArray.copyOf(pool, new int[4], 2, -2));
            assertEquals(blocks, pool.liveBlocks());
            assertEquals(bytes, pool.liveBytes());
            assertArrayEquals(new long[] {3, 2}, NativeArray.copyOf(pool, new long[6], 3, 2).shape());
        }
    }
}
