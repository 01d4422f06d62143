package org.cymem4j.array;

import org.cymem4j.view.DType;

/**
 * Converts checked Java values into a Java array of the element's width (the "carrier"), so that a whole batch of
 * values reaches native memory in one bulk copy, and so that every value is checked before anything is written.
 */
final class Carriers {
    private Carriers() {
    }

    /** {@code int} values as {@code long}s, for the {@code int...} overloads. */
    static long[] widen(int[] values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    /** The values as the element type's carrier array, after checking each against the type's range. */
    static Object fromLongs(DType type, long[] values, int from, int to) {
        int n = to - from;
        if (!type.isFloating()) {
            for (int i = from; i < to; i++) {
                type.checkValue(values[i]);
            }
        }
        switch (type.typecode()) {
            case 'f': {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = values[from + i];
                }
                return out;
            }
            case 'd': {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = values[from + i];
                }
                return out;
            }
            default:
                break;
        }
        switch (type.itemsize()) {
            case 1: {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) values[from + i];
                }
                return out;
            }
            case 2: {
                short[] out = new short[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (short) values[from + i];
                }
                return out;
            }
            case 4: {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (int) values[from + i];
                }
                return out;
            }
            default: {
                long[] out = new long[n];
                System.arraycopy(values, from, out, 0, n);
                return out;
            }
        }
    }

    /** The values as a float[] or double[] carrier; integer types refuse them. */
    static Object fromDoubles(DType type, double[] values) {
        if (!type.isFloating()) {
            if (values.length > 0) {
                throw notFloating(type, values[0]);
            }
            return new byte[0];
        }
        if (type == DType.DOUBLE) {
            return values.clone();
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** Python's {@code TypeError: integer argument expected, got float}, naming the array type and the value. */
    static IllegalArgumentException notFloating(DType type, double value) {
        return new IllegalArgumentException("array('" + type.typecode() + "') holds " + type.cName()
                + " integers, not the float " + PyRepr.floatRepr(value) + " (integer argument expected, got float)");
    }
}
