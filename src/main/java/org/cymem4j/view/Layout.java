package org.cymem4j.view;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The per-axis memory layouts of Cython's memoryview declarations ({@code cython.view} constants), for
 * {@link MemoryView#as(Layout...)}. Each combines an <em>access</em> (direct: the axis steps through elements;
 * indirect: it steps through pointers, PEP 3118 suboffsets; generic: either) and a <em>packing</em> (strided: any
 * stride; contiguous: the elements, or pointers, are adjacent).
 *
 * <table>
 * <caption>Cython layout specifiers</caption>
 * <tr><th>Cython</th><th>Layout</th><th>access</th><th>packing</th></tr>
 * <tr><td>{@code view.generic}</td><td>{@link #GENERIC}</td><td>direct or indirect</td><td>strided</td></tr>
 * <tr><td>{@code :} / {@code view.strided}</td><td>{@link #STRIDED}</td><td>direct</td><td>strided</td></tr>
 * <tr><td>{@code view.indirect}</td><td>{@link #INDIRECT}</td><td>indirect</td><td>strided</td></tr>
 * <tr><td>{@code ::1} / {@code view.contiguous}</td><td>{@link #CONTIGUOUS}</td><td>direct</td><td>contiguous</td></tr>
 * <tr><td>{@code view.indirect_contiguous}</td><td>{@link #INDIRECT_CONTIGUOUS}</td><td>indirect</td><td>contiguous</td></tr>
 * </table>
 *
 * <p>Placement rule (Cython's): at most one axis may be direct and contiguous, and only the first axis after the
 * last indirect axis (the first axis when there is none) or the last axis may be. A direct contiguous last axis
 * means the whole view is C-contiguous; a direct contiguous first axis (with more than one axis and no indirect
 * axis) means Fortran-contiguous.
 *
 * <pre>{@code
 * MemoryView c = NativeArray.allocate(pool, DType.INT, 2, 3, 4).view();
 * c.as(Layout.STRIDED, Layout.STRIDED, Layout.CONTIGUOUS);   // cython.int[:, :, ::1]: fine, C order
 * c.as(":, :, ::1");                                          // the same, in Cython's syntax
 * c.T().as(":, :, ::1");                                      // throws IllegalArgumentException: not C-contiguous
 * Layout.parse("::view.indirect, ::1");                       // [INDIRECT, CONTIGUOUS]
 * }</pre>
 */
public enum Layout {
    /** {@code view.generic}: direct or indirect, strided. */
    GENERIC("view.generic"),
    /** {@code view.strided} (the default, {@code :}): direct, strided. */
    STRIDED("view.strided"),
    /** {@code view.indirect}: through pointers, strided. */
    INDIRECT("view.indirect"),
    /** {@code view.contiguous} ({@code ::1}): direct, adjacent elements. */
    CONTIGUOUS("view.contiguous"),
    /** {@code view.indirect_contiguous}: through adjacent pointers. */
    INDIRECT_CONTIGUOUS("view.indirect_contiguous");

    private final String spelling;

    Layout(String spelling) {
        this.spelling = spelling;
    }

    /**
     * The Cython constant: {@code view.contiguous}.
     *
     * @return the Cython constant: {@code view.contiguous}
     */
    public String spelling() {
        return spelling;
    }

    boolean direct() {
        return this == STRIDED || this == CONTIGUOUS;
    }

    boolean indirect() {
        return this == INDIRECT || this == INDIRECT_CONTIGUOUS;
    }

    boolean contiguous() {
        return this == CONTIGUOUS || this == INDIRECT_CONTIGUOUS;
    }

    static String spelling(Layout[] axes) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Layout l : axes) {
            j.add(l == STRIDED ? ":" : "::" + l.spelling);
        }
        return j.toString();
    }

    /**
     * Checks a declaration against Cython's placement rules.
     *
     * @throws IllegalArgumentException with Cython's own wording when a rule is broken
     */
    static void validate(Layout[] axes, int ndim) {
        if (axes.length != ndim) {
            throw new IllegalArgumentException("declaration " + spelling(axes) + " has " + axes.length
                    + " axes but the view has " + ndim);
        }
        int lastIndirect = -1;
        for (int k = 0; k < axes.length; k++) {
            if (axes[k].indirect()) {
                lastIndirect = k;
            }
        }
        boolean haveContig = false;
        for (int k = 0; k < axes.length; k++) {
            Layout l = axes[k];
            if (!l.contiguous()) {
                continue;
            }
            if (haveContig) {
                throw new IllegalArgumentException("bad declaration " + spelling(axes)
                        + ": only one direct contiguous axis may be specified");
            }
            int first = lastIndirect + 1;
            int last = axes.length - 1;
            if (k != first && k != last && !l.indirect()) {
                String dims = first != last ? "dimensions " + first + " and " + last : "dimension " + first;
                throw new IllegalArgumentException("bad declaration " + spelling(axes) + ": only " + dims
                        + " may be contiguous and direct");
            }
            haveContig = !l.indirect();
        }
    }

    /**
     * Parses a Cython declaration's axes: {@code ":, :, ::1"}, {@code "::view.indirect, ::view.contiguous"}
     * ({@code view.} is optional).
     *
     * @param declaration the axes of a Cython memoryview declaration
     * @return one layout per axis
     * @throws IllegalArgumentException naming the axis spelling that is not one of the above
     */
    public static Layout[] parse(String declaration) {
        String[] parts = declaration.split(",", -1);
        Layout[] out = new Layout[parts.length];
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k].replace(" ", "");
            if (p.equals(":")) {
                out[k] = STRIDED;
                continue;
            }
            if (p.equals("::1")) {
                out[k] = CONTIGUOUS;
                continue;
            }
            String name = p.startsWith("::") ? p.substring(2) : "";
            name = name.startsWith("view.") ? name.substring(5) : name;
            Layout found = null;
            for (Layout l : values()) {
                if (l.spelling.substring(5).equals(name)) {
                    found = l;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("bad axis '" + parts[k].trim() + "' in declaration [" + declaration
                        + "] (expected ':', '::1' or '::view.generic|strided|indirect|contiguous|indirect_contiguous')");
            }
            out[k] = found;
        }
        return out;
    }

    /** Throws unless {@code view} has the layout {@code axes} declare ({@link MemoryView#as(Layout...)}). */
    static void check(MemoryView view, Layout[] axes) {
        int ndim = view.ndim;
        long[] shape = view.shape;
        long[] strides = view.strides;
        validate(axes, ndim);
        long[] sub = view.suboffsets();
        for (int k = 0; k < ndim; k++) {
            Layout l = axes[k];
            boolean indirectAxis = sub[k] >= 0;
            if (l.direct() && indirectAxis) {
                throw new IllegalArgumentException("axis " + k + " is indirect (suboffset " + sub[k] + ") but declared " + l.spelling());
            }
            if (l.indirect() && !indirectAxis) {
                throw new IllegalArgumentException("axis " + k + " is direct but declared " + l.spelling());
            }
            if (l.contiguous() && shape[k] > 1) {
                long want = indirectAxis ? 8 : view.itemsize;
                if (strides[k] != want) {
                    throw new IllegalArgumentException("axis " + k + " has stride " + strides[k] + " but is declared "
                            + l.spelling() + " (stride " + want + ")");
                }
            }
        }
        if (!view.isIndirect() && ndim > 1) {
            if (axes[ndim - 1] == Layout.CONTIGUOUS && !view.isCContiguous()) {
                throw new IllegalArgumentException("the view is not C contiguous (strides " + Arrays.toString(strides)
                        + ") but is declared " + spelling(axes));
            }
            if (axes[0] == Layout.CONTIGUOUS && !view.isFContiguous()) {
                throw new IllegalArgumentException("the view is not Fortran contiguous (strides " + Arrays.toString(strides)
                        + ") but is declared " + spelling(axes));
            }
        }
    }
}
