package org.cymem4j.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian (x86-64) typed reads and writes on the model's {@code byte[]} copies of native memory. */
final class Bytes {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static short getShort(byte[] b, long off) {
        return (short) SHORT.get(b, (int) off);
    }

    static int getInt(byte[] b, long off) {
        return (int) INT.get(b, (int) off);
    }

    static long getLong(byte[] b, long off) {
        return (long) LONG.get(b, (int) off);
    }

    static double getDouble(byte[] b, long off) {
        return Double.longBitsToDouble(getLong(b, off));
    }

    static void putShort(byte[] b, long off, short v) {
        SHORT.set(b, (int) off, v);
    }

    static void putInt(byte[] b, long off, int v) {
        INT.set(b, (int) off, v);
    }

    static void putLong(byte[] b, long off, long v) {
        LONG.set(b, (int) off, v);
    }

    static void putDouble(byte[] b, long off, double v) {
        putLong(b, off, Double.doubleToRawLongBits(v));
    }

    /** An element of {@code width} bytes as raw bits (sign-extended for 1, 2 and 4 bytes). */
    static long getBits(byte[] b, long off, int width) {
        switch (width) {
            case 1:
                return b[(int) off];
            case 2:
                return getShort(b, off);
            case 4:
                return getInt(b, off);
            default:
                return getLong(b, off);
        }
    }

    static void putBits(byte[] b, long off, int width, long bits) {
        switch (width) {
            case 1:
                b[(int) off] = (byte) bits;
                break;
            case 2:
                putShort(b, off, (short) bits);
                break;
            case 4:
                putInt(b, off, (int) bits);
                break;
            default:
                putLong(b, off, bits);
                break;
        }
    }
}
