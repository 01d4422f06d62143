package org.cymem4j.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Allocator;
import org.cymem4j.NativeMemory;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * The plain-Java model the harness checks the library against: every pool with its live blocks (the expected bytes
 * of each in a Java array), and every handle the library gave out with what it should see.
 */
final class Model {
    private Model() {
    }

    /** A pool as the model sees it: open or not, its live blocks by address, its budget. */
    static final class MPool {
        final int id;
        final Pool pool;
        final boolean shared;
        final String allocatorName;
        /** The failing allocator, whose failure counter says whether an allocation had to fail; else null. */
        final Allocator failing;
        /** Limit in bytes, or -1. */
        final long limit;
        final MPool parent;
        /** Private pool of an Address or a standalone TypedArray: not a target of pool operations. */
        final boolean standalone;
        final List<MPool> children = new ArrayList<>();
        final Map<Long, Mem> mems = new HashMap<>();
        final List<Mem> memList = new ArrayList<>();
        /** What closes a standalone pool (the Address or TypedArray), else null. */
        AutoCloseable resource;
        boolean open = true;
        long live;
        long reserved;

        MPool(int id, Pool pool, boolean shared, String allocatorName, Allocator failing, long limit, MPool parent,
                boolean standalone) {
            this.id = id;
            this.pool = pool;
            this.shared = shared;
            this.allocatorName = allocatorName;
            this.failing = failing;
            this.limit = limit;
            this.parent = parent;
            this.standalone = standalone;
        }

        /** Would a request for {@code bytes} more go over the limit (live + children's reservations)? */
        boolean overLimit(long bytes) {
            return limit >= 0 && live + reserved + bytes > limit;
        }

        long failedCalls() {
            return failing == null ? 0 : failing.failureCounts()[1];
        }

        Mem add(long address, long bytes, Role role) {
            Mem m = new Mem(this, address, new byte[Math.toIntExact(bytes)], role);
            Mem old = mems.put(address, m);
            if (old != null) {
                throw new AssertionError("model: two live blocks at " + Long.toHexString(address) + " in " + this);
            }
            memList.add(m);
            live += bytes;
            return m;
        }

        void remove(Mem m) {
            if (!m.alive) {
                throw new AssertionError("model: removing a dead block");
            }
            m.alive = false;
            mems.remove(m.address);
            memList.remove(m);
            live -= m.data.length;
        }

        /** Closing: every block dies, children first. */
        void markClosed() {
            if (!open) {
                return;
            }
            for (MPool c : children) {
                c.markClosed();
            }
            open = false;
            for (Mem m : memList) {
                m.alive = false;
            }
            mems.clear();
            memList.clear();
            live = 0;
            if (parent != null && parent.open) {
                parent.reserved -= limit;
            }
        }

        @Override
        public String toString() {
            return "P" + id + (standalone ? "(own" : shared ? "(shared" : "(confined") + " " + allocatorName
                    + (limit >= 0 ? " limit=" + limit : "") + (parent != null ? " child of P" + parent.id : "")
                    + (open ? "" : " CLOSED") + ")";
        }
    }

    /** What a block is used for: the handle kind that made it. */
    enum Role {
        PLAIN, NATIVE_ARRAY, TYPED_ARRAY, POINTER, VIEW_COPY
    }

    /** One block: its expected bytes while live. */
    static final class Mem {
        final MPool pool;
        final long address;
        final byte[] data;
        final Role role;
        boolean alive = true;

        Mem(MPool pool, long address, byte[] data, Role role) {
            this.pool = pool;
            this.address = address;
            this.data = data;
            this.role = role;
        }

        @Override
        public String toString() {
            return "0x" + Long.toHexString(address) + "[" + data.length + "B " + role + (alive ? "" : " DEAD") + " P"
                    + pool.id + "]";
        }
    }

    /** A handle the library gave out. */
    abstract static class H {
        final int id;

        H(int id) {
            this.id = id;
        }

        abstract boolean alive();

        abstract MPool pool();
    }

    /** A {@code Block} (from {@code pool.block}) or an {@code Address}. */
    static final class MemH extends H {
        final NativeMemory nm;
        final Mem mem;

        MemH(int id, NativeMemory nm, Mem mem) {
            super(id);
            this.nm = nm;
            this.mem = mem;
        }

        @Override
        boolean alive() {
            return mem.alive;
        }

        @Override
        MPool pool() {
            return mem.pool;
        }

        @Override
        public String toString() {
            return "h" + id + ":" + nm.getClass().getSimpleName() + mem;
        }
    }

    /** A pool-owned JavaCPP pointer ({@code allocInts}, {@code allocDoubles}). */
    static final class PtrH extends H {
        final Pointer p;
        final Mem mem;
        final boolean doubles;
        final long count;

        PtrH(int id, Pointer p, Mem mem, boolean doubles, long count) {
            super(id);
            this.p = p;
            this.mem = mem;
            this.doubles = doubles;
            this.count = count;
        }

        @Override
        boolean alive() {
            return mem.alive;
        }

        @Override
        MPool pool() {
            return mem.pool;
        }

        @Override
        public String toString() {
            return "h" + id + ":" + (doubles ? "DoublePointer" : "IntPointer") + mem;
        }
    }

    /** A NativeArray in a pool. */
    static final class NaH extends H {
        final NativeArray na;
        final Mem mem;
        final DType dtype;
        final long[] shape;
        final long[] strides;
        boolean closed;

        NaH(int id, NativeArray na, Mem mem, DType dtype, long[] shape, long[] strides) {
            super(id);
            this.na = na;
            this.mem = mem;
            this.dtype = dtype;
            this.shape = shape;
            this.strides = strides;
        }

        @Override
        boolean alive() {
            return !closed && mem.alive;
        }

        @Override
        MPool pool() {
            return mem.pool;
        }

        @Override
        public String toString() {
            return "h" + id + ":NativeArray" + dtype.typecode() + java.util.Arrays.toString(shape) + mem
                    + (closed ? " closed" : "");
        }
    }

    /** A TypedArray, in a pool or standalone (its own private pool). */
    static final class TaH extends H {
        final TypedArray ta;
        final MPool pool;
        final char typecode;
        final int width;
        Mem mem;
        long length;
        long capacity;
        int generation;
        boolean closed;
        /** The block was freed under the array through pool.free: every access but close() throws. */
        boolean blockFreed;

        TaH(int id, TypedArray ta, MPool pool, char typecode, Mem mem, long length) {
            super(id);
            this.ta = ta;
            this.pool = pool;
            this.typecode = typecode;
            this.width = DType.fromTypecode(typecode).itemsize();
            this.mem = mem;
            this.length = length;
            this.capacity = length;
        }

        @Override
        boolean alive() {
            return !closed && pool.open && mem.alive;
        }

        @Override
        MPool pool() {
            return pool;
        }

        @Override
        public String toString() {
            return "h" + id + ":TypedArray('" + typecode + "') len=" + length + " cap=" + capacity + " gen="
                    + generation + " " + mem + (closed ? " closed" : "");
        }
    }

    /** A MemoryView: where its elements are in its block's model bytes. */
    static final class ViewH extends H {
        final MemoryView v;
        final Mem mem;
        final DType dtype;
        final long base;
        final long[] shape;
        final long[] strides;
        /** The owner whose own liveness also counts (a closed NativeArray, a resized TypedArray), or null. */
        final NaH na;
        final TaH ta;
        final int taGeneration;
        final String origin;

        ViewH(int id, MemoryView v, Mem mem, DType dtype, long base, long[] shape, long[] strides, NaH na, TaH ta,
                String origin) {
            this(id, v, mem, dtype, base, shape, strides, na, ta, ta == null ? 0 : ta.generation, origin);
        }

        /** A view derived from another: it keeps the TypedArray generation its root view was made at. */
        ViewH(int id, MemoryView v, Mem mem, DType dtype, long base, long[] shape, long[] strides, NaH na, TaH ta,
                int taGeneration, String origin) {
            super(id);
            this.v = v;
            this.mem = mem;
            this.dtype = dtype;
            this.base = base;
            this.shape = shape;
            this.strides = strides;
            this.na = na;
            this.ta = ta;
            this.taGeneration = taGeneration;
            this.origin = origin;
        }

        @Override
        boolean alive() {
            return mem.alive && (na == null || !na.closed)
                    && (ta == null || (!ta.closed && ta.pool.open && ta.generation == taGeneration));
        }

        @Override
        MPool pool() {
            return mem.pool;
        }

        long size() {
            long s = 1;
            for (long n : shape) {
                s *= n;
            }
            return s;
        }

        /** Byte offset in the block of the element at C-order position {@code flat}. */
        long offsetOfFlat(long flat) {
            long off = base;
            for (int k = shape.length - 1; k >= 0; k--) {
                long i = flat % shape[k];
                flat /= shape[k];
                off += i * strides[k];
            }
            return off;
        }

        @Override
        public String toString() {
            return "h" + id + ":View(" + origin + ") " + dtype.typecode() + java.util.Arrays.toString(shape)
                    + " strides=" + java.util.Arrays.toString(strides) + " base=" + base + " " + mem;
        }
    }
}
