package org.cymem4j.examples;

import java.io.PrintStream;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PoolPointers;

/**
 * Seeds 000 and 003 ("Working with C Arrays", "Pointers and Manual Memory Management", "Avoid Double Freeing",
 * "Dangling Pointers"): {@code int* arr = malloc(n * sizeof(int)); ... free(arr)}, and the two classic mistakes. In
 * C a double free or a read through a dangling pointer is undefined behaviour (often a crash); here both are
 * refused with an exception, and nothing is freed or read.
 */
public final class PointersAndManualFree {
    private PointersAndManualFree() {
    }

    public static void run(PrintStream out) {
        int n = 5;
        try (Pool mem = Pool.open()) {
            // cdef int* arr = <int*>malloc(n * sizeof(int))
            long arr = mem.alloc(n, Integer.BYTES);
            Block a = mem.block(arr);
            for (int i = 0; i < n; i++) {
                a.putInt((long) i * Integer.BYTES, i * 10);
            }
            out.println("arr[4] = " + a.getInt(4 * Integer.BYTES));
            // sub_array[0] = 42 through a typed pointer, as C code would see it
            IntPointer p = PoolPointers.allocInts(mem, 3);
            p.put(0, 42);
            out.println("p[0] = " + p.get(0));
            mem.free(arr); // free(arr)
            try {
                mem.free(arr); // a double free: refused, nothing freed
            } catch (IllegalArgumentException e) {
                out.println("double free refused: " + e.getMessage().replaceAll("0x[0-9a-f]+", "0x...").replaceAll("Pool#\\d+", "Pool#N"));
            }
            try {
                a.getInt(0); // a dangling pointer: the accessor knows its block is gone
            } catch (IllegalStateException e) {
                out.println("dangling read refused: " + e.getMessage().replaceAll("0x[0-9a-f]+", "0x...").replaceAll("Pool#\\d+", "Pool#N"));
            }
        }
        out.println("pool closed: p, the typed pointer, now refuses too");
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
