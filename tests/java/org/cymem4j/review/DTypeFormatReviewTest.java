package org.cymem4j.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

/**
 * Hostile PEP 3118 formats: a nesting bomb used to overflow the stack (StackOverflowError), and structs past
 * Integer.MAX_VALUE bytes were built, then threw ArithmeticException. Each is an IllegalArgumentException quoting the
 * format.
 */
class DTypeFormatReviewTest {
    @Test
    void shouldRefuseANestingBomb() {
        String bomb = "T{".repeat(100_000) + "i:a:" + "}".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromFormat(bomb));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
        String deepest = "T{".repeat(64) + "i:a:" + "}".repeat(64);
        assertEquals(4, DType.fromFormat(deepest).itemsize());
    }

    @Test
    void shouldRefuseStructsPastTheLargestItemSize() {
        for (String f : new String[] {"T{i:a:2147483647x}", "T{2147483647xi:a:}", "2147483647s2147483647s",
            "T{b:a:}T{2147483647s:b:}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromFormat(f), f);
            assertTrue(e.getMessage().contains("'" + f + "'") && e.getMessage().contains("2147483647"),
                    e.getMessage());
        }
        assertEquals(Integer.MAX_VALUE, DType.fromFormat("T{2147483646xb:a:}").itemsize());
    }

    @Test
    void shouldQuoteTheFormatOfATooLargeSubArray() {
        for (String f : new String[] {"(2147483647)d", "T{(65536,65536)i:a:}", "1073741824i"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.fromFormat(f), f);
            assertTrue(e.getMessage().contains("'" + f + "'") && e.getMessage().contains("2147483647"),
                    e.getMessage());
        }
    }
}
