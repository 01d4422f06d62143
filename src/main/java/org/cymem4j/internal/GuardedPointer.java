package org.cymem4j.internal;

/**
 * A JavaCPP pointer over a pool block ({@code org.cymem4j.javacpp.PoolPointers}) as the core sees it: the block's
 * {@link Span}, which every pointer method checks, and a way to point it at nothing once the block is gone. The core
 * knows pointers only through this interface, so {@code org.cymem4j} needs no JavaCPP type.
 */
public interface GuardedPointer {
    /** The span of the block the pointer covers. */
    Span span();

    /** Zeroes the pointer's address, a second line of defence after its span was invalidated. */
    void disarm();
}
