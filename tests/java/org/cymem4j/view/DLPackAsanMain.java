package org.cymem4j.view;

import java.util.Arrays;

import org.cymem4j.Allocator;
import org.cymem4j.Pool;
import org.cymem4j.Pools;

/**
 * The DLPack round trips of {@link DLPackTest} as a plain program, for {@link DLPackAsanRun}'s child JVM under
 * AddressSanitizer: every type and layout Java -> C -> Java (versioned and legacy), tensors made in C imported and
 * closed, and a pool closed with exports out whose memory C reads until the last deleter. Prints {@code DLPACK OK}.
 */
public final class DLPackAsanMain {
    private DLPackAsanMain() {
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    public static void main(String[] args) {
        System.out.println("native library: " + Pools.nativeLibrary());
        int cases = 0;
        for (DType t : DLPackTest.ALL_TYPES) {
            for (DLPackTest.Layout3x4 layout : DLPackTest.Layout3x4.values()) {
                for (boolean versioned : new boolean[] {true, false}) {
                    String name = t + " " + layout + " versioned=" + versioned;
                    try (Pool pool = Pool.open()) {
                        MemoryView v = DLPackTest.view3x4(pool, t, layout);
                        DLPackTest.fill(v, DLPackTest.values(t, 12, 1));
                        long tensor = versioned ? DLPack.toVersioned(v) : DLPack.toLegacy(v);
                        check(Arrays.equals(DLPackTest.values(t, 12, 1), DLPackTestLibrary.read(tensor, versioned)),
                                name + ": C read");
                        DLPackTestLibrary.write(tensor, versioned, DLPackTest.values(t, 12, 3));
                        try (DLPackTensor back = versioned ? DLPack.fromVersioned(tensor)
                                : DLPack.fromLegacy(tensor)) {
                            check(Arrays.equals(DLPackTest.values(t, 12, 3), DLPackTest.contents(back.view())),
                                    name + ": Java read back");
                        }
                        check(DLPack.liveExports() == 0, name + ": deleter ran");
                    }
                    long deleted = DLPackTestLibrary.deleted();
                    long made = DLPackTestLibrary.produce(versioned, 0, DLPack.codeOf(t), 8 * t.itemsize(),
                            new long[] {3, 4}, new long[] {10, -2}, 6, 30, DLPackTest.values(t, 12, 7));
                    try (DLPackTensor in = versioned ? DLPack.fromVersioned(made) : DLPack.fromLegacy(made)) {
                        check(Arrays.equals(DLPackTest.values(t, 12, 7), DLPackTest.contents(in.view())),
                                name + ": import");
                    }
                    check(DLPackTestLibrary.deleted() == deleted + 1, name + ": producer's deleter once");
                    cases++;
                }
            }
        }
        long frees = DLPackTestLibrary.frees();
        Pool pool = Pool.open(Allocator.functions(DLPackTestLibrary.mallocFn(), DLPackTestLibrary.freeFn()));
        MemoryView v = NativeArray.copyOf(pool, new double[] {1, 2, 3, 4, 5, 6}, 2, 3).view();
        long a = DLPack.toVersioned(v.T());
        pool.close();
        check(DLPackTestLibrary.frees() == frees, "deferred destroy");
        check(Arrays.equals(new double[] {1, 4, 2, 5, 3, 6}, DLPackTestLibrary.read(a, true)), "read after close");
        DLPackTestLibrary.callDeleter(a, true);
        check(DLPackTestLibrary.frees() >= frees + 2, "freed by the last deleter");
        System.out.println(cases + " round trips");
        System.out.print("DLPACK OK");
    }
}
