package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Npy.write never destroys the previous file; Npy.read refuses every malformed file with an IOException, allocating nothing. */
class NpySafetyTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    // ---- write ----------------------------------------------------------------------------------------------

    @Test
    void shouldKeepTheOldFileWhenWritingADeadView() throws IOException {
        Path f = dir.resolve("a.npy");
        MemoryView dead;
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new double[] {1, 2, 3}).view(), f);
            dead = NativeArray.copyOf(pool, new double[] {4, 5}).view();
        }
        byte[] before = Files.readAllBytes(f);
        MemoryView gone = dead;
        assertThrows(IllegalStateException.class, () -> Npy.write(gone, f));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("a.npy"), names());                           // no temporary left behind
        // a view whose array was closed (pool still open), and a non-contiguous one
        try (Pool pool = Pool.open()) {
            NativeArray a = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
            MemoryView strided = a.view().slice(":, ::2");
            a.close();
            assertThrows(IllegalStateException.class, () -> Npy.write(strided, f));
            assertArrayEquals(before, Files.readAllBytes(f));
            assertArrayEquals(new double[] {1, 2, 3}, Npy.read(pool, f).view().toDoubleArray());
        }
        assertEquals(List.of("a.npy"), names());
    }

    @Test
    void shouldReplaceTheFileWholeAndLeaveNoTemporary() throws IOException {
        Path f = dir.resolve("b.npy");
        Files.write(f, new byte[100_000]);                                 // a longer old file
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new int[] {7, 8, 9}).view(), f);
            assertEquals(128 + 12, Files.size(f));
            assertArrayEquals(new int[] {7, 8, 9}, Npy.read(pool, f).view().toIntArray());
            Npy.write(NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6}, 2, 3).view().slice("::-1, ::2"), f);
            assertArrayEquals(new int[] {4, 6, 1, 3}, Npy.read(pool, f).view().toIntArray());
            Npy.write(NativeArray.copyOf(pool, new int[] {1}).view(), Path.of(f.toString())); // replace again
        }
        assertEquals(List.of("b.npy"), names());
    }

    @Test
    void shouldKeepPermissionsAndWriteThroughASymbolicLink() throws IOException {
        Path f = dir.resolve("p.npy");
        Path link = dir.resolve("link.npy");
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new int[] {1}).view(), f);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
            Files.createSymbolicLink(link, f.getFileName());
            Npy.write(NativeArray.copyOf(pool, new int[] {2, 3}).view(), link);
            assertTrue(Files.isSymbolicLink(link));
            assertArrayEquals(new int[] {2, 3}, Npy.read(pool, f).view().toIntArray());
            assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(f));
        }
        assertEquals(List.of("link.npy", "p.npy"), names());
    }

    @Test
    void shouldLeaveADirectoryInPlaceOfTheTargetAlone() throws IOException {
        Path d = Files.createDirectory(dir.resolve("c.npy"));
        Files.write(d.resolve("inside"), new byte[] {1});
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.copyOf(pool, new int[] {1}).view();
            assertThrows(IOException.class, () -> Npy.write(v, d));
        }
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(d.resolve("inside")));
        assertEquals(List.of("c.npy"), names());
    }

    // ---- read -----------------------------------------------------------------------------------------------

    /** A .npy file from a dict text and data bytes: length field as given (or computed when negative). */
    private Path file(String name, int major, int minor, String dict, long lengthField, byte[] data) throws IOException {
        byte[] d = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + d.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        long len = lengthField < 0 ? d.length : lengthField;
        if (major == 1) {
            b.putShort((short) len);
        } else {
            b.putInt((int) len);
        }
        b.put(d).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static String dict(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    /** Reading f throws an IOException whose message contains every fragment; the pool is unchanged. */
    private static void refused(Pool pool, Path f, String... fragments) {
        long blocks = pool.liveBlocks();
        long bytes = pool.liveBytes();
        IOException e = assertThrows(IOException.class, () -> Npy.read(pool, f), f.toString());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        assertEquals(blocks, pool.liveBlocks());
        assertEquals(bytes, pool.liveBytes());
    }

    @Test
    void shouldRefuseBadDimensionsWithAnIOException() throws IOException {
        try (Pool pool = Pool.open()) {
            refused(pool, file("neg.npy", 1, 0, dict("<f8", "False", "(-1,)"), -1, new byte[8]), "-1", "shape");
            refused(pool, file("neg2.npy", 1, 0, dict("<f8", "False", "(2, -3)"), -1, new byte[48]), "-3");
            refused(pool, file("big.npy", 1, 0, dict("<f8", "False", "(9223372036854775808,)"), -1, new byte[8]),
                    "9223372036854775808");
            refused(pool, file("ovf.npy", 1, 0, dict("<i4", "False", "(4294967296, 4294967296)"), -1, new byte[8]),
                    "4294967296");
            refused(pool, file("ovf2.npy", 1, 0, dict("<f8", "False", "(1152921504606846976, 8)"), -1, new byte[8]),
                    "1152921504606846976");
            String dims33 = "(" + "1, ".repeat(33) + ")";
            refused(pool, file("d33.npy", 1, 0, dict("<f8", "False", dims33), -1, new byte[8]), "33", "32");
            refused(pool, file("zerothen.npy", 1, 0, dict("<f8", "False", "(0, 4611686018427387904, 4)"), -1,
                    new byte[0]), "4611686018427387904");
        }
    }

    @Test
    void shouldCheckTheFileLengthBeforeAllocating() throws IOException {
        try (Pool pool = Pool.open()) {
            // 8 TiB promised, 8 bytes present: refused before the pool is asked for anything
            refused(pool, file("huge.npy", 1, 0, dict("<f8", "False", "(1099511627776,)"), -1, new byte[8]),
                    "8796093022208", "8");
            refused(pool, file("short.npy", 1, 0, dict("<i4", "False", "(2, 3)"), -1, new byte[20]), "24", "20");
            refused(pool, file("hlen.npy", 2, 0, dict("<i4", "False", "(1,)"), 0x7FFF_FFF0L, new byte[4]),
                    "2147483632");
            refused(pool, file("hlen1.npy", 1, 0, dict("<i4", "False", "(1,)"), 60000, new byte[4]), "60000");
            refused(pool, file("hlen0.npy", 1, 0, dict("<i4", "False", "(1,)"), 0, new byte[4]), "header");
        }
    }

    @Test
    void shouldRefuseBadMagicVersionAndDictSyntax() throws IOException {
        try (Pool pool = Pool.open()) {
            Path empty = dir.resolve("empty.npy");
            Files.write(empty, new byte[0]);
            refused(pool, empty, "truncated");
            Path magic = dir.resolve("magic.npy");
            Files.write(magic, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'X', 1, 0, 0, 0});
            refused(pool, magic, "magic");
            refused(pool, file("v11.npy", 1, 1, dict("<i4", "False", "(1,)"), -1, new byte[4]), "1.1");
            refused(pool, file("v0.npy", 0, 0, dict("<i4", "False", "(1,)"), -1, new byte[4]), "0.0");
            String[] badDicts = {
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), \n",          // no closing brace
                "{'descr': '<i4', 'fortran_order': False}\n",                           // no shape
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n",    // an unknown key
                "{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': (1,)}\n",
                "{'descr': '<i4', 'fortran_order': 1, 'shape': (1,)}\n",
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1)}\n",             // an int, not a tuple
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1,,)}\n",
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1 2,)}\n",
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1.5,)}\n",
                "{'descr': <i4, 'fortran_order': False, 'shape': (1,)}\n",
                "{'descr': '<i4', 'fortran_order': False, 'shape': (1,)} junk\n",
                "['descr', '<i4']\n",
                "",
            };
            for (int k = 0; k < badDicts.length; k++) {
                refused(pool, file("dict" + k + ".npy", 1, 0, badDicts[k], -1, new byte[4]), ".npy header");
            }
            refused(pool, file("dtype.npy", 1, 0, dict("<M8[s]", "False", "(1,)"), -1, new byte[16]), "'<M8[s]'");
            refused(pool, file("struct.npy", 1, 0,
                    "{'descr': [('a', '|O')], 'fortran_order': False, 'shape': (1,), }\n", -1, new byte[8]), "'|O'");
            refused(pool, file("dtype2.npy", 1, 0, dict("", "False", "(1,)"), -1, new byte[16]), "dtype");
        }
    }

    @Test
    void shouldStillReadWhatNumpyWrites() throws IOException {
        try (Pool pool = Pool.open()) {
            // double quotes, no trailing comma, Python 2 longs, keys in another order, a 0-d array
            NativeArray a = Npy.read(pool, file("q.npy", 1, 0,
                    "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<i4\"}   \n", -1,
                    new byte[] {1, 0, 0, 0, 2, 0, 0, 0}));
            assertArrayEquals(new long[] {2, 1}, a.shape());
            assertArrayEquals(new int[] {1, 2}, a.view().toIntArray());
            NativeArray z = Npy.read(pool, file("z.npy", 1, 0, dict("<f8", "False", "()"), -1, new byte[8]));
            assertEquals(0, z.view().ndim());
            NativeArray e = Npy.read(pool, file("e.npy", 3, 0, dict("<f4", "True", "(0, 3)"), -1, new byte[0]));
            assertArrayEquals(new long[] {0, 3}, e.shape());
            NativeArray extra = Npy.read(pool, file("x.npy", 2, 0, dict("|u1", "False", "(2,)"), -1, new byte[] {5, 6, 7}));
            assertArrayEquals(new byte[] {5, 6}, extra.view().toByteArray());   // trailing bytes ignored, as np.load does
        }
    }
}
