package org.cymem4j.examples;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * The small examples around the memoryview sections of seeds 000 and 004:
 * <ul>
 * <li>seed 004, "C的array类型": the declarations {@code a = cython.declare(cython.int[5])} and
 * {@code b = cython.declare(cython.int[2][2])} (zeroed here: a pool's blocks are calloc'd), then
 * {@code b = cython.declare(cython.int[2][2], [[1,2],[3,4]])} iterated with
 * {@code for i in b: for j in i: print(j)}, printing 1 2 3 4;</li>
 * <li>seed 004, Python's built-in memoryview: {@code view = memoryview(bytearray(b'Hello, World!'))},
 * {@code view[0] = ord('h')}, printing {@code hello, World!};</li>
 * <li>seed 000, "Accessing / Modifying Memoryviews": {@code cdef int[:] sub_array = my_array[index]} and
 * {@code sub_array[0] = 42}, which writes through to {@code my_array}.</li>
 * </ul>
 */
public final class ArraysAndBuffers {
    private ArraysAndBuffers() {
    }

    public static void run(PrintStream out) {
        try (Pool pool = Pool.open()) {
            // a = cython.declare(cython.int[5]); b = cython.declare(cython.int[2][2])
            MemoryView a5 = NativeArray.allocate(pool, DType.INT, 5).view();
            MemoryView b22 = NativeArray.allocate(pool, DType.INT, 2, 2).view();
            out.println("int[5]: shape " + Arrays.toString(a5.shape()) + ", " + a5.byteSize() + " bytes; int[2][2]: shape "
                    + Arrays.toString(b22.shape()) + ", " + b22.byteSize() + " bytes");

            // b = cython.declare(cython.int[2][2], [[1, 2], [3, 4]]); for i in b: for j in i: print(j)
            MemoryView b = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4}, 2, 2).view();
            for (long i = 0; i < b.shape()[0]; i++) {
                MemoryView row = b.slice(String.valueOf(i));
                for (long j = 0; j < row.shape()[0]; j++) {
                    out.println(row.getInt(j));
                }
            }

            // cdef int[:, :] my_array; cdef int[:] sub_array = my_array[index]; sub_array[0] = 42
            MemoryView myArray = NativeArray.allocate(pool, DType.INT, 3, 4).view();
            MemoryView subArray = myArray.slice("1");
            subArray.putInt(0, 42);
            out.println("my_array[1, 0] = " + myArray.getInt(1, 0) + " after sub_array[0] = 42");
        }

        // data = bytearray(b'Hello, World!'); view = memoryview(data); view[0] = ord('h'); print(data.decode())
        ByteBuffer data = ByteBuffer.allocateDirect(13);
        data.put("Hello, World!".getBytes(StandardCharsets.US_ASCII)).clear();
        MemoryView view = MemoryView.of(data, DType.UBYTE, 13);
        view.putByte(0, (byte) 'h');
        byte[] bytes = new byte[13];
        data.get(bytes);
        out.println(new String(bytes, StandardCharsets.US_ASCII));
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
