package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per snippet of seed 004's "cython内存视图的赋值" and "cython内存视图的索引" sections that
 * {@link MemoryViewSources} ports. The seed prints nothing for them; the expected values are worked out by hand from
 * Cython's semantics (C order, Python slices and negative indices).
 */
class MemoryViewSourcesExampleTest {

    @AfterEach
    void nothingLeftOpen() {
        assertEquals(0, Pools.openCount());
    }

    /** {@code exporting_object = cython.declare(cython.int[3][3][3])}; {@code x = cython.declare(cython.int[:,:,:], ...)}. */
    @Test
    void viewOfACArray() {
        // strides (3*3*4, 3*4, 4); x[2, 1, 0] is element 2*9 + 1*3 + 0 = 21 in C order
        assertEquals(List.of("C array int[3][3][3] as int[:,:,:]: shape [3, 3, 3], strides [36, 12, 4], "
                + "x[2, 1, 0] = 7 is element 21 of the array"), Printed.lines(MemoryViewSources::fromACArray));
    }

    /** {@code cyarr = array(shape=(3, 3, 3), itemsize=sizeof(int), format="i")}; {@code cyarr_view = cython.int[:,:,:]}. */
    @Test
    void viewOfACythonViewArrayWithFormatI() {
        // 27 ints of 4 bytes
        assertEquals(List.of("array(shape=(3, 3, 3), itemsize=sizeof(int), format=\"i\"): format i, itemsize 4, "
                + "shape [3, 3, 3], nbytes 108, base is the array: true"), Printed.lines(MemoryViewSources::fromACythonArray));
    }

    /** {@code a = array.array('i', [1, 2, 3])}; {@code ca = cython.declare(cython.int[:], a)}. */
    @Test
    void oneDimensionalViewOfAPythonArray() {
        assertEquals(List.of("ca = cython.int[:] over array('i', [1, 2, 3]): shape [3], strides [4], ca[1] = 2",
                "after ca[0] = 42: array('i', [42, 2, 3])"), Printed.lines(MemoryViewSources::fromAPythonArray));
    }

    /** {@code partial_view = cython.declare(cython.int[1:102:2,:], exporting_object)}. */
    @Test
    void partialViewOfEveryOtherRowFromRowOne() {
        // rows 1, 3, ..., 101: (101 - 1) / 2 + 1 = 51 rows; row stride 2 * 4 * 4 = 32 bytes;
        // exporting_object[i, j] = 4i + j: [0, 0] is row 1 -> 4, [1, 0] is row 3 -> 12, [-1, 3] is row 101 -> 407
        assertEquals(List.of("partial_view = int[1:102:2, :]: shape [51, 4], strides [32, 4]",
                "partial_view[0, 0] = 4, partial_view[1, 0] = 12, partial_view[-1, 3] = 407"),
                Printed.lines(MemoryViewSources::partialView));
    }

    /** {@code print(buf[1,2])}, {@code print(buf[-1,-2])} over {@code [[1,2,3],[4,5,6],[7,8,9]]}. */
    @Test
    void positiveAndNegativeIndices() {
        // buf[1, 2]: row 1, column 2 -> 6; buf[-1, -2]: last row, second to last column -> 8
        assertEquals(List.of("6", "8"), Printed.lines(MemoryViewSources::indexing));
    }
}
