package org.cymem4j.examples;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cymem4j.Pool;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Seed 004, "cython中的内存视图" and "内存布局": declaring memoryviews and their memory layout.
 * <ul>
 * <li>{@code view1D = cython.declare(cython.int[:])}, {@code view3D = cython.declare(cython.int[:,:,:])};</li>
 * <li>{@code def process_3d_buffer(view: Optional[cython.int[:,:,:]]=None)};</li>
 * <li>{@code arr = np.array([['0', '1', '2'], ['3', '4', '5']], dtype='S1')}, {@code arr.strides} is {@code (3, 1)};</li>
 * <li>{@code my_memoryview = cython.declare(cython.int[:, :, :], obj)}: direct and strided, the default;</li>
 * <li>{@code c_contiguous = cython.declare(cython.int[:, :, ::1], c_contig)},
 * {@code f_contiguous = cython.declare(cython.int[::1, :, :], f_contig)};</li>
 * <li>{@code cython.int[:, :, ::1]} from {@code myview.copy()}, {@code cython.int[::1, :, :]} from
 * {@code myview.copy_fortran()};</li>
 * <li>{@code cython.declare(cython.int[:, :, ::view.contiguous])}, and the rule that only the first, the last, or the
 * axis after an indirect one may be contiguous.</li>
 * </ul>
 * A declaration is {@link MemoryView#as(String)} with the part between Cython's brackets; it returns the view when
 * the memory has that layout and throws {@link IllegalArgumentException} when it does not, as Cython raises
 * {@code ValueError}. The seed declares {@code cython.int} views on an {@code int8} {@code c_contig}, which Cython
 * would refuse (wrong element type); here {@code c_contig} holds {@code int}s, {@code np.arange(24, dtype='i')}.
 */
public final class MemoryViewLayouts {
    private MemoryViewLayouts() {
    }

    /** {@code np.arange(24, dtype='i').reshape((2, 3, 4))}, C order. */
    static MemoryView cContig(Pool pool) {
        int[] arange24 = new int[24];
        Arrays.setAll(arange24, i -> i);
        return NativeArray.copyOf(pool, arange24, 2, 3, 4).view();
    }

    /** {@code view1D = cython.declare(cython.int[:])}, {@code view3D = cython.declare(cython.int[:,:,:])}. */
    static void declarations(PrintStream out) {
        MemoryView view1D = null;                                         // declared, not yet assigned: None
        MemoryView view3D = null;
        out.println("declared: view1D is " + (view1D == null ? "None" : "set") + ", view3D is "
                + (view3D == null ? "None" : "set"));
        try (Pool pool = Pool.open()) {
            view3D = cContig(pool).as(":,:,:");
            view1D = view3D.slice("1, 2").as(":");                        // a row of view3D: 1 axis
            out.println("assigned: view1D.ndim = " + view1D.ndim() + " " + Arrays.toString(view1D.shape())
                    + ", view3D.ndim = " + view3D.ndim() + " " + Arrays.toString(view3D.shape()));
        }
    }

    /** {@code process_3d_buffer(view: Optional[cython.int[:,:,:]]=None)}: None is allowed, the wrong ndim is not. */
    static String process3dBuffer(MemoryView view) {
        if (view == null) {
            return "process_3d_buffer(None): no buffer";
        }
        MemoryView v = view.as(":,:,:");
        return "process_3d_buffer(view): " + v.ndim() + " axes, " + v.size() + " ints";
    }

    static void optionalParameter(PrintStream out) {
        out.println(process3dBuffer(null));
        try (Pool pool = Pool.open()) {
            MemoryView view = cContig(pool);
            out.println(process3dBuffer(view));
            try {
                process3dBuffer(view.slice("0, 0"));
            } catch (IllegalArgumentException e) {
                out.println("process_3d_buffer(1-D view): refused, " + e.getClass().getSimpleName());
            }
        }
    }

    /** {@code arr = np.array([['0', '1', '2'], ['3', '4', '5']], dtype='S1')}; {@code arr.strides} → {@code (3, 1)}. */
    static void byteStrides(PrintStream out) {
        try (Pool pool = Pool.open()) {
            MemoryView arr = NativeArray.copyOf(pool, "012345".getBytes(StandardCharsets.US_ASCII), 2, 3).view();
            out.println(Arrays.toString(arr.strides()));
            out.println("arr[0, 1] = '" + (char) arr.getByte(0, 1) + "', arr[1, 0] = '" + (char) arr.getByte(1, 0) + "'");
        }
    }

    /** {@code my_memoryview = cython.declare(cython.int[:, :, :], obj)}: any direct strided view fits. */
    static void defaultDeclaration(PrintStream out) {
        try (Pool pool = Pool.open()) {
            MemoryView obj = cContig(pool);
            MemoryView strided = obj.slice("::-1, :, ::2");               // not contiguous in any order
            obj.as(":, :, :");
            strided.as(":, :, :");
            out.println("cython.int[:, :, :] accepts c_contig and c_contig[::-1, :, ::2] (strides "
                    + Arrays.toString(strided.strides()) + ")");
        }
    }

    /** {@code cython.int[:, :, ::1]} on {@code c_contig}, {@code cython.int[::1, :, :]} on {@code f_contig}. */
    static void contiguousDeclarations(PrintStream out) {
        try (Pool pool = Pool.open()) {
            MemoryView cContig = cContig(pool);
            MemoryView fContig = cContig.copyFortran();                   // np.array(c_contig, order='F')
            MemoryView cContiguous = cContig.as(":, :, ::1");
            MemoryView fContiguous = fContig.as("::1, :, :");
            out.println("c_contiguous = cython.int[:, :, ::1]: strides " + Arrays.toString(cContiguous.strides()));
            out.println("f_contiguous = cython.int[::1, :, :]: strides " + Arrays.toString(fContiguous.strides()));
            try {
                fContig.as(":, :, ::1");
            } catch (IllegalArgumentException e) {
                out.println("cython.int[:, :, ::1] on f_contig: refused, it is not C contiguous");
            }
        }
    }

    /** {@code cython.int[:, :, ::1]} from {@code myview.copy()}, {@code cython.int[::1, :, :]} from {@code copy_fortran()}. */
    static void copies(PrintStream out) {
        try (Pool pool = Pool.open()) {
            MemoryView myview = cContig(pool).slice(":, ::-1, 1:");       // strided: neither C nor Fortran order
            out.println("myview = c_contig[:, ::-1, 1:]: shape " + Arrays.toString(myview.shape()) + ", strides "
                    + Arrays.toString(myview.strides()) + ", C " + myview.isCContiguous() + ", F "
                    + myview.isFContiguous());
            MemoryView cContiguous = myview.copy().as(":, :, ::1");
            MemoryView fContiguousSlice = myview.copyFortran().as("::1, :, :");
            out.println("myview.copy(): strides " + Arrays.toString(cContiguous.strides()) + ", equal "
                    + cContiguous.contentEquals(myview) + ", [0, 0, 0] = " + cContiguous.getInt(0, 0, 0)
                    + ", [1, 2, 2] = " + cContiguous.getInt(1, 2, 2));
            out.println("myview.copy_fortran(): strides " + Arrays.toString(fContiguousSlice.strides()) + ", equal "
                    + fContiguousSlice.contentEquals(myview) + ", [0, 0, 0] = " + fContiguousSlice.getInt(0, 0, 0)
                    + ", [1, 2, 2] = " + fContiguousSlice.getInt(1, 2, 2));
        }
    }

    /** {@code cython.int[:, :, ::view.contiguous]}, and where {@code ::1} may not go. */
    static void viewContiguous(PrintStream out) {
        try (Pool pool = Pool.open()) {
            MemoryView cContig = cContig(pool);
            cContig.as(":, :, ::view.contiguous");
            out.println("cython.int[:, :, ::view.contiguous]: accepted, the same as ::1");
            try {
                cContig.as(":, ::1, :");
            } catch (IllegalArgumentException e) {
                out.println("cython.int[:, ::1, :]: " + e.getMessage());
            }
        }
    }

    public static void run(PrintStream out) {
        declarations(out);
        optionalParameter(out);
        byteStrides(out);
        defaultDeclaration(out);
        contiguousDeclarations(out);
        copies(out);
        viewContiguous(out);
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
