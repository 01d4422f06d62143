package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per snippet of seed 004's "cython中的内存视图" and "内存布局" sections that {@link MemoryViewLayouts}
 * ports. Where the seed prints, the expected line is its output ({@code (3, 1)} is printed {@code [3, 3]}-style, as
 * Cython prints shapes); where it only declares, the values are worked out by hand from C/NumPy layout rules: a
 * C-order int array of shape (2, 3, 4) has strides (3*4*4, 4*4, 4) = (48, 16, 4), a Fortran one (4, 2*4, 2*3*4) =
 * (4, 8, 24).
 */
class MemoryViewLayoutsExampleTest {

    @AfterEach
    void nothingLeftOpen() {
        assertEquals(0, Pools.openCount());
    }

    /** {@code view1D = cython.declare(cython.int[:])}, {@code view3D = cython.declare(cython.int[:,:,:])}. */
    @Test
    void view1DAndView3DDeclarations() {
        assertEquals(List.of("declared: view1D is None, view3D is None",
                "assigned: view1D.ndim = 1 [4], view3D.ndim = 3 [2, 3, 4]"),
                Printed.lines(MemoryViewLayouts::declarations));
    }

    /** {@code def process_3d_buffer(view: Optional[cython.int[:,:,:]]=None)}: None is accepted, 1 axis is not. */
    @Test
    void optionalThreeDimensionalParameter() {
        assertEquals(List.of("process_3d_buffer(None): no buffer",
                "process_3d_buffer(view): 3 axes, 24 ints",
                "process_3d_buffer(1-D view): refused, IllegalArgumentException"),
                Printed.lines(MemoryViewLayouts::optionalParameter));
    }

    /** {@code arr = np.array([['0','1','2'],['3','4','5']], dtype='S1')}; {@code arr.strides} prints {@code (3, 1)}. */
    @Test
    void byteArrayStridesAreThreeAndOne() {
        assertEquals(List.of("[3, 1]", "arr[0, 1] = '1', arr[1, 0] = '3'"), Printed.lines(MemoryViewLayouts::byteStrides));
    }

    /** {@code my_memoryview = cython.declare(cython.int[:, :, :], obj)}: direct, strided; any step fits. */
    @Test
    void defaultDeclarationIsDirectAndStrided() {
        // c_contig[::-1, :, ::2]: strides (-48, 16, 2*4)
        assertEquals(List.of("cython.int[:, :, :] accepts c_contig and c_contig[::-1, :, ::2] (strides [-48, 16, 8])"),
                Printed.lines(MemoryViewLayouts::defaultDeclaration));
    }

    /** {@code cython.int[:, :, ::1]} on c_contig, {@code cython.int[::1, :, :]} on f_contig. */
    @Test
    void cAndFortranContiguousDeclarations() {
        assertEquals(List.of("c_contiguous = cython.int[:, :, ::1]: strides [48, 16, 4]",
                "f_contiguous = cython.int[::1, :, :]: strides [4, 8, 24]",
                "cython.int[:, :, ::1] on f_contig: refused, it is not C contiguous"),
                Printed.lines(MemoryViewLayouts::contiguousDeclarations));
    }

    /** {@code cython.int[:, :, ::1]} = {@code myview.copy()}, {@code cython.int[::1, :, :]} = {@code myview.copy_fortran()}. */
    @Test
    void copyAndCopyFortranGiveContiguousViews() {
        // myview = c_contig[:, ::-1, 1:]: shape (2, 3, 3), strides (48, -16, 4);
        // myview[0, 0, 0] = c_contig[0, 2, 1] = 0*12 + 2*4 + 1 = 9; myview[1, 2, 2] = c_contig[1, 0, 3] = 12 + 3 = 15;
        // a C copy of shape (2, 3, 3) has strides (36, 12, 4), a Fortran one (4, 8, 24)
        assertEquals(List.of("myview = c_contig[:, ::-1, 1:]: shape [2, 3, 3], strides [48, -16, 4], C false, F false",
                "myview.copy(): strides [36, 12, 4], equal true, [0, 0, 0] = 9, [1, 2, 2] = 15",
                "myview.copy_fortran(): strides [4, 8, 24], equal true, [0, 0, 0] = 9, [1, 2, 2] = 15"),
                Printed.lines(MemoryViewLayouts::copies));
    }

    /** {@code cython.declare(cython.int[:, :, ::view.contiguous])}; only the first or last axis may be contiguous. */
    @Test
    void viewContiguousAndItsPlacementRule() {
        assertEquals(List.of("cython.int[:, :, ::view.contiguous]: accepted, the same as ::1",
                "cython.int[:, ::1, :]: bad declaration [:, ::view.contiguous, :]: only dimensions 0 and 2 may be "
                        + "contiguous and direct"),
                Printed.lines(MemoryViewLayouts::viewContiguous));
    }
}
