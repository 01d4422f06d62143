package org.cymem4j.internal;

/**
 * Python's {@code repr(str)}, the one place it is written: the typed array's {@code toString()} ({@code array('u', 'a')}) and the {@code .npy} header's field names and type strings both print it, and both must match Python's
 * output byte for byte.
 */
public final class PyStrings {
    private PyStrings() {
    }

    /**
     * Appends {@code repr(str)} of the code points: single quotes unless the text has a {@code '} and no {@code "};
     * backslash escapes for the quote, the backslash, {@code \t \n \r}, other control characters ({@code \xNN}) and
     * non-printable characters (backslash-x, -u and -U escapes, as Python picks them); printable
     * characters as they are.
     *
     * @param out where the quoted text goes
     * @param codePoints the text's code points (lone surrogates and invalid values are escaped, not rejected)
     */
    public static void appendRepr(StringBuilder out, int[] codePoints) {
        boolean single = false;
        boolean dbl = false;
        for (int cp : codePoints) {
            single |= cp == '\'';
            dbl |= cp == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        out.append(quote);
        for (int cp : codePoints) {
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp >= ' ' && cp < 0x7f) {
                out.append((char) cp);
            } else if (cp >= 0 && cp < 0x100 && !printable(cp)) {
                hex(out, "\\x", cp, 2);
            } else if (printable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp >= 0 && cp <= 0xffff) {
                hex(out, "\\u", cp, 4);
            } else {
                hex(out, "\\U", cp, 8);
            }
        }
        out.append(quote);
    }

    /** As {@link #appendRepr(StringBuilder, int[])} for a Java string. */
    public static void appendRepr(StringBuilder out, String s) {
        appendRepr(out, s.codePoints().toArray());
    }

    /** Python's {@code str.isprintable} for one code point: not a control, format, surrogate, private, unassigned or separator. */
    private static boolean printable(int cp) {
        if (!Character.isValidCodePoint(cp)) {
            return false;
        }
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    private static void hex(StringBuilder out, String prefix, int cp, int width) {
        String h = Integer.toHexString(cp);
        out.append(prefix);
        for (int i = h.length(); i < width; i++) {
            out.append('0');
        }
        out.append(h);
    }
}
