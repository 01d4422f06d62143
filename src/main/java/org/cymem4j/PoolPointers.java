package org.cymem4j;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;
import org.cymem4j.internal.Checks;
import org.cymem4j.internal.RawPointer;

/**
 * JavaCPP typed pointers over pool blocks ({@link Pool#allocInts} and friends). Each element and array
 * {@code get}/{@code put} checks the pool (open, right thread), that the block is live, and the index against the
 * pointer's capacity, then calls JavaCPP's native accessor. When the block goes, the pointer's address is also
 * zeroed, so JavaCPP methods not overridden here fail with JavaCPP's own NullPointerException instead of reading
 * freed memory.
 */
final class PoolPointers {
    private PoolPointers() {
    }

    /** Builds a typed pointer over a block. */
    @FunctionalInterface
    interface Factory<P extends Pointer> {
        P create(Block block, long address, long count);
    }

    /** A pointer that can be pointed at nothing. */
    interface Disarmable {
        void disarm();
    }

    static void disarm(Pointer pointer) {
        ((Disarmable) pointer).disarm();
    }

    /** Throws unless elements {@code [position + i, position + i + n)} lie inside the pointer's capacity. */
    static void checkIndex(Pointer p, long i, long n) {
        long at = p.position() + i;
        if (at < 0 || at > p.capacity() - n) {
            throw new IndexOutOfBoundsException("index=" + i + " position=" + p.position() + " count=" + n
                    + " capacity=" + p.capacity());
        }
    }

    /** A pool-owned {@link IntPointer}. */
    static final class Ints extends IntPointer implements Disarmable {
        private final Block block;

        Ints(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public int get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public IntPointer put(long i, int value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public IntPointer get(int[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public IntPointer put(int[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }

    /** A pool-owned {@link LongPointer}. */
    static final class Longs extends LongPointer implements Disarmable {
        private final Block block;

        Longs(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public long get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public LongPointer put(long i, long value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public LongPointer get(long[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public LongPointer put(long[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }

    /** A pool-owned {@link DoublePointer}. */
    static final class Doubles extends DoublePointer implements Disarmable {
        private final Block block;

        Doubles(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public double get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public DoublePointer put(long i, double value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public DoublePointer get(double[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public DoublePointer put(double[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }

    /** A pool-owned {@link FloatPointer}. */
    static final class Floats extends FloatPointer implements Disarmable {
        private final Block block;

        Floats(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public float get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public FloatPointer put(long i, float value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public FloatPointer get(float[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public FloatPointer put(float[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }

    /** A pool-owned {@link ShortPointer}. */
    static final class Shorts extends ShortPointer implements Disarmable {
        private final Block block;

        Shorts(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public short get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public ShortPointer put(long i, short value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public ShortPointer get(short[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public ShortPointer put(short[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }

    /** A pool-owned {@link BytePointer}. */
    static final class Bytes extends BytePointer implements Disarmable {
        private final Block block;

        Bytes(Block block, long address, long count) {
            super(new RawPointer(address, count));
            this.block = block;
            this.capacity = count;
            this.limit = count;
        }

        @Override
        public byte get(long i) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.get(i);
            } finally {
                block.exit();
            }
        }

        @Override
        public BytePointer put(long i, byte value) {
            block.enter();
            try {
                checkIndex(this, i, 1);
                return super.put(i, value);
            } finally {
                block.exit();
            }
        }

        @Override
        public BytePointer get(byte[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.get(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public BytePointer put(byte[] array, int offset, int length) {
            Checks.arrayRange(offset, length, array.length);
            block.enter();
            try {
                checkIndex(this, 0, length);
                return super.put(array, offset, length);
            } finally {
                block.exit();
            }
        }

        @Override
        public void disarm() {
            address = 0;
        }
    }
}
