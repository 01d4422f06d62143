package org.cymem4j.examples;

import java.io.PrintStream;

import org.cymem4j.Block;
import org.cymem4j.Pool;

/**
 * Seed 002 (cymem's README), "Overview": {@code cdef Pool mem = Pool()},
 * {@code data1 = <int*>mem.alloc(10, sizeof(int))}, {@code data2 = <float*>mem.alloc(12, sizeof(float))}. The pool
 * is "a thin wrapper around the calloc function" (the blocks are zeroed) that "saves the memory addresses internally,
 * and frees them when the object is garbage collected": here, when it is closed.
 */
public final class PoolOverview {
    private PoolOverview() {
    }

    public static void run(PrintStream out) {
        try (Pool mem = Pool.open()) {                                   // cdef Pool mem = Pool()
            long data1 = mem.alloc(10, Integer.BYTES);                  // <int*>mem.alloc(10, sizeof(int))
            long data2 = mem.alloc(12, Float.BYTES);                    // <float*>mem.alloc(12, sizeof(float))
            Block ints = mem.block(data1);
            Block floats = mem.block(data2);
            long intSum = 0;
            for (int i = 0; i < 10; i++) {
                intSum += ints.getInt((long) i * Integer.BYTES);
            }
            double floatSum = 0;
            for (int i = 0; i < 12; i++) {
                floatSum += floats.getFloat((long) i * Float.BYTES);
            }
            out.println("data1 = <int*>mem.alloc(10, sizeof(int)):     " + mem.sizeOf(data1)
                    + " bytes, calloc'd: the ints sum to " + intSum);
            out.println("data2 = <float*>mem.alloc(12, sizeof(float)): " + mem.sizeOf(data2)
                    + " bytes, calloc'd: the floats sum to " + floatSum);
            for (int i = 0; i < 10; i++) {
                ints.putInt((long) i * Integer.BYTES, i * i);
            }
            out.println("data1[9] = " + ints.getInt(9L * Integer.BYTES) + " after data1[i] = i * i");
            out.println("the pool remembers " + mem.liveBlocks() + " addresses, " + mem.liveBytes() + " bytes");
        }
        out.println("the pool expired: it freed both addresses, no free() written");
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
