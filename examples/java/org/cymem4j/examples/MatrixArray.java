package org.cymem4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;

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
 *
 * <p>The structs are declared once as {@link DType}s, laid out by the C rules as the compiler would, and read and
 * written by field name: {@code rows.field("length").putLong(i, n)} is Cython's {@code rows[i].length = n}. A
 * pointer field holds an address, which {@code mem.block(address)} turns back into the memory it points to.
 */
public final class MatrixArray {
    /** {@code struct SparseRow}: size_t is an unsigned long here, and a pointer an address of the same size. */
    static final DType SPARSE_ROW = DType.struct().add("length", DType.ULONG).add("indices", DType.POINTER)
            .add("values", DType.POINTER).build();
    /** {@code struct SparseMatrix}. */
    static final DType SPARSE_MATRIX = DType.struct().add("length", DType.ULONG).add("rows", DType.POINTER).build();

    private MatrixArray() {
    }

    /** {@code <SparseMatrix*>}: the one struct at address {@code sm}, as a view of one record. */
    static MemoryView matrixAt(Pool mem, long sm) {
        return MemoryView.of(mem.block(sm), SPARSE_MATRIX, 1);
    }

    /** {@code <SparseRow*>}: the {@code n} row structs at address {@code rows}. */
    static MemoryView rowsAt(Pool mem, long rows, long n) {
        return MemoryView.of(mem.block(rows), SPARSE_ROW, n);
    }

    /** {@code sparse_matrix_init}: the same code serves both versions, since both take the allocating pool. */
    static long sparseMatrixInit(Pool mem, List<Map<Long, Double>> pyMatrix) {
        long sm = mem.alloc(1, SPARSE_MATRIX.itemsize());
        long rows = mem.alloc(pyMatrix.size(), SPARSE_ROW.itemsize());
        MemoryView matrix = matrixAt(mem, sm);
        matrix.field("length").putLong(0, pyMatrix.size());       // sm.length = len(py_matrix)
        matrix.field("rows").putLong(0, rows);                     // sm.rows = rows
        MemoryView row = rowsAt(mem, rows, pyMatrix.size());
        MemoryView lengths = row.field("length");                  // rows[:].length, one strided view
        for (int i = 0; i < pyMatrix.size(); i++) {
            Map<Long, Double> pyRow = pyMatrix.get(i);
            long indices = mem.alloc(pyRow.size(), Long.BYTES);
            long values = mem.alloc(pyRow.size(), Double.BYTES);
            lengths.putLong(i, pyRow.size());                      // rows[i].length = len(py_row)
            row.field("indices").putLong(i, indices);              // rows[i].indices = <size_t*>mem.alloc(...)
            row.field("values").putLong(i, values);
            MemoryView idx = MemoryView.of(mem.block(indices), DType.ULONG, pyRow.size());
            MemoryView val = MemoryView.of(mem.block(values), DType.DOUBLE, pyRow.size());
            int j = 0;
            for (Map.Entry<Long, Double> e : pyRow.entrySet()) {
                idx.putLong(j, e.getKey());
                val.putDouble(j, e.getValue());
                j++;
            }
        }
        return sm;
    }

    /** Reads matrix {@code m} back out of native memory, following the pointers, as the seed's input shape. */
    static List<Map<Long, Double>> read(Pool mem, long matrices, int m) {
        long sm = MemoryView.of(mem.block(matrices), DType.POINTER, m + 1).getLong(m);
        MemoryView matrix = matrixAt(mem, sm);
        long n = matrix.field("length").getLong(0);
        MemoryView rows = rowsAt(mem, matrix.field("rows").getLong(0), n);
        List<Map<Long, Double>> result = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            long length = rows.field("length").getLong(i);
            MemoryView indices = MemoryView.of(mem.block(rows.field("indices").getLong(i)), DType.ULONG, length);
            MemoryView values = MemoryView.of(mem.block(rows.field("values").getLong(i)), DType.DOUBLE, length);
            Map<Long, Double> pyRow = new LinkedHashMap<>();
            for (long j = 0; j < length; j++) {
                pyRow.put(indices.getLong(j), values.getDouble(j));
            }
            result.add(pyRow);
        }
        return result;
    }

    /** {@code SparseMatrix**}: the array of matrix pointers at {@code matrices}. */
    static MemoryView pointersAt(Pool mem, long matrices, long n) {
        return MemoryView.of(mem.block(matrices), DType.POINTER, n);
    }

    /** The version without cymem: a deallocator that must free every struct, in the right order. */
    public static final class Manual implements AutoCloseable {
        private final Pool heap; // stands in for malloc/free; every block must be freed by hand
        private final int length;
        private final long matrices;

        public Manual(Pool heap, List<List<Map<Long, Double>>> pyMatrices) {
            this.heap = heap;
            this.length = pyMatrices.size();
            this.matrices = heap.alloc(length, Long.BYTES);
            for (int i = 0; i < length; i++) {
                pointersAt(heap, matrices, length).putLong(i, sparseMatrixInit(heap, pyMatrices.get(i)));
            }
        }

        public List<Map<Long, Double>> get(int i) {
            return read(heap, matrices, i);
        }

        /** {@code __dealloc__}: walk, free each matrix, then the array. Easy to get wrong: that is the point. */
        @Override
        public void close() {
            for (int i = 0; i < length; i++) {
                sparseMatrixFree(heap, pointersAt(heap, matrices, length).getLong(i));
            }
            heap.free(matrices);
        }

        private static void sparseMatrixFree(Pool heap, long sm) {
            MemoryView matrix = matrixAt(heap, sm);
            long rows = matrix.field("rows").getLong(0);
            MemoryView row = rowsAt(heap, rows, matrix.field("length").getLong(0));
            for (long i = 0; i < row.size(); i++) {
                heap.free(row.field("indices").getLong(i));
                heap.free(row.field("values").getLong(i));
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
            matrices = mem.alloc(pyMatrices.size(), Long.BYTES);
            MemoryView pointers = pointersAt(mem, matrices, pyMatrices.size());
            for (int i = 0; i < pyMatrices.size(); i++) {
                pointers.putLong(i, sparseMatrixInit(mem, pyMatrices.get(i)));
            }
        }

        public List<Map<Long, Double>> get(int i) {
            return read(mem, matrices, i);
        }

        public long liveBlocks() {
            return mem.liveBlocks();
        }

        /** Every row's {@code length} of matrix {@code i} at once: one strided view of a field ({@code rows[:].length}). */
        public long[] rowLengths(int i) {
            MemoryView matrix = matrixAt(mem, pointersAt(mem, matrices, i + 1).getLong(i));
            return rowsAt(mem, matrix.field("rows").getLong(0), matrix.field("length").getLong(0))
                    .field("length").toLongArray();
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
            out.println("matrix 0's row lengths, read as one field view: " + Arrays.toString(pooled.rowLengths(0)));
        }
        out.println("closing the pool freed them all");
        out.println("struct SparseRow = " + SPARSE_ROW.format() + ", " + SPARSE_ROW.itemsize() + " bytes, values at "
                + SPARSE_ROW.field("values").offset() + "; struct SparseMatrix = " + SPARSE_MATRIX.format() + ", "
                + SPARSE_MATRIX.itemsize() + " bytes");
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
