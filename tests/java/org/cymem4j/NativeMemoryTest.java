package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;
import org.cymem4j.javacpp.PoolPointers;

class NativeMemoryTest {

    @Test
    void shouldReadBackEveryPrimitiveTypeInNativeOrder() {
        try (Address a = new Address(64, 1)) {
            a.putByte(0, (byte) -5);
            a.putShort(2, (short) -30000);
            a.putChar(4, 'é');
            a.putInt(8, 0xCAFEBABE);
            a.putLong(16, Long.MIN_VALUE + 3);
            a.putFloat(24, 1.25f);
            a.putDouble(32, -0.0);
            a.putDouble(40, Double.NaN);
            assertEquals(-5, a.getByte(0));
            assertEquals(-30000, a.getShort(2));
            assertEquals('é', a.getChar(4));
            assertEquals(0xCAFEBABE, a.getInt(8));
            assertEquals(Long.MIN_VALUE + 3, a.getLong(16));
            assertEquals(1.25f, a.getFloat(24));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.getDouble(32)));
            assertTrue(Double.isNaN(a.getDouble(40)));
            // little-endian x86-64: the low byte of the int comes first
            assertEquals((byte) 0xBE, a.getByte(8));
        }
    }

    @Test
    void shouldCheckBoundsNamingOffsetLengthAndCapacity() {
        try (Address a = new Address(4, 8)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(32));
            assertEquals("offset=32 length=8 capacity=32", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.getInt(29));
            assertThrows(IndexOutOfBoundsException.class, () -> a.putByte(-1, (byte) 1));
            assertThrows(IndexOutOfBoundsException.class, () -> a.getLong(Long.MAX_VALUE));
            e = assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(8, new double[4], 0, 4));
            assertEquals("offset=8 length=32 capacity=32", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> a.copyFrom(0, new double[4], 2, 3));
            assertEquals("array index=2 count=3 array length=4", e.getMessage());
            assertEquals(0.0, a.getDouble(8)); // nothing was written by the rejected copies
        }
    }

    @Test
    void shouldCopyJavaArraysInAndOut() {
        try (Pool pool = Pool.open()) {
            Block b = pool.block(pool.alloc(100, Double.BYTES));
            double[] src = new double[100];
            for (int i = 0; i < src.length; i++) {
                src[i] = i * 0.5;
            }
            b.copyFrom(0, src, 0, 100);
            assertEquals(49.5, b.getDouble(99 * 8));
            double[] dst = new double[10];
            b.copyTo(8 * 10, dst, 0, 10);
            assertArrayEquals(new double[] {5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}, dst);
            int[] ints = {1, 2, 3};
            b.copyFrom(4, ints, 1, 2);
            assertEquals(2, b.getInt(4));
            assertEquals(3, b.getInt(8));
            byte[] bytes = new byte[3];
            b.copyTo(4, bytes, 0, 3);
            assertArrayEquals(new byte[] {2, 0, 0}, bytes);
        }
    }

    @Test
    void shouldFillAndMoveBytesNatively() {
        try (Address a = new Address(16, 1); Address b = new Address(16, 1)) {
            a.fill(0, 16, (byte) 7);
            a.fill(4, 4, (byte) 0);
            b.copyFrom(0, a, 0, 16);
            assertEquals(0x07070707, b.getInt(0));
            assertEquals(0, b.getInt(4));
            b.copyFrom(1, b, 0, 15); // overlapping move: every byte shifts up by one
            byte[] shifted = new byte[16];
            b.copyTo(0, shifted, 0, 16);
            assertArrayEquals(new byte[] {7, 7, 7, 7, 7, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7}, shifted);
            assertThrows(IndexOutOfBoundsException.class, () -> a.fill(8, 9, (byte) 1));
        }
    }

    @Test
    void shouldReachEveryByteOfABlockLargerThanTwoGibibytes() {
        long size = 3L << 30; // calloc maps it lazily: pages are touched only where written
        try (Pool pool = Pool.open()) {
            Block b = pool.block(pool.alloc(size, 1));
            long boundary = 1L << 30;
            b.putLong(boundary - 4, 0x1122334455667788L); // straddles the first 1 GiB chunk's end
            assertEquals(0x1122334455667788L, b.getLong(boundary - 4));
            b.putDouble(size - 8, 3.5);
            assertEquals(3.5, b.getDouble(size - 8));
            int[] across = {1, 2, 3, 4};
            b.copyFrom(2 * boundary - 8, across, 0, 4);
            int[] back = new int[4];
            b.copyTo(2 * boundary - 8, back, 0, 4);
            assertArrayEquals(across, back);
            assertThrows(IndexOutOfBoundsException.class, () -> b.getByte(size));
        }
    }

    @Test
    void shouldFreeAnAddressOnCloseAndRefuseUseAfterwards() {
        long before = Pools.liveBlocks();
        Address a = new Address(2, 8);
        assertEquals(16, a.byteSize());
        assertEquals(before + 1, Pools.liveBlocks());
        a.close();
        a.close();
        assertEquals(before, Pools.liveBlocks());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.getLong(0));
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, a::address);
        assertThrows(IllegalArgumentException.class, () -> new Address(-1, 8));
        assertEquals(before, Pools.liveBlocks());
    }

    @Test
    void shouldGiveJavaCppPointersThatThePoolOwnsAndGuards() {
        Pool pool = Pool.open();
        IntPointer ints = PoolPointers.allocInts(pool, 4);
        assertEquals(4, ints.capacity());
        ints.put(3, 42);
        assertEquals(42, ints.get(3));
        assertEquals(0, ints.get(0));
        assertEquals(16, pool.sizeOf(ints.address()));
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> ints.get(4));
        assertEquals("index=4 length=4", oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ints.put(new int[5], 0, 5));
        DoublePointer doubles = PoolPointers.allocDoubles(pool, 3);
        doubles.put(new double[] {1, 2, 3}, 0, 3);
        double[] back = new double[3];
        doubles.get(back, 0, 3);
        assertArrayEquals(new double[] {1, 2, 3}, back);
        pool.free(doubles.address());
        IllegalStateException freed = assertThrows(IllegalStateException.class, () -> doubles.get(0));
        assertTrue(freed.getMessage().endsWith("was freed"), freed.getMessage());
        assertEquals(0, doubles.address()); // disarmed: JavaCPP's own methods see NULL now
        pool.close();
        assertThrows(IllegalStateException.class, () -> ints.get(0));
        assertEquals(0, ints.address());
    }
}
