package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.ByteIndexer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PointerViews;
import org.junit.jupiter.api.Test;

/**
 * What a view hands out stays inside the view: factories check the offset even for empty views, pointers cover
 * exactly the view's bytes, and indexers refuse negative and out-of-range indices instead of wrapping them.
 */
class ViewExportSafetyTest {

    // ---- MemoryView.of(block, offset, ...) -----------------------------------------------------------------

    @Test
    void shouldCheckTheOffsetOfAnEmptyViewOfABlock() {
        try (Pool pool = Pool.open()) {
            Block block = pool.block(pool.alloc(64, 1));
            for (long off : new long[] {-8, -1, 65, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> MemoryView.of(block, off, DType.INT, new long[] {0}, new long[] {4}), "offset " + off);
                assertTrue(e.getMessage().contains(Long.toString(off)) && e.getMessage().contains("64 bytes"),
                        e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> MemoryView.of(block, off, DType.INT, new long[] {3, 0}, new long[] {16, 4}), "offset " + off);
                assertTrue(e.getMessage().contains(Long.toString(off)), e.getMessage());
            }
            // inside the block (the end included, as NumPy allows for an empty array) is fine
            assertEquals(0, MemoryView.of(block, 64, DType.INT, new long[] {0}, new long[] {4}).size());
            assertEquals(0, MemoryView.of(block, 8, DType.INT, new long[] {2, 0}, new long[] {16, 4}).size());
        }
    }

    @Test
    void shouldRefuseAPointerPositionPastItsEnd() {
        try (DoublePointer dp = new DoublePointer(4)) {
            dp.position(6);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PointerViews.of(dp, DType.DOUBLE, 0));
            assertTrue(e.getMessage().contains("position 6"), e.getMessage());
        }
    }

    // ---- toPointer / toIndexer().pointer() ------------------------------------------------------------------

    @Test
    void shouldExportAPointerCoveringExactlyTheViewsBytes() {
        try (Pool pool = Pool.open()) {
            Block block = pool.block(pool.alloc(128, 1));
            MemoryView whole = MemoryView.of(block, DType.UBYTE, 128);
            whole.fill(0x5AL);
            MemoryView first = MemoryView.of(block, 0, DType.DOUBLE, new long[] {4}, new long[] {8}); // bytes [0, 32)
            Pointer p = PointerViews.pointer(first);
            assertEquals(block.address(), p.address());
            assertEquals(32, p.capacity() * p.sizeof());
            ByteBuffer b = p.asByteBuffer();
            assertEquals(32, b.capacity());
            while (b.hasRemaining()) {
                b.put((byte) 0);                                           // a zeroing write through the export
            }
            for (int k = 0; k < 128; k++) {
                assertEquals(k < 32 ? 0 : 0x5A, whole.getByte(k), "byte " + k);   // the neighbour intact
            }
            assertEquals(32, PointerViews.indexer(first).pointer().asByteBuffer().capacity());
        }
    }

    @Test
    void shouldExportAPointerToASliceWithoutItsNeighbours() {
        try (Pool pool = Pool.open()) {
            MemoryView m = NativeArray.allocate(pool, DType.INT, 4, 4).view();
            m.fill(9L);
            MemoryView rows = m.slice("1:3");                               // rows 1 and 2: 32 bytes
            ByteBuffer b = PointerViews.pointer(rows).asByteBuffer();
            assertEquals(32, b.capacity());
            assertEquals(m.address() + 16, rows.address());
            while (b.hasRemaining()) {
                b.put((byte) 0);
            }
            assertArrayEquals(new int[] {9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9}, m.toIntArray());
            ByteBuffer viaIndexer = PointerViews.indexer(rows).pointer().asByteBuffer();
            assertEquals(32, viaIndexer.capacity());
            // a strided slice: from element (0, 0) to the end of its last element
            MemoryView cols = m.slice(":, 1::2");                             // (4, 2), strides (16, 8)
            assertEquals(3 * 16 + 8 + 4, PointerViews.pointer(cols).asByteBuffer().capacity());
            assertEquals(3 * 16 + 8 + 4, PointerViews.indexer(cols).pointer().capacity() * PointerViews.indexer(cols).pointer().sizeof());
            // an empty view reaches nothing
            assertEquals(0, PointerViews.pointer(m.slice("2:2")).capacity());
            // and a view made back from the pointer has the same bytes, not 8 times as many
            MemoryView back = PointerViews.of(PointerViews.pointer(rows), DType.INT, 8);
            assertEquals(8, back.size());
            assertThrows(IllegalArgumentException.class, () -> PointerViews.of(PointerViews.pointer(rows), DType.INT, 9));
        }
    }

    @Test
    void shouldExportAnIndirectViewsPointerTableOnly() {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.allocateIndirect(pool, DType.INT, 3, 5).view();
            assertEquals(3 * Long.BYTES, PointerViews.pointer(v).asByteBuffer().capacity());
            BytePointer table = new BytePointer(PointerViews.pointer(v));
            assertEquals(24, table.capacity());
        }
    }

    // ---- indexers -------------------------------------------------------------------------------------------

    @Test
    void shouldRefuseNegativeByteOffsetsInAByteIndexer() {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.allocate(pool, DType.UBYTE, 8).view();
            for (int k = 0; k < 8; k++) {
                v.putByte(k, (byte) (k + 1));
            }
            ByteIndexer idx = (ByteIndexer) PointerViews.indexer(v);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> idx.getByte(-1));
            assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("8"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> idx.putInt(-2, 0));
            assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("8"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> idx.getLong(-8));
            assertThrows(IndexOutOfBoundsException.class, () -> idx.putDouble(-8, 0.0));
            assertThrows(IndexOutOfBoundsException.class, () -> idx.getShort(7));
            e = assertThrows(IndexOutOfBoundsException.class, () -> idx.putLong(1, 0L));
            assertTrue(e.getMessage().contains("1") && e.getMessage().contains("8"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> idx.getInt(Long.MAX_VALUE));
            // element indices do not wrap either (JavaCPP indexers have no negative indexing)
            e = assertThrows(IndexOutOfBoundsException.class, () -> idx.get(-1));
            assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("8"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> idx.put(-1, (byte) 0));
            assertThrows(IndexOutOfBoundsException.class, () -> idx.put(8, (byte) 0));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, v.toByteArray());   // nothing written
            assertEquals(0x08070605, idx.getInt(4));                                 // in range still works
        }
    }

    @Test
    void shouldRefuseNegativeIndicesInEveryIndexer() {
        try (Pool pool = Pool.open()) {
            MemoryView d = NativeArray.allocate(pool, DType.DOUBLE, 3, 4).view();
            d.fill(1.0);
            DoubleIndexer di = (DoubleIndexer) PointerViews.indexer(d);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> di.get(0, -1));
            assertTrue(e.getMessage().contains("-1") && e.getMessage().contains("4"), e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> di.get(-3, 0));
            assertTrue(e.getMessage().contains("-3") && e.getMessage().contains("3"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> di.put(-1, 2.0));
            assertThrows(IndexOutOfBoundsException.class, () -> di.put(new long[] {2, -4}, 2.0));
            // the array forms check the whole run along the last axis before writing any of it
            assertThrows(IndexOutOfBoundsException.class, () -> di.put(1, new double[] {5, 5, 5, 5, 5}, 0, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> di.put(new long[] {1, 2}, new double[] {5, 5, 5}, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> di.get(new long[] {1, -1}, new double[2], 0, 2));
            for (double x : d.toDoubleArray()) {
                assertEquals(1.0, x);
            }
            di.put(new long[] {1, 2}, new double[] {5, 6}, 0, 2);
            assertEquals(6.0, d.getDouble(1, 3));

            MemoryView i = NativeArray.allocate(pool, DType.INT, 5).view();
            IntIndexer ii = (IntIndexer) PointerViews.indexer(i);
            e = assertThrows(IndexOutOfBoundsException.class, () -> ii.get(-5));
            assertTrue(e.getMessage().contains("-5") && e.getMessage().contains("5"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> ii.put(-1, 3));
            assertArrayEquals(new int[5], i.toIntArray());
            for (DType t : new DType[] {DType.SHORT, DType.LONG, DType.FLOAT}) {
                org.bytedeco.javacpp.indexer.Indexer x = PointerViews.indexer(NativeArray.allocate(pool, t, 2).view());
                assertThrows(IndexOutOfBoundsException.class, () -> x.getDouble(-1), t.toString());
                assertThrows(IndexOutOfBoundsException.class, () -> x.putDouble(new long[] {-1}, 1.0), t.toString());
            }
        }
    }
}
