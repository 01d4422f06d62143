package org.cymem4j;

/**
 * The native allocator could not provide the memory asked for. The message says how many bytes were requested
 * and by which allocator; nothing was allocated, and the pool is as it was before the call.
 *
 * <pre>{@code
 * try (Pool pool = Pool.open()) {
 *     pool.alloc(1L << 50, 1);   // throws NativeOutOfMemoryError: 1125899906842624 bytes ...
 * }
 * }</pre>
 */
public class NativeOutOfMemoryError extends OutOfMemoryError {
    /** The serialization version. */
    private static final long serialVersionUID = 1L;

    /** The size of the failed request in bytes. */
    private final long requestedBytes;

    /**
     * An error for a failed native allocation.
     *
     * @param message what was asked for, from which allocator
     * @param requestedBytes the size of the failed request in bytes
     */
    public NativeOutOfMemoryError(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /**
     * The size of the request that failed, in bytes.
     *
     * @return the size of the request that failed, in bytes
     */
    public long requestedBytes() {
        return requestedBytes;
    }
}
