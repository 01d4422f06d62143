package org.cymem4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.cymem4j.Pools;
import org.cymem4j.testing.Printed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per manual-allocation snippet of seeds 000, 001, 003 and 004 that {@link ManualAllocation} ports, and
 * {@link PoolOverview} (seed 002's overview). The seeds print nothing for these; the expected sizes are the C ones
 * worked out by hand: {@code sizeof(int)} 4, {@code sizeof(float)} 4, {@code sizeof(double)} 8, and a
 * {@code struct MyClass { int id; double value; }} of 4 + 4 (padding) + 8 = 16 bytes.
 */
class ManualAllocationExampleTest {

    @AfterEach
    void nothingLeftOpen() {
        assertEquals(0, Pools.openCount());
    }

    /** Seed 000: {@code allocate_memory()} = {@code <MyClass*>malloc(sizeof(MyClass))}; {@code deallocate_memory(obj)}. */
    @Test
    void allocateMemoryAndDeallocateMemory() {
        assertEquals(List.of("allocate_memory(): 16 bytes for a MyClass; obj.id = 7, obj.value = 0.5",
                "deallocate_memory(obj): 0 blocks left"), Printed.lines(ManualAllocation::allocateAndFreeAStruct));
    }

    /** Seeds 001 and 004: {@code void* malloc(size_t)}, {@code void* realloc(void*, size_t)}, {@code void free(void*)}. */
    @Test
    void mallocReallocFreeSignatures() {
        assertEquals(List.of("malloc(16) then realloc(ptr, 32): 32 bytes, the first four ints kept: 1 2 3 4",
                "free(ptr): 0 blocks left"), Printed.lines(ManualAllocation::mallocReallocFree));
    }

    /** Seed 004: {@code data = malloc(sizeof(double) * 10)} ... {@code free(data)}, then with {@code PyMem_*}. */
    @Test
    void tenDoublesWithMallocAndWithPyMemMalloc() {
        assertEquals(List.of("malloc(sizeof(double) * 10): 80 bytes", "free(data): 0 blocks left",
                "PyMem_Malloc(sizeof(double) * 10): 80 bytes", "PyMem_Free(data): 0 blocks left"),
                Printed.lines(ManualAllocation::tenDoubles));
    }

    /** Seed 003: {@code cdef int *my_int_ptr}, {@code <int*>malloc(sizeof(int))}, {@code PyMem_Malloc}, {@code free}, {@code cdef int x}. */
    @Test
    void cheatSheetPointerAllocationAndDeallocation() {
        assertEquals(List.of("cdef int *my_int_ptr: NULL",
                "my_ptr = <int*>malloc(sizeof(int)): 4 bytes, my_ptr[0] = 42",
                "free(my_ptr); my_ptr = NULL: 0 blocks left, my_ptr is NULL",
                "free() of a PyMem_Malloc block refused: use the matching PyMem_Free",
                "PyMem_Free(my_ptr): 0 blocks left",
                "cdef int x: a Java local, x * x = 9, nothing to free"), Printed.lines(ManualAllocation::cheatSheet));
    }

    /** Seed 002: {@code mem = Pool()}; {@code data1 = mem.alloc(10, sizeof(int))}; {@code data2 = mem.alloc(12, sizeof(float))}. */
    @Test
    void poolOverviewAllocatesZeroedIntsAndFloats() {
        // 10 * 4 = 40 and 12 * 4 = 48 bytes, calloc'd (all zero); 9 * 9 = 81; 2 blocks, 88 bytes
        assertEquals(List.of("data1 = <int*>mem.alloc(10, sizeof(int)):     40 bytes, calloc'd: the ints sum to 0",
                "data2 = <float*>mem.alloc(12, sizeof(float)): 48 bytes, calloc'd: the floats sum to 0.0",
                "data1[9] = 81 after data1[i] = i * i",
                "the pool remembers 2 addresses, 88 bytes",
                "the pool expired: it freed both addresses, no free() written"), Printed.lines(PoolOverview::run));
    }
}
