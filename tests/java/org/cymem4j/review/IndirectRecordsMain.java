package org.cymem4j.review;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;

/**
 * Child JVM of {@link IndirectRecordReviewTest}: copies and compares of indirect arrays of structs (row pointers),
 * which the record path used to treat as direct views over the pointer table (reading and writing past it).
 * Prints one line per check.
 */
public final class IndirectRecordsMain {
    private IndirectRecordsMain() {
    }

    static final DType S = DType.struct().add("x", DType.INT).add("y", DType.DOUBLE).build(); // 4 bytes padding

    /** x = 100 i + j, padding bytes 0x5A, y = i + j / 8 (no NaN: NaN fields compare unequal, as in NumPy). */
    private static byte[] record(int i, int j) {
        return ByteBuffer.allocate(S.itemsize()).order(ByteOrder.nativeOrder()).putInt(100 * i + j)
                .putInt(0x5A5A5A5A).putDouble(i + j / 8.0).array();
    }

    public static void main(String[] args) {
        try (Pool pool = Pool.open(); NativeArray p = NativeArray.allocateIndirect(pool, S, 4, 100);
                NativeArray q = NativeArray.allocateIndirect(pool, S, 4, 100)) {
            MemoryView v = p.view();
            MemoryView w = q.view();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 100; j++) {
                    w.putRecord(new long[] {i, j}, record(i, j));
                }
            }
            v.copyFrom(w);
            boolean same = true;
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 100; j++) {
                    same &= Arrays.equals(record(i, j), v.getRecord(i, j));
                }
            }
            System.out.println("copied=" + same);
            System.out.println("equal=" + v.contentEquals(w));
            w.putRecord(new long[] {3, 99}, record(0, 0));
            System.out.println("equalAfterChange=" + v.contentEquals(w));
            MemoryView direct = w.copy(); // a direct copy of an indirect record view
            System.out.println("copyEqual=" + direct.contentEquals(w) + " " + direct.isIndirect());
        }
    }
}
