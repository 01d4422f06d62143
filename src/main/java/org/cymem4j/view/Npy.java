package org.cymem4j.view;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cymem4j.Pool;
import org.cymem4j.internal.MemoryAccess;

/**
 * NumPy's {@code .npy} file format, so arrays travel between this library and NumPy ({@code np.save}/{@code np.load}).
 *
 * <pre>{@code
 * Npy.write(view, Path.of("a.npy"));                  // np.load("a.npy") in Python gives the same array
 * try (Pool pool = Pool.open()) {
 *     NativeArray a = Npy.read(pool, Path.of("b.npy"));   // saved by np.save
 *     MemoryView v = a.view();
 * }
 * }</pre>
 *
 * <p>Writing produces format version 1.0 (2.0 when the header exceeds 65535 bytes), little-endian, in Fortran order
 * when the view is Fortran- but not C-contiguous (as {@code np.save} does) and C order otherwise, with the header
 * padded so the data starts at a multiple of 64 bytes, byte for byte as {@code np.save} writes it. Reading accepts versions 1.0, 2.0 and 3.0, C and Fortran
 * order, little-endian ({@code <}), big-endian ({@code >}, swapped to native order on read) and
 * byte-order-free ({@code |}) data of the types {@code i1 u1 i2 u2 i4 u4 i8 u8 f4 f8} (and {@code U1} as {@code 'u'}).
 * Files with other types (bool, complex, strings, objects, structured) are refused with an {@link IOException}
 * naming the descriptor.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 24;

    private Npy() {
    }

    /** The {@code descr} NumPy uses for a type, little-endian: {@code "<f8"}, {@code "|u1"}. */
    public static String descr(DType t) {
        if (t == DType.WCHAR) {
            return "<U1";
        }
        char kind = t.isFloating() ? 'f' : t.isSigned() ? 'i' : 'u';
        return (t.itemsize() == 1 ? "|" : "<") + kind + t.itemsize();
    }

    /**
     * Writes the view's elements as a {@code .npy} file (replacing any file at {@code path}).
     *
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if the view's owner is closed or freed
     */
    public static void write(MemoryView view, Path path) throws IOException {
        boolean fortran = view.ndim > 1 && view.isFContiguous() && !view.isCContiguous();
        byte[] header = header(descr(view.dtype), fortran, view.shape);
        MemoryView ordered = fortran ? view.T() : view; // Fortran data is the transpose's C order
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header));
            if (ordered.isCContiguous() || Kernels.bulkable(ordered)) {
                Kernels.readContiguous(ordered, ordered.dtype, (access, at) -> {
                    try {
                        for (long done = 0, total = ordered.nbytes(); done < total; done += CHUNK) {
                            writeFully(ch, access.slice(at + done, (int) Math.min(CHUNK, total - done)));
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } else {
                long[] bits = Kernels.rawBits(ordered);
                int w = view.itemsize;
                ByteBuffer buf = ByteBuffer.allocate(Math.max(w, Math.min(CHUNK, bits.length * w))).order(ByteOrder.LITTLE_ENDIAN);
                for (long b : bits) {
                    if (buf.remaining() < w) {
                        buf.flip();
                        writeFully(ch, buf);
                        buf.clear();
                    }
                    switch (w) {
                        case 1: buf.put((byte) b); break;
                        case 2: buf.putShort((short) b); break;
                        case 4: buf.putInt((int) b); break;
                        default: buf.putLong(b);
                    }
                }
                buf.flip();
                writeFully(ch, buf);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static byte[] header(String descr, boolean fortran, long[] shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortran ? "True" : "False").append(", 'shape': (");
        for (int k = 0; k < shape.length; k++) {
            s.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        s.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            // np.save leaves room to grow the outer axis in place (GROWTH_AXIS_MAX_DIGITS = 21); do the same, so the
            // files are byte-identical to NumPy's
            s.append(" ".repeat(21 - Long.toString(shape[fortran ? shape.length - 1 : 0]).length()));
        }
        int dictLen = s.length() + 1; // the closing newline
        boolean v1 = dictLen + ALIGN < 65536;
        int prefix = 8 + (v1 ? 2 : 4);
        int pad = ALIGN - (prefix + dictLen) % ALIGN; // NumPy pads a whole 64 when already aligned
        s.append(" ".repeat(pad)).append('\n');
        byte[] dict = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + dict.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            out.putShort((short) dict.length);
        } else {
            out.putInt(dict.length);
        }
        out.put(dict);
        return out.array();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * Reads a {@code .npy} file into a new {@link NativeArray} of {@code pool}, in the file's order (C or Fortran).
     *
     * @throws IOException if the file cannot be read, is not a {@code .npy} file, is truncated, or holds a type this
     *     library does not have; the message names what is wrong. No memory stays allocated then.
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the array
     */
    public static NativeArray read(Pool pool, Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, path, "magic");
            pre.flip();
            for (byte m : MAGIC) {
                if (pre.get() != m) {
                    throw new IOException(path + " is not a .npy file (bad magic string)");
                }
            }
            int major = pre.get();
            int minor = pre.get();
            if (major < 1 || major > 3) {
                throw new IOException(path + ": unsupported .npy format version " + major + "." + minor + " (1.0-3.0 are)");
            }
            long headerLen;
            if (major == 1) {
                headerLen = pre.getShort() & 0xFFFF;
            } else {
                ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                four.putShort(pre.getShort());
                four.limit(4);
                readFully(ch, four, path, "header length");
                four.flip();
                headerLen = four.getInt() & 0xFFFF_FFFFL;
            }
            if (headerLen > (1 << 24)) {
                throw new IOException(path + ": .npy header of " + headerLen + " bytes is implausibly large");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, path, "header");
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = group(DESCR, header, path, "descr");
            boolean fortran = group(FORTRAN, header, path, "fortran_order").equals("True");
            long[] shape = parseShape(group(SHAPE, header, path, "shape"), path);
            char byteOrder = descr.isEmpty() ? '?' : descr.charAt(0);
            DType dtype = dtypeOf(descr, path);
            boolean swap = byteOrder == '>' && dtype.itemsize() > 1;
            NativeArray a = NativeArray.allocate(pool, dtype, fortran ? Order.FORTRAN : Order.C, shape);
            try {
                MemoryView v = a.view();
                long total = v.nbytes();
                v.owner.enter();
                try {
                    MemoryAccess m = v.region.access;
                    for (long done = 0; done < total; done += CHUNK) {
                        int n = (int) Math.min(CHUNK, total - done);
                        ByteBuffer dst = m.slice(done, n);
                        while (dst.hasRemaining()) {
                            if (ch.read(dst) < 0) {
                                throw new IOException(path + " is truncated: the header promises " + total
                                        + " data bytes (" + descr + ", shape " + java.util.Arrays.toString(shape)
                                        + ") but the file ends after " + (done + dst.position()));
                            }
                        }
                    }
                    if (swap) {
                        byteSwap(m, total, dtype.itemsize());
                    }
                } finally {
                    v.owner.exit();
                }
                return a;
            } catch (IOException | RuntimeException e) {
                a.close();
                throw e;
            }
        }
    }

    private static void byteSwap(MemoryAccess m, long total, int width) {
        for (long o = 0; o < total; o += width) {
            switch (width) {
                case 2: m.putShort(o, Short.reverseBytes(m.getShort(o))); break;
                case 4: m.putInt(o, Integer.reverseBytes(m.getInt(o))); break;
                default: m.putLong(o, Long.reverseBytes(m.getLong(o)));
            }
        }
    }

    private static String group(Pattern p, String header, Path path, String key) throws IOException {
        Matcher mt = p.matcher(header);
        if (!mt.find()) {
            throw new IOException(path + ": .npy header has no valid '" + key + "': " + header.trim());
        }
        return mt.group(1);
    }

    private static long[] parseShape(String text, Path path) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new IOException(path + ": bad dimension '" + part.trim() + "' in .npy shape (" + text + ")");
            }
        }
        long[] shape = new long[dims.size()];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = dims.get(k);
        }
        return shape;
    }

    static DType dtypeOf(String descr, Path path) throws IOException {
        if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new IOException(path + ": unsupported .npy dtype '" + descr + "'");
        }
        String t = descr.substring(1);
        switch (t) {
            case "i1": return DType.BYTE;
            case "u1": return DType.UBYTE;
            case "i2": return DType.SHORT;
            case "u2": return DType.USHORT;
            case "i4": return DType.INT;
            case "u4": return DType.UINT;
            case "i8": return DType.LONG;
            case "u8": return DType.ULONG;
            case "f4": return DType.FLOAT;
            case "f8": return DType.DOUBLE;
            case "U1": return DType.WCHAR;
            default:
                throw new IOException(path + ": unsupported .npy dtype '" + descr
                        + "' (supported: i1 u1 i2 u2 i4 u4 i8 u8 f4 f8 U1, any byte order)");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path path, String what) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException(path + " is truncated in the .npy " + what);
            }
        }
    }
}
