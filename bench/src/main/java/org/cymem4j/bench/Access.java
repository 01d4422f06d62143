package org.cymem4j.bench;

import java.util.concurrent.TimeUnit;

import org.cymem4j.Address;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Element reads from Java: the sum of 10M doubles, and a 2-d walk of the same 2500 x 4000 row-major matrix in row
 * order and in column order. ms per pass. cymem4j's accessors ({@link Address}, a pool's {@link Block}) check
 * liveness and bounds on every read and never cross JNI, as do {@link MemoryView}'s {@code getDouble} and
 * {@link TypedArray}'s ({@code getDouble(i)} and its {@code view()}, which replaced the {@code asDoubles()} accessor);
 * the baselines are a {@code double[]} loop and a {@code MemorySegment} (confined arena)
 * loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
// Release 17, so it runs on JDK 17 too: the MemorySegment loops are ffm.Access (src/main/java22, JDK 22+).
public class Access {
    static final int ROWS = 2500;
    static final int COLS = 4000;
    static final int N = ROWS * COLS;

    private double[] array;
    private Address address;
    private Pool pool;
    private Block block;
    private TypedArray typed;
    private MemoryView typedDoubles;
    private Pool viewPool;
    private MemoryView view1d;
    private MemoryView view2d;

    @Setup
    public void fill() {
        array = new double[N];
        address = new Address(N, Double.BYTES);
        pool = Pool.open();
        block = pool.block(pool.alloc(N, Double.BYTES));
        for (int i = 0; i < N; i++) {
            double v = (i % 1000) * 0.5;
            array[i] = v;
        }
        address.copyFrom(0, array, 0, N);
        block.copyFrom(0, array, 0, N);
        viewPool = Pool.open();
        view1d = NativeArray.copyOf(viewPool, array).view();
        view2d = NativeArray.copyOf(viewPool, array, ROWS, COLS).view();
        typed = TypedArray.allocate(DType.DOUBLE, N);
        typedDoubles = typed.view();
        for (int i = 0; i < N; i++) {
            typedDoubles.putDouble(i, array[i]);
        }
    }

    @TearDown
    public void free() {
        address.close();
        pool.close();
        typed.close();
        viewPool.close();
    }

    // ---- sum of 10M doubles ----

    @Benchmark
    public double sumArray() {
        double[] a = array;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i];
        }
        return s;
    }

    @Benchmark
    public double sumAddress() {
        Address m = address;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getDouble(i << 3);
        }
        return s;
    }

    @Benchmark
    public double sumBlock() {
        Block m = block;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getDouble(i << 3);
        }
        return s;
    }

    @Benchmark
    public double sumTypedArrayGet() {
        TypedArray m = typed;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getDouble(i);
        }
        return s;
    }

    /** Named for the {@code asDoubles()} accessor it measured before issue 16, so runs compare side by side. */
    @Benchmark
    public double sumTypedArrayAsDoubles() {
        MemoryView m = typedDoubles;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getDouble(i);
        }
        return s;
    }

    @Benchmark
    public double sumView1d() {
        MemoryView m = view1d;
        double s = 0;
        for (long i = 0; i < N; i++) {
            s += m.getDouble(i);
        }
        return s;
    }

    // ---- 2-d walk, row order (unit stride) ----

    @Benchmark
    public double rowsArray() {
        double[] a = array;
        double s = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                s += a[i * COLS + j];
            }
        }
        return s;
    }

    @Benchmark
    public double rowsAddress() {
        Address m = address;
        double s = 0;
        for (long i = 0; i < ROWS; i++) {
            for (long j = 0; j < COLS; j++) {
                s += m.getDouble((i * COLS + j) << 3);
            }
        }
        return s;
    }

    @Benchmark
    public double rowsView2d() {
        MemoryView m = view2d;
        double s = 0;
        for (long i = 0; i < ROWS; i++) {
            for (long j = 0; j < COLS; j++) {
                s += m.getDouble(i, j);
            }
        }
        return s;
    }

    // ---- 2-d walk, column order (stride of one row) ----

    @Benchmark
    public double columnsArray() {
        double[] a = array;
        double s = 0;
        for (int j = 0; j < COLS; j++) {
            for (int i = 0; i < ROWS; i++) {
                s += a[i * COLS + j];
            }
        }
        return s;
    }

    @Benchmark
    public double columnsAddress() {
        Address m = address;
        double s = 0;
        for (long j = 0; j < COLS; j++) {
            for (long i = 0; i < ROWS; i++) {
                s += m.getDouble((i * COLS + j) << 3);
            }
        }
        return s;
    }

    /** The shape as data, as a view has it: the JIT cannot fold it into the loop as it folds ROWS and COLS. */
    private int runtimeRows = ROWS;
    private int runtimeCols = COLS;

    @Benchmark
    public double columnsArrayRuntimeShape() {
        double[] a = array;
        int rows = runtimeRows;
        int cols = runtimeCols;
        double s = 0;
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                s += a[i * cols + j];
            }
        }
        return s;
    }

    @Benchmark
    public double columnsView2d() {
        MemoryView m = view2d;
        double s = 0;
        for (long j = 0; j < COLS; j++) {
            for (long i = 0; i < ROWS; i++) {
                s += m.getDouble(i, j);
            }
        }
        return s;
    }
}
