package org.cymem4j.examples;

import java.io.PrintStream;

import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;

/**
 * Seed 004, the {@code array} sections: Python's {@code array.array} as Cython extends it with
 * {@code cpython.array} (a C buffer behind {@code data.as_*}, and the C-level {@code resize}, {@code resize_smart},
 * {@code clone}, {@code copy}, {@code extend_buffer}, {@code extend}, {@code zero}). The first lines print what the
 * seed prints: {@code 1} for Python's {@code print(a[0])}, then the {@code cpython.array} block's {@code 1}, {@code 这},
 * {@code array('i', [1, 2, 3, 4, 5, 6])}.
 */
public final class ArrayOperations {
    private ArrayOperations() {
    }

    public static void run(PrintStream out) {
        // import array; a = array.array('i', [1, 2, 3]); print(a[0])
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            out.println(a.get(0));
        }
        // the cpython.array block: a, b, c declared as array.array
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
                TypedArray b = TypedArray.copyOf(DType.WCHAR, "这是啥");
                TypedArray c = TypedArray.copyOf(DType.INT, 4, 5, 6)) {
            out.println(a.view().getInt(0));       // print(a.data.as_ints[0])
            out.println(b.getUnicode(0));          // print(b.data.as_pyunicodes[0])
            a.extend(c);                           // array.extend(a, c)
            out.println(a);                        // print(a)
            a.resize(a.length() - c.length());     // array.resize(a, len(a) - len(c))
            out.println("after resize: " + a);

            // resize_smart: amortised growth for many small appends
            for (int i = 0; i < 100; i++) {
                a.resizeSmart(a.length() + 1);
            }
            out.println("resize_smart 100 times: length " + a.length() + ", capacity " + a.capacity());

            // clone(template, length, zero), copy, extend_buffer (count in elements), zero
            try (TypedArray z = TypedArray.clone(c, 4, true); TypedArray copy = c.copy()) {
                out.println("clone(c, 4, zero=True): " + z + "; copy(c): " + copy);
                copy.extendBuffer(c.address(), 2);
                out.println("extend_buffer(copy, c.data, 2): " + copy);
                copy.zero();
                out.println("zero(copy): " + copy);
            }
        }
        // an array in a pool: the pool frees it
        try (Pool pool = Pool.open()) {
            TypedArray d = TypedArray.allocate(pool, DType.DOUBLE, 3);
            d.putDouble(-1, 2.5);
            out.println("in a pool: " + d + ", freed with the pool");
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
