package com.example.consumer;

import org.cymem4j.Block;
import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/** Uses a pool, a block and a 2-d view, and says where it ran (class path or module path, which JDK). */
public final class Main {
    private Main() {
    }

    /**
     * Prints three lines; check.sh compares them.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Pool pool = Pool.open()) {
            long ints = pool.alloc(10, Integer.BYTES);
            Block block = pool.block(ints);
            block.putInt(36, 81);
            MemoryView m = NativeArray.allocate(pool, DType.DOUBLE, 2, 3).view();
            m.putDouble(1, 2, 4.5);
            System.out.println("ints[9] = " + block.getInt(36) + ", m[1, 2] = " + m.getDouble(1, 2) + ", "
                    + pool.liveBlocks() + " blocks");
        }
        Module module = Main.class.getModule();
        Module library = Pool.class.getModule();
        System.out.println("consumer: " + (module.isNamed() ? "module " + module.getName() : "class path")
                + ", cymem4j: " + (library.isNamed() ? "module " + library.getName() : "class path"));
        System.out.println("JDK " + Runtime.version().feature());
    }
}
