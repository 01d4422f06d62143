package org.cymem4j.consumer;

import org.cymem4j.Pool;

/**
 * Run in a child JVM by {@link NativeConsumerTest}: opening a pool resolves the configured allocator; the consumer
 * library (native code using cymem4j.h) then reports which allocator {@code cym_allocator_default()} gives it.
 */
public final class ConsumerDefaultMain {
    private ConsumerDefaultMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            System.out.println("java=" + pool.allocatorName() + " native=" + ConsumerLibrary.defaultAllocatorName());
        }
    }
}
