package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.junit.jupiter.api.Test;

/**
 * Every memoryview example of the seeds (000: "Memory management in Cython"; 004: the Cython memory tutorial), with
 * the results printed there. Cython prints shapes padded to 8 axes ({@code [3, 3, 0, 0, 0, 0, 0, 0]}); the
 * assertions use the real axes.
 */
class MemoryViewSeedTest {

    /** 27 ints 0..26 in a 3x3x3 C-order array: {@code np.arange(27, dtype=np.dtype("i")).reshape((3, 3, 3))}. */
    private static MemoryView arange27(Pool pool) {
        int[] data = new int[27];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        return NativeArray.copyOf(pool, data, 3, 3, 3).view();
    }

    private static MemoryView int8Arange24(Pool pool) {
        byte[] data = new byte[24];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        return NativeArray.copyOf(pool, data, 2, 3, 4).view();
    }

    // ---- seed 000: cdef int[:, :] my_array; sub_array = my_array[index]; sub_array[0] = 42 -----------------

    @Test
    void shouldWriteThroughARowViewIntoTheArray() {
        try (Pool pool = Pool.open()) {
            MemoryView myArray = NativeArray.allocate(pool, DType.INT, 4, 5).view();
            int index = 2;
            MemoryView subArray = myArray.slice(Integer.toString(index)); // my_array[index]
            assertArrayEquals(new long[] {5}, subArray.shape());
            subArray.putInt(0, 42);                                        // sub_array[0] = 42
            assertEquals(42, myArray.getInt(2, 0));
            assertEquals(42, myArray.toIntArray()[10]);                      // element (2, 0) in C order
        }
    }

    // ---- seed 004: Python's memoryview over a bytearray ----------------------------------------------------

    @Test
    void shouldModifyABufferThroughAByteView() {
        ByteBuffer data = ByteBuffer.allocateDirect(13);
        data.put("Hello, World!".getBytes(StandardCharsets.US_ASCII)).clear();
        MemoryView view = MemoryView.of(data, DType.UBYTE, 13);
        view.putByte(0, (byte) 'h');                                       // view[0] = ord('h')
        byte[] out = new byte[13];
        data.get(out);
        assertEquals("hello, World!", new String(out, StandardCharsets.US_ASCII));
        assertSame(data, view.base());
    }

    // ---- seed 004: strides of C and Fortran arrays ----------------------------------------------------------

    @Test
    void shouldGiveStridesOfACContiguousByteArray() {
        try (Pool pool = Pool.open()) {
            // np.array([['0', '1', '2'], ['3', '4', '5']], dtype='S1'): arr.strides == (3, 1)
            MemoryView arr = NativeArray.copyOf(pool, "012345".getBytes(StandardCharsets.US_ASCII), 2, 3).view();
            assertArrayEquals(new long[] {3, 1}, arr.strides());
            assertEquals('1', (char) arr.getByte(0, 1));
            assertEquals('3', (char) arr.getByte(1, 0));
        }
    }

    @Test
    void shouldGiveStridesOfCFortranTransposedAndSlicedArrays() {
        try (Pool pool = Pool.open()) {
            MemoryView cContig = int8Arange24(pool);
            assertArrayEquals(new long[] {12, 4, 1}, cContig.strides());     // c_contig.strides

            MemoryView fContig = cContig.copyFortran();                      // np.array(c_contig, order='F')
            assertTrue(fContig.contentEquals(cContig));                      // np.all(f_contig == c_contig)
            assertArrayEquals(new long[] {1, 2, 6}, fContig.strides());      // f_contig.strides
            assertEquals(24, fContig.byteSize());                              // 2*3*4*1 bytes

            assertArrayEquals(new long[] {4, 12, 1}, cContig.transpose(1, 0, 2).strides());

            MemoryView sliced = cContig.slice(":,1,:");                      // c_contig[:,1,:]
            assertArrayEquals(new long[] {12, 1}, sliced.strides());
            assertFalse(sliced.isCContiguous());                             // C_CONTIGUOUS : False
            assertFalse(sliced.isFContiguous());                             // F_CONTIGUOUS : False
        }
    }

    // ---- seed 004: C/Fortran declarations, copy() and copy_fortran() ----------------------------------------

    @Test
    void shouldAcceptContiguousDeclarationsAndCopyIntoThem() {
        try (Pool pool = Pool.open()) {
            MemoryView cContig = int8Arange24(pool);
            MemoryView fContig = cContig.copyFortran();
            cContig.as(":, :, ::1");                                         // cython.int[:, :, ::1]
            fContig.as("::1, :, :");                                         // cython.int[::1, :, :]
            assertThrows(IllegalArgumentException.class, () -> fContig.as(":, :, ::1"));
            cContig.as(":, :, ::view.contiguous");

            MemoryView myview = cContig.slice(":, ::-1, 1:");
            MemoryView c = myview.copy().as(":, :, ::1");                    // myview.copy()
            MemoryView f = myview.copyFortran().as("::1, :, :");             // myview.copy_fortran()
            assertTrue(c.isCContiguous());
            assertTrue(f.isFContiguous());
            assertTrue(c.contentEquals(myview));
            assertTrue(f.contentEquals(myview));
            assertTrue(c.base() instanceof NativeArray);
        }
    }

    @Test
    void shouldEnforceCythonsContiguousAxisPlacement() {
        // only the first, the last, or the axis after an indirect one may be direct and contiguous
        Layout.validate(Layout.parse("::1, :, :"), 3);
        Layout.validate(Layout.parse(":, :, ::1"), 3);
        Layout.validate(Layout.parse("::view.indirect, ::1, :"), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Layout.validate(Layout.parse(":, ::1, :"), 3));
        assertEquals("bad declaration [:, ::view.contiguous, :]: only dimensions 0 and 2 may be contiguous and direct",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layout.validate(Layout.parse("::1, :, ::1"), 3));
        assertEquals("bad declaration [::view.contiguous, :, ::view.contiguous]: only one direct contiguous axis may be specified",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layout.parse(":, ::2"));
        assertTrue(e.getMessage().startsWith("bad axis '::2'"), e.getMessage());
    }

    // ---- seed 004: exporting objects: C array, NumPy array, cython.view.array --------------------------------

    @Test
    void shouldViewACythonArrayOfShape333() {
        try (Pool pool = Pool.open()) {
            // cyarr = array(shape=(3, 3, 3), itemsize=sizeof(int), format="i")
            NativeArray cyarr = NativeArray.allocate(pool, DType.INT, 3, 3, 3);
            MemoryView cyarrView = cyarr.view();
            assertEquals("i", cyarrView.format());
            assertEquals(4, cyarrView.itemsize());
            assertArrayEquals(new long[] {3, 3, 3}, cyarrView.shape());
            assertSame(cyarr, cyarrView.base());
        }
    }

    @Test
    void shouldViewAPythonArrayInOneDimension() {
        // a = array.array('i', [1, 2, 3]); ca = cython.declare(cython.int[:], a)
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            MemoryView ca = a.view();
            assertArrayEquals(new long[] {3}, ca.shape());
            assertArrayEquals(new long[] {4}, ca.strides());
            assertEquals("i", ca.format());
            assertSame(a, ca.base()); // ca.base is a
            assertEquals(a.address(), ca.address());
            assertEquals(2, ca.getInt(1));
            ca.putInt(0, 42);
            assertEquals(42, a.getLong(0));
            a.append(4);                                                     // may move the buffer
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ca.getInt(0));
            assertTrue(e.getMessage().contains("array('i')"), e.getMessage());
            assertArrayEquals(new int[] {42, 2, 3, 4}, a.view().toIntArray());
        }
    }

    @Test
    void shouldLimitAPartialViewToEveryOtherRowFromRowOne() {
        try (Pool pool = Pool.open()) {
            MemoryView exportingObject = NativeArray.allocate(pool, DType.INT, 200, 4).view();
            MemoryView partial = exportingObject.slice("1:102:2, :");         // cython.int[1:102:2, :]
            // rows 1, 3, ..., 101: 51 rows (the seed's prose says 100; Python's slice gives 51)
            assertArrayEquals(new long[] {51, 4}, partial.shape());
            assertArrayEquals(new long[] {32, 4}, partial.strides());
            partial.putInt(50, 3, 7);
            assertEquals(7, exportingObject.getInt(101, 3));
        }
    }

    // ---- seed 004: indexing -----------------------------------------------------------------------------------

    @Test
    void shouldIndexWithPositiveAndNegativeIndices() {
        try (Pool pool = Pool.open()) {
            MemoryView buf = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3).view();
            assertEquals(6, buf.getInt(1, 2));                               // print(buf[1,2])
            assertEquals(8, buf.getInt(-1, -2));                             // print(buf[-1,-2])
            assertEquals(8, buf.slice("-1, -2").getInt());
        }
    }

    @Test
    void shouldReproduceTheNarrViewPrintout() {
        try (Pool pool = Pool.open()) {
            MemoryView narrView = arange27(pool);
            assertEquals(5, narrView.getInt(0, 1, 2));                       // print(narr_view[0,1,2])      -> 5
            assertArrayEquals(new long[] {3, 3}, narrView.slice("1").shape()); // print(narr_view[1].shape)
            assertEquals(9, narrView.slice("1").getInt(0, 0));              // print(narr_view[1][0,0])     -> 9
            assertArrayEquals(new long[] {3, 3}, narrView.slice(":,:,1").shape()); // narr_view[:,:,1].shape
            assertEquals(1, narrView.slice("...,1").getInt(0, 0));          // print(narr_view[...,1][0,0]) -> 1
        }
    }

    // ---- seed 004: None adds axes -------------------------------------------------------------------------------

    @Test
    void shouldAddAxesWithNone() {
        try (Pool pool = Pool.open()) {
            double[] linspace = new double[50];
            for (int i = 0; i < 50; i++) {
                linspace[i] = 10.0 * i / 49;                                  // np.linspace(0, 10, num=50)
            }
            MemoryView myslice = NativeArray.copyOf(pool, linspace).view();
            assertArrayEquals(new long[] {1, 50}, myslice.slice("None, :").shape());
            assertArrayEquals(new long[] {50, 1}, myslice.slice(":, None").shape());      // 2D array with shape (50, 1)
            MemoryView threeD = myslice.slice("None, 10:-20:2, None");                    // 3D array with shape (1, 10, 1)
            assertArrayEquals(new long[] {1, 10, 1}, threeD.shape());
            assertEquals(linspace[10], threeD.getDouble(0, 0, 0));
            assertEquals(linspace[28], threeD.getDouble(0, 9, 0));
        }
    }

    // ---- seed 004: copying by assignment ------------------------------------------------------------------------

    @Test
    void shouldCopyWithEveryAssignmentForm() {
        try (Pool pool = Pool.open()) {
            MemoryView fromView = arange27(pool);
            for (String target : new String[] {"...", ":", ":, :, :"}) {       // to_view[...] / [:] / [:, :, :] = from_view
                MemoryView toView = NativeArray.allocate(pool, DType.INT, 3, 3, 3).view();
                toView.slice(target).copyFrom(fromView);
                assertTrue(toView.contentEquals(fromView), target);
                assertArrayEquals(fromView.toIntArray(), toView.toIntArray(), target);
            }
        }
    }

    // ---- seed 004: attributes -----------------------------------------------------------------------------------

    @Test
    void shouldReproduceTheAttributePrintout() {
        try (Pool pool = Pool.open()) {
            // exporting_object = cython.int[3][3] [[1,2,3],[4,5,6],[7,8,9]]; narr_view = cython.int[:, :]
            NativeArray exportingObject = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
            MemoryView narrView = exportingObject.view();
            assertArrayEquals(new long[] {3, 3}, narrView.shape());         // [3, 3, 0, 0, 0, 0, 0, 0]
            assertArrayEquals(new long[] {12, 4}, narrView.strides());      // [12, 4, 0, 0, 0, 0, 0, 0]
            assertEquals(2, narrView.ndim());                               // 2
            assertEquals(9, narrView.size());                               // 9
            assertSame(exportingObject, narrView.base());                   // <...array object at 0x...>
            assertEquals(NativeArray.class, narrView.base().getClass());    // <class '...array'>
            assertEquals("<MemoryView of 'NativeArray' object>", narrView.T().toString()); // <MemoryView of 'array' object>
            assertArrayEquals(new long[] {-1, -1}, narrView.suboffsets());
            assertEquals(4, narrView.itemsize());
            assertEquals(36, narrView.byteSize());
            assertArrayEquals(new long[] {4, 12}, narrView.T().strides());
            assertEquals(4, narrView.T().getInt(0, 1));
        }
    }
}
