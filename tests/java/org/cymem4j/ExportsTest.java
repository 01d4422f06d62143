package org.cymem4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;

import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.cymem4j.view.Order;
import org.junit.jupiter.api.Test;

/**
 * Zero-copy ByteBuffer exports of a Block, an Address, a contiguous MemoryView and a TypedArray (issue 19), on every
 * JDK: the unchecked buffer everywhere, and the checked one, which is the buffer of a MemorySegment on JDK 22+ and
 * refused with a message naming JDK 22 before that. The segment exports and their races are in tests/java22.
 */
class ExportsTest {
    private static final boolean JDK22 = Runtime.version().feature() >= 22;

    /** Exactly the handle's bytes, native order, position 0, and the same memory both ways. */
    private static void assertExactWindow(ByteBuffer bb, long bytes, Supplier<Long> readLongAt0) {
        assertEquals(bytes, bb.capacity());
        assertEquals(bytes, bb.limit());
        assertEquals(0, bb.position());
        assertEquals(ByteOrder.nativeOrder(), bb.order());
        assertTrue(bb.isDirect());
        assertFalse(bb.isReadOnly());
        bb.putLong(0, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, readLongAt0.get());
    }

    @Test
    void shouldExportABlockAsAnUncheckedBufferOfExactlyItsBytes() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(3, Long.BYTES);
            Block b = pool.block(p);
            ByteBuffer bb = b.asByteBufferUnchecked();
            assertExactWindow(bb, 24, () -> b.getLong(0));
            b.putLong(16, -7);
            assertEquals(-7, bb.getLong(16));
            assertThrows(IndexOutOfBoundsException.class, () -> bb.getLong(17));
        }
    }

    @Test
    void shouldExportAnAddressAndAnEmptyBlock() {
        try (Address a = new Address(2, Long.BYTES)) {
            assertExactWindow(a.asByteBufferUnchecked(), 16, () -> a.getLong(0));
        }
        try (Pool pool = Pool.open()) {
            assertEquals(0, pool.block(pool.alloc(0, 8)).asByteBufferUnchecked().capacity());
        }
    }

    @Test
    void shouldRefuseAnUncheckedBufferOfMemoryAlreadyGone() {
        Pool pool = Pool.open();
        long p = pool.alloc(4, 4);
        Block b = pool.block(p);
        pool.free(p);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::asByteBufferUnchecked);
        assertTrue(e.getMessage().contains("was freed"), e.getMessage());
        Block live = pool.block(pool.alloc(4, 4));
        pool.close();
        assertThrows(IllegalStateException.class, live::asByteBufferUnchecked);
        Address a = new Address(1, 8);
        a.close();
        assertThrows(IllegalStateException.class, a::asByteBufferUnchecked);
    }

    @Test
    void shouldExportContiguousViewsAndRefuseOthers() {
        try (Pool pool = Pool.open()) {
            NativeArray arr = NativeArray.allocate(pool, DType.INT, 3, 4);
            MemoryView v = arr.view();
            ByteBuffer c = v.asByteBufferUnchecked();
            assertEquals(48, c.capacity());
            c.putInt(4 * 5, 99);                              // element (1, 1) in C order
            assertEquals(99, v.getInt(1, 1));
            ByteBuffer f = v.T().asByteBufferUnchecked();     // Fortran-contiguous: the same bytes
            assertEquals(48, f.capacity());
            assertEquals(99, f.getInt(4 * 5));
            ByteBuffer row = v.slice("2").asByteBufferUnchecked(); // one row: offset 32, 16 bytes, position 0
            assertEquals(16, row.capacity());
            assertEquals(0, row.position());
            row.putInt(0, 7);
            assertEquals(7, v.getInt(2, 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.slice(":, ::2").asByteBufferUnchecked());
            assertTrue(e.getMessage().contains("only a contiguous view") && e.getMessage().contains("[3, 2]"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.slice(":, ::2").asByteBuffer());
            NativeArray ind = NativeArray.allocateIndirect(pool, DType.INT, 2, 2);
            assertThrows(IllegalArgumentException.class, () -> ind.view().asByteBufferUnchecked());
            arr.close();
            assertThrows(IllegalStateException.class, v::asByteBufferUnchecked);
        }
    }

    @Test
    void shouldExportATypedArrayAsItsElementsAndRefuseOnceClosed() {
        TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
        ByteBuffer bb = a.asByteBufferUnchecked();
        assertEquals(12, bb.capacity());
        assertEquals(ByteOrder.nativeOrder(), bb.order());
        assertEquals(3, bb.getInt(8));
        bb.putInt(0, 10);
        assertEquals(10, a.getLong(0));
        a.close();
        assertThrows(IllegalStateException.class, a::asByteBufferUnchecked);
        assertThrows(IllegalStateException.class, a::asByteBuffer);
    }

    @Test
    void shouldGiveACheckedBufferOnlyOnJdk22AndName22Before() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(2, 8);
            Block b = pool.block(p);
            TypedArray t = TypedArray.allocate(pool, DType.DOUBLE, 2);
            MemoryView v = NativeArray.allocate(pool, DType.DOUBLE, Order.C, 2).view();
            if (!JDK22) {
                for (Runnable export : new Runnable[] {b::asByteBuffer, t::asByteBuffer, v::asByteBuffer}) {
                    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                            export::run);
                    assertTrue(e.getMessage().contains("JDK 22") && e.getMessage().contains("asByteBufferUnchecked"),
                            e.getMessage());
                }
                return;
            }
            ByteBuffer bb = b.asByteBuffer();
            assertExactWindow(bb, 16, () -> b.getLong(0));
            assertEquals(16, t.asByteBuffer().capacity());
            assertEquals(ByteOrder.nativeOrder(), v.asByteBuffer().order());
            pool.free(p);
            assertThrows(IllegalStateException.class, () -> bb.getLong(0)); // the JVM's own check
            assertThrows(IllegalStateException.class, b::asByteBuffer);
        }
    }

    @Test
    void shouldViewADirectBufferFromItsPositionToItsLimitAndRefuseAReadOnlyOne() {
        ByteBuffer data = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        data.position(4).limit(12);
        MemoryView v = MemoryView.of(data, DType.INT, 2);
        v.putInt(0, 5);
        assertEquals(5, data.getInt(4));
        assertThrows(IllegalArgumentException.class, () -> MemoryView.of(data, DType.INT, 3)); // past the limit
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryView.of(data.asReadOnlyBuffer(), DType.INT, 1));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        ByteBuffer again = v.asByteBufferUnchecked();       // the view's bytes: the buffer's [4, 12)
        assertEquals(8, again.capacity());
        assertEquals(5, again.getInt(0));
    }
}
