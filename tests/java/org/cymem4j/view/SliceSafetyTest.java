package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/** The index parser reads integers as Python does, and slicing never builds a view past the dimension limit. */
class SliceSafetyTest {

    private static MemoryView iota(Pool pool, int n) {
        long[] values = new long[n];
        for (int k = 0; k < n; k++) {
            values[k] = k;
        }
        return NativeArray.copyOf(pool, values).view();
    }

    @Test
    void shouldRefuseSpacesInsideAnInteger() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, 20);
            for (String bad : new String[] {"1 2", "1_0 0", "- 1 2", "1:1 2", "::1 2", "1 2:", "0, 1 2"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.slice(bad), bad);
                assertTrue(e.getMessage().contains("1 2") || e.getMessage().contains("1_0 0"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.slice("1 2"));
            assertTrue(e.getMessage().contains("'1 2'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Index.parse("3 4"));
        }
    }

    @Test
    void shouldKeepSpacesAroundTokensLegalAsPythonDoes() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, 20);
            assertEquals(12, v.slice(" 12 ").getLong());
            assertEquals(19, v.slice("- 1").getLong());           // Python: a[- 1] is a[-1]
            assertEquals(3, v.slice("+ 3").getLong());
            assertEquals(10, v.slice("1_0").getLong());
            assertArrayEquals(new long[] {2, 4, 6}, v.slice(" 2 : 8 : 2 ").toLongArray());
            assertArrayEquals(new long[] {19, 18}, v.slice("\t: - 3 :\t-1\n").toLongArray());
            assertArrayEquals(new long[] {1, 20}, v.slice(" None , 0 : 20 , ").shape());
            assertEquals(0, v.slice("0").getLong());
            assertEquals(0, v.slice("00").getLong());               // Python allows zeros only
        }
    }

    @Test
    void shouldRefuseIntegersPythonRefuses() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, 20);
            // leading zeros: Python's "leading zeros in decimal integer literals are not permitted"
            for (String bad : new String[] {"01", "-01", "1:007", "0_1"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.slice(bad), bad);
                assertTrue(e.getMessage().contains("'" + bad.substring(bad.indexOf('0')) + "'")
                        || e.getMessage().contains("'" + bad + "'"), e.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseMoreThan32DimensionsAtSliceTime() {
        try (Pool pool = Pool.open()) {
            MemoryView v = iota(pool, 4);
            String thirtyOne = String.join(", ", java.util.Collections.nCopies(31, "None"));
            MemoryView max = v.slice(thirtyOne + ", ...");
            assertEquals(32, max.ndim());
            max.fill(7L);                                                   // the C kernels take 32 axes
            assertArrayEquals(new long[] {7, 7, 7, 7}, v.toLongArray());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.slice("None, " + thirtyOne + ", ..."));
            assertTrue(e.getMessage().contains("33") && e.getMessage().contains("32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> max.slice("None, ..."));
            assertTrue(e.getMessage().contains("33") && e.getMessage().contains("32"), e.getMessage());
            Index[] many = new Index[40];
            Arrays.fill(many, Index.NEW_AXIS);
            e = assertThrows(IllegalArgumentException.class, () -> v.slice(many));
            assertTrue(e.getMessage().contains("41") && e.getMessage().contains("32"), e.getMessage());
            // an integer index removes an axis: 33 items can still give 32 axes
            assertEquals(32, v.slice(thirtyOne + ", None, 0").ndim());
        }
    }
}
