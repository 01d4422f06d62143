package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cymem4j.Pool;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .npy} files of every element type against NumPy ({@code tests/python/npy_dtypes.py}): bool, float16,
 * complex, byte strings, {@code wchar_t}, big-endian scalars, aligned, packed, nested, sub-array and explicit-offset
 * structs, field names that need quoting, Latin-1 and UTF-8 (format 3.0), and a header over 64 KiB (format 2.0).
 * Files NumPy saved read as NumPy holds them (layout, shape, order, bytes); written back they are byte-identical
 * to NumPy's; {@code np.load} reads them back equal. Plus descr errors and the mapped struct and big-endian files.
 */
class NpyDtypesTest {
    private static final DType INT_BE = DType.INT.withOrder(ByteOrder.BIG_ENDIAN);

    @TempDir
    Path dir;

    @Test
    void numpysFilesReadAsNumpyHoldsThemAndWriteBackByteForByte() throws Exception {
        Python.run("", "npy_dtypes.py", 2, "save", dir.toString());
        List<String> manifest = Files.readAllLines(dir.resolve("manifest.txt"), StandardCharsets.UTF_8);
        assertEquals(26, manifest.size(), "one line per case");
        List<String> problems = new ArrayList<>();
        try (Pool pool = Pool.open()) {
            for (String line : manifest) {
                String[] r = line.split("\\|", 5);
                String name = r[0];
                Path numpys = dir.resolve(name + ".npy");
                try (NativeArray a = Npy.read(pool, numpys)) {
                    check(problems, name, "itemsize", Integer.toString(a.dtype().itemsize()), r[1]);
                    check(problems, name, "shape", shapeText(a.shape()), r[2]);
                    boolean fortran = r[3].equals("1");
                    check(problems, name, "order", a.order().toString(), (fortran ? Order.FORTRAN : Order.C).toString());
                    check(problems, name, "layout", layout(a.dtype()), r[4]);
                    byte[] expected = Files.readAllBytes(dir.resolve(name + ".bin"));
                    byte[] held = new byte[(int) a.byteSize()];
                    if (held.length > 0) {
                        pool.block(a.address()).asByteBufferUnchecked().get(held);
                    }
                    if (!Arrays.equals(expected, held)) {
                        problems.add(name + ": the bytes read differ from arr.tobytes('A')");
                    }
                    Path mine = dir.resolve("java_" + name + ".npy");
                    Npy.write(a.view(), mine);
                    if (!Arrays.equals(Files.readAllBytes(numpys), Files.readAllBytes(mine))) {
                        problems.add(name + ": written back, the file differs from np.save's: "
                                + head(Files.readAllBytes(mine)) + " vs " + head(Files.readAllBytes(numpys)));
                    }
                }
            }
            assertEquals(0, pool.liveBlocks());
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n  " + String.join("\n  ", problems));
        }
        assertEquals(3, Files.readAllBytes(dir.resolve("java_utf8.npy"))[6], "non-Latin-1 names need format 3.0");
        assertEquals(2, Files.readAllBytes(dir.resolve("java_wide.npy"))[6], "a header over 64 KiB needs format 2.0");
        assertEquals(1, Files.readAllBytes(dir.resolve("java_latin1.npy"))[6], "Latin-1 names fit format 1.0");
        Python.run("", "npy_dtypes.py", 2, "load", dir.toString());
        for (String line : Files.readAllLines(dir.resolve("loaded.txt"), StandardCharsets.UTF_8)) {
            assertTrue(line.endsWith("| ok"), "np.load of the file Java wrote: " + line);
        }
    }

    @Test
    void structAndBigEndianFilesMapInEveryMode() throws Exception {
        DType row = DType.struct().add("a", DType.UBYTE).add("b", INT_BE).add("c", DType.arrayOf(DType.HALF, 3)).build();
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocateAligned(pool, row, Order.C, 1, 4);
            ByteBuffer raw = pool.block(a.address()).asByteBufferUnchecked();
            for (int i = 0; i < raw.capacity(); i++) {
                raw.put(i, (byte) i);
            }
            Path file = dir.resolve("rows.npy");
            Npy.write(a.view(), file);
            long dataStart = Files.size(file) - a.byteSize();
            try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_ONLY)) {
                assertEquals(row, m.dtype());
                assertEquals(INT_BE, m.dtype().field("b").type());
                assertEquals(4, m.dtype().field("b").offset());
                assertEquals(a.byteSize(), m.byteSize());
                assertEquals(5, m.byteView().getByte(5));
                assertThrows(UnsupportedOperationException.class, () -> m.byteView().putByte(5, (byte) 99));
            }
            try (MappedArray m = Npy.map(file, FileChannel.MapMode.PRIVATE)) {
                m.byteView().putByte(5, (byte) 99);
                assertEquals(99, m.byteView().getByte(5));
            }
            assertEquals(5, Files.readAllBytes(file)[(int) dataStart + 5], "copy-on-write leaves the file alone");
            try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_WRITE)) {
                m.byteView().putByte(5, (byte) 77);
            }
            assertEquals(77, Files.readAllBytes(file)[(int) dataStart + 5], "read-write reaches the file");
            a.close();
        }
        Path be = dir.resolve("be.npy");
        Files.write(be, npy("{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }", new byte[] {0, 0, 0, 1,
                0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4}));
        try (MappedArray m = Npy.map(be, FileChannel.MapMode.READ_ONLY)) {
            assertEquals(INT_BE, m.dtype());
            assertEquals(Order.FORTRAN, m.order());
            assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4}, m.byteView().toByteArray());
        }
    }

    @Test
    void descrIsNumpysForEveryType() {
        assertEquals("|b1", Npy.descr(DType.BOOL));
        assertEquals("<f2", Npy.descr(DType.HALF));
        assertEquals(">f2", Npy.descr(DType.HALF.withOrder(ByteOrder.BIG_ENDIAN)));
        assertEquals("<c8", Npy.descr(DType.CFLOAT));
        assertEquals(">c16", Npy.descr(DType.CDOUBLE.withOrder(ByteOrder.BIG_ENDIAN)));
        assertEquals("|S5", Npy.descr(DType.bytes(5)));
        assertEquals(">i4", Npy.descr(INT_BE));
        assertEquals("<i8", Npy.descr(DType.LONGLONG));
        assertEquals(">u8", Npy.descr(DType.ULONG.withOrder(ByteOrder.BIG_ENDIAN)));
        assertEquals("<U1", Npy.descr(DType.WCHAR));
        assertEquals("|i1", Npy.descr(DType.BYTE));
        DType inner = DType.struct().add("x", DType.BYTE).add("y", DType.CFLOAT).build();
        DType s = DType.struct().add("a", DType.UBYTE).add("m", DType.arrayOf(DType.DOUBLE, 2, 3))
                .add("in", DType.arrayOf(inner, 2)).add("it's", DType.bytes(3)).build();
        // repr(np.dtype([('a','u1'),('m','<f8',(2,3)),('in',[('x','i1'),('y','<c8')],(2,)),("it's",'S3')],
        //               align=True).descr), NumPy 2.4
        assertEquals("[('a', '|u1'), ('', '|V7'), ('m', '<f8', (2, 3)), ('in', [('x', '|i1'), ('', '|V3'),"
                + " ('y', '<c8')], (2,)), (\"it's\", '|S3'), ('', '|V5')]", Npy.descr(s));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.descr(DType.arrayOf(DType.INT, 2)));
        assertTrue(e.getMessage().contains("folds its dimensions into the array's shape"), e.getMessage());
    }

    @Test
    void badDescrsAreRefusedQuotingTheBadPartWithoutAllocating() throws Exception {
        String[][] cases = {
            {"[('a', '<i4'), ('a', '<f8')]", "a second field named 'a'", "('a', '<f8')"},
            {"[('a', '<i4')", "':' where ',' or ']' belongs", "order':"},
            {"[(('t', 'n'), '<i4')]", "a field title", "('t', 'n')"},
            {"[('a:b', '<i4')]", "'a:b'", "'a:b'"},
            {"[('a', '<i4', (0,))]", "a sub-array dimension 0", "(0,)"},
            {"'<U3'", "unsupported dtype '<U3'", "'<U3'"},
            {"[]", "a struct of 0 bytes", "[]"},
            {"('<i4', (2,))", "a sub-array descr at the top level", "('<i4'"},
            {"[('x', '|V8')]", "raw bytes '|V8'", "'|V8'"},
            {"[('', '<i4')]", "an empty field name on a field that is not padding", "''"},
            {"[('a', '<i4'), 7]", "an integer where a field", "7]"},
            {"[('a\\q', '<i4')]", "an escape '\\q'", "\\q"},
            {"[('a', '<i4') ('b', '<i4')]", "'(' where ',' or ']' belongs", "('b'"},
            {"[('a', '<f8', (3, 'x'))]", "a string where a sub-array dimension belongs", "'x'"},
            {"[('a', '<f8'), ('', '|V2147483647')]", "a struct of more than 2147483647 bytes", "('', '|V2147483647')"},
            {"[('a', '<f8', (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
                    + " 1, 1))]", "a sub-array of 33 dimensions", "(1, 1, 1"},
            {"[('a', '<f8', (65536, 65536))]", "a sub-array of more than 2147483647 bytes", "(65536, 65536)"},
        };
        try (Pool pool = Pool.open()) {
            for (String[] c : cases) {
                Path f = dir.resolve("bad.npy");
                Files.write(f, npy("{'descr': " + c[0] + ", 'fortran_order': False, 'shape': (1,), }", new byte[64]));
                IOException e = assertThrows(IOException.class, () -> Npy.read(pool, f), c[0]);
                String m = e.getMessage();
                assertTrue(m.startsWith(f + ": .npy header has "), m);
                assertTrue(m.contains(c[1]), c[0] + " -> " + m);
                int from = m.indexOf(" ('");
                int to = m.indexOf("') of its descr: ");
                assertTrue(from > 0 && to > from && m.substring(from, to).contains(c[2]), "quotes '" + c[2] + "': " + m);
                assertThrows(IOException.class, () -> Npy.map(f, FileChannel.MapMode.READ_ONLY), c[0]);
            }
            // a struct file whose data is shorter than its shape promises: refused before any allocation
            Path shortFile = dir.resolve("short.npy");
            Files.write(shortFile, npy("{'descr': [('a', '<i4'), ('', '|V4'), ('b', '<f8')], 'fortran_order': False,"
                    + " 'shape': (1000000000000,), }", new byte[16]));
            IOException e = assertThrows(IOException.class, () -> Npy.read(pool, shortFile));
            assertTrue(e.getMessage().contains("the header promises 16000000000000 data bytes"), e.getMessage());
            assertEquals(0, pool.liveBlocks());
        }
    }

    @Test
    void namesThatNeedEscapingRoundTrip() throws Exception {
        DType s = DType.struct().packed().add("tab\there", DType.INT).add("quote'\"", DType.SHORT).add("bell\u0007", DType.UBYTE)
                .add("\u00e9\u2028", DType.UBYTE).add("\u03c0", DType.UBYTE).build();
        // repr(np.dtype([('tab\there','<i4'),('quote\'"','<i2'),('bell\x07','u1'),('\xe9\u2028','u1'),
        //               ('\u03c0','u1')]).descr)
        assertEquals("[('tab\\there', '<i4'), ('quote\\'\"', '<i2'), ('bell\\x07', '|u1'), ('\u00e9\\u2028', '|u1'),"
                + " ('\u03c0', '|u1')]",
                Npy.descr(s));
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.allocateAligned(pool, s, Order.C, 1, 2);
            Path f = dir.resolve("names.npy");
            Npy.write(a.view(), f);
            assertEquals(3, Files.readAllBytes(f)[6], "pi is not Latin-1: format 3.0 (U+2028 alone is escaped, so Latin-1)");
            try (NativeArray b = Npy.read(pool, f)) {
                assertEquals(s, b.dtype());
            }
            a.close();
        }
    }

    private static byte[] npy(String dict, byte[] data) {
        String padded = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        byte[] text = padded.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text).put(data);
        return b.array();
    }

    private static String head(byte[] file) {
        return new String(file, 0, Math.min(file.length, 160), StandardCharsets.ISO_8859_1);
    }

    private static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder();
        for (long d : shape) {
            s.append(s.length() == 0 ? "" : ",").append(d);
        }
        return s.toString();
    }

    private static void check(List<String> problems, String name, String what, String ours, String numpys) {
        if (!ours.equals(numpys)) {
            problems.add(name + ": " + what + " is " + ours + " here, " + numpys + " in NumPy");
        }
    }

    /** The layout as npy_dtypes.py prints NumPy's: every leaf as path=offset:kind:size:order[dims]. */
    private static String layout(DType t) {
        List<String> out = new ArrayList<>();
        leaves(t, "", 0, out);
        return String.join(",", out);
    }

    private static void leaves(DType t, String prefix, long base, List<String> out) {
        if (t.kind() == DType.Kind.STRUCT) {
            for (DType.Field f : t.fields()) {
                leaves(f.type(), prefix + "." + f.name(), base + f.offset(), out);
            }
            return;
        }
        String dims = "";
        if (t.kind() == DType.Kind.SUBARRAY) {
            dims = Arrays.toString(t.dims()).replace(" ", "");
            t = t.element();
            if (t.kind() == DType.Kind.STRUCT) {
                List<String> inner = new ArrayList<>();
                leaves(t, "", 0, inner);
                out.add(prefix + "=" + base + ":struct" + t.itemsize() + dims + "{" + String.join(";", inner) + "}");
                return;
            }
        }
        String kind;
        switch (t.kind()) {
            case BOOL: kind = "b"; break;
            case SIGNED: kind = "i"; break;
            case UNSIGNED: kind = "u"; break;
            case FLOATING: kind = "f"; break;
            case COMPLEX: kind = "c"; break;
            case BYTES: kind = "S"; break;
            case CHARACTER: kind = "U"; break;
            default: throw new AssertionError(t);
        }
        String order = t.itemsize() > 1 && t.kind() != DType.Kind.BYTES
                ? (t.order() == ByteOrder.BIG_ENDIAN ? ">" : "<") : "|";
        out.add(prefix + "=" + base + ":" + kind + ":" + t.itemsize() + ":" + order + dims);
    }
}
