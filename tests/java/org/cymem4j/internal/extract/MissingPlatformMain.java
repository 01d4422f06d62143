package org.cymem4j.internal.extract;

import org.cymem4j.Pool;

/** Child JVM of {@link MissingPlatformTest}: the first use of cymem4j, with what it threw printed. */
public final class MissingPlatformMain {
    private MissingPlatformMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            System.out.println("opened " + pool);
        } catch (Throwable t) {
            System.out.println("threw " + t.getClass().getName());
            System.out.println(t.getMessage());
        }
    }
}
