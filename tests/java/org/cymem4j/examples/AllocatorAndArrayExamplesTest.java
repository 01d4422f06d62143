package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.Test;

/** The custom-allocator and cpython.array seed examples, checked against what the seeds print. */
class AllocatorAndArrayExamplesTest {


    @Test
    void arrayExampleShouldPrintWhatTheSeedPrints() {
        List<String> all = Printed.lines(ArrayOperations::run);
        // import array; a = array.array('i', [1, 2, 3]); print(a[0]) prints 1
        assertEquals("1", all.get(0));
        List<String> lines = all.subList(1, all.size());
        // the seed's own output block: 1 / 这 / array('i', [1, 2, 3, 4, 5, 6])
        assertEquals(List.of("1", "这", "array('i', [1, 2, 3, 4, 5, 6])"), lines.subList(0, 3));
        assertEquals("after resize: array('i', [1, 2, 3])", lines.get(3));
        Matcher m = Pattern.compile("resize_smart 100 times: length 103, capacity (\\d+)").matcher(lines.get(4));
        assertTrue(m.matches(), lines.get(4));
        assertTrue(Long.parseLong(m.group(1)) >= 103);
        assertEquals("clone(c, 4, zero=True): array('i', [0, 0, 0, 0]); copy(c): array('i', [4, 5, 6])", lines.get(5));
        assertEquals("extend_buffer(copy, c.data, 2): array('i', [4, 5, 6, 4, 5])", lines.get(6));
        assertEquals("zero(copy): array('i', [0, 0, 0, 0, 0])", lines.get(7));
        assertEquals("in a pool: array('d', [0.0, 0.0, 2.5]), freed with the pool", lines.get(8));
        assertEquals(0, Pools.openCount());
    }

    @Test
    void customAllocatorExampleShouldAllocateThroughEachPair() {
        List<String> lines = Printed.lines(CustomAllocators::run);
        assertTrue(lines.get(0).startsWith("Pool(WrapMalloc(priv_malloc), WrapFree(priv_free)): 40 zeroed bytes"),
                lines.get(0));
        Matcher m = Pattern.compile("mi_malloc/mi_free pool: usable size of a 100-byte block is (\\d+) bytes, .*")
                .matcher(lines.get(1));
        assertTrue(m.matches(), lines.get(1));
        assertTrue(Long.parseLong(m.group(1)) >= 100);
        assertTrue(lines.get(2).startsWith("debug allocator: Pool#N free(0x...): write past the end of block 0x... "
                + "(8 bytes"), lines.get(2));
        assertTrue(lines.get(2).contains("the byte at offset 8 was changed; allocated at"), lines.get(2));
        assertEquals(0, Pools.openCount());
    }

    @Test
    void arraysAndBuffersExampleShouldPrintWhatTheSeedsPrint() {
        List<String> lines = Printed.lines(ArraysAndBuffers::run);
        // seed 004's printout of the int[2][2] loop, then the write-through, then "hello, World!"
        // int[5] and int[2][2]: 5 and 4 ints of 4 bytes
        assertEquals(List.of("int[5]: shape [5], 20 bytes; int[2][2]: shape [2, 2], 16 bytes", "1", "2", "3", "4",
                "my_array[1, 0] = 42 after sub_array[0] = 42", "hello, World!"), lines);
        assertEquals(0, Pools.openCount());
    }
}
