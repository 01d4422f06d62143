package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cymem4j.Pool;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Npy.map}: files NumPy wrote, mapped in every mode; writes through READ_WRITE seen by {@code np.load},
 * PRIVATE writes not; READ_ONLY writes refused; malformed files refused before anything is mapped; close. Needs
 * python3 with NumPy (as {@link NumpyDifferentialTest}): without them the NumPy tests fail, they do not skip.
 */
class NpyMapTest {
    private static final Map<String, DType> CODES = Map.ofEntries(Map.entry("i1", DType.BYTE),
            Map.entry("u1", DType.UBYTE), Map.entry("i2", DType.SHORT), Map.entry("u2", DType.USHORT),
            Map.entry("i4", DType.INT), Map.entry("u4", DType.UINT), Map.entry("i8", DType.LONG),
            Map.entry("u8", DType.ULONG), Map.entry("f4", DType.FLOAT), Map.entry("f8", DType.DOUBLE),
            Map.entry("U1", DType.WCHAR));

    @TempDir
    Path dir;

    /** Element (i, j) of a 2-d view as a double, through the accessor of its carrier. */
    private static double element(MemoryView v, long i, long j) {
        DType t = v.dtype();
        if (t.isFloating()) {
            return t.itemsize() == 4 ? v.getFloat(i, j) : v.getDouble(i, j);
        }
        switch (t.itemsize()) {
            case 1: return v.getByte(i, j);
            case 2: return v.getShort(i, j);
            case 4: return v.getInt(i, j);
            default: return v.getLong(i, j);
        }
    }

    @Test
    void shouldMapEveryDtypeNumpyWroteInBothOrders() throws Exception {
        Python.run("", "npy_map.py", 2, "make", dir.toString());
        for (Map.Entry<String, DType> e : CODES.entrySet()) {
            for (String order : new String[] {"C", "F"}) {
                Path file = dir.resolve(e.getKey() + "_" + order + ".npy");
                for (FileChannel.MapMode mode : new FileChannel.MapMode[] {FileChannel.MapMode.READ_ONLY,
                        FileChannel.MapMode.READ_WRITE, FileChannel.MapMode.PRIVATE}) {
                    String tag = file.getFileName() + " " + mode + ": ";
                    try (MappedArray m = Npy.map(file, mode)) {
                        assertEquals(e.getValue(), m.dtype(), tag);
                        assertEquals(order.equals("C") ? Order.C : Order.FORTRAN, m.order(), tag);
                        assertEquals("[3, 4]", java.util.Arrays.toString(m.shape()), tag);
                        assertEquals(12L * e.getValue().itemsize(), m.byteSize(), tag);
                        MemoryView v = m.view();
                        assertEquals(order.equals("C"), v.isCContiguous(), tag);
                        assertEquals(mode == FileChannel.MapMode.READ_ONLY, v.isReadOnly(), tag);
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < 4; j++) {
                                double expected = e.getKey().equals("U1") ? 'a' + 4 * i + j
                                        : 4 * i + j + (e.getValue().isFloating() ? 0.5 : 0);
                                assertEquals(expected, element(v, i, j), tag + "(" + i + ", " + j + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldLetNumpySeeWritesThroughAReadWriteMappingAfterClose() throws Exception {
        Python.run("", "npy_map.py", 2, "make", dir.toString());
        Path file = dir.resolve("f8_F.npy");
        MappedArray m = Npy.map(file, FileChannel.MapMode.READ_WRITE);
        MemoryView v = m.view();
        v.putDouble(1, 2, -7.25);
        v.slice(":, 3").fill(100.0); // fill writes the last column
        m.close();
        assertEquals("0.5 1.5 2.5 100.0 4.5 5.5 -7.25 100.0 8.5 9.5 10.5 100.0",
                Python.run("", "npy_map.py", 2, "show", file.toString()));
    }

    @Test
    void shouldKeepWritesThroughACopyOnWriteMappingOutOfTheFile() throws Exception {
        Python.run("", "npy_map.py", 2, "make", dir.toString());
        Path file = dir.resolve("i4_C.npy");
        try (MappedArray m = Npy.map(file, FileChannel.MapMode.PRIVATE)) {
            MemoryView v = m.view();
            v.putInt(0, 0, 99);
            v.slice("2").fill(-1);
            assertEquals(99, v.getInt(0, 0), "the mapping sees its own writes");
            assertEquals(-1, v.getInt(2, 3));
            m.force(); // nothing to write for a private mapping
        }
        assertEquals("0 1 2 3 4 5 6 7 8 9 10 11", Python.run("", "npy_map.py", 2, "show", file.toString()));
    }

    @Test
    void shouldRefuseEveryWriteThroughAReadOnlyMapping() throws Exception {
        Path file = dir.resolve("a.npy");
        try (Pool pool = Pool.open()) {
            double[] values = new double[32]; // 32 elements: fill and copyFrom take the C kernels (16 and more)
            for (int k = 0; k < 32; k++) {
                values[k] = k + 1;
            }
            Npy.write(NativeArray.copyOf(pool, values, 4, 8).view(), file);
            MemoryView other = NativeArray.allocate(pool, DType.DOUBLE, 4, 8).view();
            other.fill(9.0);
            try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_ONLY)) {
                MemoryView v = m.view();
                assertTrue(v.isReadOnly());
                java.nio.ByteBuffer exported = v.asByteBufferUnchecked(); // an export stays read-only
                assertTrue(exported.isReadOnly());
                assertThrows(java.nio.ReadOnlyBufferException.class, () -> exported.putDouble(0, 7));
                assertEquals(1.0, exported.getDouble(0));
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> v.putDouble(0, 0, 7));
                assertTrue(e.getMessage().contains("is read-only"), e.getMessage());
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertThrows(UnsupportedOperationException.class, () -> v.putDouble(new long[] {1, 1}, 7));
                assertThrows(UnsupportedOperationException.class, () -> v.fill(7.0));
                assertThrows(UnsupportedOperationException.class, () -> v.slice("0").fill(7.0)); // a slice too
                assertThrows(UnsupportedOperationException.class, () -> v.T().fill(7L));
                assertThrows(UnsupportedOperationException.class, () -> v.copyFrom(other));
                assertThrows(UnsupportedOperationException.class, () -> v.castFrom(other));
                assertThrows(UnsupportedOperationException.class, () -> v.slice("0, ::2").copyFrom(
                        other.slice("1, ::2")));
                assertEquals(9.0, v.getDouble(1, 0), "nothing was written");
                assertEquals(528.0, sum(v), "nothing was written");
                other.copyFrom(v); // reading from it is fine
                assertEquals(32.0, other.getDouble(3, 7));
            }
        }
    }

    private static double sum(MemoryView v) {
        double s = 0;
        for (long i = 0; i < v.shape()[0]; i++) {
            for (long j = 0; j < v.shape()[1]; j++) {
                s += v.getDouble(i, j);
            }
        }
        return s;
    }

    @Test
    void shouldCloseTwiceAndRefuseUseAfterClose() throws Exception {
        Path file = dir.resolve("a.npy");
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new int[] {1, 2, 3}).view(), file);
        }
        MappedArray m = Npy.map(file, FileChannel.MapMode.READ_WRITE);
        MemoryView v = m.view();
        MemoryView tail = v.slice("1:");
        assertTrue(m.isOpen());
        assertTrue(m.toString().contains(file.toString()), m.toString());
        m.close();
        m.close(); // idempotent
        assertFalse(m.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.getInt(0));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> tail.putInt(0, 5));
        assertThrows(IllegalStateException.class, () -> tail.fill(5));
        assertThrows(IllegalStateException.class, m::view);
        assertThrows(IllegalStateException.class, m::force);
        assertEquals(12, m.byteSize(), "still answered after close");
    }

    /** True while this process maps {@code file} (a line of /proc/self/maps names it). */
    private static boolean mapped(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(name));
    }

    @Test
    void shouldUnmapOnCloseAndUnmapAForgottenMappingWhenItBecomesUnreachable() throws Exception {
        Path closed = npy("closed.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }", 64);
        MappedArray m = Npy.map(closed, FileChannel.MapMode.READ_ONLY);
        assertTrue(mapped(closed), "mapped while open");
        m.close();
        assertFalse(mapped(closed), "unmapped by close()");
        Path forgotten = npy("forgotten.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }", 64);
        Npy.map(forgotten, FileChannel.MapMode.READ_WRITE).view().putDouble(3, 2.5); // never closed
        assertTrue(mapped(forgotten), "mapped while reachable or not yet cleaned");
        for (int i = 0; i < 200 && mapped(forgotten); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse(mapped(forgotten), "the cleaner unmapped the forgotten mapping");
        try (MappedArray again = Npy.map(forgotten, FileChannel.MapMode.READ_ONLY)) {
            assertEquals(2.5, again.view().getDouble(3), "the cleaner wrote the change to the file");
        }
    }

    @Test
    void shouldMapAFileLargerThanAPoolsLimitWithoutAnyPoolMemory() throws Exception {
        Path file = npy("large.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (131072,), }", 1 << 20);
        try (Pool small = Pool.builder().limit(64 << 10).open()) {
            assertThrows(org.cymem4j.NativeOutOfMemoryError.class, () -> Npy.read(small, file), "1 MiB > the limit");
        }
        long live = org.cymem4j.Pools.liveBytes();
        try (MappedArray m = Npy.map(file, FileChannel.MapMode.PRIVATE)) {
            m.view().fill(2.0);
            assertEquals(live, org.cymem4j.Pools.liveBytes(), "a mapping is not pool memory");
            assertEquals(2.0, m.view().getDouble(131071));
        }
    }

    // ---- malformed files: an IOException naming the problem, nothing mapped --------------------------------

    /** A .npy file with {@code dict} as its header (padded as np.save pads it) and {@code dataBytes} zero bytes. */
    private Path npy(String name, String dict, long dataBytes) throws IOException {
        int len = dict.length() + 1;
        int pad = 64 - (10 + len) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(f.length() + dataBytes);
        }
        return p;
    }

    private static void assertRefused(Path file, String expected) {
        for (FileChannel.MapMode mode : new FileChannel.MapMode[] {FileChannel.MapMode.READ_ONLY,
                FileChannel.MapMode.READ_WRITE, FileChannel.MapMode.PRIVATE}) {
            IOException e = assertThrows(IOException.class, () -> Npy.map(file, mode), file + " " + mode);
            assertTrue(e.getMessage().contains(expected), mode + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), mode + ": " + e.getMessage());
        }
    }

    @Test
    void shouldRefuseAHeaderThatPromisesMoreDataThanTheFileHolds() throws Exception {
        Path lying = npy("lying.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", 8 * 999);
        assertRefused(lying, "is truncated: the header promises 8000000 data bytes");
        Path oneShort = npy("short.npy", "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", 23);
        assertRefused(oneShort, "is truncated");
    }

    @Test
    void shouldRefuseATruncatedHeader() throws Exception {
        Path file = npy("t.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 32);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(30);
        }
        assertRefused(file, "is truncated");
    }

    @Test
    void shouldRefuseBadMagicVersionAndDtype() throws Exception {
        Path magic = dir.resolve("magic.npy");
        Files.write(magic, "not a numpy file at all, just text".getBytes(StandardCharsets.US_ASCII));
        assertRefused(magic, "is not a .npy file (bad magic string)");
        Path version = npy("version.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8);
        byte[] bytes = Files.readAllBytes(version);
        bytes[6] = 9;
        Files.write(version, bytes);
        assertRefused(version, "unsupported .npy format version 9.0");
        assertRefused(npy("object.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16),
                "unsupported dtype '|O'");
        assertRefused(npy("keys.npy", "{'descr': '<f8', 'shape': (2,), }", 16), "no 'fortran_order'");
    }

    @Test
    void shouldRefuseAMissingFileAndADirectory() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> Npy.map(dir.resolve("missing.npy"), FileChannel.MapMode.READ_ONLY));
        assertThrows(IOException.class, () -> Npy.map(dir, FileChannel.MapMode.READ_ONLY));
    }

    @Test
    void shouldMapAnEmptyArrayAndAZeroDimensionalOne() throws Exception {
        Path empty = npy("empty.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", 0);
        try (MappedArray m = Npy.map(empty, FileChannel.MapMode.READ_ONLY)) {
            assertEquals(0, m.view().size());
            assertEquals(0, m.byteSize());
        }
        Path scalar = npy("scalar.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", 8);
        try (MappedArray m = Npy.map(scalar, FileChannel.MapMode.READ_WRITE)) {
            m.view().putLong(new long[0], 42);
        }
        try (MappedArray m = Npy.map(scalar, FileChannel.MapMode.READ_ONLY)) {
            assertEquals(42, m.view().getLong());
        }
    }

    @Test
    void shouldRefuseAnUnknownMapMode() throws Exception {
        Path file = npy("a.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 8);
        assertThrows(NullPointerException.class, () -> Npy.map(file, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.map(file, jdk.nio.mapmode.ExtendedMapMode.READ_ONLY_SYNC));
        assertTrue(e.getMessage().contains("READ_ONLY_SYNC"), e.getMessage());
    }
}
