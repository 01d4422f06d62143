package org.cymem4j.examples;

import java.io.PrintStream;
import java.util.Arrays;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Seed 004, "cython内存视图的赋值" and "cython内存视图的索引": what a memoryview can be assigned from, and indexing.
 * <ul>
 * <li>{@code exporting_object = cython.declare(cython.int[3][3][3])}, {@code x = cython.declare(cython.int[:,:,:],
 * exporting_object)}: a C array;</li>
 * <li>{@code cyarr = array(shape=(3, 3, 3), itemsize=sizeof(int), format="i")} from {@code cython.view}, viewed as
 * {@code cython.int[:,:,:]};</li>
 * <li>{@code a = array.array('i', [1, 2, 3])}, {@code ca = cython.declare(cython.int[:], a)}: a Python array, one
 * axis only;</li>
 * <li>{@code partial_view = cython.declare(cython.int[1:102:2,:], exporting_object)};</li>
 * <li>{@code buf = cython.declare(cython.int[:,:], exporting_object)}, {@code print(buf[1,2])},
 * {@code print(buf[-1,-2])}.</li>
 * </ul>
 * (The NumPy source, {@code narr_view}, is in {@link MemoryViews}.) The seed leaves the indexed
 * {@code exporting_object} unnamed; here it is the tutorial's {@code [[1,2,3],[4,5,6],[7,8,9]]}, so {@code buf[1,2]}
 * is 6 and {@code buf[-1,-2]} is 8. For {@code partial_view} it is a 200x4 array holding 0, 1, 2, ...: rows 1, 3,
 * ..., 101 are 51 rows (the seed's prose says 100; Python's {@code 1:102:2} gives 51).
 */
public final class MemoryViewSources {
    private MemoryViewSources() {
    }

    /** {@code exporting_object = cython.declare(cython.int[3][3][3])}; {@code x = cython.int[:,:,:]} over it. */
    static void fromACArray(PrintStream out) {
        try (Pool pool = Pool.open()) {
            NativeArray exportingObject = NativeArray.allocate(pool, DType.INT, 3, 3, 3);
            MemoryView x = exportingObject.view().as(":,:,:");
            x.putInt(2, 1, 0, 7);
            out.println("C array int[3][3][3] as int[:,:,:]: shape " + Arrays.toString(x.shape()) + ", strides "
                    + Arrays.toString(x.strides()) + ", x[2, 1, 0] = 7 is element "
                    + Arrays.stream(exportingObject.view().toIntArray()).boxed().toList().indexOf(7)
                    + " of the array");
        }
    }

    /** {@code cyarr = cython.view.array(shape=(3, 3, 3), itemsize=sizeof(int), format="i")}. */
    static void fromACythonArray(PrintStream out) {
        try (Pool pool = Pool.open()) {
            NativeArray cyarr = NativeArray.allocate(pool, DType.fromFormat("i"), 3, 3, 3);
            MemoryView cyarrView = cyarr.view().as(":,:,:");
            out.println("array(shape=(3, 3, 3), itemsize=sizeof(int), format=\"i\"): format " + cyarrView.format()
                    + ", itemsize " + cyarrView.itemsize() + ", shape " + Arrays.toString(cyarrView.shape())
                    + ", nbytes " + cyarrView.byteSize() + ", base is the array: " + (cyarrView.base() == cyarr));
        }
    }

    /** {@code a = array.array('i', [1, 2, 3])}; {@code ca = cython.declare(cython.int[:], a)}. */
    static void fromAPythonArray(PrintStream out) {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView ca = a.view().as(":");
            out.println("ca = cython.int[:] over array('i', [1, 2, 3]): shape " + Arrays.toString(ca.shape())
                    + ", strides " + Arrays.toString(ca.strides()) + ", ca[1] = " + ca.getInt(1));
            ca.putInt(0, 42);                                            // writes through to the array
            out.println("after ca[0] = 42: " + a);
        }
    }

    /** {@code partial_view = cython.declare(cython.int[1:102:2,:], exporting_object)}. */
    static void partialView(PrintStream out) {
        try (Pool pool = Pool.open()) {
            int[] values = new int[200 * 4];
            Arrays.setAll(values, i -> i);                               // exporting_object[i, j] == 4 * i + j
            MemoryView exportingObject = NativeArray.copyOf(pool, values, 200, 4).view();
            MemoryView partialView = exportingObject.slice("1:102:2, :");
            out.println("partial_view = int[1:102:2, :]: shape " + Arrays.toString(partialView.shape())
                    + ", strides " + Arrays.toString(partialView.strides()));
            out.println("partial_view[0, 0] = " + partialView.getInt(0, 0) + ", partial_view[1, 0] = "
                    + partialView.getInt(1, 0) + ", partial_view[-1, 3] = " + partialView.getInt(-1, 3));
        }
    }

    /** {@code buf = cython.declare(cython.int[:,:], exporting_object)}; {@code print(buf[1,2])}; {@code print(buf[-1,-2])}. */
    static void indexing(PrintStream out) {
        try (Pool pool = Pool.open()) {
            NativeArray exportingObject = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
            MemoryView buf = exportingObject.view().as(":,:");
            out.println(buf.getInt(1, 2));                               // print(buf[1,2])
            out.println(buf.getInt(-1, -2));                             // print(buf[-1,-2])
        }
    }

    public static void run(PrintStream out) {
        fromACArray(out);
        fromACythonArray(out);
        fromAPythonArray(out);
        partialView(out);
        indexing(out);
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
