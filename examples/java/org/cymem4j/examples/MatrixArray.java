package org.cymem4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cymem4j.Block;
import org.cymem4j.Pool;

/**
 * Seed 002 (cymem's README), "An array of structs": a sequence of sparse matrices as real C structs
 * <pre>
 * struct SparseRow    { size_t length; size_t* indices; double* values; };   // 24 bytes
 * struct SparseMatrix { size_t length; SparseRow* rows; };                   // 16 bytes
 * SparseMatrix** matrices;
 * </pre>
 * built twice. {@link Manual} is the README's first version: every struct is allocated on its own and a
 * hand-written deallocator must walk the structure to free each one (here "the heap" is a pool whose blocks we free
 * one by one, so the example can count what the deallocator missed). {@link Pooled} is the cymem version: every
 * allocation comes from the MatrixArray's own pool, and there is no deallocator at all: closing the pool frees
 * everything.
 */
public final class MatrixArray {
    static final int ROW_LENGTH = 0, ROW_INDICES = 8, ROW_VALUES = 16, ROW_SIZE = 24;
    static final int MATRIX_LENGTH = 0, MATRIX_ROWS = 8, MATRIX_SIZE = 16;
    static final int POINTER = 8;

    private MatrixArray() {
    }

    /** {@code sparse_matrix_init}: the same code serves both versions, since both take the allocating pool. */
    static long sparseMatrixInit(Pool mem, List<Map<Long, Double>> pyMatrix) {
        long sm = mem.alloc(1, MATRIX_SIZE);
        long rows = mem.alloc(pyMatrix.size(), ROW_SIZE);
        mem.block(sm).putLong(MATRIX_LENGTH, pyMatrix.size());
        mem.block(sm).putLong(MATRIX_ROWS, rows);
        Block rowStructs = mem.block(rows);
        for (int i = 0; i < pyMatrix.size(); i++) {
            Map<Long, Double> pyRow = pyMatrix.get(i);
            long indices = mem.alloc(pyRow.size(), Long.BYTES);
            long values = mem.alloc(pyRow.size(), Double.BYTES);
            rowStructs.putLong((long) i * ROW_SIZE + ROW_LENGTH, pyRow.size());
            rowStructs.putLong((long) i * ROW_SIZE + ROW_INDICES, indices);
            rowStructs.putLong((long) i * ROW_SIZE + ROW_VALUES, values);
            int j = 0;
            for (Map.Entry<Long, Double> e : pyRow.entrySet()) {
                mem.block(indices).putLong((long) j * Long.BYTES, e.getKey());
                mem.block(values).putDouble((long) j * Double.BYTES, e.getValue());
                j++;
            }
        }
        return sm;
    }

    /** Reads matrix {@code m} back out of native memory, following the pointers, as the seed's input shape. */
    static List<Map<Long, Double>> read(Pool mem, long matrices, int m) {
        long sm = mem.block(matrices).getLong((long) m * POINTER);
        long rows = mem.block(sm).getLong(MATRIX_ROWS);
        List<Map<Long, Double>> result = new ArrayList<>();
        for (long i = 0; i < mem.block(sm).getLong(MATRIX_LENGTH); i++) {
            Block row = mem.block(rows);
            long n = row.getLong(i * ROW_SIZE + ROW_LENGTH);
            Block indices = mem.block(row.getLong(i * ROW_SIZE + ROW_INDICES));
            Block values = mem.block(row.getLong(i * ROW_SIZE + ROW_VALUES));
            Map<Long, Double> pyRow = new LinkedHashMap<>();
            for (long j = 0; j < n; j++) {
                pyRow.put(indices.getLong(j * Long.BYTES), values.getDouble(j * Double.BYTES));
            }
            result.add(pyRow);
        }
        return result;
    }

    /** The version without cymem: a deallocator that must free every struct, in the right order. */
    public static final class Manual implements AutoCloseable {
        private final Pool heap; // stands in for malloc/free; every block must be freed by hand
        private final int length;
        private final long matrices;

        public Manual(Pool heap, List<List<Map<Long, Double>>> pyMatrices) {
            this.heap = heap;
            this.length = pyMatrices.size();
            this.matrices = heap.alloc(length, POINTER);
            for (int i = 0; i < length; i++) {
                heap.block(matrices).putLong((long) i * POINTER, sparseMatrixInit(heap, pyMatrices.get(i)));
            }
        }

        public List<Map<Long, Double>> get(int i) {
            return read(heap, matrices, i);
        }

        /** {@code __dealloc__}: walk, free each matrix, then the array. Easy to get wrong: that is the point. */
        @Override
        public void close() {
            for (int i = 0; i < length; i++) {
                sparseMatrixFree(heap, heap.block(matrices).getLong((long) i * POINTER));
            }
            heap.free(matrices);
        }

        private static void sparseMatrixFree(Pool heap, long sm) {
            long rows = heap.block(sm).getLong(MATRIX_ROWS);
            for (long i = 0; i < heap.block(sm).getLong(MATRIX_LENGTH); i++) {
                heap.free(heap.block(rows).getLong(i * ROW_SIZE + ROW_INDICES));
                heap.free(heap.block(rows).getLong(i * ROW_SIZE + ROW_VALUES));
            }
            heap.free(rows);
            heap.free(sm);
        }
    }

    /** The cymem version: the pool remembers every address; no deallocator is written. */
    public static final class Pooled implements AutoCloseable {
        private final Pool mem = Pool.open();
        private final long matrices;

        public Pooled(List<List<Map<Long, Double>>> pyMatrices) {
            matrices = mem.alloc(pyMatrices.size(), POINTER);
            for (int i = 0; i < pyMatrices.size(); i++) {
                mem.block(matrices).putLong((long) i * POINTER, sparseMatrixInit(mem, pyMatrices.get(i)));
            }
        }

        public List<Map<Long, Double>> get(int i) {
            return read(mem, matrices, i);
        }

        public long liveBlocks() {
            return mem.liveBlocks();
        }

        @Override
        public void close() {
            mem.close(); // every struct, row, index and value array: freed here
        }
    }

    static List<List<Map<Long, Double>>> sample() {
        Map<Long, Double> r0 = new LinkedHashMap<>();
        r0.put(0L, 1.0);
        r0.put(3L, 2.5);
        Map<Long, Double> r1 = new LinkedHashMap<>();
        r1.put(1L, -1.0);
        Map<Long, Double> r2 = new LinkedHashMap<>();
        r2.put(2L, 4.0);
        return List.of(List.of(r0, r1), List.of(r2));
    }

    public static void run(PrintStream out) {
        List<List<Map<Long, Double>>> pyMatrices = sample();
        try (Pool heap = Pool.open()) {
            try (Manual manual = new Manual(heap, pyMatrices)) {
                out.println("without a pool: matrix 0 = " + manual.get(0) + ", " + heap.liveBlocks()
                        + " blocks to free by hand");
            }
            out.println("the hand-written deallocator left " + heap.liveBlocks() + " blocks");
        }
        try (Pooled pooled = new Pooled(pyMatrices)) {
            out.println("with a pool: matrix 1 = " + pooled.get(1) + ", " + pooled.liveBlocks()
                    + " blocks, no deallocator written");
        }
        out.println("closing the pool freed them all");
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
