package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.cymem4j.Address;
import org.cymem4j.Block;
import org.cymem4j.NativeOutOfMemoryError;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.junit.jupiter.api.Test;

/**
 * Compiled and run only on JDK 22+: Segments.asSegment of a Block, an Address, a contiguous view and a typed array's
 * view, and the checked asByteBuffer() built on it (issue 19). Each export ends, with the JVM's own
 * IllegalStateException, when its memory is freed, reallocated, closed or (a typed array) resized.
 */
class SegmentExportsTest {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    @Test
    void shouldExportABlockUntilItIsFreed() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(4, Long.BYTES);
            Block b = pool.block(p);
            MemorySegment s = Segments.asSegment(b);
            assertEquals(32, s.byteSize());
            assertEquals(p, s.address());
            s.setAtIndex(LONG, 3, 42L);
            assertEquals(42L, b.getLong(24));
            ByteBuffer bb = b.asByteBuffer();
            assertTrue(s.scope().isAlive());
            pool.free(p);
            assertFalse(s.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> s.get(LONG, 0));
            assertThrows(IllegalStateException.class, () -> bb.getLong(0));
            assertThrows(IllegalStateException.class, () -> Segments.asSegment(b));
        }
    }

    @Test
    void shouldEndABlocksExportsWhenItIsReallocatedAndAllowNewOnes() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(4, Long.BYTES);
            MemorySegment s = Segments.asSegment(pool.block(p));
            s.set(LONG, 0, 7L);
            long q = pool.realloc(p, 64);
            assertThrows(IllegalStateException.class, () -> s.get(LONG, 0));
            MemorySegment t = Segments.asSegment(pool.block(q));
            assertEquals(64, t.byteSize());
            assertEquals(7L, t.get(LONG, 0));
        }
    }

    @Test
    void shouldLetAFailedReallocEndExportsButKeepTheBlockExportable() {
        try (Pool pool = Pool.builder().limit(1024).open()) {
            long p = pool.alloc(16, 1);
            MemorySegment s = Segments.asSegment(pool.block(p));
            assertThrows(NativeOutOfMemoryError.class, () -> pool.realloc(p, 4096));
            assertThrows(IllegalStateException.class, () -> s.get(LONG, 0)); // ended before the realloc was tried
            MemorySegment again = Segments.asSegment(pool.block(p));
            again.set(LONG, 8, 5L);
            assertEquals(5L, pool.block(p).getLong(8));
        }
    }

    @Test
    void shouldEndEveryExportWhenThePoolCloses() {
        Pool pool = Pool.openShared();
        MemorySegment a = Segments.asSegment(pool.block(pool.alloc(8, 8)));
        MemorySegment v = Segments.asSegment(NativeArray.allocate(pool, DType.INT, 2, 3).view());
        ByteBuffer t = TypedArray.allocate(pool, DType.SHORT, 5).asByteBuffer();
        assertEquals(24, v.byteSize());
        assertEquals(10, t.capacity());
        pool.close();
        assertThrows(IllegalStateException.class, () -> a.get(LONG, 0));
        assertThrows(IllegalStateException.class, () -> v.get(ValueLayout.JAVA_INT, 0));
        assertThrows(IllegalStateException.class, () -> t.getShort(0));
    }

    @Test
    void shouldEndAnAddressesExportsWhenItCloses() {
        Address a = new Address(2, 8);
        MemorySegment s = Segments.asSegment(a);
        ByteBuffer bb = MemoryView.of(a.asByteBuffer(), DType.LONG, 2).asByteBuffer(); // re-exported: still checked
        s.set(LONG, 8, 3L);
        assertEquals(3L, bb.getLong(8));
        a.close();
        assertThrows(IllegalStateException.class, () -> s.get(LONG, 0));
        assertThrows(IllegalStateException.class, () -> bb.getLong(0));
        assertThrows(IllegalStateException.class, () -> Segments.asSegment(a));
    }

    @Test
    void shouldEndATypedArraysExportWhenItChangesItsLengthOrBuffer() {
        try (Pool pool = Pool.open()) {
            TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
            MemorySegment s = Segments.asSegment(a.view());
            ByteBuffer bb = a.asByteBuffer();
            assertEquals(12, s.byteSize());
            assertEquals(3, s.getAtIndex(ValueLayout.JAVA_INT, 2));
            a.put(0, 9);                                 // same length: still valid
            assertEquals(9, bb.getInt(0));
            a.append(4);
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_INT, 0));
            assertThrows(IllegalStateException.class, () -> bb.getInt(0));
            MemorySegment fresh = Segments.asSegment(a.view());
            assertEquals(16, fresh.byteSize());
            a.pop();                                     // within capacity, no realloc: the window still ends
            assertThrows(IllegalStateException.class, () -> fresh.get(ValueLayout.JAVA_INT, 0));
            ByteBuffer last = a.asByteBuffer();
            a.close();
            assertThrows(IllegalStateException.class, () -> last.getInt(0));
            TypedArray inPool = TypedArray.allocate(pool, DType.INT, 2);
            MemorySegment p = Segments.asSegment(inPool.view());
            inPool.resize(100_000);                       // realloc of a pool block
            assertThrows(IllegalStateException.class, () -> p.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void shouldRefuseNonContiguousViewsAndKeepUserSegmentsScoped() {
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.allocate(pool, DType.DOUBLE, 4, 4).view();
            assertThrows(IllegalArgumentException.class, () -> Segments.asSegment(v.slice("::2, :")));
            MemorySegment col = Segments.asSegment(v.slice("1:3, :"));
            assertEquals(64, col.byteSize());
            assertEquals(v.slice("1:3, :").address(), col.address());
        }
        MemorySegment slice;
        MemoryView viewAfterClose;
        try (Arena arena = Arena.ofShared()) {
            MemoryView v = Segments.view(arena.allocate(64), DType.LONG, 8);
            slice = Segments.asSegment(v.slice("2:4"));
            assertEquals(16, slice.byteSize());
        }
        assertThrows(IllegalStateException.class, () -> slice.get(LONG, 0)); // the user's arena closed
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ro = arena.allocate(16).asReadOnly();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Segments.view(ro, DType.INT, 4));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Segments.view(arena.allocate(8), DType.INT, 3));
            ByteBuffer roBuffer = arena.allocate(8).asByteBuffer().asReadOnlyBuffer();
            assertThrows(IllegalArgumentException.class, () -> MemoryView.of(roBuffer, DType.INT, 2));
            MemoryView ofArenaBuffer = MemoryView.of(arena.allocate(8).asByteBuffer(), DType.INT, 2);
            ofArenaBuffer.putInt(1, 4);
            assertEquals(4, ofArenaBuffer.getInt(1));
            viewAfterClose = ofArenaBuffer;
        }
        MemoryView closed = viewAfterClose;
        assertThrows(IllegalStateException.class, () -> closed.getInt(0)); // the buffer's arena closed
    }

    @Test
    void shouldKeepCheckingAViewOfACheckedBuffer() {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(4, Long.BYTES);
            ByteBuffer bb = pool.block(p).asByteBuffer();
            MemoryView v = MemoryView.of(bb.position(8), DType.LONG, 3);   // from the buffer's position
            v.putLong(2, 9L);
            assertEquals(9L, pool.block(p).getLong(24));
            assertEquals(bb, v.base());
            pool.free(p);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.getLong(0));
            assertTrue(e.getMessage().contains("ByteBuffer"), e.getMessage());
        }
        ByteBuffer plain = ByteBuffer.allocateDirect(16);
        MemoryView w = MemoryView.of(plain, DType.INT, 4);                    // no arena: lives with the buffer
        w.putInt(3, 1);
        assertEquals(1, w.getInt(3));
    }

    @Test
    void shouldEndAWrappedArraysExportsBeforeItsCallbackAndRefuseForeignPointers() {
        org.bytedeco.javacpp.LongPointer mem = new org.bytedeco.javacpp.LongPointer(4);
        NativeArray wrapped = NativeArray.wrap(mem.address(), DType.LONG, Order.C, new long[] {4}, a -> { });
        MemorySegment s = Segments.asSegment(wrapped.view());
        s.setAtIndex(LONG, 3, 8L);
        assertEquals(8L, mem.get(3));
        wrapped.close();
        assertThrows(IllegalStateException.class, () -> s.get(LONG, 0));
        MemoryView ofPointer = org.cymem4j.javacpp.PointerViews.of(mem, DType.LONG, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Segments.asSegment(ofPointer));
        assertTrue(e.getMessage().contains("asByteBufferUnchecked"), e.getMessage());
        assertThrows(IllegalArgumentException.class, ofPointer::asByteBuffer);
        assertEquals(32, ofPointer.asByteBufferUnchecked().capacity());
        mem.deallocate();
    }

    @Test
    void shouldLetAnotherThreadReadAnExportOfAConfinedPool() throws Exception {
        try (Pool pool = Pool.open()) {
            long p = pool.alloc(1, 8);
            pool.block(p).putLong(0, 11);
            MemorySegment s = Segments.asSegment(pool.block(p));
            assertEquals(11L, CompletableFuture.supplyAsync(() -> s.get(LONG, 0)).get());
            CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> Segments.asSegment(pool.block(p)));
            Exception e = assertThrows(Exception.class, other::get); // making one is the owner's act
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        }
    }
}
