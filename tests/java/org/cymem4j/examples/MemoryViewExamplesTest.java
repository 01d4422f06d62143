package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.Test;

/** Runs the memoryview seed example and checks each line against what the seeds print. */
class MemoryViewExamplesTest {

    @Test
    void shouldPrintWhatTheCythonTutorialPrints() {
        List<String> lines = Printed.lines(MemoryViews::run);
        assertEquals(List.of(
                "5",                       // print(narr_view[0,1,2])
                "[3, 3]",                  // print(narr_view[1].shape)        [3, 3, 0, 0, 0, 0, 0, 0]
                "9",                       // print(narr_view[1][0,0])
                "[3, 3]",                  // print(narr_view[:,:,1].shape)    [3, 3, 0, 0, 0, 0, 0, 0]
                "1",                       // print(narr_view[...,1][0,0])
                "[1, 50]",                 // myslice[None, :]
                "[50, 1]",                 // myslice[:, None]                 "2D array with shape (50, 1)"
                "[1, 10, 1]",              // myslice[None, 10:-20:2, None]    "3D array with shape (1, 10, 1)"
                "[12, 4, 1]",              // c_contig.strides                 (12, 4, 1)
                "true",                    // np.all(f_contig == c_contig)     True
                "[1, 2, 6]",               // f_contig.strides                 (1, 2, 6)
                "[4, 12, 1]",              // c_contig.transpose((1, 0, 2)).strides
                "[12, 1]",                 // sliced.strides                   (12, 1)
                "C_CONTIGUOUS : false, F_CONTIGUOUS : false",
                "to_view[...] = from_view: true",
                "to_view[:] = from_view: true",
                "to_view[:, :, :] = from_view: true",
                "[3, 3]",                  // print(narr_view.shape)           [3, 3, 0, 0, 0, 0, 0, 0]
                "[12, 4]",                 // print(narr_view.strides)         [12, 4, 0, 0, 0, 0, 0, 0]
                "2",                       // print(narr_view.ndim)
                "9",                       // print(narr_view.size)
                "NativeArray",             // print(type(narr_view.base))      <class '...array'>
                "<MemoryView of 'NativeArray' object>"), // print(narr_view.T) <MemoryView of 'array' object>
                lines);
        assertEquals(0, Pools.openCount());
    }
}
