package org.cymem4j.review;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.NativeArray;

/**
 * A struct with a field near {@code Long.MAX_VALUE}: its end wraps, so the builder used to accept it as a 4-byte
 * struct and {@code field("far").fill(7)} ran the C fill kernel 2^63 bytes away from the block (SIGSEGV). Prints
 * what the attempt threw, or what it did.
 */
public final class StructOffsetOverflowMain {
    private StructOffsetOverflowMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            DType s = DType.struct().addAt("far", Long.MAX_VALUE - 2, DType.INT).add("b", DType.INT).build();
            try (NativeArray a = NativeArray.allocate(pool, s, 100)) {
                a.view().field("far").fill(7); // 100 elements: above the C kernels' threshold
                System.out.println("filled");
            }
        } catch (RuntimeException e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
