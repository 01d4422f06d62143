package org.cymem4j.review;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.Test;

/**
 * Empty views with huge axes: NumPy refuses a shape whose non-zero lengths times the item size pass the largest
 * size ("array is too big"), as NativeArray.allocate does. reshape used to take them and wrap its strides (an empty
 * view of [0, 2^63-1] doubles had strides [-8, 8], and a slice of its transpose started 16 bytes before the block);
 * view(DType) threw ArithmeticException.
 */
class ReshapeReviewTest {
    @Test
    void shouldRefuseReshapesWhoseBytesOverflow() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, DType.DOUBLE, 0)) {
            MemoryView empty = a.view();
            for (long[] shape : new long[][] {{0, Long.MAX_VALUE}, {0, 1L << 61}, {1L << 40, 0, 1L << 30}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> empty.reshape(shape));
                assertTrue(e.getMessage().contains(java.util.Arrays.toString(shape)), e.getMessage());
            }
            // the largest that fits: NumPy's np.empty(0).reshape(0, 2**59).strides
            assertArrayEquals(new long[] {1L << 62, 8}, empty.reshape(0, 1L << 59).strides());
        }
    }

    @Test
    void shouldRefuseViewAsOtherTypeWhoseLengthOverflows() {
        try (Pool pool = Pool.open()) {
            Block b = pool.block(pool.alloc(1, 8));
            MemoryView empty = MemoryView.of(b, 0, DType.DOUBLE, new long[] {0, Long.MAX_VALUE}, new long[] {0, 8});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> empty.view(DType.BYTE));
            assertTrue(e.getMessage().contains(String.valueOf(Long.MAX_VALUE)), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> empty.view(DType.CDOUBLE));
            assertTrue(e.getMessage().contains(String.valueOf(Long.MAX_VALUE)), e.getMessage());
        }
    }
}
