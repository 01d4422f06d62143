package org.cymem4j.examples;

import java.io.PrintStream;

import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;

/**
 * Seeds 001 and 004: {@code SomeMemory} ties a block of doubles to an object's lifetime and {@code resize}s it with
 * realloc, "only overwriting the pointer if the memory was really reallocated": on failure the original block is
 * still valid. In Java the object is {@link AutoCloseable} (its {@code __dealloc__} is {@code close()}), and
 * {@link Pool#realloc} already keeps the old block owned and intact when it throws.
 */
public final class SomeMemory implements AutoCloseable {
    private final Pool pool = Pool.open();
    private long data;
    private long number;

    /** Allocates {@code number} doubles (zeroed here, where the seed's PyMem_Malloc leaves them arbitrary). */
    public SomeMemory(long number) {
        this.data = pool.alloc(number, Double.BYTES);
        this.number = number;
    }

    /** Resizes to {@code newNumber} doubles, keeping the contents; on failure nothing changes. */
    public void resize(long newNumber) {
        long mem = pool.realloc(data, Math.multiplyExact(newNumber, Double.BYTES)); // throws before we overwrite
        data = mem;
        number = newNumber;
    }

    public long length() {
        return number;
    }

    public Block data() {
        return pool.block(data);
    }

    @Override
    public void close() {
        pool.close(); // __dealloc__: PyMem_Free(self.data)
    }

    public static void run(PrintStream out) {
        try (SomeMemory mem = new SomeMemory(4)) {
            mem.data().putDouble(3 * Double.BYTES, 2.5);
            mem.resize(1000);
            out.printf("resized to %d doubles; data[3] = %.1f, data[999] = %.1f%n", mem.length(),
                    mem.data().getDouble(3 * Double.BYTES), mem.data().getDouble(999 * Double.BYTES));
            try {
                mem.resize(1L << 57); // 2^60 bytes: no allocator can provide that
            } catch (NativeOutOfMemoryError e) {
                out.printf("resize failed (%s); still %d doubles, data[3] = %.1f%n", e.getClass().getSimpleName(),
                        mem.length(), mem.data().getDouble(3 * Double.BYTES));
            }
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
