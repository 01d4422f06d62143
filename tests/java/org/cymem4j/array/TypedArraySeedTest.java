package org.cymem4j.array;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.cymem4j.view.DType;

/**
 * The {@code array} examples of seed 004 (the Cython tutorial), each reproducing the output the seed prints.
 */
class TypedArraySeedTest {

    /** {@code a = array.array('i', [1, 2, 3]); print(a[0])} prints {@code 1}. */
    @Test
    void shouldPrintFirstElementOfPythonArray() {
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3)) {
            assertEquals("1", String.valueOf(a.get(0)));
        }
    }

    /**
     * The {@code cpython.array} block: {@code print(a.data.as_ints[0])}, {@code print(b.data.as_pyunicodes[0])},
     * {@code array.extend(a, c); print(a)}, then {@code array.resize(a, len(a) - len(c))}.
     */
    @Test
    void shouldReproduceCythonArrayExtensionExample() {
        StringBuilder out = new StringBuilder();
        try (TypedArray a = TypedArray.copyOf(DType.INT, 1, 2, 3);
                TypedArray b = TypedArray.copyOf(DType.WCHAR, "这是啥");
                TypedArray c = TypedArray.copyOf(DType.INT, 4, 5, 6)) {
            out.append(a.view().getInt(0)).append('\n');
            out.append(b.getUnicode(0)).append('\n');
            a.extend(c);
            out.append(a).append('\n');
            a.resize(a.length() - c.length());

            assertEquals("1\n这\narray('i', [1, 2, 3, 4, 5, 6])\n", out.toString());
            assertEquals("array('i', [1, 2, 3])", a.toString());
            assertEquals(3, a.capacity()); // resize is exact
        }
    }

    /** {@code array.array('u', ["这","是","啥"])} built element by element, as the seed writes it. */
    @Test
    void shouldBuildUnicodeArrayFromSingleCharacters() {
        try (TypedArray b = TypedArray.allocate(DType.WCHAR, 0)) {
            for (String s : new String[] {"这", "是", "啥"}) {
                b.append(s.codePointAt(0));
            }
            assertEquals("array('u', '这是啥')", b.toString());
            assertEquals("这", b.getUnicode(0));
            assertEquals(4, b.itemsize());
        }
    }
}
