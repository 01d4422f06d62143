package org.cymem4j;

import org.cymem4j.internal.Checks;

/**
 * One block of zeroed native memory that owns itself (cymem's {@code Address}): allocated when constructed, freed
 * by {@link #close()} (or by the Cleaner, with a leak warning, if it becomes unreachable first). Read and write it
 * with the {@link NativeMemory} accessors; hand {@link #address()} to C. Confined to the creating thread.
 *
 * <pre>{@code
 * try (Address a = new Address(10, Double.BYTES)) {
 *     a.putDouble(0, 1.5);
 *     nativeLibrary.fill(a.address(), 10);
 * }                                    // freed here
 * }</pre>
 */
public final class Address extends NativeMemory implements AutoCloseable {
    /**
     * Allocates {@code count * elemSize} zeroed bytes with the system allocator.
     *
     * @param count the number of elements, {@code >= 0}
     * @param elemSize the size of one element in bytes, {@code >= 0}
     * @throws IllegalArgumentException if either argument is negative or their product overflows
     * @throws NativeOutOfMemoryError if the allocation fails
     */
    public Address(long count, long elemSize) {
        this(Pool.open(), count, elemSize);
    }

    private Address(Pool own, long count, long elemSize) {
        super(own, allocOrClose(own, count, elemSize), Checks.byteSize(count, elemSize));
    }

    private static long allocOrClose(Pool own, long count, long elemSize) {
        try {
            return own.alloc(count, elemSize);
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    /** Frees the memory. Idempotent; afterwards every accessor throws {@link IllegalStateException}. */
    @Override
    public void close() {
        if (pool.isOpen()) {
            pool.scope().checkThread(); // a confined Address's exports end only with its own close
            span.suspendExports(); // the pool's close only revokes pool.block() accessors; this span is the Address's
        }
        pool.close();
    }

    @Override
    String describe() {
        return "Address " + Checks.hex(address) + " (" + bytes + " bytes" + (pool.isOpen() ? ")" : ", closed)");
    }
}
