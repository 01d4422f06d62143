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

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** The header np.save (NumPy 2.4) writes for np.zeros((2, 3)): 128 bytes with the growth padding. */
    private static final String NUMPY_F8_2X3 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
            + " ".repeat(58) + "\n";

    @Test
    void shouldWriteTheHeaderByteForByteAsNumpyDoes() throws IOException {
        try (Pool pool = Pool.open()) {
            Path f = dir.resolve("a.npy");
            Npy.write(NativeArray.allocate(pool, DType.DOUBLE, 2, 3).view(), f);
            byte[] bytes = Files.readAllBytes(f);
            assertEquals(128 + 48, bytes.length);
            assertEquals((byte) 0x93, bytes[0]);
            assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
            assertEquals(1, bytes[6]);
            assertEquals(0, bytes[7]);
            assertEquals(118, (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
            assertEquals(NUMPY_F8_2X3, new String(bytes, 10, 118, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void shouldRoundTripEveryTypeInCAndFortranOrder() throws IOException {
        try (Pool pool = Pool.open()) {
            // the array module's types (bool, float16 and complex in .npy: the npy part of issue 18)
            for (DType t : DType.scalars().stream().filter(t -> ElementCodec.isPlain(t)).toList()) {
                for (Order order : Order.values()) {
                    MemoryView v = NativeArray.allocate(pool, t, order, 3, 4).view();
                    long[] values = new long[12];
                    for (int k = 0; k < 12; k++) {
                        values[k] = 5 * k + 1;
                    }
                    v.castFrom(NativeArray.copyOf(pool, values, 3, 4).view());
                    Path f = dir.resolve(t + "-" + order + ".npy");
                    Npy.write(v, f);
                    NativeArray back = Npy.read(pool, f);
                    assertEquals(order, back.order(), t + " " + order);
                    assertEquals(t.nativeCode(), back.dtype().nativeCode());
                    assertArrayEquals(new long[] {3, 4}, back.shape());
                    assertTrue(back.view().contentEquals(v), t + " " + order);
                    String header = new String(Files.readAllBytes(f), 10, 60, StandardCharsets.ISO_8859_1);
                    assertTrue(header.contains("'fortran_order': " + (order == Order.FORTRAN ? "True" : "False")), header);
                }
            }
        }
    }

    @Test
    void shouldWriteNonContiguousViewsInCOrder() throws IOException {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.copyOf(pool, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4).view()
                    .slice("::-1, 1::2");
            Path f = dir.resolve("s.npy");
            Npy.write(v, f);
            NativeArray back = Npy.read(pool, f);
            assertEquals(Order.C, back.order());
            assertArrayEquals(new int[] {9, 11, 5, 7, 1, 3}, back.view().toIntArray());
            Npy.write(v.slice("0, 0"), f);                               // 0-d
            assertArrayEquals(new long[0], Npy.read(pool, f).shape());
        }
    }

    @Test
    void shouldRunTheReadmeMemoryviewExample() throws IOException {
        Path file = dir.resolve("narr.npy");
        MemoryView kept;
        try (Pool pool = Pool.open()) {
            MemoryView narr = NativeArray.copyOf(pool, java.util.stream.IntStream.range(0, 27).toArray(), 3, 3, 3).view();
            assertEquals(5, narr.getInt(0, 1, 2));
            assertArrayEquals(new long[] {3, 3}, narr.slice("1").shape());
            assertEquals(1, narr.slice("...,1").getInt(0, 0));
            assertArrayEquals(new long[] {0, -36, 12, 4}, narr.slice("None, ::-1, 1:").strides());
            MemoryView f = narr.copyFortran();
            assertArrayEquals(new long[] {4, 12, 36}, f.strides());
            narr.slice(":, :, 0").copyFrom(f.slice(":, :, 2"));
            assertEquals(2, narr.getInt(0, 0, 0));
            assertEquals(11, narr.getInt(1, 0, 0));
            Npy.write(narr, file);
            kept = narr;
        }
        MemoryView closed = kept;
        assertThrows(IllegalStateException.class, () -> closed.getInt(0, 0, 0));
        try (Pool pool = Pool.open()) {
            assertEquals(26, Npy.read(pool, file).view().getInt(2, 2, 2));
        }
    }

    /** A .npy file made by hand: version, descr, order and data bytes as given. */
    private Path handMade(int major, String descr, boolean fortran, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }\n";
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + dict.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) dict.length());
        } else {
            b.putInt(dict.length());
        }
        b.put(dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)).put(data);
        Path f = dir.resolve("hand-" + major + "-" + descr.replace('<', 'l').replace('>', 'b').replace('|', 'n') + ".npy");
        Files.write(f, b.array());
        return f;
    }

    /** The bytes of an array's block, read through the public Block API (views refuse big-endian types today). */
    private static byte[] rawBytes(Pool pool, NativeArray a) {
        byte[] out = new byte[(int) a.byteSize()];
        pool.block(a.address()).asByteBufferUnchecked().get(out);
        return out;
    }

    @Test
    void shouldReadBigEndianAndVersions2And3KeepingTheFilesByteOrder() throws IOException {
        ByteBuffer be = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        be.putInt(1).putInt(-2).putInt(3).putInt(400000).putInt(5).putInt(6);
        ByteBuffer bd = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        bd.putDouble(1.5).putDouble(-0.25);
        DType intBe = DType.INT.withOrder(ByteOrder.BIG_ENDIAN);
        try (Pool pool = Pool.open()) {
            for (int major = 1; major <= 3; major++) {
                NativeArray a = Npy.read(pool, handMade(major, ">i4", false, "(2, 3)", be.array()));
                assertEquals(intBe, a.dtype(), "version " + major);
                assertArrayEquals(be.array(), rawBytes(pool, a), "version " + major + ": np.load keeps the bytes");
            }
            NativeArray f = Npy.read(pool, handMade(1, ">i4", true, "(2, 3)", be.array()));
            assertEquals(Order.FORTRAN, f.order());
            assertArrayEquals(be.array(), rawBytes(pool, f));
            NativeArray d = Npy.read(pool, handMade(2, ">f8", false, "(2,)", bd.array()));
            assertEquals(DType.DOUBLE.withOrder(ByteOrder.BIG_ENDIAN), d.dtype());
            assertArrayEquals(bd.array(), rawBytes(pool, d));
            NativeArray u = Npy.read(pool, handMade(1, "|u1", false, "(3,)", new byte[] {1, (byte) 200, 3}));
            assertEquals(DType.UBYTE, u.dtype());
            assertEquals(200, Byte.toUnsignedInt(u.view().getByte(1)));
            NativeArray n = Npy.read(pool, handMade(1, "=i4", false, "(1,)", new byte[] {7, 0, 0, 0}));
            assertEquals(DType.INT, n.dtype(), "'=' is native order");
            assertEquals(7, n.view().getInt(0));
        }
    }

    @Test
    void shouldRefuseBadFilesWithoutLeaking() throws IOException {
        try (Pool pool = Pool.open()) {
            long blocks = pool.liveBlocks();
            Path truncated = handMade(1, "<f8", false, "(4,)", new byte[12]);
            IOException e = assertThrows(IOException.class, () -> Npy.read(pool, truncated));
            assertTrue(e.getMessage().contains("is truncated: the header promises 32 data bytes"), e.getMessage());
            assertEquals(blocks, pool.liveBlocks());
            Path unicode = handMade(1, "<U3", false, "(1,)", new byte[12]);
            e = assertThrows(IOException.class, () -> Npy.read(pool, unicode));
            assertTrue(e.getMessage().contains("unsupported dtype '<U3'"), e.getMessage());
            Path notNpy = dir.resolve("x.npy");
            Files.write(notNpy, "hello, world".getBytes(StandardCharsets.US_ASCII));
            e = assertThrows(IOException.class, () -> Npy.read(pool, notNpy));
            assertTrue(e.getMessage().endsWith("is not a .npy file (bad magic string)"), e.getMessage());
            Path v9 = handMade(1, "<f8", false, "(1,)", new byte[8]);
            byte[] bytes = Files.readAllBytes(v9);
            bytes[6] = 9;
            Files.write(v9, bytes);
            e = assertThrows(IOException.class, () -> Npy.read(pool, v9));
            assertTrue(e.getMessage().contains("unsupported .npy format version 9.0"), e.getMessage());
            assertEquals(blocks, pool.liveBlocks());
        }
    }
}
