package org.cymem4j.view;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An element type: a scalar (the typecodes of Python's {@code array} and {@code struct} modules, plus bool, float16
 * and complex), a byte string, a fixed-size sub-array, or a C struct of named fields. Sizes are this platform's
 * (Linux, LP64: {@code long} and pointers are 8 bytes; {@code wchar_t} is 4). Every type has a PEP 3118
 * {@link #format()} that NumPy's buffer protocol reads back to the same layout, and
 * {@link #fromFormat(String)} parses what Python's {@code struct} module, {@code memoryview} and NumPy produce.
 *
 * <table>
 * <caption>Scalars</caption>
 * <tr><th>constant</th><th>format</th><th>C type</th><th>bytes</th><th>Java carrier</th></tr>
 * <tr><td>BYTE / UBYTE</td><td>b / B</td><td>signed / unsigned char</td><td>1</td><td>byte / int</td></tr>
 * <tr><td>BOOL</td><td>?</td><td>_Bool</td><td>1</td><td>boolean (0 or 1)</td></tr>
 * <tr><td>SHORT / USHORT</td><td>h / H</td><td>short / unsigned short</td><td>2</td><td>short / int</td></tr>
 * <tr><td>INT / UINT</td><td>i / I</td><td>int / unsigned int</td><td>4</td><td>int / long</td></tr>
 * <tr><td>LONG / ULONG</td><td>l / L</td><td>long / unsigned long</td><td>8</td><td>long (unsigned: the bit pattern)</td></tr>
 * <tr><td>LONGLONG / ULONGLONG</td><td>q / Q</td><td>long long / unsigned</td><td>8</td><td>long (as above)</td></tr>
 * <tr><td>POINTER (= ULONG)</td><td>P, N, L</td><td>void*, size_t</td><td>8</td><td>long (an address)</td></tr>
 * <tr><td>HALF</td><td>e</td><td>_Float16</td><td>2</td><td>float</td></tr>
 * <tr><td>FLOAT / DOUBLE</td><td>f / d</td><td>float / double</td><td>4 / 8</td><td>float / double</td></tr>
 * <tr><td>CFLOAT / CDOUBLE</td><td>Zf / Zd</td><td>float / double _Complex</td><td>8 / 16</td><td>a pair</td></tr>
 * <tr><td>WCHAR</td><td>w (also u)</td><td>wchar_t</td><td>4</td><td>int (a code point)</td></tr>
 * </table>
 *
 * <pre>{@code
 * DType d = DType.fromTypecode('d');                  // DOUBLE, itemsize 8
 * DType be = DType.INT.withOrder(ByteOrder.BIG_ENDIAN); // format ">i"
 * DType row = DType.struct()                          // struct SparseRow { size_t length; size_t* indices; double* values; }
 *         .add("length", DType.ULONG).add("indices", DType.POINTER).add("values", DType.POINTER).build();
 * row.itemsize();                                     // 24
 * row.format();                                       // "T{L:length:L:indices:L:values:}"
 * DType.fromFormat("T{b:a:(2,3)d:m:}").field("m").offset(); // 8, as NumPy lays it out
 * }</pre>
 */
public final class DType {
    /** What the bits of an element mean. */
    public enum Kind {
        /** A two's-complement signed integer. */
        SIGNED,
        /** An unsigned integer (and pointers). */
        UNSIGNED,
        /** An IEEE 754 binary floating-point number (16, 32 or 64 bits). */
        FLOATING,
        /** A Unicode code point ({@code wchar_t}). */
        CHARACTER,
        /** A C {@code _Bool}: one byte, 0 or 1. */
        BOOL,
        /** A complex number: two floating-point numbers, real then imaginary. */
        COMPLEX,
        /** A fixed-length byte string ({@code Ns}, NumPy's {@code SN}). */
        BYTES,
        /** A fixed-size array of another type ({@code (2,3)d}), as a struct member. */
        SUBARRAY,
        /** A C struct: named fields at offsets ({@code T{...}}). */
        STRUCT
    }

    /**
     * One field of a struct type.
     *
     * @param name the field's name
     * @param offset its byte offset from the start of the struct
     * @param type its type
     */
    public record Field(String name, long offset, DType type) {
        /**
         * A field.
         *
         * @param name the field's name, not empty
         * @param offset its byte offset, at least 0
         * @param type its type
         */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (name.isEmpty() || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("field name must be non-empty and without ':' but was '" + name + "'");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("field offset must be >= 0 but was " + offset);
            }
        }
    }

    /** {@code 'b'}: signed char. */
    public static final DType BYTE = scalar("BYTE", "b", 'b', 1, Kind.SIGNED, 0, "signed char");
    /** {@code 'B'}: unsigned char. */
    public static final DType UBYTE = scalar("UBYTE", "B", 'B', 1, Kind.UNSIGNED, 1, "unsigned char");
    /** {@code 'h'}: short. */
    public static final DType SHORT = scalar("SHORT", "h", 'h', 2, Kind.SIGNED, 2, "short");
    /** {@code 'H'}: unsigned short. */
    public static final DType USHORT = scalar("USHORT", "H", 'H', 2, Kind.UNSIGNED, 3, "unsigned short");
    /** {@code 'i'}: int. */
    public static final DType INT = scalar("INT", "i", 'i', 4, Kind.SIGNED, 4, "int");
    /** {@code 'I'}: unsigned int. */
    public static final DType UINT = scalar("UINT", "I", 'I', 4, Kind.UNSIGNED, 5, "unsigned int");
    /** {@code 'l'}: long (8 bytes on LP64). */
    public static final DType LONG = scalar("LONG", "l", 'l', 8, Kind.SIGNED, 6, "long");
    /** {@code 'L'}: unsigned long (8 bytes on LP64). */
    public static final DType ULONG = scalar("ULONG", "L", 'L', 8, Kind.UNSIGNED, 7, "unsigned long");
    /** {@code 'q'}: long long. */
    public static final DType LONGLONG = scalar("LONGLONG", "q", 'q', 8, Kind.SIGNED, 6, "long long");
    /** {@code 'Q'}: unsigned long long. */
    public static final DType ULONGLONG = scalar("ULONGLONG", "Q", 'Q', 8, Kind.UNSIGNED, 7, "unsigned long long");
    /** {@code 'f'}: float. */
    public static final DType FLOAT = scalar("FLOAT", "f", 'f', 4, Kind.FLOATING, 8, "float");
    /** {@code 'd'}: double. */
    public static final DType DOUBLE = scalar("DOUBLE", "d", 'd', 8, Kind.FLOATING, 9, "double");
    /** {@code 'u'}: wchar_t, 4 bytes on Linux, holding Unicode code points; PEP 3118 spells it {@code w}. */
    public static final DType WCHAR = scalar("WCHAR", "w", 'u', 4, Kind.CHARACTER, 5, "wchar_t");
    /** {@code '?'}: _Bool, one byte holding 0 or 1. */
    public static final DType BOOL = scalar("BOOL", "?", '?', 1, Kind.BOOL, 10, "_Bool");
    /** {@code 'e'}: IEEE 754 half precision (binary16), read and written as a Java {@code float}. */
    public static final DType HALF = scalar("HALF", "e", 'e', 2, Kind.FLOATING, 11, "_Float16");
    /** {@code 'Zf'}: float _Complex, two floats (real, imaginary); NumPy's {@code complex64} (typecode {@code F}). */
    public static final DType CFLOAT = scalar("CFLOAT", "Zf", 'F', 8, Kind.COMPLEX, 12, "float _Complex");
    /** {@code 'Zd'}: double _Complex, two doubles; NumPy's {@code complex128} (typecode {@code D}). */
    public static final DType CDOUBLE = scalar("CDOUBLE", "Zd", 'D', 16, Kind.COMPLEX, 13, "double _Complex");
    /**
     * A pointer ({@code void*}, {@code size_t}): this platform's addresses are {@code unsigned long}, so this is
     * {@link #ULONG} (PEP 3118 {@code P} and {@code N} read as it; its format is {@code L}, which NumPy reads).
     */
    public static final DType POINTER = ULONG;

    /** strided.h's CYM_DTYPE_SWAPPED: the flag of a kernel code whose elements are stored byte-swapped. */
    static final int SWAPPED_CODE = 0x100;
    private static final List<DType> SCALARS = List.of(BYTE, UBYTE, SHORT, USHORT, INT, UINT, LONG, ULONG, LONGLONG,
            ULONGLONG, FLOAT, DOUBLE, WCHAR, BOOL, HALF, CFLOAT, CDOUBLE);
    /** The big-endian twin of each scalar of {@link #SCALARS} (same index), made once so scalars stay singletons. */
    private static final List<DType> SWAPPED = swappedTwins();

    private final String name;      // BYTE ... for scalars; the format otherwise
    private final Kind kind;
    private final String code;      // PEP 3118 code of a scalar ("d", "Zf"); null otherwise
    private final char typecode;    // array-module typecode of a scalar; 'S' bytes, 'V' struct and sub-array
    private final long itemsize;
    private final int alignment;    // the C alignment: a power of two, 1 for packed structs and byte strings
    private final boolean bigEndian;
    private final int nativeCode;   // the C kernels' element code, -1 where they have none
    private final String cName;
    private final List<Field> fields;  // STRUCT, in offset order; empty otherwise
    private final DType element;       // SUBARRAY
    private final long[] dims;         // SUBARRAY

    private DType(String name, Kind kind, String code, char typecode, long itemsize, int alignment, boolean bigEndian,
                  int nativeCode, String cName, List<Field> fields, DType element, long[] dims) {
        this.name = name;
        this.kind = kind;
        this.code = code;
        this.typecode = typecode;
        this.itemsize = itemsize;
        this.alignment = alignment;
        this.bigEndian = bigEndian;
        this.nativeCode = nativeCode;
        this.cName = cName;
        this.fields = fields;
        this.element = element;
        this.dims = dims;
    }

    private static DType scalar(String name, String code, char typecode, int itemsize, Kind kind, int nativeCode,
                                String cName) {
        int alignment = kind == Kind.COMPLEX ? itemsize / 2 : itemsize;
        return new DType(name, kind, code, typecode, itemsize, alignment, false, nativeCode, cName, List.of(), null, null);
    }

    private static List<DType> swappedTwins() {
        List<DType> twins = new ArrayList<>();
        for (DType t : SCALARS) {
            // the kernels' code of a swapped type is its twin's with CYM_DTYPE_SWAPPED set
            twins.add(t.itemsize == 1 ? t : new DType(t.name + "_BE", t.kind, t.code, t.typecode, t.itemsize,
                    t.alignment, true, t.nativeCode | SWAPPED_CODE, t.cName, List.of(), null, null));
        }
        return List.copyOf(twins);
    }

    /**
     * Every scalar type, in native byte order, in the order of the table above.
     *
     * @return the scalar types
     */
    public static List<DType> scalars() {
        return SCALARS;
    }

    /**
     * A byte string of {@code length} bytes ({@code Ns}; NumPy's {@code SN}).
     *
     * @param length the number of bytes, at least 1
     * @return the type
     */
    public static DType bytes(long length) {
        if (length < 1 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("byte string length must be in 1.." + Integer.MAX_VALUE + " but was "
                    + length);
        }
        return new DType(length + "s", Kind.BYTES, null, 'S', length, 1, false, -1, "char[" + length + "]", List.of(),
                null, null);
    }

    /**
     * A fixed-size array of {@code element}, as a struct member ({@code double m[2][3]}, format {@code (2,3)d}).
     *
     * @param element the element type
     * @param dims the dimensions, each at least 1
     * @return the type
     */
    public static DType arrayOf(DType element, long... dims) {
        Objects.requireNonNull(element, "element");
        if (element.kind == Kind.SUBARRAY) { // an array of arrays is one array with the dimensions joined, as in C
            long[] joined = Arrays.copyOf(dims, dims.length + element.dims.length);
            System.arraycopy(element.dims, 0, joined, dims.length, element.dims.length);
            return arrayOf(element.element, joined);
        }
        if (dims.length == 0) {
            throw new IllegalArgumentException("a sub-array needs at least one dimension");
        }
        long size = element.itemsize;
        StringBuilder c = new StringBuilder();
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("sub-array dimension must be >= 1 but was " + d + " in "
                        + Arrays.toString(dims));
            }
            if (d > Integer.MAX_VALUE / size) { // itemsize() is an int (size >= 1: no overflow here)
                throw new IllegalArgumentException("a sub-array of " + element.cName + " " + Arrays.toString(dims)
                        + " has more than " + Integer.MAX_VALUE + " bytes");
            }
            size *= d;
            c.append('[').append(d).append(']');
        }
        return new DType(null, Kind.SUBARRAY, null, 'V', size, element.alignment, false, -1, element.cName + c,
                List.of(), element, dims.clone());
    }

    /**
     * A builder of a struct type laid out by the C rules of this platform (each field at the next multiple of its
     * alignment, the size rounded up to the largest alignment), like {@code ctypes.Structure} and NumPy's
     * {@code align=True}; {@link StructBuilder#packed()} lays fields end to end ({@code _pack_ = 1}).
     *
     * @return a new, empty builder
     */
    public static StructBuilder struct() {
        return new StructBuilder();
    }

    static DType structOf(List<Field> fields, long itemsize, int alignment) {
        List<Field> sorted = new ArrayList<>(fields);
        sorted.sort((a, b) -> Long.compare(a.offset, b.offset));
        return new DType(null, Kind.STRUCT, null, 'V', itemsize, alignment, false, -1, "struct",
                Collections.unmodifiableList(sorted), null, null);
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) & -(long) alignment;
    }

    /**
     * The array-module typecode of a scalar ({@code 'd'}), {@code 'S'} for byte strings, {@code 'V'} else.
     *
     * @return the array-module typecode of a scalar ({@code 'd'}), {@code 'S'} for byte strings, {@code 'V'} else
     */
    public char typecode() {
        return typecode;
    }

    /**
     * The size of one element in bytes.
     *
     * @return the size of one element in bytes
     */
    public int itemsize() {
        return Math.toIntExact(itemsize);
    }

    /**
     * The C alignment of the type: a power of two; 1 for packed structs and byte strings.
     *
     * @return the C alignment of the type: a power of two; 1 for packed structs and byte strings
     */
    public int alignment() {
        return alignment;
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
     * True for floating-point scalars ({@code e f d}).
     *
     * @return true for floating-point scalars ({@code e f d})
     */
    public boolean isFloating() {
        return kind == Kind.FLOATING;
    }

    /**
     * True for signed integer scalars.
     *
     * @return true for signed integer scalars
     */
    public boolean isSigned() {
        return kind == Kind.SIGNED;
    }

    /**
     * True for a scalar (not a byte string, sub-array or struct).
     *
     * @return true for a scalar (not a byte string, sub-array or struct)
     */
    public boolean isScalar() {
        return code != null;
    }

    /**
     * The byte order of a multi-byte scalar ({@link ByteOrder#nativeOrder()} for every other type).
     *
     * @return the byte order of a multi-byte scalar ({@link ByteOrder#nativeOrder()} for every other type)
     */
    public ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.nativeOrder();
    }

    /**
     * This scalar in the given byte order; every other type, and one-byte scalars, are returned as they are.
     *
     * @param order the byte order
     * @return the scalar type in that order
     */
    public DType withOrder(ByteOrder order) {
        if (!isScalar() || itemsize == 1) {
            return this;
        }
        boolean big = order == ByteOrder.BIG_ENDIAN && ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN;
        int i = bigEndian ? SWAPPED.indexOf(this) : SCALARS.indexOf(this);
        if (big && (this == LONG || this == ULONG)) {
            // PEP 3118 has no big-endian 8-byte 'l': standard sizes make it 'q', so there is one such type
            i = SCALARS.indexOf(this == LONG ? LONGLONG : ULONGLONG);
        }
        return big ? SWAPPED.get(i) : SCALARS.get(i);
    }

    /**
     * The PEP 3118 format string, as {@code memoryview.format} and NumPy's buffers spell it.
     *
     * @return the PEP 3118 format string, as {@code memoryview.format} and NumPy's buffers spell it
     */
    public String format() {
        return DTypeFormat.format(this);
    }

    /**
     * The C kernels' element code of a scalar (byte-swapped ones with the swap flag), or -1 for byte strings,
     * sub-arrays and structs, which the kernels copy and compare as opaque bytes.
     *
     * @return the C kernels' element code of a scalar, or -1 for byte strings, sub-arrays and structs
     */
    public int nativeCode() {
        return nativeCode;
    }

    /**
     * The constant's name for a scalar ({@code DOUBLE}, {@code INT_BE}), the format for other types.
     *
     * @return the constant's name for a scalar ({@code DOUBLE}, {@code INT_BE}), the format for other types
     */
    public String name() {
        return name != null ? name : format();
    }

    /**
     * How every error message names an element type: NumPy's name and the format, {@code float64 ('d')},
     * {@code uint32 ('I')}, {@code wchar_t ('w')}, {@code >int32 ('>i')}; the format alone for byte strings, sub-arrays
     * and structs.
     *
     * @return the type's name in messages
     */
    public String displayName() {
        // if/else, not a switch: javac 17 compiles a switch over this class's own enum through a synthetic DType$1
        // that javac 21+ does not make, and the jar must have the same entries whichever JDK builds it (.ci/run)
        String numpy;
        if (kind == Kind.SIGNED || kind == Kind.UNSIGNED || kind == Kind.FLOATING || kind == Kind.COMPLEX) {
            numpy = (kind == Kind.SIGNED ? "int" : kind == Kind.UNSIGNED ? "uint" : kind == Kind.FLOATING ? "float"
                    : "complex") + 8 * itemsize;
        } else if (kind == Kind.BOOL) {
            numpy = "bool";
        } else if (kind == Kind.CHARACTER) {
            numpy = "wchar_t";
        } else {
            return "'" + format() + "'";
        }
        return (bigEndian ? ">" : "") + numpy + " ('" + (code.equals("w") ? "u" : format()) + "')";
    }

    /**
     * The C type ({@code double}, {@code unsigned long}, {@code char[5]}, {@code struct}).
     *
     * @return the C type ({@code double}, {@code unsigned long}, {@code char[5]}, {@code struct})
     */
    public String cName() {
        return cName;
    }

    /**
     * A struct's fields in offset order; empty for other types.
     *
     * @return a struct's fields in offset order; empty for other types
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * A struct's field by name; a dotted path ({@code "pos.x"}) reaches into nested structs, adding offsets.
     *
     * @param path a field name or a dotted path
     * @return the field, with its offset from the start of this struct
     * @throws IllegalArgumentException naming the path and the fields there are when there is no such field
     */
    public Field field(String path) {
        DType t = this;
        long offset = 0;
        Field found = null;
        for (String part : path.split("\\.", -1)) {
            found = null;
            for (Field f : t.fields) {
                if (f.name.equals(part)) {
                    found = f;
                    break;
                }
            }
            if (found == null) {
                List<String> names = new ArrayList<>();
                t.fields.forEach(f -> names.add(f.name));
                throw new IllegalArgumentException("no field '" + part + "' in " + (t == this ? "" : "'" + path + "' of ")
                        + t.format() + " (fields: " + names + ")");
            }
            offset += found.offset;
            t = found.type;
        }
        return new Field(found.name, offset, found.type);
    }

    /**
     * A sub-array's element type, or null for other types.
     *
     * @return a sub-array's element type, or null for other types
     */
    public DType element() {
        return element;
    }

    /**
     * A sub-array's dimensions (a copy), or an empty array for other types.
     *
     * @return a sub-array's dimensions (a copy), or an empty array for other types
     */
    public long[] dims() {
        return dims == null ? new long[0] : dims.clone();
    }

    /**
     * The smallest value of an integer scalar (0 for unsigned ones).
     *
     * @return the smallest value of an integer scalar (0 for unsigned ones)
     */
    public long minValue() {
        if (kind == Kind.SIGNED) {
            return -(1L << (8 * itemsize - 1));
        }
        if (kind == Kind.UNSIGNED || kind == Kind.CHARACTER || kind == Kind.BOOL) {
            return 0;
        }
        throw new UnsupportedOperationException(name() + " is not an integer type");
    }

    /**
     * The largest value of an integer scalar ({@code Long.MAX_VALUE} for the 8-byte unsigned types).
     *
     * @return the largest value of an integer scalar ({@code Long.MAX_VALUE} for the 8-byte unsigned types)
     */
    public long maxValue() {
        if (kind == Kind.SIGNED) {
            return itemsize == 8 ? Long.MAX_VALUE : (1L << (8 * itemsize - 1)) - 1;
        } else if (kind == Kind.UNSIGNED) {
            return itemsize == 8 ? Long.MAX_VALUE : (1L << (8 * itemsize)) - 1;
        } else if (kind == Kind.CHARACTER) {
            return Character.MAX_CODE_POINT;
        } else if (kind == Kind.BOOL) {
            return 1;
        }
        throw new UnsupportedOperationException(name() + " is not an integer type");
    }

    /**
     * Checks that {@code value} fits this integer scalar; floating types take any value, and so do the 8-byte
     * unsigned types, whose {@code long} is the bit pattern of a value in 0..2^64-1 (Java's convention:
     * {@code Long.toUnsignedString(-1L)} is {@code 18446744073709551615}).
     *
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException naming the value, the type and its range when it does not fit
     */
    public long checkValue(long value) {
        if (kind == Kind.FLOATING || kind == Kind.COMPLEX || kind == Kind.UNSIGNED && itemsize == 8) {
            return value;
        }
        if (value < minValue() || value > maxValue()) {
            throw new IllegalArgumentException(value + " does not fit '" + typecode + "' (" + cName + ", "
                    + minValue() + ".." + (itemsize == 8 && kind == Kind.UNSIGNED ? "18446744073709551615" : maxValue())
                    + ")");
        }
        return value;
    }

    /**
     * The scalar type of a Python {@code array}/{@code struct} typecode, or of NumPy's {@code ? e F D}.
     *
     * @param typecode the typecode
     * @return the type
     * @throws IllegalArgumentException listing the valid typecodes when {@code typecode} is not one
     */
    public static DType fromTypecode(char typecode) {
        for (DType t : SCALARS) {
            if (t.typecode == typecode) {
                return t;
            }
        }
        throw new IllegalArgumentException("bad typecode '" + typecode
                + "' (must be b, B, u, h, H, i, I, l, L, q, Q, f, d, ?, e, F or D)");
    }

    /**
     * The type a PEP 3118 format string describes, as NumPy reads a buffer's format: byte order and alignment
     * prefixes ({@code @ = < > ! ^}), repeat counts (a sub-array, as in NumPy), {@code x} padding, {@code ?},
     * {@code e}, {@code Zf}/{@code Zd}, {@code Ns} byte strings, {@code T{...}} structs with {@code :name:} fields,
     * sub-arrays {@code (2,3)d}, nesting. Several items outside {@code T{}} make a struct with fields {@code f0},
     * {@code f1}, ... (as NumPy). {@code fromFormat(t.format())} equals {@code t}.
     *
     * @param format the format string
     * @return its type
     * @throws IllegalArgumentException quoting the bad part of the format
     */
    public static DType fromFormat(String format) {
        return DTypeFormat.parse(format);
    }

    /** Scalars are singletons; other types are equal when their layouts are (kind, size, fields, dims). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DType) || isScalar()) {
            return false;
        }
        DType t = (DType) o;
        return kind == t.kind && itemsize == t.itemsize && fields.equals(t.fields)
                && Objects.equals(element, t.element) && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return isScalar() ? System.identityHashCode(this)
                : Objects.hash(kind, itemsize, fields, element, Arrays.hashCode(dims));
    }

    /**
     * The constant's name for a scalar ({@code DOUBLE}), the PEP 3118 format for other types.
     *
     * @return the constant's name for a scalar ({@code DOUBLE}), the PEP 3118 format for other types
     */
    @Override
    public String toString() {
        return name();
    }

    String code() {
        return code;
    }

    boolean bigEndian() {
        return bigEndian;
    }
}
