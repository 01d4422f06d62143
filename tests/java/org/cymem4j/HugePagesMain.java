package org.cymem4j;

import org.cymem4j.internal.HugePages;

/** {@link HugePagesTest}'s child JVM: whether an 8 MiB block is advised, and what {@code cymem4j info} says. */
public final class HugePagesMain {
    private HugePagesMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(8 * HugePagesTest.MIB, 1);
            System.out.println("advised=" + HugePagesTest.advised(p + 4 * HugePagesTest.MIB));
        }
        String said = HugePages.describe();
        System.out.println("huge pages: " + said.substring(0, said.indexOf(';')));
    }
}
