package org.cymem4j.examples;

import java.io.PrintStream;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Allocator;
import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.javacpp.PoolPointers;

/**
 * Allocation and deallocation by hand, the snippets around them in four seeds:
 * <ul>
 * <li>seed 000, "Allocating Memory" / "Freeing Memory": {@code allocate_memory()} returns
 * {@code <MyClass*>malloc(sizeof(MyClass))}, {@code deallocate_memory(obj)} calls {@code free(obj)};</li>
 * <li>seeds 001 and 004, the signatures {@code void* malloc(size_t size)}, {@code void* realloc(void* ptr, size_t
 * size)}, {@code void free(void* ptr)};</li>
 * <li>seed 004, "手动内存管理": {@code data = malloc(sizeof(double) * 10)}, {@code if not data: raise MemoryError()},
 * {@code free(data)}, and the same with {@code PyMem_Malloc}/{@code PyMem_Free};</li>
 * <li>seed 003 (cheat sheet), sections 1 to 3: {@code cdef int *my_int_ptr}, {@code my_ptr = <int*>malloc(sizeof(int))},
 * {@code my_ptr = <int*>PyMem_Malloc(sizeof(int))}, {@code free(my_ptr)}, and {@code cdef int x} on the stack.</li>
 * </ul>
 * "malloc" here is a pool over {@link Allocator#system()} (the C library's malloc/free), freed block by block as
 * C code would; "the Python heap" ({@code PyMem_*}) is a pool over the process default allocator, which is tuned for
 * small blocks. Either way a block can only go back to the allocator that made it (the seeds' "matching free").
 */
public final class ManualAllocation {
    /** {@code struct MyClass { int id; double value; }}: 4 bytes, 4 of padding, 8. */
    static final int MYCLASS_ID = 0, MYCLASS_VALUE = 8, SIZEOF_MYCLASS = 16;

    private ManualAllocation() {
    }

    /** Seed 000: {@code cdef MyClass* obj = <MyClass*>malloc(sizeof(MyClass)); return obj}. */
    static long allocateMemory(Pool heap) {
        return heap.alloc(1, SIZEOF_MYCLASS);
    }

    /** Seed 000: {@code def deallocate_memory(obj): free(obj)}. */
    static void deallocateMemory(Pool heap, long obj) {
        heap.free(obj);
    }

    /** Seed 000: allocate a {@code MyClass}, use it, free it. */
    static void allocateAndFreeAStruct(PrintStream out) {
        try (Pool heap = Pool.open(Allocator.system())) {
            long obj = allocateMemory(heap);
            Block myClass = heap.block(obj);
            myClass.putInt(MYCLASS_ID, 7);
            myClass.putDouble(MYCLASS_VALUE, 0.5);
            out.println("allocate_memory(): " + heap.sizeOf(obj) + " bytes for a MyClass; obj.id = "
                    + myClass.getInt(MYCLASS_ID) + ", obj.value = " + myClass.getDouble(MYCLASS_VALUE));
            deallocateMemory(heap, obj);
            out.println("deallocate_memory(obj): " + heap.liveBlocks() + " blocks left");
        }
    }

    /** Seeds 001 and 004: what {@code malloc}, {@code realloc} and {@code free} do, each once. */
    static void mallocReallocFree(PrintStream out) {
        try (Pool heap = Pool.open(Allocator.system())) {
            long p = heap.alloc(1, 4 * Integer.BYTES);                  // void* malloc(size_t size)
            Block block = heap.block(p);
            for (int i = 0; i < 4; i++) {
                block.putInt((long) i * Integer.BYTES, i + 1);
            }
            long q = heap.realloc(p, 8 * Integer.BYTES);                 // void* realloc(void* ptr, size_t size)
            Block grown = heap.block(q);
            out.println("malloc(16) then realloc(ptr, 32): " + heap.sizeOf(q) + " bytes, the first four ints kept: "
                    + grown.getInt(0) + " " + grown.getInt(4) + " " + grown.getInt(8) + " " + grown.getInt(12));
            heap.free(q);                                                // void free(void* ptr)
            out.println("free(ptr): " + heap.liveBlocks() + " blocks left");
        }
    }

    /** Seed 004: {@code data = malloc(sizeof(double) * 10)}; {@code if not data: raise MemoryError()}; {@code free(data)}. */
    static void tenDoubles(PrintStream out) {
        try (Pool heap = Pool.open(Allocator.system())) {
            // alloc never returns NULL: it throws NativeOutOfMemoryError, Java's MemoryError, itself
            long data = heap.alloc(10, Double.BYTES);
            out.println("malloc(sizeof(double) * 10): " + heap.sizeOf(data) + " bytes");
            heap.free(data);
            out.println("free(data): " + heap.liveBlocks() + " blocks left");
        }
        try (Pool pyHeap = Pool.open()) {
            long data = pyHeap.alloc(10, Double.BYTES);                 // PyMem_Malloc(sizeof(double) * 10)
            out.println("PyMem_Malloc(sizeof(double) * 10): " + pyHeap.sizeOf(data) + " bytes");
            pyHeap.free(data);                                           // PyMem_Free(data)
            out.println("PyMem_Free(data): " + pyHeap.liveBlocks() + " blocks left");
        }
    }

    /** Seed 003, sections 1 to 3: a pointer to one int, from malloc and from PyMem_Malloc, freed and set to NULL. */
    static void cheatSheet(PrintStream out) {
        IntPointer myIntPtr = null;                                      // cdef int *my_int_ptr
        out.println("cdef int *my_int_ptr: " + (myIntPtr == null ? "NULL" : "set"));
        try (Pool heap = Pool.open(Allocator.system()); Pool pyHeap = Pool.open()) {
            IntPointer myPtr = PoolPointers.allocInts(heap, 1);          // my_ptr = <int*>malloc(sizeof(int))
            myPtr.put(0, 42);
            out.println("my_ptr = <int*>malloc(sizeof(int)): " + heap.sizeOf(myPtr.address()) + " bytes, my_ptr[0] = "
                    + myPtr.get(0));
            heap.free(myPtr.address());                                  // free(my_ptr)
            myPtr = null;                                                // no dangling pointer left behind
            out.println("free(my_ptr); my_ptr = NULL: " + heap.liveBlocks() + " blocks left, my_ptr is "
                    + (myPtr == null ? "NULL" : "set"));

            IntPointer pyPtr = PoolPointers.allocInts(pyHeap, 1);        // my_ptr = <int*>PyMem_Malloc(sizeof(int))
            try {
                heap.free(pyPtr.address());                              // free() on PyMem_Malloc memory: refused
            } catch (IllegalArgumentException e) {
                out.println("free() of a PyMem_Malloc block refused: use the matching PyMem_Free");
            }
            pyHeap.free(pyPtr.address());                                // PyMem_Free(my_ptr)
            out.println("PyMem_Free(my_ptr): " + pyHeap.liveBlocks() + " blocks left");
        }
        int x = 3;                                                       // cdef int x: on the stack, nothing to free
        out.println("cdef int x: a Java local, x * x = " + x * x + ", nothing to free");
    }

    public static void run(PrintStream out) {
        allocateAndFreeAStruct(out);
        mallocReallocFree(out);
        tenDoubles(out);
        cheatSheet(out);
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
