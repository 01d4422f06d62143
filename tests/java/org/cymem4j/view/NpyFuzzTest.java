package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed {@code .npy} files, made here from valid ones by truncating them, flipping bytes and editing their
 * headers: each one either reads as its bytes say, or is refused with an {@link IOException}, never anything else,
 * and never leaves a block in the pool. The seed is fixed; {@code -Dcymem4j.npyFuzz.seed=N} runs another,
 * {@code -Dcymem4j.npyFuzz.files=N} more files.
 */
class NpyFuzzTest {
    private static final long SEED = Long.getLong("cymem4j.npyFuzz.seed", 0x5EEDL);
    private static final int FILES = Integer.getInteger("cymem4j.npyFuzz.files", 2500);

    @TempDir
    Path dir;

    /** Valid files written by Npy.write, over every type, both orders, 0-d to 3-d, and hand-made v2/v3/big-endian ones. */
    private List<byte[]> seeds(Pool pool) throws IOException {
        List<byte[]> out = new ArrayList<>();
        Path f = dir.resolve("seed.npy");
        long[][] shapes = {{}, {0}, {5}, {3, 4}, {2, 3, 2}, {1, 0, 3}};
        int k = 0;
        for (DType t : DType.scalars().stream().filter(t -> t.nativeCode() >= 0).toList()) {
            for (long[] shape : shapes) {
                Order order = k++ % 2 == 0 ? Order.C : Order.FORTRAN;
                MemoryView v = NativeArray.allocate(pool, t, order, shape).view();
                if (v.size() > 0) {
                    ByteBuffer raw = PointerViews.pointer(v).asByteBuffer();
                    for (int i = 0; i < raw.capacity(); i++) {
                        raw.put(i, (byte) (31 * i + 7));
                    }
                }
                Npy.write(v, f);
                out.add(Files.readAllBytes(f));
            }
        }
        DType inner = DType.struct().add("x", DType.BYTE).add("y", DType.CFLOAT).build();
        DType row = DType.struct().add("a", DType.BOOL).add("h", DType.HALF.withOrder(ByteOrder.BIG_ENDIAN))
                .add("m", DType.arrayOf(DType.DOUBLE, 2, 3)).add("s", DType.bytes(5)).add("in", inner).build();
        DType packed = DType.struct().packed().add("c", DType.CDOUBLE).add("u", DType.UBYTE)
                .add("i", DType.INT.withOrder(ByteOrder.BIG_ENDIAN)).build();
        for (DType t : List.of(DType.BOOL, DType.HALF, DType.CFLOAT, DType.CDOUBLE, DType.bytes(5), row, packed,
                DType.INT.withOrder(ByteOrder.BIG_ENDIAN))) {
            for (long[] shape : new long[][] {{3}, {2, 2}}) {
                NativeArray a = NativeArray.allocateAligned(pool, t, k++ % 2 == 0 ? Order.C : Order.FORTRAN, 1, shape);
                ByteBuffer raw = pool.block(a.address()).asByteBufferUnchecked();
                for (int i = 0; i < raw.capacity(); i++) {
                    raw.put(i, (byte) (31 * i + 7));
                }
                Npy.write(a.view(), f);
                a.close();
                out.add(Files.readAllBytes(f));
            }
        }
        for (int major = 2; major <= 3; major++) {
            for (String descr : new String[] {">i4", "<f8", "|u1", ">u2", "=f4"}) {
                out.add(handMade(major, descr, "(2, 3)", 6 * Integer.parseInt(descr.substring(2))));
            }
        }
        return out;
    }

    private static byte[] handMade(int major, String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        ByteBuffer b = ByteBuffer.allocate(12 + dict.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}).putInt(dict.length());
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i * 7 + 1));
        }
        return b.array();
    }

    private static final String[] HEADER_EDITS = {
        "-1", "0", "1", "9223372036854775807", "9223372036854775808", "4294967296", "99999999999", "1 2", "2L",
        "(", ")", ",", ",,", ":", "'", "\"", "{", "}", "True", "False", "None", "'descr'", "'shape'", "<f8", ">c16",
        "|b1", "<U1", "()", "(7,)", "1_000", "-0", "+3", "\u00e9", "\n", " ", "",
        "[", "]", "[]", "('', '|V4')", "('a', '<f8', (2, 3))", "(2, 0)", "|V8", "|S0", "|S3", "'\\x41'", "'\\u00e9'",
        "'\\'", "('t', 'n')", "'a:b'", "'<M8[s]'", "|O",
    };

    /** One mutation of a valid file; the description names it for a failure message. */
    private static byte[] mutate(byte[] valid, Random rnd, StringBuilder what) {
        int headerEnd = headerEnd(valid);
        switch (rnd.nextInt(6)) {
            case 0: { // truncate
                int n = rnd.nextInt(valid.length);
                what.append("truncated to ").append(n);
                return Arrays.copyOf(valid, n);
            }
            case 1: { // flip bytes in the header (magic, version and length included)
                byte[] m = valid.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int at = rnd.nextInt(headerEnd);
                    m[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (m[at] ^ (1 << rnd.nextInt(8)));
                    what.append("flip header byte ").append(at).append("; ");
                }
                return m;
            }
            case 2: { // flip a data byte (the file must still read, with that byte)
                byte[] m = valid.clone();
                if (valid.length > headerEnd) {
                    int at = headerEnd + rnd.nextInt(valid.length - headerEnd);
                    m[at] ^= (byte) (1 + rnd.nextInt(255));
                    what.append("flip data byte ").append(at);
                } else {
                    what.append("unchanged");
                }
                return m;
            }
            case 3: { // replace a run of header text with a token, fixing up nothing
                String dict = new String(valid, prefix(valid), headerEnd - prefix(valid), StandardCharsets.ISO_8859_1);
                int from = rnd.nextInt(dict.length());
                int to = Math.min(dict.length(), from + rnd.nextInt(6));
                String token = HEADER_EDITS[rnd.nextInt(HEADER_EDITS.length)];
                what.append("header [").append(from).append(", ").append(to).append(") := '").append(token).append("'");
                return rebuild(valid, dict.substring(0, from) + token + dict.substring(to), rnd.nextBoolean());
            }
            case 4: { // replace the whole shape with random dimensions, keeping the header length field right
                String dict = new String(valid, prefix(valid), headerEnd - prefix(valid), StandardCharsets.ISO_8859_1);
                int open = dict.indexOf("'shape': (") + 10;
                int close = dict.indexOf(')', open);
                StringBuilder shape = new StringBuilder();
                int dims = rnd.nextInt(4);
                for (int i = 0; i < dims; i++) {
                    long d = rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? -1 : 1) * (1L << rnd.nextInt(64)) : rnd.nextInt(7);
                    shape.append(d).append(", ");
                }
                what.append("shape := (").append(shape).append(')');
                return rebuild(valid, dict.substring(0, open) + shape + dict.substring(close), true);
            }
            default: { // a wrong header length field
                byte[] m = valid.clone();
                ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
                long len = rnd.nextBoolean() ? rnd.nextInt(valid.length + 8) : rnd.nextLong();
                if (m[6] == 1) {
                    b.putShort(8, (short) len);
                } else {
                    b.putInt(8, (int) len);
                }
                what.append("header length := ").append(len);
                return m;
            }
        }
    }

    private static int prefix(byte[] valid) {
        return valid[6] == 1 ? 10 : 12;
    }

    private static int headerEnd(byte[] valid) {
        ByteBuffer b = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        return prefix(valid) + (valid[6] == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8));
    }

    /** The file with a new header text and the old data; the length field fixed when asked. */
    private static byte[] rebuild(byte[] valid, String dict, boolean fixLength) {
        int p = prefix(valid);
        byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = Arrays.copyOfRange(valid, headerEnd(valid), valid.length);
        ByteBuffer b = ByteBuffer.allocate(p + d.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(valid, 0, p).put(d).put(data);
        if (fixLength) {
            if (p == 10) {
                b.putShort(8, (short) d.length);
            } else {
                b.putInt(8, d.length);
            }
        }
        return b.array();
    }

    @Test
    void shouldReadOrRefuseEveryMutatedFileWithAnIOException() throws IOException {
        Random rnd = new Random(SEED);
        Path f = dir.resolve("fuzz.npy");
        int read = 0;
        int refused = 0;
        try (Pool seedPool = Pool.open(); Pool pool = Pool.open()) {
            List<byte[]> seeds = seeds(seedPool);
            for (int n = 0; n < FILES; n++) {
                byte[] valid = seeds.get(rnd.nextInt(seeds.size()));
                StringBuilder what = new StringBuilder("file ").append(n).append(" (seed ").append(SEED).append("): ");
                byte[] bytes = mutate(valid, rnd, what);
                Files.write(f, bytes);
                long blocks = pool.liveBlocks();
                long poolBytes = pool.liveBytes();
                NativeArray a = null;
                Throwable thrown = null;
                try {
                    a = Npy.read(pool, f);
                } catch (Throwable t) {
                    thrown = t;
                }
                if (thrown != null) {
                    if (!(thrown instanceof IOException)) {
                        throw new AssertionError(what + ": " + thrown, thrown);
                    }
                    assertTrue(thrown.getMessage() != null && thrown.getMessage().contains(f.toString()),
                            what + ": " + thrown.getMessage());
                    assertEquals(blocks, pool.liveBlocks(), what.toString());
                    assertEquals(poolBytes, pool.liveBytes(), what.toString());
                    refused++;
                } else {
                    checkReadAsItsBytesSay(a, bytes, what.toString());
                    rewritesToTheSameArray(pool, a, dir.resolve("again.npy"), what.toString());
                    a.close();
                    assertEquals(blocks, pool.liveBlocks(), what.toString());
                    read++;
                }
            }
        }
        // the mix really exercises both outcomes
        assertTrue(read > FILES / 20, "read " + read);
        assertTrue(refused > FILES / 3, "refused " + refused);
    }

    private static final String[] DESCR_TOKENS = {
        "[", "]", "(", ")", ", ", ",", "'a'", "'b'", "'c'", "''", "'<i4'", "'>f8'", "'|V3'", "'|S2'", "'<c16'", "'|b1'",
        "'<U1'", "'>f2'", "'=u2'", "2", "0", "(2,)", "(2, 3)", "'\\x41'", "'\\u00e9'", "\"q\"", "'<U3'", "'|O'",
        "('a', '<i4')", "('', '|V4')", "[('x', '|i1')]", " ",
    };

    @Test
    void shouldReadOrRefuseRandomDescrsWithAnIOException() throws IOException {
        Random rnd = new Random(SEED + 1);
        Path f = dir.resolve("descr.npy");
        int read = 0;
        try (Pool pool = Pool.open()) {
            for (int n = 0; n < FILES; n++) {
                StringBuilder descr = new StringBuilder(rnd.nextBoolean() ? "[(" : "");
                for (int k = 1 + rnd.nextInt(16); k > 0; k--) {
                    descr.append(DESCR_TOKENS[rnd.nextInt(DESCR_TOKENS.length)]);
                }
                descr.append(rnd.nextBoolean() ? ")]" : "");
                String what = "descr " + descr + " (seed " + (SEED + 1) + ", file " + n + ")";
                String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (2,), }\n";
                byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
                ByteBuffer b = ByteBuffer.allocate(10 + text.length + 512).order(ByteOrder.LITTLE_ENDIAN);
                b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
                for (int i = 0; b.hasRemaining(); i++) {
                    b.put((byte) (i * 13 + 5));
                }
                Files.write(f, b.array());
                NativeArray a;
                try {
                    a = Npy.read(pool, f);
                } catch (IOException e) {
                    assertTrue(e.getMessage().startsWith(f.toString()), what + ": " + e.getMessage());
                    assertEquals(0, pool.liveBlocks(), what);
                    continue;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(what + ": " + e, e);
                }
                checkReadAsItsBytesSay(a, b.array(), what);
                rewritesToTheSameArray(pool, a, dir.resolve("again.npy"), what);
                a.close();
                read++;
            }
        }
        assertTrue(read > 8, "read " + read + " of " + FILES + " random descrs (most are refused; some must read)");
    }

    /** Whatever was read, written again, reads back as the same type, shape, order and bytes. */
    private static void rewritesToTheSameArray(Pool pool, NativeArray a, Path again, String what) throws IOException {
        Npy.write(a.view(), again);
        try (NativeArray b = Npy.read(pool, again)) {
            assertEquals(a.dtype(), b.dtype(), what + ": type written and read again");
            assertArrayEquals(a.shape(), b.shape(), what);
            assertEquals(a.byteSize(), b.byteSize(), what);
            if (a.byteSize() > 0) {
                assertEquals(pool.block(a.address()).asByteBufferUnchecked(),
                        pool.block(b.address()).asByteBufferUnchecked(), what + ": bytes written and read again");
            }
        }
    }

    /** The array holds exactly the data bytes that follow the header the length field names, as np.load does. */
    private static void checkReadAsItsBytesSay(NativeArray a, byte[] file, String what) {
        int major = file[6];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int prefix = major == 1 ? 10 : 12;
        int start = prefix + (major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8));
        String header = new String(file, prefix, start - prefix, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("descr"), what + ": read a file without a descr: " + header);
        long size = 1;
        for (long d : a.shape()) {
            assertTrue(d >= 0, what);
            size *= d;
        }
        long w = a.dtype().itemsize();
        assertEquals(size * w, a.byteSize(), what);
        if (size * w > file.length - start) {
            fail(what + ": read " + size * w + " data bytes from a file with " + (file.length - start));
        }
        if (size == 0) {
            return;
        }
        ByteBuffer memory = a.pool().block(a.address()).asByteBufferUnchecked();
        for (int i = 0; i < size * w; i++) {
            assertEquals(file[start + i], memory.get(i), what + ": data byte " + i);
        }
    }
}
