package org.cymem4j.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.junit.jupiter.api.Test;

/**
 * contentEquals of 32-d views whose records hold sub-arrays: comparing them field by field must not build views of
 * more axes than the kernels take (it used to: the sub-array's axes were appended to all 32, and the C compare
 * failed with "unknown status" while the Java path, under the threshold, answered).
 */
class RecordCompareReviewTest {
    private static final DType SUB = DType.arrayOf(DType.SHORT, 2, 2, 2);
    private static final DType BODY = DType.struct().add("m", DType.arrayOf(DType.INT, 2, 2))
            .add("k", DType.arrayOf(DType.DOUBLE, 2, 2, 2, 2)).build();

    private static long[] shape32(int longAxes) {
        long[] shape = new long[32];
        Arrays.fill(shape, 1);
        Arrays.fill(shape, 0, longAxes, 2);
        return shape;
    }

    @Test
    void shouldCompare32dViewsOfSubArrayRecordsOnBothKernelPaths() {
        for (int longAxes : new int[] {0, 5}) { // 1 record: the Java walk; 32 records: the C kernel
            try (Pool pool = Pool.open()) {
                for (DType t : new DType[] {SUB, BODY}) {
                    MemoryView x = NativeArray.allocate(pool, t, shape32(longAxes)).view();
                    MemoryView y = NativeArray.allocate(pool, t, shape32(longAxes)).view();
                    assertEquals(32, x.ndim());
                    assertTrue(x.contentEquals(y), t.format() + " " + longAxes);
                    MemoryView last = y.view(DType.UBYTE); // the last axis re-cut into bytes
                    long[] at = new long[last.ndim()];
                    Arrays.fill(at, -1);
                    last.putByte(at, (byte) 1); // the last byte of the last record
                    assertFalse(x.contentEquals(y), t.format() + " " + longAxes);
                }
            }
        }
    }

    @Test
    void shouldRefuseWithANamedExceptionWhenEveryAxisIsLonger() {
        try (Pool pool = Pool.open()) {
            Block b = pool.block(pool.alloc(1, SUB.itemsize()));
            long[] shape = shape32(32);
            MemoryView x = MemoryView.of(b, 0, SUB, shape, new long[32]); // 2^32 records, all the same bytes
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.contentEquals(x));
            assertTrue(e.getMessage().contains(Arrays.toString(shape)), e.getMessage());
        }
    }
}
