package org.cymem4j.view;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cymem4j.internal.PyStrings;

/**
 * The {@code 'descr'} of a {@code .npy} header, both ways, as NumPy's {@code numpy/lib/format.py} writes and reads
 * it: {@link #repr} gives the Python {@code repr()} of {@code dtype_to_descr(dtype)} ({@code dtype.str} for a
 * scalar or byte string, {@code dtype.descr} - a list of {@code (name, descr)} and {@code (name, descr, shape)}
 * tuples with {@code ('', '|V<n>')} padding entries - for a struct), and {@link #parse} reads that Python literal
 * back and lays it out as {@code descr_to_dtype} does: fields end to end in list order, padding entries skipped but
 * counted, the size the sum of all entries.
 *
 * <p>The literal grammar is the subset of Python a descr uses: strings in either quote with Python's escapes,
 * non-negative integers, lists and tuples (trailing commas allowed). Errors are {@link Bad}s carrying the position and
 * what is wrong; {@link NpyHeader} turns them into {@code IOException}s naming the file and quoting the bad part.
 */
final class NpyDescr {
    private NpyDescr() {
    }

    /** A parse or layout error at {@code at} in the header text; the header reader adds the file and the quote. */
    static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        final int at;

        Bad(int at, String what) {
            super(what, null, false, false);
            this.at = at;
        }
    }

    // ---- writing ---------------------------------------------------------------------------------------------------

    /**
     * The Python repr of NumPy's descr of {@code t}: {@code '<f8'}, {@code '|S5'},
     * {@code [('a', '<i4'), ('', '|V4'), ('b', '<f8', (2, 3))]}.
     *
     * @throws IllegalArgumentException for a sub-array type, which NumPy folds into the array's shape (the caller
     *     does that first)
     */
    static String repr(DType t) {
        StringBuilder out = new StringBuilder();
        if (t.kind() == DType.Kind.SUBARRAY) {
            throw new IllegalArgumentException("a sub-array element type " + t.displayName() + " has no .npy descr"
                    + " of its own: NumPy folds its dimensions into the array's shape");
        }
        value(t, out);
        return out.toString();
    }

    /** One descr value: a quoted type string, or a struct's list. */
    private static void value(DType t, StringBuilder out) {
        if (t.kind() == DType.Kind.STRUCT) {
            list(t, out);
        } else {
            PyStrings.appendRepr(out, typeString(t));
        }
    }

    /** {@code _array_descr}: the fields in offset order, every gap and the tail as {@code ('', '|V<n>')}. */
    private static void list(DType s, StringBuilder out) {
        out.append('[');
        long end = 0;
        boolean first = true;
        for (DType.Field f : s.fields()) {
            if (f.offset() > end) {
                first = padding(f.offset() - end, first, out);
            }
            out.append(first ? "" : ", ").append('(');
            first = false;
            PyStrings.appendRepr(out, f.name());
            out.append(", ");
            DType base = DTypeFormat.innermost(f.type());
            value(base, out);
            if (f.type().kind() == DType.Kind.SUBARRAY) {
                out.append(", ");
                tuple(DTypeFormat.flatDims(f.type()), out);
            }
            out.append(')');
            end = f.offset() + f.type().itemsize();
        }
        if (s.itemsize() > end) {
            padding(s.itemsize() - end, first, out);
        }
        out.append(']');
    }

    private static boolean padding(long bytes, boolean first, StringBuilder out) {
        out.append(first ? "" : ", ").append("('', '|V").append(bytes).append("')");
        return false;
    }

    /** Python's repr of a tuple of integers: {@code (2,)}, {@code (2, 3)}, {@code ()}. */
    static void tuple(long[] dims, StringBuilder out) {
        out.append('(');
        for (int k = 0; k < dims.length; k++) {
            out.append(k == 0 ? "" : ", ").append(dims[k]);
        }
        out.append(dims.length == 1 ? ",)" : ")");
    }

    /**
     * NumPy's {@code dtype.str} of a scalar or byte string: the byte order ({@code |} for one-byte types and byte
     * strings), the kind and the size in bytes; {@code <U1} for {@code wchar_t}.
     */
    static String typeString(DType t) {
        if (t.kind() == DType.Kind.BYTES) {
            return "|S" + t.itemsize();
        }
        char kind;
        switch (t.kind()) {
            case SIGNED: kind = 'i'; break;
            case UNSIGNED: kind = 'u'; break;
            case FLOATING: kind = 'f'; break;
            case COMPLEX: kind = 'c'; break;
            case BOOL: kind = 'b'; break;
            case CHARACTER: kind = 'U'; break;
            default: throw new IllegalArgumentException("no NumPy descr for " + t.displayName());
        }
        char order = t.itemsize() == 1 ? '|' : t.order() == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
        return "" + order + kind + (kind == 'U' ? 1 : t.itemsize());
    }

    // ---- reading ---------------------------------------------------------------------------------------------------

    /** A parsed Python literal: a string, an integer, a list or a tuple, and where it starts in the text. */
    private static final class Literal {
        final int at;
        final String string;          // a string literal, else null
        final Long integer;           // an integer literal, else null
        final List<Literal> items;    // a list's or tuple's items, else null
        final boolean tuple;

        Literal(int at, String string, Long integer, List<Literal> items, boolean tuple) {
            this.at = at;
            this.string = string;
            this.integer = integer;
            this.items = items;
            this.tuple = tuple;
        }

        String kindName() {
            return string != null ? "a string" : integer != null ? "an integer" : tuple ? "a tuple" : "a list";
        }
    }

    /** The result of {@link #parse}: the type and the position after the literal. */
    static final class Parsed {
        final DType type;
        final int end;

        Parsed(DType type, int end) {
            this.type = type;
            this.end = end;
        }
    }

    /**
     * Parses the descr literal that starts at {@code at} of {@code text} and lays out its type.
     *
     * @throws Bad for a malformed literal or a type this library does not have (titles, object, unicode strings
     *     longer than one character, datetimes, unnamed non-padding fields, a zero-size struct)
     */
    static Parsed parse(String text, int at) throws Bad {
        LiteralReader r = new LiteralReader(text, at);
        Literal lit = r.literal(0);
        if (lit.tuple) {
            throw new Bad(lit.at, "a sub-array descr at the top level (NumPy folds it into the shape)");
        }
        return new Parsed(type(lit), r.at);
    }

    private static DType type(Literal lit) throws Bad {
        if (lit.string != null) {
            DType t = scalar(lit.string, lit.at);
            if (t == null) {
                throw new Bad(lit.at, "raw bytes '" + lit.string + "' outside a padding entry, which this library"
                        + " does not have");
            }
            return t;
        }
        if (lit.items == null) {
            throw new Bad(lit.at, lit.kindName() + " where a type belongs");
        }
        if (lit.tuple) { // (descr, shape): a sub-array, as descr_to_dtype reads it
            if (lit.items.size() != 2) {
                throw new Bad(lit.at, "a sub-array tuple with " + lit.items.size() + " items (must be (type, shape))");
            }
            return subarray(type(lit.items.get(0)), lit.items.get(1));
        }
        return struct(lit);
    }

    private static DType struct(Literal list) throws Bad {
        List<DType.Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Literal entry : list.items) {
            if (!entry.tuple || entry.items.size() < 2 || entry.items.size() > 3) {
                throw new Bad(entry.at, entry.kindName() + (entry.items != null ? " of " + entry.items.size()
                        + " items" : "") + " where a field (name, type) or (name, type, shape) belongs");
            }
            Literal name = entry.items.get(0);
            if (name.string == null) {
                throw new Bad(name.at, name.tuple ? "a field title (a (title, name) tuple), which this library does"
                        + " not have" : name.kindName() + " where a field name belongs");
            }
            Literal typeLit = entry.items.get(1);
            DType type;
            if (typeLit.string != null && name.string.isEmpty() && entry.items.size() == 2) {
                long pad = padding(typeLit.string);
                if (pad > 0) { // ('', '|V4'): padding, skipped but counted, as descr_to_dtype does
                    offset += pad; // both below 2^34: no overflow
                    if (offset > Integer.MAX_VALUE) {
                        throw new Bad(entry.at, "a struct of more than " + Integer.MAX_VALUE + " bytes");
                    }
                    continue;
                }
            }
            type = type(typeLit);
            if (entry.items.size() == 3) {
                type = subarray(type, entry.items.get(2));
            }
            if (name.string.isEmpty()) {
                throw new Bad(name.at, "an empty field name on a field that is not padding");
            }
            if (name.string.indexOf(':') >= 0) {
                throw new Bad(name.at, "a field name '" + name.string + "' with ':', which PEP 3118 formats cannot"
                        + " spell");
            }
            if (!names.add(name.string)) {
                throw new Bad(name.at, "a second field named '" + name.string + "'");
            }
            fields.add(new DType.Field(name.string, offset, type));
            offset += type.itemsize();
            if (offset > Integer.MAX_VALUE) {
                throw new Bad(entry.at, "a struct of more than " + Integer.MAX_VALUE + " bytes");
            }
        }
        if (offset == 0) {
            throw new Bad(list.at, "a struct of 0 bytes");
        }
        return DType.structOf(fields, offset, cAlignment(fields, offset));
    }

    /**
     * The alignment C would give this layout: the largest field alignment when every field sits at a multiple of
     * its own and the size is a multiple of the largest (the file was written from an {@code align=True} dtype or a
     * struct that happens to be laid out as C would), else 1 (packed). NumPy's {@code descr_to_dtype} gives 1 for
     * every struct; the offsets and size are the same either way.
     */
    private static int cAlignment(List<DType.Field> fields, long size) {
        int max = 1;
        for (DType.Field f : fields) {
            int a = f.type().alignment();
            if (f.offset() % a != 0) {
                return 1;
            }
            max = Math.max(max, a);
        }
        return size % max == 0 ? max : 1;
    }

    private static DType subarray(DType element, Literal shape) throws Bad {
        long[] dims;
        if (shape.integer != null) {
            dims = new long[] {shape.integer};
        } else if (shape.tuple) {
            dims = new long[shape.items.size()];
            for (int k = 0; k < dims.length; k++) {
                Literal d = shape.items.get(k);
                if (d.integer == null) {
                    throw new Bad(d.at, d.kindName() + " where a sub-array dimension belongs");
                }
                dims[k] = d.integer;
            }
        } else {
            throw new Bad(shape.at, shape.kindName() + " where a sub-array shape (a tuple of integers) belongs");
        }
        if (dims.length == 0) {
            return element; // np.dtype((t, ())) is t
        }
        if (dims.length > 32) {
            throw new Bad(shape.at, "a sub-array of " + dims.length + " dimensions (at most 32)");
        }
        long bytes = element.itemsize();
        for (long d : dims) {
            if (d < 1) {
                throw new Bad(shape.at, "a sub-array dimension " + d + " (this library's sub-arrays have at least 1"
                        + " element per axis)");
            }
            if (Math.multiplyHigh(bytes, d) != 0 || bytes * d > Integer.MAX_VALUE) {
                throw new Bad(shape.at, "a sub-array of more than " + Integer.MAX_VALUE + " bytes");
            }
            bytes *= d;
        }
        return DType.arrayOf(element, dims);
    }

    /** The size of a {@code |V<n>} padding type string, or 0 when the string is another type. */
    private static long padding(String s) {
        if (s.length() > 2 && "<>|=".indexOf(s.charAt(0)) >= 0 && s.charAt(1) == 'V') {
            String digits = s.substring(2);
            if (digits.matches("[1-9][0-9]{0,9}")) {
                return Long.parseLong(digits);
            }
        }
        return 0;
    }

    /**
     * The type a NumPy type string names: a byte order ({@code < > | =}; {@code |} and {@code =} are native), then
     * {@code b1 i1 u1 i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16 U1} or {@code S<n>}; null for {@code V<n>} (raw bytes,
     * which only padding may be).
     */
    static DType scalar(String s, int at) throws Bad {
        if (s.length() < 3 || "<>|=".indexOf(s.charAt(0)) < 0) {
            throw new Bad(at, "an unsupported dtype '" + s + "' (supported: a byte order < > | = then b1 i1 u1 i2 u2"
                    + " i4 u4 i8 u8 f2 f4 f8 c8 c16 U1 or S<n>)");
        }
        String t = s.substring(1);
        DType d;
        switch (t) {
            case "b1": d = DType.BOOL; break;
            case "i1": d = DType.BYTE; break;
            case "u1": d = DType.UBYTE; break;
            case "i2": d = DType.SHORT; break;
            case "u2": d = DType.USHORT; break;
            case "i4": d = DType.INT; break;
            case "u4": d = DType.UINT; break;
            case "i8": d = DType.LONG; break;
            case "u8": d = DType.ULONG; break;
            case "f2": d = DType.HALF; break;
            case "f4": d = DType.FLOAT; break;
            case "f8": d = DType.DOUBLE; break;
            case "c8": d = DType.CFLOAT; break;
            case "c16": d = DType.CDOUBLE; break;
            case "U1": d = DType.WCHAR; break;
            default:
                if (t.matches("S[1-9][0-9]{0,9}") && Long.parseLong(t.substring(1)) <= Integer.MAX_VALUE) {
                    return DType.bytes(Long.parseLong(t.substring(1)));
                }
                if (padding(s) > 0) {
                    return null;
                }
                throw new Bad(at, "an unsupported dtype '" + s + "' (supported: a byte order < > | = then b1 i1 u1"
                        + " i2 u2 i4 u4 i8 u8 f2 f4 f8 c8 c16 U1 or S<n>)");
        }
        boolean big = s.charAt(0) == '>' || s.charAt(0) == '<' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
        return big ? d.withOrder(ByteOrder.BIG_ENDIAN) : d;
    }

    /** Reads Python literals: strings, integers, lists, tuples; nesting limited so a hostile header cannot recurse deep. */
    private static final class LiteralReader {
        private static final int MAX_DEPTH = 64;
        final String text;
        int at;

        LiteralReader(String text, int at) {
            this.text = text;
            this.at = at;
        }

        Literal literal(int depth) throws Bad {
            space();
            if (at >= text.length()) {
                throw new Bad(at, "no value where the descr belongs");
            }
            char c = text.charAt(at);
            if (c == '\'' || c == '"') {
                int start = at;
                return new Literal(start, string(), null, null, false);
            }
            if (c >= '0' && c <= '9') {
                int start = at;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                String digits = text.substring(start, at);
                if (digits.length() > 1 && digits.charAt(0) == '0' || digits.length() > 18) {
                    throw new Bad(start, "an integer '" + digits + "' that is not a plain decimal below 10^18");
                }
                return new Literal(start, null, Long.parseLong(digits), null, false);
            }
            if (c == '[' || c == '(') {
                if (depth == MAX_DEPTH) {
                    throw new Bad(at, "a descr nested deeper than " + MAX_DEPTH + " levels");
                }
                int start = at++;
                char close = c == '[' ? ']' : ')';
                List<Literal> items = new ArrayList<>();
                boolean comma = false;
                space();
                while (!peek(close)) {
                    if (at >= text.length()) {
                        throw new Bad(start, "no '" + close + "' closing this '" + c + "'");
                    }
                    items.add(literal(depth + 1));
                    space();
                    comma = peek(',');
                    if (comma) {
                        at++;
                        space();
                    } else if (!peek(close)) {
                        throw new Bad(at, at < text.length() ? "'" + text.charAt(at) + "' where ',' or '" + close
                                + "' belongs" : "no '" + close + "' closing this '" + c + "'");
                    }
                }
                at++;
                if (c == '(' && items.size() == 1 && !comma) {
                    return items.get(0); // (x) is x in Python, not a tuple
                }
                return new Literal(start, null, null, items, c == '(');
            }
            throw new Bad(at, "'" + c + "' where a string, list or tuple belongs");
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void space() {
            while (at < text.length() && " \t\n\r\f".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        /** A Python string literal with the escapes {@code repr} writes and the other simple ones. */
        private String string() throws Bad {
            int start = at;
            char quote = text.charAt(at++);
            StringBuilder s = new StringBuilder();
            for (;;) {
                if (at >= text.length() || text.charAt(at) == '\n' || text.charAt(at) == '\r') {
                    throw new Bad(start, "an unterminated string");
                }
                char c = text.charAt(at++);
                if (c == quote) {
                    return s.toString();
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw new Bad(start, "an unterminated string");
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '\\': case '\'': case '"': s.append(e); break;
                    case 't': s.append('\t'); break;
                    case 'n': s.append('\n'); break;
                    case 'r': s.append('\r'); break;
                    case 'a': s.append('\u0007'); break;
                    case 'b': s.append('\b'); break;
                    case 'f': s.append('\f'); break;
                    case 'v': s.append('\u000b'); break;
                    case 'x': s.appendCodePoint(hex(2, at - 2)); break;
                    case 'u': s.appendCodePoint(hex(4, at - 2)); break;
                    case 'U': s.appendCodePoint(hex(8, at - 2)); break;
                    default:
                        throw new Bad(at - 2, "an escape '\\" + e + "' this reader does not know in a string");
                }
            }
        }

        private int hex(int digits, int escapeAt) throws Bad {
            if (at + digits > text.length() || !text.substring(at, at + digits).matches("[0-9a-fA-F]+")) {
                throw new Bad(escapeAt, "a truncated hex escape in a string");
            }
            long v = Long.parseLong(text.substring(at, at + digits), 16);
            at += digits;
            if (v > Character.MAX_CODE_POINT || v >= 0xD800 && v <= 0xDFFF) {
                throw new Bad(escapeAt, "an escape of " + Long.toHexString(v) + ", which is not a Unicode scalar value");
            }
            return (int) v;
        }
    }
}
