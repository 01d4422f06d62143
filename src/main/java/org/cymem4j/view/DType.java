package org.cymem4j.view;

/**
 * Element types, by the typecodes of Python's {@code array} and {@code struct} modules, with their sizes on Linux
 * x86-64 (LP64: {@code long} is 8 bytes; {@code wchar_t} is 4).
 *
 * <table>
 * <caption>Typecodes</caption>
 * <tr><th>typecode</th><th>C type</th><th>bytes</th><th>Java carrier</th></tr>
 * <tr><td>b</td><td>signed char</td><td>1</td><td>byte</td></tr>
 * <tr><td>B</td><td>unsigned char</td><td>1</td><td>int (0..255)</td></tr>
 * <tr><td>u</td><td>wchar_t</td><td>4</td><td>int (a code point)</td></tr>
 * <tr><td>h / H</td><td>short / unsigned short</td><td>2</td><td>short / int</td></tr>
 * <tr><td>i / I</td><td>int / unsigned int</td><td>4</td><td>int / long</td></tr>
 * <tr><td>l / L</td><td>long / unsigned long</td><td>8</td><td>long / long (as unsigned)</td></tr>
 * <tr><td>q / Q</td><td>long long / unsigned long long</td><td>8</td><td>long / long (as unsigned)</td></tr>
 * <tr><td>f</td><td>float</td><td>4</td><td>float</td></tr>
 * <tr><td>d</td><td>double</td><td>8</td><td>double</td></tr>
 * </table>
 *
 * <pre>{@code
 * DType d = DType.fromTypecode('d');       // DOUBLE
 * d.itemsize();                  // 8
 * d.format();                    // "d", as memoryview.format and PEP 3118 spell it
 * DType.fromFormat("<i");        // INT (explicit little-endian standard size)
 * }</pre>
 */
public enum DType {
    /** {@code 'b'}: signed char. */
    BYTE('b', 1, Kind.SIGNED, 0),
    /** {@code 'B'}: unsigned char. */
    UBYTE('B', 1, Kind.UNSIGNED, 1),
    /** {@code 'h'}: short. */
    SHORT('h', 2, Kind.SIGNED, 2),
    /** {@code 'H'}: unsigned short. */
    USHORT('H', 2, Kind.UNSIGNED, 3),
    /** {@code 'i'}: int. */
    INT('i', 4, Kind.SIGNED, 4),
    /** {@code 'I'}: unsigned int. */
    UINT('I', 4, Kind.UNSIGNED, 5),
    /** {@code 'l'}: long (8 bytes on LP64). */
    LONG('l', 8, Kind.SIGNED, 6),
    /** {@code 'L'}: unsigned long (8 bytes on LP64). */
    ULONG('L', 8, Kind.UNSIGNED, 7),
    /** {@code 'q'}: long long. */
    LONGLONG('q', 8, Kind.SIGNED, 6),
    /** {@code 'Q'}: unsigned long long. */
    ULONGLONG('Q', 8, Kind.UNSIGNED, 7),
    /** {@code 'f'}: float. */
    FLOAT('f', 4, Kind.FLOATING, 8),
    /** {@code 'd'}: double. */
    DOUBLE('d', 8, Kind.FLOATING, 9),
    /** {@code 'u'}: wchar_t, 4 bytes on Linux, holding Unicode code points ({@code array('u')} only). */
    WCHAR('u', 4, Kind.CHARACTER, 5);

    /** What the bits of an element mean. */
    public enum Kind {
        /** A two's-complement signed integer. */
        SIGNED,
        /** An unsigned integer. */
        UNSIGNED,
        /** An IEEE 754 binary floating-point number. */
        FLOATING,
        /** A Unicode code point. */
        CHARACTER
    }

    private final char typecode;
    private final int itemsize;
    private final Kind kind;
    private final int nativeCode;

    DType(char typecode, int itemsize, Kind kind, int nativeCode) {
        this.typecode = typecode;
        this.itemsize = itemsize;
        this.kind = kind;
        this.nativeCode = nativeCode;
    }

    /**
     * The Python typecode: {@code 'd'} for {@link #DOUBLE}.
     *
     * @return the Python typecode: {@code 'd'} for {@link #DOUBLE}
     */
    public char typecode() {
        return typecode;
    }

    /**
     * Bytes per element.
     *
     * @return bytes per element
     */
    public int itemsize() {
        return itemsize;
    }

    /**
     * What the element's bits mean.
     *
     * @return what the element's bits mean
     */
    public Kind kind() {
        return kind;
    }

    /**
     * True for {@code f} and {@code d}.
     *
     * @return true for {@code f} and {@code d}
     */
    public boolean isFloating() {
        return kind == Kind.FLOATING;
    }

    /**
     * True for the signed integer types {@code b h i l q}.
     *
     * @return true for the signed integer types {@code b h i l q}
     */
    public boolean isSigned() {
        return kind == Kind.SIGNED;
    }

    /**
     * The buffer-protocol (PEP 3118 / {@code struct}) format string, native size and order: {@code "d"}.
     *
     * @return the buffer-protocol (PEP 3118 / {@code struct}) format string, native size and order: {@code "d"}
     */
    public String format() {
        return String.valueOf(typecode);
    }

    /**
     * The C core's {@code cym_dtype} code (element kind and size; {@code l} and {@code q} share one).
     *
     * @return the C core's {@code cym_dtype} code (element kind and size; {@code l} and {@code q} share one)
     */
    public int nativeCode() {
        return nativeCode;
    }

    /**
     * Smallest value an integer type holds (as a signed long; 0 for unsigned types).
     *
     * @return smallest value an integer type holds (as a signed long; 0 for unsigned types)
     */
    public long minValue() {
        switch (this) {
            case BYTE: return Byte.MIN_VALUE;
            case SHORT: return Short.MIN_VALUE;
            case INT: return Integer.MIN_VALUE;
            case LONG: case LONGLONG: return Long.MIN_VALUE;
            case UBYTE: case USHORT: case UINT: case ULONG: case ULONGLONG: case WCHAR: return 0;
            default: throw new UnsupportedOperationException(this + " is not an integer type");
        }
    }

    /**
     * Largest value an integer type holds. For the 64-bit unsigned types the true maximum (2^64 - 1) does not fit
     * in a long; this returns {@link Long#MAX_VALUE}, and such values are carried as unsigned bit patterns.
     *
     * @return largest value an integer type holds
     */
    public long maxValue() {
        switch (this) {
            case BYTE: return Byte.MAX_VALUE;
            case UBYTE: return 0xFF;
            case SHORT: return Short.MAX_VALUE;
            case USHORT: return 0xFFFF;
            case INT: return Integer.MAX_VALUE;
            case UINT: return 0xFFFF_FFFFL;
            case WCHAR: return Character.MAX_CODE_POINT;
            case LONG: case LONGLONG: case ULONG: case ULONGLONG: return Long.MAX_VALUE;
            default: throw new UnsupportedOperationException(this + " is not an integer type");
        }
    }

    /**
     * Checks that an integer value fits this type, as Python's {@code array} does before storing it.
     *
     * @param value the value to check
     * @return {@code value}
     * @throws IllegalArgumentException naming the value, the type and its range (for example
     *     {@code 300 does not fit 'B' (unsigned char, 0..255)}); for 64-bit unsigned types negative values are
     *     rejected
     */
    public long checkValue(long value) {
        if (isFloating()) {
            return value;
        }
        if (value < minValue() || value > maxValue()) {
            throw new IllegalArgumentException(value + " does not fit '" + typecode + "' (" + cName() + ", "
                    + minValue() + ".." + (itemsize == 8 && kind == Kind.UNSIGNED ? "18446744073709551615" : maxValue())
                    + ")");
        }
        return value;
    }

    /**
     * The C type's name: {@code "unsigned char"}.
     *
     * @return the C type's name: {@code "unsigned char"}
     */
    public String cName() {
        switch (this) {
            case BYTE: return "signed char";
            case UBYTE: return "unsigned char";
            case SHORT: return "short";
            case USHORT: return "unsigned short";
            case INT: return "int";
            case UINT: return "unsigned int";
            case LONG: return "long";
            case ULONG: return "unsigned long";
            case LONGLONG: return "long long";
            case ULONGLONG: return "unsigned long long";
            case FLOAT: return "float";
            case DOUBLE: return "double";
            default: return "wchar_t";
        }
    }

    /**
     * The type of a typecode.
     *
     * @param typecode a Python {@code array} typecode
     * @return the type of a typecode
     * @throws IllegalArgumentException listing the valid typecodes when {@code typecode} is not one
     */
    public static DType fromTypecode(char typecode) {
        for (DType t : values()) {
            if (t.typecode == typecode) {
                return t;
            }
        }
        throw new IllegalArgumentException("bad typecode '" + typecode + "' (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
    }

    /**
     * The type of a single-element buffer format string: a typecode optionally preceded by a byte-order character
     * ({@code @ = < > !}). With {@code = < > !} the sizes are Python's standard sizes, so {@code "<l"} is 4 bytes
     * and maps to {@link #INT}; {@code '>'} and {@code '!'} (big-endian) are rejected, since views read native
     * (little-endian) order.
     *
     * @param format a buffer format string
     * @return the type of the format's one element
     * @throws IllegalArgumentException naming the format when it is not one element of a known type
     */
    public static DType fromFormat(String format) {
        if (format == null || format.isEmpty() || format.length() > 2) {
            throw new IllegalArgumentException("bad buffer format '" + format + "' (expected one typecode, optionally after @ = < > !)");
        }
        char order = format.length() == 2 ? format.charAt(0) : '@';
        char code = format.charAt(format.length() - 1);
        if ("@=<>!".indexOf(order) < 0) {
            throw new IllegalArgumentException("bad byte order '" + order + "' in buffer format '" + format + "'");
        }
        if (order == '>' || order == '!') {
            throw new IllegalArgumentException("big-endian buffer format '" + format + "' is not supported: views read native little-endian memory");
        }
        DType t = fromTypecode(code);
        if (order != '@' && (code == 'l' || code == 'L')) {
            return code == 'l' ? INT : UINT; // standard size of 'l' is 4 bytes
        }
        return t;
    }
}
