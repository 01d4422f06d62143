package org.cymem4j.model;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * The whole-view operations (copyFrom, castFrom, fill, contentEquals, to*Array, copy, copyFortran) through the
 * public API on random strided views (1-3 axes of 1-7, negative steps, transposes, overlapping source and
 * destination), each result checked element by element against the per-element accessors, which never go to C.
 * Which path the operations take is decided by {@code -Dcymem4j.view.nativeThreshold} (0: always the C kernels;
 * Long.MAX_VALUE: always Java); {@link KernelsThresholdTest} runs this in one JVM per setting and compares the
 * printed digests. Prints {@code digest=<n>} and {@code KERNELS OK}, or the failure and exits 1.
 */
public final class KernelsContractMain {
    private static final DType[] TYPES = {DType.BYTE, DType.SHORT, DType.INT, DType.LONG, DType.FLOAT, DType.DOUBLE};

    private KernelsContractMain() {
    }

    public static void main(String[] args) {
        long seed = Long.getLong("cymem4j.kernels.contract.seed", 15);
        int cases = Integer.getInteger("cymem4j.kernels.contract.cases", 400);
        try {
            System.out.println("digest=" + run(seed, cases));
        } catch (AssertionError e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println("KERNELS OK");
    }

    /** Runs the cases; returns a digest of every result. */
    static long run(long seed, int cases) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long digest = 17;
        for (int c = 0; c < cases; c++) {
            try (Pool pool = Pool.open()) {
                digest = digest * 31 + oneCase(pool, rnd, c);
            }
        }
        return digest;
    }

    private static long[] randomShape(SplittableRandom rnd) {
        long[] shape = new long[1 + rnd.nextInt(3)];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = 1 + rnd.nextInt(7);
        }
        return shape;
    }

    /** A view of {@code shape} over a larger array filled with random values: strided, maybe reversed/transposed. */
    private static MemoryView randomView(Pool pool, SplittableRandom rnd, DType dt, long[] shape) {
        long[] base = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            base[k] = shape[k] * 2 + 1;
        }
        MemoryView v = NativeArray.allocate(pool, dt, base).view();
        long[] idx = new long[base.length];
        for (long f = 0; f < v.size(); f++) {
            unflat(f, base, idx);
            // in range of every type: no C undefined behaviour in the casts
            put(v, dt, idx, dt.isFloating() ? rnd.nextInt(201) - 100 + rnd.nextDouble() : rnd.nextInt(256) - 128);
        }
        StringBuilder expr = new StringBuilder();
        for (int k = 0; k < shape.length; k++) {
            boolean back = rnd.nextBoolean();
            long step = rnd.nextBoolean() ? 2 : 1;
            long start = back ? base[k] - 1 - rnd.nextInt(2) : rnd.nextInt(2);
            long stop = back ? start - step * shape[k] : start + step * shape[k];
            expr.append(k == 0 ? "" : ", ").append(start).append(':').append(stop < 0 ? "" : Long.toString(stop))
                    .append(':').append(back ? -step : step);
        }
        MemoryView s = v.slice(expr.toString());
        if (!Arrays.equals(s.shape(), shape)) {
            throw new AssertionError("test set-up: " + expr + " gave " + Arrays.toString(s.shape()));
        }
        return s;
    }

    private static void unflat(long f, long[] shape, long[] idx) {
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = f % shape[k];
            f /= shape[k];
        }
    }

    /** Element as a double, through the per-element accessor (never a C kernel). */
    static double get(MemoryView v, DType dt, long[] idx) {
        switch (dt.typecode()) {
            case 'b': return v.getByte(idx);
            case 'h': return v.getShort(idx);
            case 'i': return v.getInt(idx);
            case 'l': return v.getLong(idx);
            case 'f': return v.getFloat(idx);
            default: return v.getDouble(idx);
        }
    }

    static void put(MemoryView v, DType dt, long[] idx, double x) {
        switch (dt.typecode()) {
            case 'b': v.putByte(idx, (byte) x); break;
            case 'h': v.putShort(idx, (short) x); break;
            case 'i': v.putInt(idx, (int) x); break;
            case 'l': v.putLong(idx, (long) x); break;
            case 'f': v.putFloat(idx, (float) x); break;
            default: v.putDouble(idx, x); break;
        }
    }

    private static double[] elements(MemoryView v, DType dt) {
        long[] shape = v.shape();
        double[] out = new double[(int) v.size()];
        long[] idx = new long[shape.length];
        for (int f = 0; f < out.length; f++) {
            unflat(f, shape, idx);
            out[f] = get(v, dt, idx);
        }
        return out;
    }

    private static void same(double[] expected, double[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + Arrays.toString(expected) + " but was "
                    + Arrays.toString(actual));
        }
    }

    /** C's conversion of an in-range value to {@code dt}, as Java's casts do for these ranges. */
    private static double convert(double x, DType dt) {
        switch (dt.typecode()) {
            case 'b': return (byte) (long) x;
            case 'h': return (short) (long) x;
            case 'i': return (int) (long) x;
            case 'l': return (long) x;
            case 'f': return (float) x;
            default: return x;
        }
    }

    private static long oneCase(Pool pool, SplittableRandom rnd, int c) {
        DType dt = TYPES[rnd.nextInt(TYPES.length)];
        long[] shape = randomShape(rnd);
        MemoryView src = randomView(pool, rnd, dt, shape);
        MemoryView dst = randomView(pool, rnd, dt, shape);
        String what = "case " + c + " " + dt + Arrays.toString(shape);
        double[] s = elements(src, dt);
        int op = rnd.nextInt(7);
        switch (op) {
            case 0: { // copy
                dst.copyFrom(src);
                same(s, elements(dst, dt), what + " copyFrom");
                same(s, elements(src, dt), what + " copyFrom changed its source");
                break;
            }
            case 1: { // overlapping copy: the same memory, reversed along axis 0
                MemoryView rev = src.slice("::-1");
                double[] expected = elements(rev, dt);
                src.copyFrom(rev);
                same(expected, elements(src, dt), what + " overlapping copyFrom");
                break;
            }
            case 2: { // cast between types
                DType to = TYPES[rnd.nextInt(TYPES.length)];
                MemoryView d = randomView(pool, rnd, to, shape);
                d.castFrom(src);
                double[] expected = s.clone();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = convert(dt.isFloating() && !to.isFloating() ? Math.floor(Math.abs(expected[i]))
                            * Math.signum(expected[i]) : expected[i], to);
                }
                same(expected, elements(d, to), what + " castFrom into " + to);
                break;
            }
            case 3: { // fill
                double x = dt.isFloating() ? rnd.nextDouble() * 100 : rnd.nextInt(100) - 50;
                if (dt.isFloating()) {
                    dst.fill(x);
                } else {
                    dst.fill((long) x);
                }
                double[] expected = new double[s.length];
                Arrays.fill(expected, convert(x, dt));
                same(expected, elements(dst, dt), what + " fill");
                break;
            }
            case 4: { // contentEquals, both ways
                dst.copyFrom(src);
                if (!dst.contentEquals(src)) {
                    throw new AssertionError(what + " contentEquals after copy is false");
                }
                long[] idx = new long[shape.length];
                unflat(rnd.nextInt(s.length), shape, idx);
                put(dst, dt, idx, get(dst, dt, idx) + 1);
                if (dst.contentEquals(src)) {
                    throw new AssertionError(what + " contentEquals after a change is true");
                }
                break;
            }
            case 5: { // to*Array, C order
                double[] got = new double[s.length];
                switch (dt.typecode()) {
                    case 'b': { byte[] a = src.toByteArray(); for (int i = 0; i < a.length; i++) got[i] = a[i]; break; }
                    case 'h': { short[] a = src.toShortArray(); for (int i = 0; i < a.length; i++) got[i] = a[i]; break; }
                    case 'i': { int[] a = src.toIntArray(); for (int i = 0; i < a.length; i++) got[i] = a[i]; break; }
                    case 'l': { long[] a = src.toLongArray(); for (int i = 0; i < a.length; i++) got[i] = a[i]; break; }
                    case 'f': { float[] a = src.toFloatArray(); for (int i = 0; i < a.length; i++) got[i] = a[i]; break; }
                    default: got = src.toDoubleArray(); break;
                }
                same(s, got, what + " to" + dt + "Array");
                break;
            }
            default: { // copy() and copyFortran(): new arrays, equal content, the right layout
                MemoryView cc = src.copy();
                MemoryView cf = src.copyFortran();
                same(s, elements(cc, dt), what + " copy()");
                same(s, elements(cf, dt), what + " copyFortran()");
                if (!cc.isCContiguous() || !cf.isFContiguous()) {
                    throw new AssertionError(what + " copies are not contiguous");
                }
                break;
            }
        }
        long h = op;
        for (double x : elements(dst, dt)) {
            h = h * 31 + Double.hashCode(x);
        }
        return h;
    }
}
