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
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;

    /**
     * @param message what was asked for, from which allocator
     * @param requestedBytes the size of the failed request in bytes
     */
    public NativeOutOfMemoryError(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /** The size of the request that failed, in bytes. */
    public long requestedBytes() {
        return requestedBytes;
    }
}
