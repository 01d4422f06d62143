package org.cymem4j.view;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PEP 3118 format strings, read and written the way NumPy's buffer protocol does ({@code numpy/_core/_internal.py},
 * {@code _dtype_from_pep3118}), so that NumPy reads every format written here back to the same layout.
 *
 * <p>Reading follows NumPy's rules exactly: the byte-order character is a state of the whole stream (a nested
 * {@code T{}} inherits it and leaves it changed); {@code @} aligns each item to its natural alignment and rounds
 * the struct's size up to the least common multiple of the alignments of the items read in {@code @} mode, if the
 * stream is in {@code @} mode at the struct's end; {@code ^} is native size without alignment; {@code = < > !} are
 * standard sizes ({@code l} is 4 bytes there) without alignment. A repeat count makes a sub-array (a byte string for
 * {@code s}, one padding run for {@code x}).
 *
 * <p>Writing picks, per struct, the {@code @} spelling when the struct is what C would lay out from its fields (each
 * native-order field at a multiple of its alignment, the size a multiple of the largest), else the {@code ^}
 * spelling; big-endian fields are written {@code >} with standard codes. Every gap is written as explicit {@code x}
 * padding, so the offsets never depend on the reader's alignment rules.
 */
final class DTypeFormat {
    private DTypeFormat() {
    }

    // --- reading -------------------------------------------------------------------------------------------------

    static DType parse(String format) {
        if (format == null || format.isEmpty()) {
            throw new IllegalArgumentException("empty buffer format");
        }
        Reader r = new Reader(format);
        Level top = r.level(false);
        if (r.pos != format.length()) {
            throw r.error("unexpected '}'");
        }
        if (top.fields.size() == 1 && top.unnamed.contains(0) && top.fields.get(0).offset() == 0
                && top.size == top.fields.get(0).type().itemsize()) {
            return top.fields.get(0).type(); // one unnamed item: the item itself, as NumPy unwraps it
        }
        if (top.fields.isEmpty() && top.size == 0) {
            throw r.error("no item");
        }
        return top.struct();
    }

    /** One struct level's result: its fields, size and the alignment NumPy returns for it. */
    private static final class Level {
        final List<DType.Field> fields = new ArrayList<>();
        final Set<Integer> unnamed = new HashSet<>();
        long size;
        int common = 1;

        DType struct() {
            return DType.structOf(fields, size, common);
        }
    }

    private static final class Reader {
        /** As NpyDescr's literals: a hostile format cannot recurse deep enough to overflow the stack. */
        static final int MAX_DEPTH = 64;
        final String s;
        int pos;
        int depth;
        char order = '@';

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            int from = Math.max(0, pos - 8);
            int to = Math.min(s.length(), pos + 8);
            return new IllegalArgumentException("bad buffer format '" + s + "' at index " + pos + " ('"
                    + s.substring(from, to) + "'): " + what);
        }

        boolean consume(String c) {
            if (s.startsWith(c, pos)) {
                pos += c.length();
                return true;
            }
            return false;
        }

        long number(String what) {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected " + what);
            }
            try {
                long n = Long.parseLong(s.substring(start, pos));
                if (n < 1 || n > Integer.MAX_VALUE) {
                    throw error(what + " must be in 1.." + Integer.MAX_VALUE);
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(what + " too large");
            }
        }

        Level level(boolean nested) {
            Level level = new Level();
            List<String> names = new ArrayList<>();
            long offset = 0;
            while (pos < s.length()) {
                if (consume("}")) {
                    if (!nested) {
                        pos--;
                        break;
                    }
                    finish(level, offset);
                    if (level.fields.isEmpty() && level.size == 0) {
                        throw error("empty struct 'T{}'");
                    }
                    return fixNames(level, names);
                }
                long[] shape = null;
                if (consume("(")) {
                    List<Long> dims = new ArrayList<>();
                    do {
                        dims.add(number("a sub-array dimension"));
                    } while (consume(","));
                    if (!consume(")")) {
                        throw error("expected ')' after the sub-array dimensions");
                    }
                    shape = dims.stream().mapToLong(Long::longValue).toArray();
                }
                if (pos < s.length() && "@=<>^!".indexOf(s.charAt(pos)) >= 0) {
                    order = s.charAt(pos++) == '!' ? '>' : s.charAt(pos - 1);
                }
                long count = pos < s.length() && Character.isDigit(s.charAt(pos)) ? number("a repeat count") : 1;
                if (pos >= s.length()) {
                    throw error("expected a type");
                }
                DType value;
                int align;
                boolean padding = false;
                if (consume("T{")) {
                    if (++depth > MAX_DEPTH) {
                        throw error("a struct nested deeper than " + MAX_DEPTH + " levels");
                    }
                    Level inner = level(true);
                    depth--;
                    value = inner.struct();
                    align = inner.common;
                } else {
                    int at = pos;
                    String code = s.charAt(pos) == 'Z' && pos + 1 < s.length() ? s.substring(pos, pos + 2)
                            : s.substring(pos, pos + 1);
                    pos += code.length();
                    if (code.equals("x")) {
                        padding = true;
                        value = DType.bytes(count); // a padding run: its size only matters
                        count = 1;
                    } else if (code.equals("s") || code.equals("c")) {
                        value = DType.bytes(count);
                        count = 1;
                    } else {
                        pos = at;
                        value = scalar(code);
                        pos = at + code.length();
                    }
                    align = value.alignment();
                }
                long extra = 0;
                if (order == '@') {
                    offset = DType.align(offset, align);
                    int intra = (int) Math.floorMod(-(long) value.itemsize(), (long) align);
                    if (intra != 0) { // only a struct whose size is not a multiple of its alignment: pad as NumPy
                        if (count > 1 || (shape != null && java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b) > 1)) {
                            checkSize((long) value.itemsize() + intra);
                            value = DType.structOf(value.fields(), value.itemsize() + intra, value.alignment());
                        } else {
                            extra = intra;
                        }
                    }
                    level.common = lcm(level.common, align);
                }
                try {
                    if (count != 1) {
                        value = DType.arrayOf(value, count);
                    }
                    if (shape != null) {
                        value = DType.arrayOf(value, shape);
                    }
                } catch (IllegalArgumentException e) { // more than Integer.MAX_VALUE bytes: quote the format too
                    throw error(e.getMessage());
                }
                String name = null;
                if (consume(":")) {
                    int end = s.indexOf(':', pos);
                    if (end < 0) {
                        throw error("field name without its closing ':'");
                    }
                    name = s.substring(pos, end);
                    pos = end + 1;
                    if (name.isEmpty() || names.contains(name)) {
                        throw error(name.isEmpty() ? "empty field name" : "duplicate field name '" + name + "'");
                    }
                }
                if (!(padding && name == null)) {
                    if (name == null) {
                        level.unnamed.add(names.size());
                    }
                    names.add(name);
                    level.fields.add(new DType.Field(name == null ? "?" : name, offset, value));
                }
                offset += value.itemsize() + extra;
                checkSize(offset);
            }
            if (nested) {
                throw error("'T{' without its closing '}'");
            }
            finish(level, offset);
            return fixNames(level, names);
        }

        void finish(Level level, long offset) {
            level.size = order == '@' ? DType.align(offset, level.common) : offset;
            checkSize(level.size);
        }

        /** A struct's size must be an item size, an int (the terms added are ints: no long overflow before this). */
        void checkSize(long size) {
            if (size > Integer.MAX_VALUE) {
                throw error("a struct of " + size + " bytes, more than " + Integer.MAX_VALUE);
            }
        }

        /** NumPy's _fix_names: an unnamed item gets the first f0, f1, ... not already a name. */
        Level fixNames(Level level, List<String> names) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i) == null) {
                    int j = 0;
                    while (names.contains("f" + j)) {
                        j++;
                    }
                    names.set(i, "f" + j);
                    DType.Field f = level.fields.get(i);
                    level.fields.set(i, new DType.Field("f" + j, f.offset(), f.type()));
                }
            }
            return level;
        }

        DType scalar(String code) {
            boolean standard = order != '@' && order != '^';
            DType t;
            switch (code) {
                case "b": t = DType.BYTE; break;
                case "B": t = DType.UBYTE; break;
                case "?": t = DType.BOOL; break;
                case "h": t = DType.SHORT; break;
                case "H": t = DType.USHORT; break;
                case "i": t = DType.INT; break;
                case "I": t = DType.UINT; break;
                case "l": t = standard ? DType.INT : DType.LONG; break;
                case "L": t = standard ? DType.UINT : DType.ULONG; break;
                case "q": t = DType.LONGLONG; break;
                case "Q": t = DType.ULONGLONG; break;
                case "e": t = DType.HALF; break;
                case "f": t = DType.FLOAT; break;
                case "d": t = DType.DOUBLE; break;
                case "Zf": t = DType.CFLOAT; break;
                case "Zd": t = DType.CDOUBLE; break;
                case "w": case "u": t = DType.WCHAR; break;
                case "n": case "N": case "P":
                    if (standard) {
                        throw error("'" + code + "' has a native size only: use it after '@' or '^'");
                    }
                    t = code.equals("n") ? DType.LONG : DType.ULONG;
                    break;
                case "g": case "Zg":
                    throw error("long double ('" + code + "') is not supported");
                case "O": case "&": case "t": case "X":
                    throw error("'" + code + "' (objects, pointers to items, bit fields, functions) is not supported");
                default:
                    throw error("unknown type '" + code + "'");
            }
            return order == '>' ? t.withOrder(ByteOrder.BIG_ENDIAN) : t;
        }
    }

    static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int r = x % y;
            x = y;
            y = r;
        }
        return a / x * b;
    }

    // --- writing -------------------------------------------------------------------------------------------------

    static String format(DType t) {
        Writer w = new Writer();
        if (t.kind() == DType.Kind.STRUCT) {
            w.struct(t, false);
        } else {
            w.item(t, t.bigEndian() ? '>' : '@');
        }
        return w.out.toString();
    }

    /**
     * The writer. Every gap is explicit {@code x} padding, so a field needs the reader's '@' alignment only to be
     * left alone: a native scalar, byte string or sub-array is written in '@' mode when its offset is a multiple of
     * its alignment (the reader then pads nothing), else in '^' mode; a big-endian one in '>' mode. A nested struct
     * always ends in a mode other than '@', because the reader aligns a {@code T{...}} item by the mode the stream is
     * in after its '}' (the mode is a state of the whole stream, NumPy's rule); the outer struct then places it where
     * the padding says. A struct ends in '@' mode only at the top, and only when its size is a multiple of the
     * alignments the reader saw in '@' mode, since the reader rounds the size up to them.
     */
    private static final class Writer {
        final StringBuilder out = new StringBuilder();
        char order = '@'; // the reader's stream state after what is written so far

        void item(DType t, char mode) {
            DType base = innermost(t);
            if (t.kind() == DType.Kind.SUBARRAY) {
                out.append('(');
                long[] dims = flatDims(t);
                for (int i = 0; i < dims.length; i++) {
                    out.append(i == 0 ? "" : ",").append(dims[i]);
                }
                out.append(')');
            }
            if (base.kind() == DType.Kind.STRUCT) {
                struct(base, true);
                return;
            }
            if (order != mode) {
                out.append(mode);
                order = mode;
            }
            if (base.kind() == DType.Kind.BYTES) {
                out.append(base.itemsize()).append('s');
            } else {
                out.append(code(base, mode == '>'));
            }
        }

        void struct(DType s, boolean nested) {
            out.append("T{");
            long end = 0;
            int common = 1;
            List<DType.Field> fields = s.fields();
            for (int i = 0; i < fields.size(); i++) {
                DType.Field f = fields.get(i);
                pad(f.offset() - end);
                DType base = innermost(f.type());
                end = f.offset() + f.type().itemsize();
                char mode = order;
                if (base.kind() != DType.Kind.STRUCT) {
                    int align = base.alignment();
                    mode = base.bigEndian() ? '>' : (f.offset() % align == 0 ? '@' : '^');
                    if (mode == '@' && i == fields.size() - 1 && end == s.itemsize()
                            && (nested || s.itemsize() % lcm(common, align) != 0)) {
                        mode = '^'; // the last item decides the mode the struct ends in
                    }
                    if (mode == '@') {
                        common = lcm(common, align);
                    }
                }
                item(f.type(), mode);
                out.append(':').append(f.name()).append(':');
            }
            if (s.itemsize() > end) {
                if (order == '@' && (nested || s.itemsize() % common != 0)) {
                    out.append('^');
                    order = '^';
                }
                pad(s.itemsize() - end);
            }
            out.append('}');
        }

        void pad(long bytes) {
            if (bytes > 0) {
                out.append(bytes == 1 ? "" : Long.toString(bytes)).append('x');
            }
        }
    }

    static boolean bigEndian(DType t) {
        return innermost(t).bigEndian();
    }

    static DType innermost(DType t) {
        DType e = t;
        while (e.kind() == DType.Kind.SUBARRAY) {
            e = e.element();
        }
        return e;
    }

    /** The dimensions of nested sub-arrays, outermost first: {@code (2,3)} for an array of 2 arrays of 3. */
    static long[] flatDims(DType t) {
        List<Long> dims = new ArrayList<>();
        for (DType e = t; e.kind() == DType.Kind.SUBARRAY; e = e.element()) {
            for (long d : e.dims()) {
                dims.add(d);
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** A scalar's code: native codes in '@'/'^' mode, standard ones after '>' (8-byte integers are q/Q there). */
    static String code(DType t, boolean standard) {
        String code = t.code();
        if (standard && t.itemsize() == 8 && (code.equals("l") || code.equals("L") || code.equals("P"))) {
            return code.equals("l") ? "q" : "Q";
        }
        return code;
    }
}
