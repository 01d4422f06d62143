package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.cymem4j.Pool;
import org.cymem4j.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against NumPy: random base arrays (dtype, shape up to 5-d, C or Fortran order, maybe transposed)
 * and random basic-index expressions (integers, negative and out of range, slices with negative steps and
 * out-of-range bounds, {@code ...}, {@code None}) are applied here and by {@code python3} with NumPy in one batch
 * ({@code tests/python/views_diff.py}); shape, strides, errors and values are compared, the values through
 * {@code .npy} files in both directions (NumPy loads what {@link Npy#write} wrote; {@link Npy#read} loads what
 * {@code np.save} wrote).
 *
 * <p>Seeded: the seed is printed with every failure and can be set with {@code -Dcymem4j.diff.seed=N}; the number
 * of cases with {@code -Dcymem4j.diff.cases=N}. Needs python3 with NumPy: without them the test fails (it does not
 * skip), saying what to install.
 */
class NumpyDifferentialTest {
    private static final String TYPECODES = "bBhHiIlLqQfd";

    @TempDir
    Path dir;

    private static final class Case {
        final int id;
        final DType dtype;
        final Order order;
        final long[] shape;
        final boolean transpose;
        final String expr;
        String javaOutcome; // "ok shape strides" or "error Type: message"

        Case(int id, DType dtype, Order order, long[] shape, boolean transpose, String expr) {
            this.id = id;
            this.dtype = dtype;
            this.order = order;
            this.shape = shape;
            this.transpose = transpose;
            this.expr = expr;
        }

        String line() {
            return id + ";" + dtype.typecode() + ";" + (order == Order.C ? "C" : "F") + ";"
                    + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",")) + ";"
                    + (transpose ? 1 : 0) + ";" + expr;
        }
    }

    @Test
    void shouldAgreeWithNumpyOnShapesStridesErrorsAndValues() throws Exception {
        long seed = Long.getLong("cymem4j.diff.seed", System.nanoTime() & 0xFFFFFF);
        int count = Integer.getInteger("cymem4j.diff.cases", 3000);
        String tag = "[seed " + seed + ", -Dcymem4j.diff.seed=" + seed + " reproduces] ";
        Random rnd = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            cases.add(randomCase(rnd, id));
        }
        Map<Integer, MemoryView> results = new HashMap<>();
        int errors = 0;
        try (Pool pool = Pool.open()) {
            for (Case c : cases) {
                MemoryView base = base(pool, c);
                try {
                    MemoryView r = base.slice(c.expr);
                    c.javaOutcome = "ok " + text(r.shape()) + " " + text(r.strides());
                    results.put(c.id, r);
                    Npy.write(r, dir.resolve("act_" + c.id + ".npy"));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    c.javaOutcome = "error " + e.getClass().getSimpleName() + ": " + e.getMessage();
                    errors++;
                }
            }
            Files.write(dir.resolve("cases.txt"), cases.stream().map(Case::line).collect(Collectors.toList()),
                    StandardCharsets.UTF_8);
            Python.run(tag, "views_diff.py", 5, dir.toString());

            Map<Integer, String> expected = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
                if (!line.isBlank()) {
                    int sp = line.indexOf(' ');
                    expected.put(Integer.parseInt(line.substring(0, sp)), line.substring(sp + 1));
                }
            }
            List<String> mismatches = new ArrayList<>();
            for (Case c : cases) {
                String want = expected.get(c.id);
                String where = "case " + c.id + " " + c.line() + ": ";
                if (want == null) {
                    mismatches.add(where + "numpy produced no result");
                } else if (want.startsWith("error")) {
                    if (!c.javaOutcome.startsWith("error")) {
                        mismatches.add(where + "numpy raised " + want.substring(6) + " but Java gave " + c.javaOutcome);
                    }
                } else if (!want.equals(c.javaOutcome)) {
                    mismatches.add(where + "numpy gave " + want + " but Java " + c.javaOutcome);
                } else {
                    NativeArray exp = Npy.read(pool, dir.resolve("exp_" + c.id + ".npy"));
                    MemoryView mine = results.get(c.id);
                    if (exp.dtype().nativeCode() != c.dtype.nativeCode() || !exp.view().contentEquals(mine)) {
                        mismatches.add(where + "values differ: numpy " + Arrays.toString(exp.view().toDoubleArray())
                                + " Java " + Arrays.toString(mine.toDoubleArray()));
                    }
                    exp.close();
                }
            }
            mismatches.addAll(Files.readAllLines(dir.resolve("java_npy_mismatches.txt")).stream()
                    .filter(s -> !s.isBlank()).map(s -> "numpy loading Java's .npy: " + s).collect(Collectors.toList()));
            if (!mismatches.isEmpty()) {
                fail(tag + mismatches.size() + " of " + count + " cases disagree; first ones:\n  "
                        + String.join("\n  ", mismatches.subList(0, Math.min(15, mismatches.size()))));
            }
        }
        // the generator must exercise both outcomes, or the comparison proves little
        assertTrue(errors > count / 50, tag + "only " + errors + " error cases");
        assertTrue(errors < count / 2, tag + errors + " error cases of " + count);
    }

    private static String text(long[] values) {
        return values.length == 0 ? "-" : Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /** The base array as views_diff.py builds it: memory holds 7k+3 (cast) in the case's order. */
    private static MemoryView base(Pool pool, Case c) {
        NativeArray a = NativeArray.allocate(pool, c.dtype, c.order, c.shape);
        MemoryView v = a.view();
        MemoryView memoryOrder = c.order == Order.C ? v : v.T();
        long n = v.size();
        long[] values = new long[(int) n];
        for (int k = 0; k < n; k++) {
            values[k] = 7L * k + 3;
        }
        MemoryView src = v.ndim() == 0 ? NativeArray.copyOf(pool, values).view().slice("0") // a 0-d view
                : NativeArray.copyOf(pool, values, memoryOrder.shape()).view();
        memoryOrder.castFrom(src);
        return c.transpose ? v.T() : v;
    }


    private static Case randomCase(Random rnd, int id) {
        DType dtype = DType.fromTypecode(TYPECODES.charAt(rnd.nextInt(TYPECODES.length())));
        int ndim = new int[] {0, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5}[rnd.nextInt(12)];
        long[] shape = new long[ndim];
        for (int k = 0; k < ndim; k++) {
            shape[k] = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(5);
        }
        boolean transpose = rnd.nextInt(4) == 0;
        long[] visible = shape.clone();
        if (transpose) {
            for (int k = 0; k < ndim; k++) {
                visible[k] = shape[ndim - 1 - k];
            }
        }
        return new Case(id, dtype, rnd.nextBoolean() ? Order.C : Order.FORTRAN, shape, transpose, randomExpr(rnd, visible));
    }

    private static String randomExpr(Random rnd, long[] shape) {
        int ndim = shape.length;
        List<String> items = new ArrayList<>();
        int axis = 0;
        boolean ellipsis = false;
        int n = 1 + rnd.nextInt(ndim + 2);
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(100);
            long len = axis < ndim ? shape[axis] : 3;
            if (pick < 10) {
                items.add("None");
            } else if (pick < 20 && (!ellipsis || rnd.nextInt(20) == 0)) {
                items.add("...");
                ellipsis = true;
            } else if (pick < 45) {
                long v = rnd.nextInt(12) == 0 ? len + rnd.nextInt(3) : rnd.nextInt((int) Math.max(1, len));
                if (rnd.nextBoolean()) {
                    v = -v - (rnd.nextBoolean() ? 1 : 0);
                }
                items.add(Long.toString(v));
                axis++;
            } else {
                items.add(bound(rnd, len) + ":" + bound(rnd, len)
                        + (rnd.nextBoolean() ? "" : ":" + new String[] {"", "1", "2", "3", "-1", "-2", "-3", "None"}[rnd.nextInt(8)]));
                axis++;
            }
        }
        String expr = String.join(rnd.nextInt(5) == 0 ? "," : ", ", items);
        return rnd.nextInt(15) == 0 && items.size() == 1 ? expr + "," : expr;
    }

    private static String bound(Random rnd, long len) {
        int pick = rnd.nextInt(10);
        if (pick < 3) {
            return "";
        }
        if (pick == 3) {
            return "None";
        }
        long span = len + 3;
        return Long.toString(rnd.nextLong() % span);
    }
}
