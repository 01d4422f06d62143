package org.cymem4j.javacpp;

import org.bytedeco.javacpp.IntPointer;
import org.cymem4j.Pool;
import org.cymem4j.array.TypedArray;
import org.cymem4j.view.DType;

/**
 * Makes a view through {@code internal/Handles} before anything has loaded {@code MemoryView}: the system property
 * {@code first} says whether a typed array's {@code view()} or {@code PointerViews.of} goes first. Prints the element
 * read back.
 */
public final class ViewsFirstUseMain {
    private ViewsFirstUseMain() {
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            if ("typedArray".equals(System.getProperty("first"))) {
                TypedArray a = TypedArray.allocate(pool, org.cymem4j.view.DType.INT, 2);
                a.view().putInt(1, 7); // MemoryView is first named here, as a cast in TypedArray.view()
                System.out.println("typedArray " + a.view().getInt(1));
            } else {
                IntPointer p = new IntPointer(2);
                p.put(1, 9);
                System.out.println("pointer " + PointerViews.of(p, DType.INT, 2).getInt(1));
                p.deallocate();
            }
        }
    }
}
