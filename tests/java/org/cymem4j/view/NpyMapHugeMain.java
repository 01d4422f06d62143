package org.cymem4j.view;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Child JVM for {@link NpyMapHugeTest}, run with {@code -Xmx256m}: maps a 4 GiB {@code .npy} file of doubles
 * read-only, sums every element through a view and reads the known ones. Prints
 * {@code elements=N sum=S e0=.. e1=.. mid=.. last=.. heap=H}.
 */
public final class NpyMapHugeMain {
    private NpyMapHugeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(System.getProperty("mapped.file"));
        try (MappedArray m = Npy.map(file, FileChannel.MapMode.READ_ONLY)) {
            MemoryView v = m.view();
            long n = v.size();
            double sum = 0;
            for (long i = 0; i < n; i++) {
                sum += v.getDouble(i);
            }
            System.out.println("elements=" + n + " sum=" + sum + " e0=" + v.getDouble(0) + " e1=" + v.getDouble(1)
                    + " mid=" + v.getDouble(123_456_789) + " high=" + v.getDouble(1L << 28) + " last="
                    + v.getDouble(n - 1) + " heapBelowFile=" + (Runtime.getRuntime().maxMemory() < m.byteSize()));
        }
    }
}
