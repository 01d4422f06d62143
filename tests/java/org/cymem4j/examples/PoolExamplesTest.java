package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.Test;

/** Runs each pool-based seed example and checks what it prints against what the seed shows. */
class PoolExamplesTest {


    @Test
    void randomNoiseShouldPrintMallocOkFreeOkThenTheNoise() {
        List<String> lines = Printed.lines(out -> RandomNoise.run(out, 7));
        assertEquals("malloc ok", lines.get(0));
        assertEquals("free ok", lines.get(1));
        Random expected = new Random(7);
        double[] noise = new double[10];
        for (int i = 0; i < 10; i++) {
            noise[i] = expected.nextGaussian();
        }
        assertEquals(Arrays.toString(noise), lines.get(2));
        assertEquals(0, Pools.openCount());
    }

    @Test
    void randomNoiseShouldFreeItsMemoryWhenFillingFails() {
        long before = Pools.liveBlocks();
        Random failing = new Random() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized double nextGaussian() {
                throw new IllegalStateException("no more noise");
            }
        };
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        try {
            RandomNoise.randomNoiseTryFinally(4, failing, out);
        } catch (IllegalStateException expected) {
            assertEquals("no more noise", expected.getMessage());
        }
        assertTrue(sink.toString(StandardCharsets.UTF_8).contains("free ok"));
        assertEquals(before, Pools.liveBlocks());
    }

    @Test
    void someMemoryShouldKeepItsDataWhenResizeFails() {
        List<String> lines = Printed.lines(SomeMemory::run);
        assertEquals("resized to 1000 doubles; data[3] = 2.5, data[999] = 0.0", lines.get(0));
        assertEquals("resize failed (NativeOutOfMemoryError); still 1000 doubles, data[3] = 2.5", lines.get(1));
        try (SomeMemory mem = new SomeMemory(2)) {
            try {
                mem.resize(1L << 57);
            } catch (NativeOutOfMemoryError expected) {
                assertEquals(1L << 60, expected.requestedBytes());
            }
            assertEquals(2, mem.length());
            assertEquals(16, mem.data().byteSize());
        }
    }

    @Test
    void matrixArrayShouldStoreTheMatricesAsCStructsAndFreeEverything() {
        List<List<Map<Long, Double>>> input = MatrixArray.sample();
        try (MatrixArray.Pooled pooled = new MatrixArray.Pooled(input)) {
            assertEquals(input.get(0), pooled.get(0));
            assertEquals(input.get(1), pooled.get(1));
            assertArrayEquals(new long[] {2, 1}, pooled.rowLengths(0));
            assertArrayEquals(new long[] {1}, pooled.rowLengths(1));
            // matrices array + per matrix (struct + rows + indices and values per row)
            assertEquals(1 + (2 + 2 * 2) + (2 + 2 * 1), pooled.liveBlocks());
        }
        try (Pool heap = Pool.open()) {
            try (MatrixArray.Manual manual = new MatrixArray.Manual(heap, input)) {
                assertEquals(input.get(1), manual.get(1));
            }
            assertEquals(0, heap.liveBlocks(), "the hand-written deallocator frees every block");
        }
        List<String> lines = Printed.lines(MatrixArray::run);
        assertEquals("without a pool: matrix 0 = " + input.get(0) + ", 11 blocks to free by hand", lines.get(0));
        assertEquals("the hand-written deallocator left 0 blocks", lines.get(1));
        assertEquals("with a pool: matrix 1 = " + input.get(1) + ", 11 blocks, no deallocator written", lines.get(2));
        assertEquals("matrix 0's row lengths, read as one field view: [2, 1]", lines.get(3));
        assertEquals("closing the pool freed them all", lines.get(4));
        assertEquals("struct SparseRow = T{L:length:L:indices:L:values:}, 24 bytes, values at 16; struct SparseMatrix"
                + " = T{L:length:L:rows:}, 16 bytes", lines.get(5));
    }

    @Test
    void pointersExampleShouldRefuseDoubleFreeAndDanglingReads() {
        List<String> lines = Printed.lines(PointersAndManualFree::run);
        assertEquals("arr[4] = 40", lines.get(0));
        assertEquals("p[0] = 42", lines.get(1));
        assertEquals("double free refused: free(0x...): not a live block of Pool#N (foreign, or already freed); "
                + "nothing was freed", lines.get(2));
        assertEquals("dangling read refused: block 0x... (20 bytes) of Pool#N was freed", lines.get(3));
        assertEquals(0, Pools.openCount());
    }
}
