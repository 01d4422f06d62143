package org.cymem4j.examples;

import java.io.PrintStream;
import java.util.Arrays;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Seeds 000 and 004: Cython's typed memoryviews. Prints what the tutorial prints, with the real number of axes where
 * Cython pads shapes and strides to 8 ({@code [3, 3, 0, 0, 0, 0, 0, 0]} is {@code [3, 3]} here):
 *
 * <pre>
 * 5                              narr_view[0,1,2]
 * [3, 3]                         narr_view[1].shape
 * 9                              narr_view[1][0,0]
 * [3, 3]                         narr_view[:,:,1].shape
 * 1                              narr_view[...,1][0,0]
 * </pre>
 *
 * then the {@code None} axes, the strides of C, Fortran, transposed and sliced arrays, the three copy-assignments
 * ({@code to_view[...]}, {@code to_view[:]}, {@code to_view[:, :, :]}) and the attribute printout of a
 * {@code cython.int[3][3]}. The declarations, layouts and {@code copy()}/{@code copy_fortran()} are in
 * {@link MemoryViewLayouts}; the other sources of a view and {@code buf[1, 2]} in {@link MemoryViewSources}.
 */
public final class MemoryViews {
    private MemoryViews() {
    }

    public static void run(PrintStream out) {
        try (Pool pool = Pool.open()) {
            int[] arange27 = new int[27];
            Arrays.setAll(arange27, i -> i);
            // narr = np.arange(27, dtype=np.dtype("i")).reshape((3, 3, 3)); narr_view = cython.int[:, :, :]
            MemoryView narrView = NativeArray.copyOf(pool, arange27, 3, 3, 3).view();
            out.println(narrView.getInt(0, 1, 2));
            out.println(Arrays.toString(narrView.slice("1").shape()));
            out.println(narrView.slice("1").getInt(0, 0));
            out.println(Arrays.toString(narrView.slice(":,:,1").shape()));
            out.println(narrView.slice("...,1").getInt(0, 0));

            // myslice = np.linspace(0, 10, num=50); myslice[None, :], myslice[:, None], myslice[None, 10:-20:2, None]
            double[] linspace = new double[50];
            Arrays.setAll(linspace, i -> 10.0 * i / 49);
            MemoryView myslice = NativeArray.copyOf(pool, linspace).view();
            out.println(Arrays.toString(myslice.slice("None, :").shape()));
            out.println(Arrays.toString(myslice.slice(":, None").shape()));
            out.println(Arrays.toString(myslice.slice("None, 10:-20:2, None").shape()));

            // c_contig = np.arange(24, dtype=np.int8).reshape((2,3,4)); f_contig; transpose; c_contig[:,1,:]
            byte[] arange24 = new byte[24];
            for (int i = 0; i < 24; i++) {
                arange24[i] = (byte) i;
            }
            MemoryView cContig = NativeArray.copyOf(pool, arange24, 2, 3, 4).view();
            MemoryView fContig = cContig.copyFortran();
            out.println(Arrays.toString(cContig.strides()));
            out.println(fContig.contentEquals(cContig));
            out.println(Arrays.toString(fContig.strides()));
            out.println(Arrays.toString(cContig.transpose(1, 0, 2).strides()));
            MemoryView sliced = cContig.slice(":,1,:");
            out.println(Arrays.toString(sliced.strides()));
            out.println("C_CONTIGUOUS : " + sliced.isCContiguous() + ", F_CONTIGUOUS : " + sliced.isFContiguous());

            // to_view[...] = from_view; or to_view[:] = from_view; or to_view[:, :, :] = from_view
            for (String target : new String[] {"...", ":", ":, :, :"}) {
                MemoryView toView = NativeArray.allocate(pool, DType.INT, 3, 3, 3).view();
                toView.slice(target).copyFrom(narrView);
                out.println("to_view[" + target + "] = from_view: " + toView.contentEquals(narrView));
            }

            // exporting_object = cython.int[3][3] [[1,2,3],[4,5,6],[7,8,9]]; narr_view = cython.int[:, :]
            NativeArray exporting = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
            MemoryView view = exporting.view();
            out.println(Arrays.toString(view.shape()));
            out.println(Arrays.toString(view.strides()));
            out.println(view.ndim());
            out.println(view.size());
            out.println(view.base().getClass().getSimpleName());
            out.println(view.T());
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
