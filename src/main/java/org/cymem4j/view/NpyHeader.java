package org.cymem4j.view;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a {@code .npy} file: written by {@link #encode} exactly as {@code np.save} writes it, and read by
 * {@link #read}, which parses and checks all of it against the file's length before {@link Npy#read} allocates or
 * {@link Npy#map} maps anything. Every problem is an {@link IOException} naming the file and the bad part.
 */
final class NpyHeader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    /** The descriptor's text as written ({@code '<f8'}, {@code [('a', '<i4')]}), for messages. */
    final String descr;
    /** The element type the descriptor names. */
    final DType dtype;
    /** The shape, in elements per axis. */
    final long[] shape;
    /** The shape as written in the header ({@code "(2, 3)"}), for messages. */
    final String shapeText;
    /** True for {@code 'fortran_order': True}. */
    final boolean fortran;
    /** Where the data starts: the file offset of element 0. */
    final long dataOffset;
    /** {@code product(shape) * itemsize}: how many data bytes the header promises (the file holds at least these). */
    final long dataBytes;

    private NpyHeader(String descr, DType dtype, long[] shape, String shapeText, boolean fortran, long dataOffset,
            long dataBytes) {
        this.descr = descr;
        this.dtype = dtype;
        this.shape = shape;
        this.shapeText = shapeText;
        this.fortran = fortran;
        this.dataOffset = dataOffset;
        this.dataBytes = dataBytes;
    }

    /** The file's order as an {@link Order}. */
    Order order() {
        return fortran ? Order.FORTRAN : Order.C;
    }

    /**
     * The bytes {@code np.save} writes before the data, as NumPy's {@code _write_array_header}: magic, version, length,
     * the dictionary with its keys sorted and its values as Python's {@code repr} writes them, room for the growth
     * axis to reach 21 digits, then spaces and a newline so the data starts at a multiple of 64 bytes. The version is
     * the first of 1.0 (Latin-1, at most 65535 bytes), 2.0 (Latin-1) and 3.0 (UTF-8, for field names outside
     * Latin-1) that can hold the dictionary.
     *
     * @param dtype the element type, not a sub-array (the caller folds those into the shape)
     */
    static byte[] encode(DType dtype, boolean fortran, long[] shape) {
        StringBuilder s = new StringBuilder("{'descr': ").append(NpyDescr.repr(dtype)).append(", 'fortran_order': ")
                .append(fortran ? "True" : "False").append(", 'shape': ");
        NpyDescr.tuple(shape, s);
        s.append(", }");
        if (shape.length > 0) {
            // np.save leaves room to grow the outer axis in place (GROWTH_AXIS_MAX_DIGITS = 21); do the same, so the
            // files are byte-identical to NumPy's
            s.append(" ".repeat(Math.max(0, 21 - Long.toString(shape[fortran ? shape.length - 1 : 0]).length())));
        }
        String dict = s.toString();
        boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(dict);
        byte[] text = dict.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        int hlen = text.length + 1; // the closing newline
        int major = !latin1 ? 3 : hlen + ALIGN - (10 + hlen) % ALIGN <= 0xFFFF ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;
        int pad = ALIGN - (prefix + hlen) % ALIGN; // NumPy pads a whole 64 when already aligned
        ByteBuffer out = ByteBuffer.allocate(prefix + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) (hlen + pad));
        } else {
            out.putInt(hlen + pad);
        }
        out.put(text);
        for (int k = 0; k < pad; k++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /**
     * Reads and checks the header from the start of {@code ch}, leaving the channel's position at the first data
     * byte.
     *
     * @throws IOException for a bad magic string, an unsupported version, a header past the end of the file or
     *     implausibly large, a header that is not the dictionary NumPy writes, an unsupported type, more than 32
     *     dimensions, a byte size that overflows, or a file shorter than the data the header promises
     */
    static NpyHeader read(FileChannel ch, Path path) throws IOException {
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
        Parser h = new Parser(header, path, major < 3).parse();
        DType dtype = h.dtype;
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
        return new NpyHeader(h.descr, dtype, shape, h.shapeText, h.fortran, prefix + headerLen, total);
    }

    /** The largest header {@link #read} accepts (NumPy writes a few hundred bytes; 2.0 allows up to 4 GiB). */
    private static final long MAX_HEADER = 1 << 24;

    /**
     * The header's Python dictionary literal, parsed as strictly as NumPy's {@code ast.literal_eval} plus its checks:
     * exactly the keys {@code 'descr'} (a string), {@code 'fortran_order'} ({@code True} or {@code False}) and
     * {@code 'shape'} (a tuple of non-negative integers; {@code (3)} is an integer, not a tuple), in any order,
     * strings in single or double quotes, then only whitespace. Python 2's {@code 3L} is accepted in 1.0 and 2.0 files.
     */
    private static final class Parser {
        private final String text;
        private final Path path;
        private final boolean longSuffix;
        private int at;
        String descr;
        DType dtype;
        Boolean fortranOrder;
        boolean fortran;
        long[] shape;
        String shapeText;

        Parser(String text, Path path, boolean longSuffix) {
            this.text = text;
            this.path = path;
            this.longSuffix = longSuffix;
        }

        Parser parse() throws IOException {
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
                        int start = at;
                        try {
                            NpyDescr.Parsed d = NpyDescr.parse(text, at);
                            dtype = d.type;
                            at = d.end;
                        } catch (NpyDescr.Bad e) {
                            throw badAt(e.at, e.getMessage());
                        }
                        descr = shorten(text.substring(start, at)); // for messages only
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

        /** An error in the descr, quoting the text around {@code pos} and giving its index in the header. */
        private IOException badAt(int pos, String what) {
            int from = Math.max(0, pos - 10);
            int to = Math.min(text.length(), pos + 20);
            return new IOException(path + ": .npy header has " + what + " at index " + pos + " ('"
                    + text.substring(from, to).replace("\n", "\\n") + "') of its descr: " + shorten(text.strip()));
        }

        private static String shorten(String shown) {
            return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
        }

        private IOException bad(String what) {
            String shown = text.strip();
            if (shown.length() > 200) {
                shown = shown.substring(0, 200) + "...";
            }
            return new IOException(path + ": .npy header has " + what + ": " + shown);
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
