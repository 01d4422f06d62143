package org.cymem4j.view;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.ByteIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Index;
import org.bytedeco.javacpp.indexer.Indexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.javacpp.indexer.LongIndexer;
import org.bytedeco.javacpp.indexer.ShortIndexer;
import org.bytedeco.javacpp.indexer.StrideIndex;
import org.cymem4j.internal.Checks;

/**
 * JavaCPP {@link Indexer}s backed by a {@link MemoryView} ({@link MemoryView#toIndexer()}): every {@code get}/{@code put}
 * goes through the view's checked accessors, so an indexer stops working (throws {@link IllegalStateException}) when
 * the view's memory is freed, instead of reading freed memory as a raw indexer would. Indices follow JavaCPP's
 * convention: no negative indices (they throw {@link IndexOutOfBoundsException}, as past the end does), fewer
 * indices than the rank address the first element of the remaining axes, and the array forms
 * ({@code get(i, array, offset, length)}) walk along the last axis. The sizes are the view's shape; the strides are
 * its byte strides divided by the item size (informational: elements are located through the view).
 */
final class ViewIndexers {
    private ViewIndexers() {
    }

    static Indexer of(MemoryView v) {
        switch (v.carrier) {
            case MemoryView.C_BYTE: return new ByteView(v);
            case MemoryView.C_SHORT: return new ShortView(v);
            case MemoryView.C_INT: return new IntView(v);
            case MemoryView.C_LONG: return new LongView(v);
            case MemoryView.C_FLOAT: return new FloatView(v);
            default: return new DoubleView(v);
        }
    }

    static Index index(MemoryView v) {
        long[] strides = new long[v.ndim];
        for (int k = 0; k < v.ndim; k++) {
            strides[k] = v.strides[k] / v.itemsize;
        }
        return new StrideIndex(v.shape.clone(), strides);
    }

    /**
     * The full index for JavaCPP's partial one: missing trailing indices are 0. JavaCPP's indices do not count from
     * the end as the view's do, so a negative index is out of bounds here, like one past the axis.
     *
     * @throws IndexOutOfBoundsException naming the index and the axis length, if an index is outside its axis
     */
    static long[] full(MemoryView v, long... idx) {
        if (idx.length > v.ndim) {
            throw new IllegalArgumentException(idx.length + " indices for a " + v.ndim + "-d view");
        }
        for (int k = 0; k < idx.length; k++) {
            Checks.bounds(idx[k], 1, v.shape[k]);
        }
        long[] at = new long[v.ndim];
        System.arraycopy(idx, 0, at, 0, idx.length);
        return at;
    }

    /** Throws unless the {@code length} elements from {@code at} along the last axis lie inside it (checked before any access). */
    static void checkRun(MemoryView v, long[] at, int length) {
        if (at.length > 0) {
            Checks.bounds(at[at.length - 1], length, v.shape[at.length - 1]);
        }
    }

    static UnsupportedOperationException noReindex() {
        return new UnsupportedOperationException("a view's indexer cannot be reindexed: slice or transpose the MemoryView"
                + " and call toIndexer() on the result");
    }

    /** A byte-sized view as a JavaCPP {@link ByteIndexer}. */
    static final class ByteView extends ByteIndexer {
        private final MemoryView v;

        ByteView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private ByteView walk(long[] at, byte[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putByte(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getByte(at);
                }
            }
            return this;
        }

        @Override
        public byte get(long i) {
            return v.getByte(full(v, i));
        }

        @Override
        public ByteIndexer get(long i, byte[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public byte get(long i, long j) {
            return v.getByte(full(v, i, j));
        }

        @Override
        public ByteIndexer get(long i, long j, byte[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public byte get(long i, long j, long k) {
            return v.getByte(full(v, i, j, k));
        }

        @Override
        public byte get(long... indices) {
            return v.getByte(full(v, indices));
        }

        @Override
        public ByteIndexer get(long[] indices, byte[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public ByteIndexer put(long i, byte value) {
            v.putByte(full(v, i), value);
            return this;
        }

        @Override
        public ByteIndexer put(long i, byte[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public ByteIndexer put(long i, long j, byte value) {
            v.putByte(full(v, i, j), value);
            return this;
        }

        @Override
        public ByteIndexer put(long i, long j, byte[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public ByteIndexer put(long i, long j, long k, byte value) {
            v.putByte(full(v, i, j, k), value);
            return this;
        }

        @Override
        public ByteIndexer put(long[] indices, byte value) {
            v.putByte(full(v, indices), value);
            return this;
        }

        @Override
        public ByteIndexer put(long[] indices, byte[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }

        @Override
        public byte getByte(long i) {
            return (byte) bytes(i, 1);
        }

        @Override
        public ByteIndexer putByte(long i, byte value) {
            return bytes(i, 1, value);
        }

        @Override
        public short getShort(long i) {
            return (short) bytes(i, 2);
        }

        @Override
        public ByteIndexer putShort(long i, short value) {
            return bytes(i, 2, value);
        }

        @Override
        public int getInt(long i) {
            return (int) bytes(i, 4);
        }

        @Override
        public ByteIndexer putInt(long i, int value) {
            return bytes(i, 4, value);
        }

        @Override
        public long getLong(long i) {
            return bytes(i, 8);
        }

        @Override
        public ByteIndexer putLong(long i, long value) {
            return bytes(i, 8, value);
        }

        @Override
        public float getFloat(long i) {
            return Float.intBitsToFloat((int) bytes(i, 4));
        }

        @Override
        public ByteIndexer putFloat(long i, float value) {
            return bytes(i, 4, Float.floatToRawIntBits(value));
        }

        @Override
        public double getDouble(long i) {
            return Double.longBitsToDouble(bytes(i, 8));
        }

        @Override
        public ByteIndexer putDouble(long i, double value) {
            return bytes(i, 8, Double.doubleToRawLongBits(value));
        }

        @Override
        public char getChar(long i) {
            return (char) bytes(i, 2);
        }

        @Override
        public ByteIndexer putChar(long i, char value) {
            return bytes(i, 2, value);
        }

        /** {@code width} consecutive elements of a 1-d byte view from {@code i}, little-endian (x86-64 order). */
        private long bytes(long i, int width) {
            oneD();
            Checks.bounds(i, width, v.shape[0]); // JavaCPP's byte offsets do not count from the end
            long r = 0;
            for (int k = width - 1; k >= 0; k--) {
                r = r << 8 | (v.getByte(i + k) & 0xFF);
            }
            return r;
        }

        private ByteIndexer bytes(long i, int width, long value) {
            oneD();
            Checks.bounds(i, width, v.shape[0]); // the whole range, before writing anything
            for (int k = 0; k < width; k++) {
                v.putByte(i + k, (byte) (value >>> (8 * k)));
            }
            return this;
        }

        private void oneD() {
            if (v.ndim != 1) {
                throw new IllegalArgumentException("byte-offset access needs a 1-d byte view, not " + v.ndim + "-d");
            }
        }
    }

    /** A short-sized view as a JavaCPP {@link ShortIndexer}. */
    static final class ShortView extends ShortIndexer {
        private final MemoryView v;

        ShortView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private ShortView walk(long[] at, short[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putShort(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getShort(at);
                }
            }
            return this;
        }

        @Override
        public short get(long i) {
            return v.getShort(full(v, i));
        }

        @Override
        public ShortIndexer get(long i, short[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public short get(long i, long j) {
            return v.getShort(full(v, i, j));
        }

        @Override
        public ShortIndexer get(long i, long j, short[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public short get(long i, long j, long k) {
            return v.getShort(full(v, i, j, k));
        }

        @Override
        public short get(long... indices) {
            return v.getShort(full(v, indices));
        }

        @Override
        public ShortIndexer get(long[] indices, short[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public ShortIndexer put(long i, short value) {
            v.putShort(full(v, i), value);
            return this;
        }

        @Override
        public ShortIndexer put(long i, short[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public ShortIndexer put(long i, long j, short value) {
            v.putShort(full(v, i, j), value);
            return this;
        }

        @Override
        public ShortIndexer put(long i, long j, short[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public ShortIndexer put(long i, long j, long k, short value) {
            v.putShort(full(v, i, j, k), value);
            return this;
        }

        @Override
        public ShortIndexer put(long[] indices, short value) {
            v.putShort(full(v, indices), value);
            return this;
        }

        @Override
        public ShortIndexer put(long[] indices, short[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }
    }

    /** A int-sized view as a JavaCPP {@link IntIndexer}. */
    static final class IntView extends IntIndexer {
        private final MemoryView v;

        IntView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private IntView walk(long[] at, int[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putInt(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getInt(at);
                }
            }
            return this;
        }

        @Override
        public int get(long i) {
            return v.getInt(full(v, i));
        }

        @Override
        public IntIndexer get(long i, int[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public int get(long i, long j) {
            return v.getInt(full(v, i, j));
        }

        @Override
        public IntIndexer get(long i, long j, int[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public int get(long i, long j, long k) {
            return v.getInt(full(v, i, j, k));
        }

        @Override
        public int get(long... indices) {
            return v.getInt(full(v, indices));
        }

        @Override
        public IntIndexer get(long[] indices, int[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public IntIndexer put(long i, int value) {
            v.putInt(full(v, i), value);
            return this;
        }

        @Override
        public IntIndexer put(long i, int[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public IntIndexer put(long i, long j, int value) {
            v.putInt(full(v, i, j), value);
            return this;
        }

        @Override
        public IntIndexer put(long i, long j, int[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public IntIndexer put(long i, long j, long k, int value) {
            v.putInt(full(v, i, j, k), value);
            return this;
        }

        @Override
        public IntIndexer put(long[] indices, int value) {
            v.putInt(full(v, indices), value);
            return this;
        }

        @Override
        public IntIndexer put(long[] indices, int[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }
    }

    /** A long-sized view as a JavaCPP {@link LongIndexer}. */
    static final class LongView extends LongIndexer {
        private final MemoryView v;

        LongView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private LongView walk(long[] at, long[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putLong(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getLong(at);
                }
            }
            return this;
        }

        @Override
        public long get(long i) {
            return v.getLong(full(v, i));
        }

        @Override
        public LongIndexer get(long i, long[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public long get(long i, long j) {
            return v.getLong(full(v, i, j));
        }

        @Override
        public LongIndexer get(long i, long j, long[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public long get(long i, long j, long k) {
            return v.getLong(full(v, i, j, k));
        }

        @Override
        public long get(long... indices) {
            return v.getLong(full(v, indices));
        }

        @Override
        public LongIndexer get(long[] indices, long[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public LongIndexer put(long i, long value) {
            v.putLong(full(v, i), value);
            return this;
        }

        @Override
        public LongIndexer put(long i, long[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public LongIndexer put(long i, long j, long value) {
            v.putLong(full(v, i, j), value);
            return this;
        }

        @Override
        public LongIndexer put(long i, long j, long[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public LongIndexer put(long i, long j, long k, long value) {
            v.putLong(full(v, i, j, k), value);
            return this;
        }

        @Override
        public LongIndexer put(long[] indices, long value) {
            v.putLong(full(v, indices), value);
            return this;
        }

        @Override
        public LongIndexer put(long[] indices, long[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }
    }

    /** A float-sized view as a JavaCPP {@link FloatIndexer}. */
    static final class FloatView extends FloatIndexer {
        private final MemoryView v;

        FloatView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private FloatView walk(long[] at, float[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putFloat(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getFloat(at);
                }
            }
            return this;
        }

        @Override
        public float get(long i) {
            return v.getFloat(full(v, i));
        }

        @Override
        public FloatIndexer get(long i, float[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public float get(long i, long j) {
            return v.getFloat(full(v, i, j));
        }

        @Override
        public FloatIndexer get(long i, long j, float[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public float get(long i, long j, long k) {
            return v.getFloat(full(v, i, j, k));
        }

        @Override
        public float get(long... indices) {
            return v.getFloat(full(v, indices));
        }

        @Override
        public FloatIndexer get(long[] indices, float[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public FloatIndexer put(long i, float value) {
            v.putFloat(full(v, i), value);
            return this;
        }

        @Override
        public FloatIndexer put(long i, float[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public FloatIndexer put(long i, long j, float value) {
            v.putFloat(full(v, i, j), value);
            return this;
        }

        @Override
        public FloatIndexer put(long i, long j, float[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public FloatIndexer put(long i, long j, long k, float value) {
            v.putFloat(full(v, i, j, k), value);
            return this;
        }

        @Override
        public FloatIndexer put(long[] indices, float value) {
            v.putFloat(full(v, indices), value);
            return this;
        }

        @Override
        public FloatIndexer put(long[] indices, float[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }
    }

    /** A double-sized view as a JavaCPP {@link DoubleIndexer}. */
    static final class DoubleView extends DoubleIndexer {
        private final MemoryView v;

        DoubleView(MemoryView v) {
            super(ViewIndexers.index(v));
            this.v = v;
        }

        private DoubleView walk(long[] at, double[] array, int offset, int length, boolean put) {
            Checks.arrayRange(offset, length, array.length);
            checkRun(v, at, length);
            int last = at.length - 1;
            long start = last < 0 ? 0 : at[last];
            for (int n = 0; n < length; n++) {
                if (last >= 0) {
                    at[last] = start + n;
                }
                if (put) {
                    v.putDouble(at, array[offset + n]);
                } else {
                    array[offset + n] = v.getDouble(at);
                }
            }
            return this;
        }

        @Override
        public double get(long i) {
            return v.getDouble(full(v, i));
        }

        @Override
        public DoubleIndexer get(long i, double[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, false);
        }

        @Override
        public double get(long i, long j) {
            return v.getDouble(full(v, i, j));
        }

        @Override
        public DoubleIndexer get(long i, long j, double[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, false);
        }

        @Override
        public double get(long i, long j, long k) {
            return v.getDouble(full(v, i, j, k));
        }

        @Override
        public double get(long... indices) {
            return v.getDouble(full(v, indices));
        }

        @Override
        public DoubleIndexer get(long[] indices, double[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, false);
        }

        @Override
        public DoubleIndexer put(long i, double value) {
            v.putDouble(full(v, i), value);
            return this;
        }

        @Override
        public DoubleIndexer put(long i, double[] array, int offset, int length) {
            return walk(full(v, i), array, offset, length, true);
        }

        @Override
        public DoubleIndexer put(long i, long j, double value) {
            v.putDouble(full(v, i, j), value);
            return this;
        }

        @Override
        public DoubleIndexer put(long i, long j, double[] array, int offset, int length) {
            return walk(full(v, i, j), array, offset, length, true);
        }

        @Override
        public DoubleIndexer put(long i, long j, long k, double value) {
            v.putDouble(full(v, i, j, k), value);
            return this;
        }

        @Override
        public DoubleIndexer put(long[] indices, double value) {
            v.putDouble(full(v, indices), value);
            return this;
        }

        @Override
        public DoubleIndexer put(long[] indices, double[] array, int offset, int length) {
            return walk(full(v, indices), array, offset, length, true);
        }

        @Override
        public void release() {
            // the view owns nothing; its owner frees the memory
        }

        @Override
        public <I extends Indexer> I reindex(Index index) {
            throw noReindex();
        }

        @Override
        public Pointer pointer() {
            return v.toPointer();
        }
    }
}
