package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.internal.HugePages;
import org.cymem4j.internal.Settings;
import org.cymem4j.testing.ChildJvm;
import org.cymem4j.view.DType;
import org.cymem4j.view.NativeArray;
import org.cymem4j.view.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks of 4 MiB and more are advised to the kernel as huge-page memory (madvise MADV_HUGEPAGE, as NumPy advises its
 * arrays): the mapping that holds them shows {@code hg} in {@code /proc/self/smaps}, whichever way the block was made
 * (a pool's alloc, aligned, realloc growth, an N-d array); {@code -Dcymem4j.hugePages=false} (a child JVM: the setting
 * is read once) leaves them unadvised. Needs a Linux kernel with transparent huge pages.
 */
class HugePagesTest {
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTransparentHugePages() throws IOException {
        assumeTrue(Files.exists(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")),
                "this kernel has no transparent huge pages to advise");
        assumeTrue(Files.readString(Path.of("/proc/self/smaps")).contains("\nVmFlags:"),
                "this kernel's /proc/self/smaps shows no mapping flags (an emulated one)");
    }

    /** Whether the mapping holding {@code address} carries the huge-page advice ({@code VmFlags: ... hg}). */
    static boolean advised(long address) throws IOException {
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-'), space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long lo = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long hi = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = Long.compareUnsigned(address, lo) >= 0 && Long.compareUnsigned(address, hi) < 0;
            } else if (inside && line.startsWith("VmFlags:")) {
                return (line + " ").contains(" hg ");
            }
        }
        throw new AssertionError("no mapping holds " + Long.toHexString(address));
    }

    @Test
    void shouldAdviseLargeBlocksWhicheverWayTheyAreMade() throws IOException {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(8 * MIB, 1);
            assertTrue(advised(p + 4 * MIB), "alloc of 8 MiB");
            long a = pool.allocAligned(6 * MIB, 1, 2 * MIB);
            assertTrue(advised(a + 3 * MIB), "allocAligned of 6 MiB at 2 MiB");
            long s = pool.allocAligned(5 * MIB, 1, 16);
            assertTrue(advised(s + 3 * MIB), "allocAligned of 5 MiB at 16 (malloc's own alignment)");
            long small = pool.alloc(MIB, 1);
            pool.block(small).putLong(MIB - 8, 42);
            long grown = pool.realloc(small, 12 * MIB);
            assertTrue(advised(grown + 6 * MIB), "realloc growth to 12 MiB");
            assertEquals(42, pool.block(grown).getLong(MIB - 8), "the contents survive");
            assertEquals(0, pool.block(grown).getLong(12 * MIB - 8), "the growth is zero");
            NativeArray m = NativeArray.allocate(pool, DType.DOUBLE, Order.C, 1024, 1024);
            assertTrue(advised(m.address() + m.byteSize() / 2), "an 8 MiB N-d array");
        }
    }

    @Test
    void shouldSayInCymem4jInfoWhatIsAdvised() {
        assertTrue(HugePages.describe().startsWith("advised for blocks of 4 MiB and more; kernel transparent huge "
                + "pages: "), HugePages.describe());
    }

    // A value other than true or false: SettingsTest, with every other cymem4j.* property.

    @Test
    void shouldAdviseNothingWithThePropertyFalse() throws Exception {
        ChildJvm.Result r = ChildJvm.run(HugePagesMain.class, List.of("-D" + Settings.HUGE_PAGES_PROPERTY + "=false"), Map.of(),
                null, dir);
        assertEquals(0, r.exit(), r.out() + "\n" + r.err());
        assertEquals("advised=false\nhuge pages: off (-Dcymem4j.hugePages=false)", r.out().lines()
                .filter(l -> l.startsWith("advised=") || l.startsWith("huge pages:"))
                .reduce((x, y) -> x + "\n" + y).orElse(""));
    }
}
