package org.cymem4j.cli;

import java.io.PrintStream;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.Pools;
import org.cymem4j.examples.ArrayOperations;
import org.cymem4j.examples.ArraysAndBuffers;
import org.cymem4j.examples.CustomAllocators;
import org.cymem4j.examples.ManualAllocation;
import org.cymem4j.examples.MatrixArray;
import org.cymem4j.examples.MemoryViewLayouts;
import org.cymem4j.examples.MemoryViewSources;
import org.cymem4j.examples.MemoryViews;
import org.cymem4j.examples.PointersAndManualFree;
import org.cymem4j.examples.PoolOverview;
import org.cymem4j.examples.RandomNoise;
import org.cymem4j.examples.SomeMemory;

/**
 * {@code tour}: walks through the library, section by section, printing what each step does and shows. Every
 * section is a short program a user could copy; the tour fails loudly if any result is not what it says.
 */
final class Tour {
    private Tour() {
    }

    static void run(PrintStream out, String[] args) {
        out.println("cymem4j tour: Java code owning C memory, with cymem's Pool and Cython's memoryviews");
        out.println();
        pools(out);
        section(out, "2. malloc, realloc, free by hand; PyMem_Malloc; the matching free (Cython docs, cheat sheet, blog)",
                () -> ManualAllocation.run(out));
        section(out, "3. random_noise: malloc, fill, copy out, free in finally (Cython docs)",
                () -> RandomNoise.run(out, 2024));
        section(out, "4. SomeMemory: memory tied to an object's lifetime, resize with realloc (Cython docs)",
                () -> SomeMemory.run(out));
        section(out, "5. An array of structs: MatrixArray with and without a pool, structs as DTypes, fields by name (cymem README)",
                () -> MatrixArray.run(out));
        section(out, "6. C arrays, pointers, double free and dangling pointers (cheat sheet)",
                () -> PointersAndManualFree.run(out));
        section(out, "7. Custom allocators: WrapMalloc/WrapFree, a library's private pair, the debug allocator (cymem README)",
                () -> CustomAllocators.run(out));
        section(out, "8. cpython.array: a typed, resizable C buffer (Cython array extensions)",
                () -> ArrayOperations.run(out));
        section(out, "9. Typed memoryviews: indexing, None axes, strides, copies, attributes (Cython tutorial)",
                () -> MemoryViews.run(out));
        section(out, "10. Memoryview declarations and layouts: ::1, view.contiguous, copy(), copy_fortran() (Cython tutorial)",
                () -> MemoryViewLayouts.run(out));
        section(out, "11. What a memoryview views: a C array, cython.view.array, array.array; partial views, buf[-1, -2]",
                () -> MemoryViewSources.run(out));
        section(out, "12. C arrays as views, a memoryview over a Python-style bytearray, writing through a sub-view",
                () -> ArraysAndBuffers.run(out));
        out.println();
        out.println("tour complete; native blocks still allocated: " + Pools.liveBlocks());
        if (Pools.liveBlocks() != 0 || Pools.openCount() != 0) {
            throw new IllegalStateException("the tour leaked: " + Pools.openCount() + " pools open");
        }
    }

    private static void section(PrintStream out, String title, Runnable body) {
        out.println();
        out.println("== " + title + " ==");
        body.run();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("tour check failed: " + what);
        }
    }

    /** cymem's README: a Pool remembers the addresses it gives out and frees them all at once. */
    private static void pools(PrintStream out) {
        out.println("== 1. Pools (cymem's Pool) ==");
        PoolOverview.run(out);
        out.println("-- Java access, realloc, and the frees a pool refuses:");
        try (Pool mem = Pool.open()) {
            long data1 = mem.alloc(10, Integer.BYTES);
            mem.alloc(12, Float.BYTES);
            Block ints = mem.block(data1);
            for (int i = 0; i < 10; i++) {
                ints.putInt(i * 4L, i * i);
            }
            out.printf("ints[9] written from Java, read back: %d%n", ints.getInt(36));
            check(ints.getInt(36) == 81, "ints[9] == 81");
            long bigger = mem.realloc(data1, 20 * Integer.BYTES);
            out.printf("realloc to 20 ints keeps the contents: ints[9] = %d, ints[19] = %d%n",
                    mem.block(bigger).getInt(36), mem.block(bigger).getInt(76));
            out.printf("the pool holds %d blocks, %d bytes%n", mem.liveBlocks(), mem.liveBytes());
            try {
                mem.free(bigger + 4);
            } catch (IllegalArgumentException e) {
                out.println("freeing an interior address is refused: " + e.getMessage());
            }
            mem.free(bigger);
            try {
                mem.free(bigger);
            } catch (IllegalArgumentException e) {
                out.println("a double free is refused too: " + e.getMessage());
            }
        }
        out.println("closing the pool freed every remaining block in one native call");
    }
}
