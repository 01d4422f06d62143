package org.cymem4j.view;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * The {@code descr} NumPy uses for a type, little-endian: {@code "<f8"}, {@code "|u1"}.
     *
     * @param t the element type
     * @return the type's NumPy descriptor: {@code "|"} for one-byte types, {@code "<"} otherwise, then the kind
     *     ({@code i}, {@code u} or {@code f}) and the item size in bytes; {@code "<U1"} for {@link DType#WCHAR}
     */
    public static String descr(DType t) {
        if (t == DType.WCHAR) {
            return "<U1";
        }
        char kind = t.isFloating() ? 'f' : t.isSigned() ? 'i' : 'u';
        return (t.itemsize() == 1 ? "|" : "<") + kind + t.itemsize();
    }

    /**
     * Writes the view's elements as a {@code .npy} file, replacing any file at {@code path} as a whole: the data goes
     * to a temporary file in the same directory, which is then renamed over {@code path} (atomically where the file
     * system can). If anything fails - the view is dead, the disk is full, the target is a directory - the previous
     * file is left as it was and the temporary file is removed. A symbolic link at {@code path} is written through
     * (its target is replaced); a replaced file keeps its POSIX permissions.
     *
     * @param view the view to save, of any shape and strides
     * @param path the file to write
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if the view's owner is closed or freed (checked before any file is touched)
     * @throws IllegalArgumentException if the view is indirect (has suboffsets), not contiguous, and has more than
     *     {@code Integer.MAX_VALUE - 8} elements (write a {@code copy()} of it instead)
     */
    public static void write(MemoryView view, Path path) throws IOException {
        boolean fortran = view.ndim > 1 && view.isFContiguous() && !view.isCContiguous();
        byte[] header = header(descr(view.dtype), fortran, view.shape);
        MemoryView ordered = fortran ? view.T() : view; // Fortran data is the transpose's C order
        boolean direct = ordered.isCContiguous() || Kernels.bulkable(ordered);
        view.address(); // throws IllegalStateException for a dead view, before anything is written
        if (!direct && ordered.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the view has " + ordered.size() + " elements; a non-contiguous view"
                    + " written through Java holds at most " + (Integer.MAX_VALUE - 8) + " (copy() it first)");
        }
        Path target = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = temporary(dir, target.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header));
                writeData(ch, view, ordered, direct);
                ch.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the write already failed; a leftover temporary file is reported by nothing better than its name
                }
            }
        }
    }

    /** A new empty file {@code .<name>.<random>.tmp} in {@code dir}, created with the default permissions. */
    private static Path temporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Gives the new file the permissions of the file it replaces, where the file system has POSIX permissions. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (Files.isRegularFile(target)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file gets the default permissions
        }
    }

    private static void writeData(FileChannel ch, MemoryView view, MemoryView ordered, boolean direct) throws IOException {
        if (direct) {
            Kernels.readContiguous(ordered, ordered.dtype, (access, at) -> {
                try {
                    for (long done = 0, total = ordered.byteSize(); done < total; done += CHUNK) {
                        writeFully(ch, access.slice(at + done, (int) Math.min(CHUNK, total - done)));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return;
        }
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

    /**
     * Reads a {@code .npy} file into a new {@link NativeArray} of {@code pool}, in the file's order (C or Fortran).
     * The whole header is parsed and checked against the file's length before anything is allocated: a file whose
     * header promises more data than it holds is refused without asking the pool for memory.
     *
     * @param pool the pool that allocates the array's memory
     * @param path the {@code .npy} file to read
     * @return a new array owning the file's data, with the file's type, shape and order
     * @throws IOException if the file cannot be read, or is malformed in any way: not a {@code .npy} file (bad magic
     *     string), an unsupported version, a header length past the end of the file, a header that is not the
     *     dictionary NumPy writes (exactly the keys {@code descr}, {@code fortran_order} and {@code shape}), a type
     *     this library does not have, a shape with negative dimensions, more than 32 of them, or a byte size that
     *     overflows, or data shorter than the header promises. The message names the file and the problem. No memory
     *     stays allocated then.
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the array (the file does hold its data)
     */
    public static NativeArray read(Pool pool, Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, path, "magic string and version");
            pre.flip();
            for (byte m : MAGIC) {
                if (pre.get() != m) {
                    throw new IOException(path + " is not a .npy file (bad magic string)");
                }
            }
            int major = pre.get() & 0xFF;
            int minor = pre.get() & 0xFF;
            if (major < 1 || major > 3 || minor != 0) {
                throw new IOException(path + ": unsupported .npy format version " + major + "." + minor
                        + " (1.0, 2.0 and 3.0 are)");
            }
            long headerLen;
            long prefix;
            if (major == 1) {
                headerLen = pre.getShort() & 0xFFFF;
                prefix = 10;
            } else {
                ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                four.putShort(pre.getShort());
                four.limit(4);
                readFully(ch, four, path, "header length");
                four.flip();
                headerLen = four.getInt() & 0xFFFF_FFFFL;
                prefix = 12;
            }
            if (headerLen > fileSize - prefix) {
                throw new IOException(path + " is truncated: its .npy header length is " + headerLen
                        + " bytes but the file has " + (fileSize - prefix) + " after the length field");
            }
            if (headerLen > MAX_HEADER) {
                throw new IOException(path + ": .npy header of " + headerLen + " bytes is implausibly large (at most "
                        + MAX_HEADER + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, path, "header");
            hb.flip();
            String header;
            try {
                header = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(hb).toString();
            } catch (CharacterCodingException e) {
                throw new IOException(path + ": .npy header is not valid UTF-8", e);
            }
            Header h = new Header(header, path, major < 3).parse();
            DType dtype = dtypeOf(h.descr, path);
            long[] shape = h.shape;
            if (shape.length > 32) {
                throw new IOException(path + ": .npy shape " + h.shapeText + " has " + shape.length
                        + " dimensions; at most 32 are supported");
            }
            long count = 1;
            long span = dtype.itemsize();
            for (long d : shape) {
                if (d != 0 && (Math.multiplyHigh(span, d) != 0 || span * d < 0)) {
                    throw new IOException(path + ": .npy shape " + h.shapeText + " of " + dtype.itemsize()
                            + "-byte elements spans more than " + Long.MAX_VALUE + " bytes");
                }
                span *= d == 0 ? 1 : d;
                count *= d;
            }
            long total = count * dtype.itemsize();
            long available = fileSize - prefix - headerLen;
            if (total > available) {
                throw new IOException(path + " is truncated: the header promises " + total + " data bytes ("
                        + h.descr + ", shape " + h.shapeText + ") but the file has " + available + " after the header");
            }
            boolean swap = h.descr.charAt(0) == '>' && dtype.itemsize() > 1;
            NativeArray a = NativeArray.allocate(pool, dtype, h.fortran ? Order.FORTRAN : Order.C, shape);
            try {
                MemoryView v = a.view();
                v.owner.enter();
                try {
                    MemoryAccess m = v.region.access;
                    for (long done = 0; done < total; done += CHUNK) {
                        int n = (int) Math.min(CHUNK, total - done);
                        ByteBuffer dst = m.slice(done, n);
                        while (dst.hasRemaining()) {
                            if (ch.read(dst) < 0) { // the file shrank while being read
                                throw new IOException(path + " is truncated: the header promises " + total
                                        + " data bytes (" + h.descr + ", shape " + h.shapeText
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
            } catch (IOException | RuntimeException | Error e) {
                a.close();
                throw e;
            }
        }
    }

    /** The largest header {@link #read} accepts (NumPy writes a few hundred bytes; 2.0 allows up to 4 GiB). */
    private static final long MAX_HEADER = 1 << 24;

    /**
     * The header's Python dictionary literal, parsed as strictly as NumPy's {@code ast.literal_eval} plus its checks:
     * exactly the keys {@code 'descr'} (a string), {@code 'fortran_order'} ({@code True} or {@code False}) and
     * {@code 'shape'} (a tuple of non-negative integers; {@code (3)} is an integer, not a tuple), in any order,
     * strings in single or double quotes, then only whitespace. Python 2's {@code 3L} is accepted in 1.0 and 2.0 files.
     */
    private static final class Header {
        private final String text;
        private final Path path;
        private final boolean longSuffix;
        private int at;
        String descr;
        Boolean fortranOrder;
        boolean fortran;
        long[] shape;
        String shapeText;

        Header(String text, Path path, boolean longSuffix) {
            this.text = text;
            this.path = path;
            this.longSuffix = longSuffix;
        }

        Header parse() throws IOException {
            space();
            expect('{');
            space();
            while (!peek('}')) {
                String key = string();
                space();
                expect(':');
                space();
                switch (key) {
                    case "descr":
                        if (descr != null) {
                            throw bad("a second 'descr'");
                        }
                        if (peek('[')) {
                            throw bad("a structured 'descr' (a list of fields), which this library does not read");
                        }
                        descr = string();
                        break;
                    case "fortran_order":
                        if (fortranOrder != null) {
                            throw bad("a second 'fortran_order'");
                        }
                        fortranOrder = bool();
                        break;
                    case "shape":
                        if (shape != null) {
                            throw bad("a second 'shape'");
                        }
                        shape = tuple();
                        break;
                    default:
                        throw bad("an unknown key '" + key + "'");
                }
                space();
                if (peek(',')) {
                    at++;
                    space();
                } else if (!peek('}')) {
                    throw bad("no ',' or '}' after the value of '" + key + "'");
                }
            }
            at++;
            space();
            if (at < text.length()) {
                throw bad("text after the dictionary");
            }
            if (descr == null || fortranOrder == null || shape == null) {
                throw bad("no " + (descr == null ? "'descr'" : fortranOrder == null ? "'fortran_order'" : "'shape'"));
            }
            fortran = fortranOrder;
            return this;
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) throws IOException {
            if (!peek(c)) {
                throw bad(at < text.length() ? "'" + text.charAt(at) + "' where '" + c + "' belongs" : "no '" + c + "'");
            }
            at++;
        }

        private void space() {
            while (at < text.length() && " \t\n\r\f".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private String string() throws IOException {
            if (!peek('\'') && !peek('"')) {
                throw bad(at < text.length() ? "'" + text.charAt(at) + "' where a quoted string belongs" : "no closing '}'");
            }
            char quote = text.charAt(at++);
            int start = at;
            while (at < text.length() && text.charAt(at) != quote) {
                char c = text.charAt(at);
                if (c == '\\' || c == '\n' || c == '\r') {
                    throw bad("an escape or line break in a string");
                }
                at++;
            }
            if (at == text.length()) {
                throw bad("an unterminated string");
            }
            return text.substring(start, at++);
        }

        private boolean bool() throws IOException {
            if (text.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return false;
            }
            throw bad("a 'fortran_order' that is not True or False");
        }

        private long[] tuple() throws IOException {
            int start = at;
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean comma = false;
            space();
            while (!peek(')')) {
                if (at >= text.length()) {
                    throw bad("a 'shape' without ')'");
                }
                dims.add(dimension());
                space();
                comma = peek(',');
                if (comma) {
                    at++;
                    space();
                } else if (!peek(')')) {
                    throw bad("a 'shape' that is not a tuple of integers");
                }
            }
            at++;
            shapeText = text.substring(start, at);
            if (dims.size() == 1 && !comma) {
                throw bad("a 'shape' " + shapeText + " that is an integer, not a tuple");
            }
            long[] out = new long[dims.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = dims.get(k);
            }
            return out;
        }

        private long dimension() throws IOException {
            int start = at;
            if (peek('-') || peek('+')) {
                at++;
            }
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            String literal = text.substring(start, at);
            if (longSuffix && (peek('L') || peek('l'))) {
                at++;
            }
            String digits = literal.replace("_", "");
            // Python's integer literal: underscores only between digits, no leading zeros except in zero itself
            boolean ok = literal.matches("[-+]?[0-9]+(_[0-9]+)*") && !digits.matches("[-+]?0+[1-9][0-9]*");
            if (!ok) {
                int end = Math.min(text.length(), Math.max(at, start + 1));
                throw bad("a dimension '" + text.substring(start, end) + "' that is not an integer");
            }
            long d;
            try {
                d = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw bad("a dimension " + literal + " that does not fit 64 bits");
            }
            if (d < 0) {
                throw bad("a negative dimension " + literal + " in its 'shape'");
            }
            return d;
        }

        private IOException bad(String what) {
            String shown = text.strip();
            if (shown.length() > 200) {
                shown = shown.substring(0, 200) + "...";
            }
            return new IOException(path + ": .npy header has " + what + ": " + shown);
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
