package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of {@code .npy} files with struct types against NumPy, both ways, byte for byte: seeded random
 * declarations (those of {@link StructDifferentialTest}: nesting, sub-arrays, byte strings, padding, mixed byte
 * orders, aligned and packed) each get a random shape, order and random bytes. Java writes each array with
 * {@code Npy}; {@code tests/python/npy_struct_diff.py} builds the same dtype from the declaration, saves the same
 * bytes with {@code np.save} and loads Java's file with {@code np.load}. Checked for each: Java's file is
 * byte-identical to NumPy's; {@code np.load} gives NumPy's dtype, shape, order and bytes; {@code Npy.read} of
 * NumPy's file gives the declared layout (size, every leaf's offset, kind, size and byte order), shape, order and
 * the bytes; writing that array again reproduces NumPy's file; and every tenth file mapped read-only holds the bytes.
 *
 * <p>{@code -Dcymem4j.npyStructs.seed=N} and {@code -Dcymem4j.npyStructs.count=N} (default 2,000) change the run.
 */
class NpyStructDifferentialTest {
    @TempDir
    Path dir;

    private record Case(StructDifferentialTest.Decl decl, long[] shape, boolean fortran, byte[] data) {
    }

    @Test
    void structFilesRoundTripBothWaysByteForByte() throws Exception {
        long seed = Long.getLong("cymem4j.npyStructs.seed", 20261207L);
        int count = Integer.getInteger("cymem4j.npyStructs.count", 2000);
        String tag = "[seed " + seed + ", -Dcymem4j.npyStructs.seed=" + seed + " reproduces] ";
        Random rnd = new Random(seed);
        List<Case> cases = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Pool pool = Pool.open()) {
            for (int id = 0; id < count; id++) {
                StructDifferentialTest.Decl decl = StructDifferentialTest.struct(rnd, 0);
                long[] shape = shape(rnd);
                boolean fortran = shape.length > 1 && rnd.nextBoolean();
                long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                byte[] data = new byte[(int) size * decl.type().itemsize()];
                rnd.nextBytes(data);
                NativeArray a = NativeArray.allocateAligned(pool, decl.type(), fortran ? Order.FORTRAN : Order.C, 1,
                        shape);
                if (data.length > 0) {
                    pool.block(a.address()).asByteBufferUnchecked().put(data);
                }
                Npy.write(a.view(), dir.resolve("java_" + id + ".npy"));
                a.close();
                cases.add(new Case(decl, shape, fortran, data));
                lines.append("{\"id\": ").append(id).append(", \"t\": ").append(decl.json()).append(", \"shape\": ")
                        .append(Arrays.toString(shape)).append(", \"fortran\": ").append(fortran ? 1 : 0)
                        .append(", \"at\": ").append(all.size()).append(", \"n\": ").append(data.length).append("}\n");
                all.write(data);
            }
            Files.writeString(dir.resolve("decls.jsonl"), lines);
            Files.write(dir.resolve("data.bin"), all.toByteArray());
            Python.run(tag, "npy_struct_diff.py", 5, dir.toString());
            List<String> results = Files.readAllLines(dir.resolve("results.txt"));
            assertEquals(count, results.size(), tag + "one result per declaration");
            List<String> mismatches = new ArrayList<>();
            for (String line : results) {
                String[] r = line.split("\\|", -1);
                assertEquals(3, r.length, tag + line);
                int id = Integer.parseInt(r[0]);
                Case c = cases.get(id);
                String what = "#" + id + " " + c.decl.type().format() + " shape " + Arrays.toString(c.shape)
                        + (c.fortran ? " F" : " C") + " (" + c.decl.json() + ")";
                check(mismatches, what, "Npy.write's file against np.save's", r[1], "ok");
                check(mismatches, what, "np.load of Npy.write's file", r[2], "ok");
                readBack(pool, id, c, what, mismatches);
            }
            if (!mismatches.isEmpty()) {
                fail(tag + mismatches.size() + " mismatches in " + count + " arrays; first ones:\n  "
                        + String.join("\n  ", mismatches.subList(0, Math.min(12, mismatches.size()))));
            }
            assertEquals(0, pool.liveBlocks(), "every array read was closed");
        }
    }

    /** Npy.read of NumPy's file: layout, shape, order and bytes; then written again, byte-identical to NumPy's file. */
    private void readBack(Pool pool, int id, Case c, String what, List<String> mismatches) throws Exception {
        Path numpys = dir.resolve("numpy_" + id + ".npy");
        try (NativeArray a = Npy.read(pool, numpys)) {
            check(mismatches, what, "layout read", layout(a.dtype()), layout(c.decl.type()));
            check(mismatches, what, "shape read", Arrays.toString(a.shape()), Arrays.toString(c.shape));
            boolean bothOrders = Arrays.stream(c.shape).filter(d -> d > 1).count() <= 1
                    || Arrays.stream(c.shape).anyMatch(d -> d == 0);
            if (!bothOrders) {
                check(mismatches, what, "order read", a.order().toString(), (c.fortran ? Order.FORTRAN : Order.C)
                        .toString());
            }
            if (!Arrays.equals(bytes(pool.block(a.address()), c.data.length), c.data)) {
                mismatches.add(what + ": Npy.read's bytes differ from the array's");
            }
            Path again = dir.resolve("again_" + id + ".npy");
            Npy.write(a.view(), again);
            if (!Arrays.equals(Files.readAllBytes(again), Files.readAllBytes(numpys))) {
                mismatches.add(what + ": Npy.write of Npy.read(np.save's file) differs from it");
            }
        }
        if (id % 10 == 0) {
            try (MappedArray m = Npy.map(numpys, FileChannel.MapMode.READ_ONLY)) {
                check(mismatches, what, "layout mapped", layout(m.dtype()), layout(c.decl.type()));
                if (!Arrays.equals(m.byteView().toByteArray(), c.data)) {
                    mismatches.add(what + ": the mapped bytes differ from the array's");
                }
            }
        }
    }

    private static byte[] bytes(Block block, int n) {
        byte[] out = new byte[n];
        if (n > 0) {
            ByteBuffer b = block.asByteBufferUnchecked();
            b.get(out);
        }
        return out;
    }

    private static long[] shape(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0: return new long[0];
            case 1: return new long[] {rnd.nextInt(2)};
            case 2: case 3: return new long[] {1 + rnd.nextInt(4)};
            case 4: return new long[] {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            default: return new long[] {rnd.nextInt(3), 2, 1 + rnd.nextInt(2)};
        }
    }

    private static void check(List<String> mismatches, String what, String property, String theirs, String ours) {
        if (!theirs.equals(ours)) {
            mismatches.add(what + ": " + property + " is " + theirs + ", expected " + ours);
        }
    }

    /**
     * The layout a file can carry, independently of how Npy spells it: the size, then every leaf field's path,
     * offset, kind, size, byte order and sub-array dimensions ({@code long} and {@code long long} are one type in
     * a file, so scalars are compared by kind and size, not identity).
     */
    static String layout(DType t) {
        StringBuilder out = new StringBuilder().append(t.itemsize()).append(':');
        leaves(t, "", 0, out);
        return out.toString();
    }

    private static void leaves(DType t, String prefix, long base, StringBuilder out) {
        if (t.kind() != DType.Kind.STRUCT) {
            out.append(prefix).append('=').append(base).append(' ').append(leaf(t)).append(',');
            return;
        }
        for (DType.Field f : t.fields()) {
            leaves(f.type(), prefix + "." + f.name(), base + f.offset(), out);
        }
    }

    private static String leaf(DType t) {
        if (t.kind() == DType.Kind.SUBARRAY) {
            return leaf(t.element()) + Arrays.toString(t.dims());
        }
        if (t.kind() == DType.Kind.STRUCT) {
            return layout(t);
        }
        return t.kind() + "/" + t.itemsize() + "/" + (t.itemsize() > 1 && t.isScalar() ? t.order() : "-");
    }
}
