package org.cymem4j.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile struct declarations: offsets and sizes a view could not address must be refused when declared. */
class StructBuilderReviewTest {
    @Test
    void shouldRefuseAFieldWhoseEndOverflows(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(StructOffsetOverflowMain.class, List.of(), Map.of(), null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("java.lang.IllegalArgumentException: field 'far' at offset " + (Long.MAX_VALUE - 2)
                + " (4 bytes) ends past the largest struct, " + Integer.MAX_VALUE + " bytes", r.out());
    }

    @Test
    void shouldRefuseAFieldPastTheLargestStruct() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DType.struct().addAt("x", 1L << 40, DType.DOUBLE));
        assertTrue(e.getMessage().contains("offset " + (1L << 40)), e.getMessage());
        // the largest that fits is still a struct
        assertEquals(Integer.MAX_VALUE, DType.struct().packed().addAt("x", Integer.MAX_VALUE - 8L, DType.DOUBLE).build()
                .itemsize());
    }

    @Test
    void shouldRefuseTypesLargerThanAnItemSizeWithAnIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DType.struct().add("a", DType.INT).itemsize(1L << 32).build());
        assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DType.struct().addAt("x", Integer.MAX_VALUE - 8L, DType.DOUBLE).build()); // aligned: 2^31
        assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DType.arrayOf(DType.DOUBLE, 1L << 28));
        assertTrue(e.getMessage().contains("[268435456]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DType.arrayOf(DType.DOUBLE, Long.MAX_VALUE / 2, 4));
        assertTrue(e.getMessage().contains("[" + Long.MAX_VALUE / 2 + ", 4]"), e.getMessage());
        assertEquals(Integer.MAX_VALUE - 7, DType.arrayOf(DType.BYTE, Integer.MAX_VALUE - 7).itemsize());
    }
}
