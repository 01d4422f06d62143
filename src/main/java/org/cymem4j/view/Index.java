package org.cymem4j.view;

import java.util.ArrayList;
import java.util.List;

/**
 * One item of a NumPy basic index, the programmatic form of what {@link MemoryView#slice(String)} parses:
 * an integer ({@link #at}), a {@code start:stop:step} slice ({@link #range}, {@link #all}, {@link #slice}), the
 * ellipsis ({@link #ELLIPSIS}, Python's {@code ...}) or a new axis ({@link #NEW_AXIS}, Python's {@code None}).
 *
 * <pre>{@code
 * view.slice("None, ::-1, 3");
 * view.slice(Index.NEW_AXIS, Index.slice(null, null, -1L), Index.at(3));   // the same view
 * }</pre>
 */
public final class Index {
    /** What an index item does. */
    public enum Kind {
        /** Selects one position and removes the axis. */
        INT,
        /** Keeps the axis, restricted to {@code start:stop:step}. */
        SLICE,
        /** Stands for as many full slices as needed ({@code ...}). */
        ELLIPSIS,
        /** Inserts an axis of length 1 ({@code None}). */
        NEW_AXIS
    }

    /** Python's {@code ...}. */
    public static final Index ELLIPSIS = new Index(Kind.ELLIPSIS, 0, null, null, null, "...");
    /** Python's {@code None} (NumPy's {@code newaxis}). */
    public static final Index NEW_AXIS = new Index(Kind.NEW_AXIS, 0, null, null, null, "None");
    private static final Index ALL = new Index(Kind.SLICE, 0, null, null, null, ":");

    private final Kind kind;
    private final long value;
    private final Long start;
    private final Long stop;
    private final Long step;
    private final String text;

    private Index(Kind kind, long value, Long start, Long stop, Long step, String text) {
        this.kind = kind;
        this.value = value;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.text = text;
    }

    /**
     * An integer index; negative counts from the end ({@code -1} is the last).
     *
     * @param i the position along the axis, in elements; negative counts from the end
     * @return an {@link Kind#INT} item
     */
    public static Index at(long i) {
        return new Index(Kind.INT, i, null, null, null, Long.toString(i));
    }

    /**
     * {@code :}, the whole axis.
     *
     * @return a {@link Kind#SLICE} item with start, stop and step omitted
     */
    public static Index all() {
        return ALL;
    }

    /**
     * {@code start:stop}, with step 1.
     *
     * @param start the first position, in elements, inclusive; negative counts from the end
     * @param stop the end position, in elements, exclusive; negative counts from the end
     * @return a {@link Kind#SLICE} item
     */
    public static Index range(long start, long stop) {
        return slice(start, stop, null);
    }

    /**
     * {@code start:stop:step}.
     *
     * @param start the first position, in elements, inclusive; negative counts from the end
     * @param stop the end position, in elements, exclusive; negative counts from the end
     * @param step the distance between selected positions, in elements; negative walks backwards
     * @return a {@link Kind#SLICE} item
     * @throws IllegalArgumentException if {@code step} is 0
     */
    public static Index range(long start, long stop, long step) {
        return slice(start, stop, step);
    }

    /**
     * A slice with any part omitted ({@code null}), as Python writes {@code [start]:[stop][:step]}: an omitted start
     * or stop means the end the step walks from or to; an omitted step is 1.
     *
     * @param start the first position, in elements, inclusive (negative counts from the end), or {@code null}
     * @param stop the end position, in elements, exclusive (negative counts from the end), or {@code null}
     * @param step the distance between selected positions, in elements (negative walks backwards), or
     *     {@code null} for 1
     * @return a {@link Kind#SLICE} item
     * @throws IllegalArgumentException if {@code step} is 0
     */
    public static Index slice(Long start, Long stop, Long step) {
        if (step != null && step == 0) {
            throw new IllegalArgumentException("slice step cannot be zero");
        }
        String t = (start == null ? "" : start.toString()) + ":" + (stop == null ? "" : stop.toString())
                + (step == null ? "" : ":" + step);
        return new Index(Kind.SLICE, 0, start, stop, step, t);
    }

    /**
     * What this item does: an integer, a slice, the ellipsis or a new axis.
     *
     * @return this item's kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The integer of an {@link Kind#INT} item.
     *
     * @return the position given to {@link #at}; 0 for items of other kinds
     */
    public long value() {
        return value;
    }

    /**
     * The slice's start.
     *
     * @return the start in elements, or {@code null} when omitted or this is not a {@link Kind#SLICE} item
     */
    public Long start() {
        return start;
    }

    /**
     * The slice's stop.
     *
     * @return the stop in elements, or {@code null} when omitted or this is not a {@link Kind#SLICE} item
     */
    public Long stop() {
        return stop;
    }

    /**
     * The slice's step.
     *
     * @return the step in elements, or {@code null} when omitted or this is not a {@link Kind#SLICE} item
     */
    public Long step() {
        return step;
    }

    /** As Python would write it: {@code 1:102:2}, {@code -1}, {@code ...}, {@code None}. */
    @Override
    public String toString() {
        return text;
    }

    /**
     * Parses NumPy's basic index syntax, as Python writes it between the brackets: comma-separated integers
     * ({@code -1}, {@code 1_000}; as in Python, spaces may surround a number or its sign but not split it, and
     * leading zeros are refused), slices ({@code 1:102:2}, {@code ::-1}, {@code None:5}), one {@code ...} and
     * {@code None}s; a trailing comma is allowed ({@code "1,"}).
     *
     * @param expression the index expression, without the brackets
     * @return the items in order, one per comma-separated part
     * @throws NullPointerException if {@code expression} is null
     * @throws IllegalArgumentException naming the offending part when the expression is malformed
     */
    public static Index[] parse(String expression) {
        if (expression == null) {
            throw new NullPointerException("expression");
        }
        String[] parts = expression.split(",", -1);
        int n = parts.length;
        if (n > 1 && strip(parts[n - 1]).isEmpty()) {
            n--; // "1," is the tuple (1,)
        }
        List<Index> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            String part = strip(parts[p]);
            if (part.isEmpty()) {
                throw bad(expression, parts[p], "an empty index");
            }
            if (part.equals("...")) {
                out.add(ELLIPSIS);
            } else if (part.equals("None")) {
                out.add(NEW_AXIS);
            } else if (part.indexOf(':') >= 0) {
                String[] s = part.split(":", -1);
                if (s.length > 3) {
                    throw bad(expression, part, "a slice with more than two ':'");
                }
                Long start = sliceBound(expression, part, s[0]);
                Long stop = sliceBound(expression, part, s[1]);
                Long step = s.length == 3 ? sliceBound(expression, part, s[2]) : null;
                if (step != null && step == 0) {
                    throw bad(expression, part, "a slice step of zero (slice step cannot be zero)");
                }
                out.add(new Index(Kind.SLICE, 0, start, stop, step, part));
            } else {
                out.add(new Index(Kind.INT, integer(expression, part, part), null, null, null, part));
            }
        }
        return out.toArray(new Index[0]);
    }

    private static Long sliceBound(String expression, String part, String bound) {
        String b = strip(bound);
        if (b.isEmpty() || b.equals("None")) {
            return null;
        }
        return integer(expression, part, b);
    }

    /**
     * A Python integer literal, optionally signed: whitespace may surround the sign and the digits ({@code "- 1"} is
     * Python's {@code - 1}) but not split the digits ({@code "1 2"} is a syntax error in Python, not {@code 12});
     * underscores only between digits, and no leading zeros except in zero itself ({@code "01"} is a syntax error).
     */
    private static long integer(String expression, String part, String literal) {
        String s = strip(literal);
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            i = 1;
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++; // Python's unary minus is a token of its own: "- 1" is -1
            }
        }
        String digits = s.substring(i);
        boolean ok = !digits.isEmpty() && isDigit(digits.charAt(0)) && isDigit(digits.charAt(digits.length() - 1))
                && !digits.contains("__");
        boolean zero = true;
        for (int k = 0; ok && k < digits.length(); k++) {
            char c = digits.charAt(k);
            ok = isDigit(c) || c == '_';
            zero &= c == '0' || c == '_';
        }
        if (!ok) {
            throw bad(expression, part, "'" + s + "', which is not an integer, a slice, '...' or 'None'");
        }
        if (digits.charAt(0) == '0' && !zero) {
            throw bad(expression, part, "'" + s + "', an integer with a leading zero (Python does not allow them)");
        }
        try {
            return Long.parseLong(s.charAt(0) == '-' ? "-" + digits.replace("_", "") : digits.replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad(expression, part, "'" + s + "', which does not fit a 64-bit index");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Python's whitespace between tokens inside brackets: space, tab, form feed and line breaks. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r';
    }

    /** {@code s} without the whitespace Python allows around a token. */
    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static IllegalArgumentException bad(String expression, String part, String what) {
        return new IllegalArgumentException("bad index [" + expression + "]: '" + strip(part) + "' has " + what);
    }
}
