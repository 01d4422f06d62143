package org.cymem4j.view;

/**
 * The memory order of a new array: {@link #C} (row-major, the last index varies fastest; NumPy's and Cython's
 * default, {@code mode="c"}) or {@link #FORTRAN} (column-major, the first index varies fastest, {@code mode="fortran"}).
 *
 * <pre>{@code
 * NativeArray.allocate(pool, DType.INT, Order.FORTRAN, 2, 3).view().strides();   // [4, 8]
 * }</pre>
 */
public enum Order {
    /** Row-major: strides decrease from the first axis to the last. */
    C,
    /** Column-major: strides increase from the first axis to the last. */
    FORTRAN;

    /** Byte strides of a contiguous array of {@code shape} in this order (an axis of length 0 counts as 1, as NumPy does). */
    long[] strides(long[] shape, int itemsize) {
        long[] strides = new long[shape.length];
        long step = itemsize;
        for (int k = 0; k < shape.length; k++) {
            int axis = this == C ? shape.length - 1 - k : k;
            strides[axis] = step;
            if (shape[axis] != 0) {
                step *= shape[axis];
            }
        }
        return strides;
    }
}
