package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MemoryView#reshape(long...)}, {@link MemoryView#view(DType)} and {@link MemoryView#field(String)} against
 * NumPy's {@code reshape(copy=False)}, {@code view(dtype)} and {@code a['name']} ({@code tests/python/reshape_diff.py}):
 * seeded random views (sliced, transposed, reversed, zero strides, empty and 0-d, scalar, byte-string and struct
 * elements at byte offsets in a block), random target shapes (with {@code -1}, wrong sizes, two {@code -1}), element
 * types (smaller, larger, sub-array) and field paths (random aligned and packed structs with nested structs,
 * sub-arrays of scalars and of structs, byte strings; dotted and field by field; unknown names). Shape, strides,
 * offset and error-or-not must match NumPy's for every case.
 *
 * <p>{@code -Dcymem4j.reshape.seed=N} and {@code -Dcymem4j.reshape.count=N} (default 3,000) change the run.
 */
class ReshapeDifferentialTest {
    private static final String[] SCALAR_CODES = {"b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "f", "d"};
    private static final String[] NUMPY_CODES = {"i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "i8", "u8", "f4", "f8"};

    @TempDir
    Path dir;

    /** One element type and NumPy's spelling of it (a JSON value). */
    private record Type(DType dtype, String numpy) {
    }

    private record Case(Type type, long base, long off, long[] shape, long[] strides, String op, long[] arg, Type to,
            List<String> path) {
        String json() {
            String operand = op.equals("reshape") ? ", \"arg\": " + Arrays.toString(arg)
                    : op.equals("view") ? ", \"to\": " + to.numpy
                    : ", \"path\": [" + path.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")) + "]";
            return "{\"dt\": " + type.numpy + ", \"base\": " + base + ", \"off\": " + off + ", \"shape\": "
                    + Arrays.toString(shape) + ", \"strides\": " + Arrays.toString(strides) + ", \"op\": \"" + op
                    + "\"" + operand + "}";
        }
    }

    @Test
    void reshapeAndViewAgreeWithNumpy() throws Exception {
        long seed = Long.getLong("cymem4j.reshape.seed", 20261207L);
        int count = Integer.getInteger("cymem4j.reshape.count", 3000);
        String tag = "[seed " + seed + ", -Dcymem4j.reshape.seed=" + seed + " reproduces] ";
        Random rnd = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cases.add(randomCase(rnd, i % 3 == 0 ? "reshape" : i % 3 == 1 ? "view" : "field"));
        }
        Files.writeString(dir.resolve("cases.jsonl"), cases.stream().map(Case::json).collect(Collectors.joining("\n")));
        Python.run(tag, "reshape_diff.py", 5, dir.toString());
        List<String> expected = Files.readAllLines(dir.resolve("results.txt"));
        assertEquals(count, expected.size(), tag + "one result per case");
        List<String> mismatches = new ArrayList<>();
        int errors = 0;
        try (Pool pool = Pool.open()) {
            for (int i = 0; i < count; i++) {
                Case c = cases.get(i);
                String actual = run(pool, c);
                errors += actual.startsWith("err") ? 1 : 0;
                String want = expected.get(i).startsWith("err") ? "err" : expected.get(i);
                if (!want.equals(actual)) {
                    mismatches.add("#" + i + " " + c.json() + ": NumPy " + expected.get(i) + ", here " + actual);
                }
            }
        }
        assertTrue(mismatches.isEmpty(), tag + mismatches.size() + " of " + count + " differ:\n"
                + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        assertTrue(errors > count / 10 && errors < count * 9 / 10, tag + "errors and successes both tested: " + errors);
    }

    private static String run(Pool pool, Case c) {
        long p = pool.alloc(Math.max(1, c.base), 1);
        try {
            Block block = pool.block(p);
            MemoryView v = MemoryView.of(block, c.off, c.type.dtype, c.shape, c.strides);
            MemoryView r;
            try {
                if (c.op.equals("field")) {
                    r = v;
                    if (c.path.hashCode() % 2 == 0) { // the dotted form (through sub-arrays too), else field by field
                        r = r.field(String.join(".", c.path));
                    } else {
                        for (String name : c.path) {
                            r = r.field(name);
                        }
                    }
                } else {
                    r = c.op.equals("reshape") ? v.reshape(c.arg) : v.view(c.to.dtype);
                }
            } catch (IllegalArgumentException e) {
                return "err";
            }
            return "ok|" + join(r.shape()) + "|" + join(r.strides()) + "|" + (r.address() - block.address());
        } finally {
            pool.free(p);
        }
    }

    private static String join(long[] a) {
        return Arrays.stream(a).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static Type randomType(Random rnd, boolean subArray) {
        int k = rnd.nextInt(subArray ? 16 : 15);
        if (k < 12) {
            return new Type(DType.fromTypecode(SCALAR_CODES[k].charAt(0)), "\"" + NUMPY_CODES[k] + "\"");
        }
        if (k == 12) {
            int n = 1 + rnd.nextInt(12);
            return new Type(DType.bytes(n), "\"S" + n + "\"");
        }
        if (k < 15) {
            int n = 1 + rnd.nextInt(24);
            return new Type(DType.struct().add("a", DType.UBYTE).itemsize(n).build(), "\"V" + n + "\"");
        }
        int e = rnd.nextInt(12);
        long[] dims = new long[1 + rnd.nextInt(2)];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = 1 + rnd.nextInt(3);
        }
        return new Type(DType.arrayOf(DType.fromTypecode(SCALAR_CODES[e].charAt(0)), dims),
                "[\"" + NUMPY_CODES[e] + "\", " + Arrays.toString(dims) + "]");
    }

    /** A random struct (nested structs, sub-arrays of scalars and of structs, byte strings; aligned or packed). */
    private static DType randomStruct(Random rnd, int depth, int[] names) {
        StructBuilder b = DType.struct();
        if (rnd.nextInt(4) == 0) {
            b.packed();
        }
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            int r = rnd.nextInt(10);
            DType t;
            if (r < 5 || depth >= 2) {
                t = DType.fromTypecode(SCALAR_CODES[rnd.nextInt(12)].charAt(0));
            } else if (r < 7) {
                t = randomStruct(rnd, depth + 1, names);
            } else if (r < 9) {
                DType e = rnd.nextBoolean() ? DType.fromTypecode(SCALAR_CODES[rnd.nextInt(12)].charAt(0))
                        : randomStruct(rnd, depth + 1, names);
                t = rnd.nextBoolean() ? DType.arrayOf(e, 1 + rnd.nextInt(3)) : DType.arrayOf(e, 2, 1 + rnd.nextInt(2));
            } else {
                t = DType.bytes(1 + rnd.nextInt(6));
            }
            b.add("f" + names[0]++, t);
        }
        return b.build();
    }

    /** A random path from {@code t} to one of its fields, through nested structs and sub-arrays of structs. */
    private static List<String> randomPath(Random rnd, DType t) {
        List<String> path = new ArrayList<>();
        for (;;) {
            DType.Field f = t.fields().get(rnd.nextInt(t.fields().size()));
            path.add(f.name());
            DType next = f.type().kind() == DType.Kind.SUBARRAY ? f.type().element() : f.type();
            if (next.kind() != DType.Kind.STRUCT || rnd.nextInt(3) == 0) {
                if (rnd.nextInt(20) == 0) {
                    path.add(rnd.nextBoolean() ? "nosuchfield" : "f0"); // mostly an error (a nested f0 may exist)
                }
                return path;
            }
            t = next;
        }
    }

    private static Case randomCase(Random rnd, String op) {
        DType struct = op.equals("field") ? randomStruct(rnd, 0, new int[1]) : null;
        Type type = struct != null ? new Type(struct, "{\"fmt\": \"" + struct.format() + "\"}") : randomType(rnd, false);
        long item = type.dtype.itemsize();
        int nd = rnd.nextInt(5);
        long[] shape = new long[nd];
        for (int k = 0; k < nd; k++) {
            int r = rnd.nextInt(10);
            shape[k] = r == 0 ? 0 : r < 3 ? 1 : 2 + rnd.nextInt(4);
        }
        // a sliced, permuted, partly reversed C-contiguous parent; sometimes a zero or arbitrary stride
        long[] steps = new long[nd];
        for (int k = 0; k < nd; k++) {
            steps[k] = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 1;
        }
        long[] parentStrides = new long[nd];
        long s = item;
        for (int k = nd - 1; k >= 0; k--) {
            parentStrides[k] = s * steps[k];
            s *= Math.max(1, shape[k]) * steps[k];
        }
        int[] perm = rnd.nextInt(3) == 0 ? shuffled(rnd, nd) : identity(nd);
        long[] strides = new long[nd];
        long[] permShape = new long[nd];
        for (int k = 0; k < nd; k++) {
            permShape[k] = shape[perm[k]];
            strides[k] = parentStrides[perm[k]] * (rnd.nextInt(6) == 0 ? -1 : 1);
            if (rnd.nextInt(15) == 0) {
                strides[k] = 0;
            } else if (rnd.nextInt(25) == 0) {
                strides[k] = rnd.nextInt(40) - 20;
            }
        }
        long lo = 0;
        long hi = 0;
        boolean empty = Arrays.stream(permShape).anyMatch(n -> n == 0);
        for (int k = 0; k < nd && !empty; k++) {
            long reach = (permShape[k] - 1) * strides[k];
            lo += Math.min(0, reach);
            hi += Math.max(0, reach);
        }
        long off = -lo + rnd.nextInt(3) * (rnd.nextBoolean() ? item : 1);
        long base = off + hi + item + rnd.nextInt(8);
        if (op.equals("reshape")) {
            return new Case(type, base, off, permShape, strides, op, targetShape(rnd, permShape), null, null);
        }
        if (op.equals("field")) {
            return new Case(type, base, off, permShape, strides, op, null, null, randomPath(rnd, struct));
        }
        return new Case(type, base, off, permShape, strides, op, null, randomType(rnd, true), null);
    }

    private static long[] targetShape(Random rnd, long[] shape) {
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Long> dims = new ArrayList<>();
        if (size == 0) {
            for (int k = rnd.nextInt(4); k >= 0; k--) {
                dims.add((long) rnd.nextInt(3));
            }
            dims.set(rnd.nextInt(dims.size()), 0L);
        } else {
            long left = size;
            for (long f = 2; f <= left; f++) {
                while (left % f == 0) {
                    dims.add(f);
                    left /= f;
                }
            }
            // merge random neighbours, sprinkle ones
            while (dims.size() > 1 && rnd.nextInt(3) == 0) {
                int i = rnd.nextInt(dims.size() - 1);
                dims.set(i, dims.get(i) * dims.remove(i + 1));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                if (rnd.nextInt(3) == 0) {
                    dims.add(rnd.nextInt(dims.size() + 1), 1L);
                }
            }
            if (rnd.nextInt(4) == 0) { // the old shape itself sometimes, to check the quick path
                dims.clear();
                Arrays.stream(shape).forEach(dims::add);
            }
        }
        long[] out = dims.stream().mapToLong(Long::longValue).toArray();
        int r = rnd.nextInt(12);
        if (out.length > 0 && r < 4) {
            out[rnd.nextInt(out.length)] = -1;
        } else if (out.length > 1 && r == 4) {
            out[0] = -1;
            out[1] = -1;
        } else if (out.length > 0 && r == 5) {
            out[rnd.nextInt(out.length)] += 1; // a wrong size
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int k = 0; k < n; k++) {
            p[k] = k;
        }
        return p;
    }

    private static int[] shuffled(Random rnd, int n) {
        int[] p = identity(n);
        for (int k = n - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = p[k];
            p[k] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ---- the messages ------------------------------------------------------------------------------------------

    @Test
    void shouldSayWhyAReshapeOrViewIsRefused() {
        try (Pool pool = Pool.open()) {
            MemoryView m = NativeArray.allocate(pool, DType.DOUBLE, 2, 6).view();
            assertArrayEquals(new long[] {32, 8}, m.reshape(3, 4).strides());
            assertArrayEquals(new long[] {16}, m.slice(":, ::2").reshape(6).strides());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.reshape(5, 2));
            assertEquals("cannot reshape a view of size 12 into shape [5, 2]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.reshape(-1, -1));
            assertEquals("cannot reshape into shape [-1, -1]: only one length may be -1 (inferred)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.reshape(-2, 6));
            assertEquals("shape[0] must be >= 0 or -1 (inferred) but was -2", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.T().reshape(12));
            assertEquals("cannot reshape a view of shape [6, 2] and strides [8, 48] into shape [12] without a copy"
                    + " (copy() it first)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.slice(":, ::2").view(DType.INT));
            assertTrue(e.getMessage().startsWith("the element type can change to one of another item size only if the"
                    + " last axis is contiguous (a view of float64 ('d'), 8 bytes, as int32 ('i'), 4 bytes;"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.slice("0, 0").view(DType.INT));
            assertTrue(e.getMessage().startsWith("the element type of a 0-d view can change only to one of the same"
                    + " item size"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.view(DType.bytes(5)));
            assertTrue(e.getMessage().startsWith("a smaller item size must divide the old one"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.view(DType.bytes(10)));
            assertTrue(e.getMessage().startsWith("a larger item size must divide the bytes of the last axis (48)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.view(DType.arrayOf(DType.INT, 4)));
            assertTrue(e.getMessage().startsWith("the element type can change to a sub-array type only of the same"),
                    e.getMessage());
            assertArrayEquals(new long[] {2, 6, 2}, m.view(DType.arrayOf(DType.FLOAT, 2)).shape());
            assertEquals(DType.FLOAT, m.view(DType.arrayOf(DType.FLOAT, 2)).dtype());
        }
    }

    @Test
    void shouldKeepAReadOnlyMappingReadOnly() throws Exception {
        Path file = dir.resolve("ints.npy");
        try (Pool pool = Pool.open()) {
            Npy.write(NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6}, 6).view(), file);
        }
        try (MappedArray m = Npy.map(file, java.nio.channels.FileChannel.MapMode.READ_ONLY)) {
            MemoryView r = m.view().reshape(2, 3);
            MemoryView bytes = m.view().view(DType.UBYTE);
            assertEquals(6, r.getInt(1, 2));
            assertEquals(4, java.nio.ByteBuffer.wrap(m.view().getRecord(3)).order(java.nio.ByteOrder.nativeOrder())
                    .getInt());
            assertTrue(r.isReadOnly() && bytes.isReadOnly());
            assertThrows(UnsupportedOperationException.class, () -> r.putInt(0, 0, 9));
            assertThrows(UnsupportedOperationException.class, () -> bytes.putByte(0, (byte) 9));
            assertThrows(UnsupportedOperationException.class, () -> m.view().putRecord(new long[] {0}, new byte[4]));
            assertEquals(1, m.view().getInt(0), "nothing written");
        }
    }

    @Test
    void shouldShareTheMemoryAndItsLifetime() {
        Pool pool = Pool.open();
        NativeArray a = NativeArray.copyOf(pool, new int[] {1, 2, 3, 4, 5, 6}, 6);
        MemoryView r = a.view().reshape(2, 3);
        MemoryView bytes = a.view().view(DType.UBYTE);
        r.putInt(1, 0, 40);
        assertEquals(40, a.view().getInt(3));
        assertEquals(40, bytes.getByte(12));
        a.close();
        assertThrows(IllegalStateException.class, () -> r.getInt(0, 0));
        assertThrows(IllegalStateException.class, () -> bytes.getByte(0));
        pool.close();
    }
}
