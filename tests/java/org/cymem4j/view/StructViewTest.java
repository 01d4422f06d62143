package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/**
 * Views over arrays of C structs: allocation, field views (NumPy's {@code arr['name']}), whole records, and the
 * whole-view operations on records. The layouts below are written out by hand from the C rules:
 * <pre>
 * struct Point { float x; float y; };                               // 8 bytes, align 4
 * struct Body  { struct Point pos; double m[2][3]; unsigned char flag; }; // pos@0, m@8, flag@56, 64 bytes, align 8
 * </pre>
 */
class StructViewTest {
    static final DType POINT = DType.struct().add("x", DType.FLOAT).add("y", DType.FLOAT).build();
    static final DType BODY = DType.struct().add("pos", POINT).add("m", DType.arrayOf(DType.DOUBLE, 2, 3))
            .add("flag", DType.UBYTE).build();

    @Test
    void shouldAllocateAnArrayOfStructsAtTheStructsAlignment() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, BODY, 4, 5)) {
            MemoryView v = a.view();
            assertEquals(64, BODY.itemsize());
            assertEquals(8, BODY.alignment());
            assertArrayEquals(new long[] {4, 5}, v.shape());
            assertArrayEquals(new long[] {320, 64}, v.strides());
            assertEquals(0, v.address() % 8);
            assertEquals(20 * 64, v.byteSize());
            MemoryView f = NativeArray.allocate(pool, BODY, Order.FORTRAN, 4, 5).view();
            assertArrayEquals(new long[] {64, 256}, f.strides());
            MemoryView aligned = NativeArray.allocateAligned(pool, BODY, Order.C, 1, 3).view();
            assertEquals(0, aligned.address() % 8);
            MemoryView big = NativeArray.allocateAligned(pool, BODY, Order.C, 4096, 3).view();
            assertEquals(0, big.address() % 4096);
            assertThrows(IllegalArgumentException.class, () -> NativeArray.allocateAligned(pool, BODY, Order.C, 3, 3));
        }
    }

    @Test
    void shouldViewEachFieldAcrossTheWholeArray() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, BODY, 10)) {
            MemoryView bodies = a.view();
            MemoryView y = bodies.field("pos.y");
            assertEquals(DType.FLOAT, y.dtype());
            assertArrayEquals(new long[] {10}, y.shape());
            assertArrayEquals(new long[] {64}, y.strides());
            assertEquals(bodies.address() + 4, y.address());
            y.putFloat(3, 1.5f);
            MemoryView m = bodies.field("m");
            assertEquals(DType.DOUBLE, m.dtype());
            assertArrayEquals(new long[] {10, 2, 3}, m.shape());
            assertArrayEquals(new long[] {64, 24, 8}, m.strides());
            assertEquals(bodies.address() + 8, m.address());
            m.putDouble(3, 1, 2, 7.25);
            bodies.field("flag").putByte(3, (byte) 200);
            byte[] record = bodies.getRecord(3);
            ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
            assertEquals(64, record.length);
            assertEquals(1.5f, r.getFloat(4));
            assertEquals(7.25, r.getDouble(8 + (1 * 3 + 2) * 8));
            assertEquals((byte) 200, r.get(56));
            assertEquals(0.0f, r.getFloat(0));
            // the same field through the struct-typed sub-view and through a 0-d view of one record
            MemoryView pos = bodies.field("pos");
            assertEquals(POINT, pos.dtype());
            assertEquals(1.5f, pos.field("y").getFloat(3));
            assertEquals(1.5f, bodies.slice("3").field("pos.y").getFloat());
            assertEquals(1.5f, bodies.slice("::-1").field("pos").field("y").getFloat(6));
        }
    }

    @Test
    void shouldSliceTransposeAndIndexStructViewsLikeAnyOther() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, BODY, 3, 4)) {
            MemoryView v = a.view();
            MemoryView t = v.T();
            assertArrayEquals(new long[] {4, 3}, t.shape());
            assertArrayEquals(new long[] {64, 256}, t.strides());
            t.field("flag").putByte(1, 2, (byte) 9);
            assertEquals(9, v.field("flag").getByte(2, 1));
            MemoryView s = v.slice("1:, 1::2");
            assertArrayEquals(new long[] {2, 2}, s.shape());
            assertEquals(9, s.field("flag").getByte(1, 0));
            assertEquals(9, v.getRecord(-1, 1)[56]);
        }
    }

    @Test
    void shouldRefuseScalarAccessToRecordsWithTheElementTypeMessage() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, POINT, 4)) {
            MemoryView v = a.view();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.getLong(0));
            assertEquals("element type is 'T{f:x:f:y:}', not int64 ('l', 'L', 'q', 'Q': getLong)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.putDouble(0, 1.0));
            assertTrue(e.getMessage().startsWith("element type is 'T{f:x:f:y:}', not float64"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, v::toDoubleArray);
            assertTrue(e.getMessage().startsWith("element type is 'T{f:x:f:y:}', not float64 ('d')"), e.getMessage());
            MemoryView big = NativeArray.allocate(pool, POINT, 100).view(); // the bulk path of to*Array
            assertThrows(IllegalArgumentException.class, big::toIntArray);
            e = assertThrows(IllegalArgumentException.class, () -> v.fill(1));
            assertTrue(e.getMessage().contains("fill a field view"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.fill(1.0));
            MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 4).view();
            assertThrows(IllegalArgumentException.class, () -> d.castFrom(v));
            assertThrows(IllegalArgumentException.class, () -> v.copyFrom(d));
            assertFalse(v.contentEquals(d));
        }
    }

    @Test
    void shouldNameTheUnknownFieldAndTheFieldsThereAre() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, BODY, 2)) {
            MemoryView v = a.view();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.field("mass"));
            assertTrue(e.getMessage().contains("no field 'mass'") && e.getMessage().contains("[pos, m, flag]"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.field("pos.z"));
            assertTrue(e.getMessage().contains("no field 'z'") && e.getMessage().contains("[x, y]"), e.getMessage());
            assertEquals("field('pos.z'): no field 'z' in T{f:x:f:y:} (fields: [x, y])", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> v.field("flag").field("x"));
            assertEquals("field('x') needs a view of a struct type; this view's element type is uint8 ('B')",
                    e.getMessage());
        }
    }

    @Test
    void readmeExampleShouldPrintWhatItSays() {
        DType row = DType.struct().add("length", DType.ULONG).add("indices", DType.POINTER).add("values", DType.POINTER)
                .build();
        try (Pool pool = Pool.open(); NativeArray rows = NativeArray.allocate(pool, row, 100)) {
            MemoryView v = rows.view();
            assertEquals(2400, v.byteSize());
            MemoryView lengths = v.field("length");
            assertArrayEquals(new long[] {100}, lengths.shape());
            assertArrayEquals(new long[] {24}, lengths.strides());
            lengths.putLong(3, 2);
            assertEquals(2, v.slice("3").field("length").getLong());
            byte[] r = v.getRecord(3);
            assertEquals(24, r.length);
            v.putRecord(new long[] {4}, r);
            assertEquals(2, lengths.getLong(4));
            v.slice("::2").copyFrom(v.slice("1::2"));
            assertEquals(2, lengths.getLong(2)); // record 3 copied onto record 2
            assertArrayEquals(new long[] {10, 10}, v.reshape(10, -1).shape());
            assertArrayEquals(new long[] {300}, v.view(DType.ULONG).shape());
        }
    }

    @Test
    void shouldGoThroughSubArraysOfStructsOnADottedPath() {
        // struct Mesh { struct Point corners[4]; int id; }: corners@0 (32 bytes), id@32, 36 bytes, align 4
        DType mesh = DType.struct().add("corners", DType.arrayOf(POINT, 4)).add("id", DType.INT).build();
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, mesh, 3)) {
            MemoryView ys = a.view().field("corners.y");          // NumPy: a['corners']['y']
            assertArrayEquals(new long[] {3, 4}, ys.shape());
            assertArrayEquals(new long[] {36, 8}, ys.strides());
            assertEquals(a.view().address() + 4, ys.address());
            ys.putFloat(2, 3, 9f);
            assertEquals(9f, a.view().field("corners").field("y").getFloat(2, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.view().field("corners.y.z"));
            assertEquals("field('corners.y.z'): field('z') needs a view of a struct type; this view's element type is"
                    + " float32 ('f')", e.getMessage());
            assertEquals(9f, ByteBuffer.wrap(a.view().getRecord(2)).order(ByteOrder.nativeOrder()).getFloat(3 * 8 + 4));
        }
    }

    @Test
    void shouldReadUnalignedFieldsOfPackedStructs() {
        // struct __attribute__((packed)) { unsigned char tag; double value; }: value at offset 1, 9 bytes a record
        DType packed = DType.struct().packed().add("tag", DType.UBYTE).add("value", DType.DOUBLE).build();
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, packed, 5)) {
            MemoryView value = a.view().field("value");
            assertArrayEquals(new long[] {9}, value.strides());
            for (int i = 0; i < 5; i++) {
                value.putDouble(i, i + 0.5);
            }
            assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5, 4.5}, value.toDoubleArray());
            byte[] r = a.view().getRecord(1);
            assertEquals(1.5, ByteBuffer.wrap(r).order(ByteOrder.nativeOrder()).getDouble(1));
            MemoryView big = NativeArray.allocate(pool, packed, 100).view().field("value"); // C kernels, unaligned
            big.fill(2.0);
            assertEquals(200.0, java.util.Arrays.stream(big.toDoubleArray()).sum());
        }
    }

    @Test
    void shouldReadAndWriteWholeRecords() {
        try (Pool pool = Pool.open(); NativeArray a = NativeArray.allocate(pool, POINT, 2, 2)) {
            MemoryView v = a.view();
            byte[] rec = new byte[8];
            ByteBuffer.wrap(rec).order(ByteOrder.nativeOrder()).putFloat(0, 3f).putFloat(4, -2f);
            v.putRecord(new long[] {1, -1}, rec);
            assertEquals(3f, v.field("x").getFloat(1, 1));
            assertEquals(-2f, v.field("y").getFloat(1, 1));
            assertArrayEquals(rec, v.getRecord(1, 1));
            assertArrayEquals(new byte[8], v.getRecord(0, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.putRecord(new long[] {0, 0}, new byte[7]));
            assertEquals("a record of 'T{f:x:f:y:}' has 8 bytes, not 7", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> v.putRecord(new long[] {2, 0}, rec));
            assertThrows(IllegalArgumentException.class, () -> v.getRecord(0));
            assertArrayEquals(new byte[8], v.getRecord(0, 0)); // nothing written by the refused calls
            // getRecord works on scalar views too: the element's bytes
            MemoryView d = NativeArray.copyOf(pool, new double[] {1.0}, 1).view();
            assertEquals(Double.doubleToRawLongBits(1.0),
                    ByteBuffer.wrap(d.getRecord(0)).order(ByteOrder.nativeOrder()).getLong());
        }
    }

    @Test
    void shouldCopyRecordViewsSmallAndLargeOverlapIncluded() {
        for (int n : new int[] {3, 1000}) { // below and above the C kernels' threshold
            try (Pool pool = Pool.open()) {
                MemoryView src = NativeArray.allocate(pool, BODY, n).view();
                for (int i = 0; i < n; i++) {
                    src.field("pos.x").putFloat(i, i);
                    src.field("m").putDouble(i, 1, 1, -i);
                }
                MemoryView dst = NativeArray.allocate(pool, BODY, n).view();
                dst.copyFrom(src);
                assertTrue(dst.contentEquals(src));
                assertEquals(n - 1.0f, dst.field("pos.x").getFloat(n - 1));
                assertEquals(-(n - 1.0), dst.field("m").getDouble(n - 1, 1, 1));
                dst.copyFrom(dst.slice("::-1")); // overlapping: as through a temporary
                assertEquals(n - 1.0f, dst.field("pos.x").getFloat(0));
                assertEquals(0.0f, dst.field("pos.x").getFloat(n - 1));
                MemoryView copy = dst.copy();
                assertEquals(BODY, copy.dtype());
                assertTrue(copy.contentEquals(dst));
                assertFalse(copy.contentEquals(src));
                MemoryView wrongShape = NativeArray.allocate(pool, BODY, n + 1).view();
                assertThrows(IllegalArgumentException.class, () -> wrongShape.copyFrom(src));
                MemoryView other = NativeArray.allocate(pool, POINT, n).view();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.copyFrom(src));
                assertTrue(e.getMessage().contains("records are copied between equal types only"), e.getMessage());
            }
        }
    }

    @Test
    void shouldCompareRecordsFieldByFieldIgnoringPadding() {
        try (Pool pool = Pool.open()) {
            MemoryView a = NativeArray.allocate(pool, BODY, 2).view();
            MemoryView b = NativeArray.allocate(pool, BODY, 2).view();
            assertTrue(a.contentEquals(b));
            byte[] rec = b.getRecord(1);
            rec[60] = 1; // padding after flag
            b.putRecord(new long[] {1}, rec);
            assertTrue(a.contentEquals(b), "padding bytes do not count");
            b.field("m").putDouble(1, 0, 0, -0.0);
            assertTrue(a.contentEquals(b), "fields compare by value: -0.0 == 0.0");
            b.field("flag").putByte(0, (byte) 1);
            assertFalse(a.contentEquals(b));
            b.field("flag").putByte(0, (byte) 0);
            a.field("m").putDouble(0, 0, 1, Double.NaN);
            b.field("m").putDouble(0, 0, 1, Double.NaN);
            assertFalse(a.contentEquals(b), "NaN equals nothing, as NumPy's ==");
        }
    }

    @Test
    void shouldCompareStructsWithBigEndianAndByteStringFields() {
        DType t = DType.struct().add("be", DType.INT.withOrder(ByteOrder.BIG_ENDIAN)).add("name", DType.bytes(3))
                .add("x", DType.SHORT).build(); // be@0, name@4..6, padding@7, x@8, padding@10..11: 12 bytes
        assertEquals(12, t.itemsize());
        try (Pool pool = Pool.open()) {
            MemoryView a = NativeArray.allocate(pool, t, 40).view();
            MemoryView b = NativeArray.allocate(pool, t, 40).view();
            byte[] rec = {0, 0, 1, 2, 'a', 'b', 'c', 0, 5, 0, 0, 0};
            for (int i = 0; i < 40; i++) {
                a.putRecord(new long[] {i}, rec);
                b.putRecord(new long[] {i}, rec);
            }
            assertTrue(a.contentEquals(b));
            assertTrue(a.slice(":3").contentEquals(b.slice("-3:"))); // the Java path too
            rec[3] = 3; // the big-endian field's low byte
            b.putRecord(new long[] {39}, rec);
            assertFalse(a.contentEquals(b));
            assertFalse(a.slice("-3:").contentEquals(b.slice("-3:")));
            rec[3] = 2;
            rec[6] = 'd'; // the byte string
            b.putRecord(new long[] {39}, rec);
            assertFalse(a.contentEquals(b));
            rec[6] = 'c';
            rec[7] = 9; // padding
            rec[11] = 9;
            b.putRecord(new long[] {39}, rec);
            assertTrue(a.contentEquals(b));
        }
    }

    @Test
    void shouldViewByteStringsAndSubArrayElementsAndBlocksAndBuffers() {
        try (Pool pool = Pool.open()) {
            DType name = DType.bytes(5);
            MemoryView names = NativeArray.allocate(pool, name, 3).view();
            names.putRecord(new long[] {1}, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            MemoryView chars = names.view(DType.UBYTE);
            assertArrayEquals(new long[] {15}, chars.shape());
            assertEquals('h', chars.getByte(5));
            assertThrows(IllegalArgumentException.class, () -> names.getByte(0));
            DType triple = DType.arrayOf(DType.INT, 3);
            long p = pool.alloc(4, 12);
            MemoryView triples = MemoryView.of(pool.block(p), triple, 4);
            assertEquals(triple, triples.dtype());
            MemoryView ints = triples.view(DType.INT);
            assertArrayEquals(new long[] {12}, ints.shape());
            ints.putInt(5, 42);
            assertEquals(42, ByteBuffer.wrap(triples.getRecord(1)).order(ByteOrder.nativeOrder()).getInt(8));
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            MemoryView points = MemoryView.of(direct, POINT, 2);
            points.field("y").putFloat(1, 2.5f);
            assertEquals(2.5f, direct.order(ByteOrder.nativeOrder()).getFloat(12));
        }
    }
}
