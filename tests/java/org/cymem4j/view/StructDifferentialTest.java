package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of struct layouts and PEP 3118 formats against ctypes (this platform's C rules) and NumPy:
 * seeded random declarations (nesting, sub-arrays, byte strings, padding, mixed byte orders, aligned and packed
 * structs) are laid out here and by {@code tests/python/struct_diff.py}. Checked for each: size, alignment and every
 * leaf field's offset against ctypes and NumPy; NumPy's own format for the type read here as NumPy reads it; the
 * format written here read by NumPy as the same dtype; and {@code fromFormat(format())} equal to the type.
 *
 * <p>{@code -Dcymem4j.structs.seed=N} and {@code -Dcymem4j.structs.count=N} (default 2,000) change the run. Needs
 * python3 with NumPy; without them the test fails, saying what to install.
 */
class StructDifferentialTest {
    private static final List<DType> SCALARS = DType.scalars();

    @TempDir
    Path dir;

    /** A random type and its declaration for the Python side, built together. */
    record Decl(DType type, String json) {
    }

    @Test
    void layoutsAndFormatsAgreeWithCtypesAndNumpy() throws Exception {
        long seed = Long.getLong("cymem4j.structs.seed", 20261206L);
        int count = Integer.getInteger("cymem4j.structs.count", 2000);
        String tag = "[seed " + seed + ", -Dcymem4j.structs.seed=" + seed + " reproduces] ";
        Random rnd = new Random(seed);
        List<Decl> decls = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int id = 0; id < count; id++) {
            Decl d = struct(rnd, 0);
            decls.add(d);
            lines.append("{\"id\": ").append(id).append(", \"t\": ").append(d.json).append(", \"fmt\": \"")
                    .append(d.type.format()).append("\"}\n");
        }
        Files.writeString(dir.resolve("decls.jsonl"), lines);
        Python.run(tag, "struct_diff.py", 5, dir.toString());
        List<String> results = Files.readAllLines(dir.resolve("results.txt"));
        assertEquals(count, results.size(), tag + "one result per declaration");
        List<String> mismatches = new ArrayList<>();
        for (String line : results) {
            String[] r = line.split("\\|", -1);
            assertEquals(11, r.length, tag + line);
            int id = Integer.parseInt(r[0]);
            DType t = decls.get(id).type;
            String offsets = offsets(t);
            String what = "#" + id + " " + t.format() + " (" + decls.get(id).json + ")";
            check(mismatches, what, "ctypes size", r[1], Long.toString(t.itemsize()));
            check(mismatches, what, "ctypes alignment", r[2], Integer.toString(t.alignment()));
            check(mismatches, what, "ctypes offsets", r[3], offsets);
            check(mismatches, what, "numpy itemsize", r[4], Long.toString(t.itemsize()));
            check(mismatches, what, "numpy alignment", r[5], Integer.toString(t.alignment()));
            check(mismatches, what, "numpy offsets", r[6], offsets);
            try {
                DType numpys = DType.fromFormat(r[7]);
                check(mismatches, what, "NumPy's format '" + r[7] + "' read here: itemsize", r[8],
                        Long.toString(numpys.itemsize()));
                check(mismatches, what, "NumPy's format '" + r[7] + "' read here: offsets", r[9], offsets(numpys));
            } catch (IllegalArgumentException e) {
                mismatches.add(what + ": NumPy's format '" + r[7] + "' not read: " + e.getMessage());
            }
            check(mismatches, what, "this format read by NumPy", r[10], "ok");
            DType back = DType.fromFormat(t.format());
            if (!back.equals(t)) {
                mismatches.add(what + ": fromFormat(format()) is " + back.format() + ", offsets " + offsets(back));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(tag + mismatches.size() + " mismatches in " + count + " declarations; first ones:\n  "
                    + String.join("\n  ", mismatches.subList(0, Math.min(12, mismatches.size()))));
        }
    }

    private static void check(List<String> mismatches, String what, String property, String theirs, String ours) {
        if (!theirs.equals(ours)) {
            mismatches.add(what + ": " + property + " is " + theirs + " there, " + ours + " here");
        }
    }

    /** Every leaf field's offset, {@code path=offset}, structs flattened with dotted paths, in declaration order. */
    static String offsets(DType t) {
        List<String> out = new ArrayList<>();
        leaves(t, "", 0, out);
        return String.join(",", out);
    }

    private static void leaves(DType t, String prefix, long base, List<String> out) {
        for (DType.Field f : t.fields()) {
            if (f.type().kind() == DType.Kind.STRUCT) {
                leaves(f.type(), prefix + f.name() + ".", base + f.offset(), out);
            } else {
                out.add(prefix + f.name() + "=" + (base + f.offset()));
            }
        }
    }

    static Decl struct(Random rnd, int depth) {
        boolean packed = rnd.nextInt(4) == 0;
        StructBuilder b = DType.struct();
        if (packed) {
            b.packed();
        }
        StringBuilder json = new StringBuilder("{\"k\": \"t\", \"p\": " + (packed ? 1 : 0) + ", \"f\": [");
        int n = 1 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            Decl f = field(rnd, depth);
            String name = "m" + i;
            b.add(name, f.type);
            json.append(i == 0 ? "" : ", ").append("[\"").append(name).append("\", ").append(f.json).append(']');
        }
        return new Decl(b.build(), json.append("]}").toString());
    }

    private static Decl field(Random rnd, int depth) {
        int r = rnd.nextInt(10);
        if (r >= 8 && depth < 3) {
            return struct(rnd, depth + 1);
        }
        if (r == 7) {
            int n = 1 + rnd.nextInt(9);
            return new Decl(DType.bytes(n), "{\"k\": \"b\", \"n\": " + n + "}");
        }
        Decl scalar = scalar(rnd);
        if (r == 6) {
            long[] dims = new long[1 + rnd.nextInt(2)];
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < dims.length; i++) {
                dims[i] = 1 + rnd.nextInt(3);
                d.append(i == 0 ? "" : ", ").append(dims[i]);
            }
            return new Decl(DType.arrayOf(scalar.type, dims), "{\"k\": \"a\", \"e\": " + scalar.json + ", \"d\": [" + d + "]}");
        }
        return scalar;
    }

    private static Decl scalar(Random rnd) {
        DType t = SCALARS.get(rnd.nextInt(SCALARS.size()));
        boolean big = t.itemsize() > 1 && rnd.nextInt(5) == 0;
        if (big) {
            t = t.withOrder(ByteOrder.BIG_ENDIAN);
        }
        return new Decl(t, "{\"k\": \"s\", \"c\": \"" + t.code() + "\", \"be\": " + (big ? 1 : 0) + "}");
    }

    @Test
    void theIssueExampleAndByteOrders() {
        DType row = DType.struct().add("length", DType.ULONG).add("indices", DType.POINTER)
                .add("values", DType.POINTER).build();
        assertEquals(24, row.itemsize());
        assertEquals(8, row.alignment());
        assertEquals("T{L:length:L:indices:L:values:}", row.format());
        assertEquals(row, DType.fromFormat(row.format()));
        assertEquals(8, DType.fromFormat("T{b:a:(2,3)d:m:}").field("m").offset());
        assertEquals(">i", DType.INT.withOrder(ByteOrder.BIG_ENDIAN).format());
        assertEquals(">q", DType.LONG.withOrder(ByteOrder.BIG_ENDIAN).format());
        assertTrue(DType.fromFormat("!h") == DType.SHORT.withOrder(ByteOrder.BIG_ENDIAN));
        assertTrue(DType.fromFormat("<l") == DType.INT, "standard size of 'l' is 4");
        assertTrue(DType.fromFormat("=q") == DType.LONGLONG);
        assertEquals(DType.bytes(5), DType.fromFormat("5s"));
        assertEquals(DType.arrayOf(DType.INT, 2), DType.fromFormat("2i"));
        DType packed = DType.struct().packed().add("a", DType.DOUBLE).add("b", DType.UBYTE).build();
        assertEquals(9, packed.itemsize());
        assertEquals(1, packed.alignment());
        assertEquals(packed, DType.fromFormat(packed.format()));
        assertEquals(8, DType.fromFormat("@bd").field("f1").offset());
        DType nested = DType.struct().add("x", DType.UBYTE).add("pos", DType.struct().add("a", DType.INT)
                .add("b", DType.DOUBLE).build()).build();
        assertEquals(16, nested.field("pos.b").offset());
        assertEquals(DType.DOUBLE, nested.field("pos.b").type());
    }

    @Test
    void badFormatsAreRejectedQuotingTheBadPart() {
        for (String bad : new String[] {"", "T{i:a:", "T{i:a:i:a:}", "k", "(2,i", "g", "O", "=P", "T{}", "T{i:a}", "}"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> DType.fromFormat(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") || bad.isEmpty(), e.getMessage());
        }
    }

    @Test
    void recordTypesAreRefusedByTypedArraysBeforeAnythingIsAllocated() {
        DType row = DType.struct().add("a", DType.INT).add("b", DType.DOUBLE).build();
        // views and NativeArray hold every DType since issue 18 (StructViewTest, ElementTypesTest); the array
        // module's typed arrays hold its 13 types only
        try (org.cymem4j.Pool pool = org.cymem4j.Pool.open()) {
            long p = pool.alloc(1, 64);
            for (DType record : List.of(DType.bytes(3), DType.arrayOf(DType.INT, 2), row)) {
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> org.cymem4j.array.TypedArray.allocate(pool, record, 4), record.format());
            }
            assertEquals(1, pool.liveBlocks(), "a refused type allocated nothing");
        }
    }
}
