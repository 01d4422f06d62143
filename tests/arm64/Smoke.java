import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cymem4j.Pool;

/**
 * The linux-arm64 smoke test (tests/arm64/check.sh): run by an arm64 JVM under qemu-aarch64 with the main jar,
 * cymem4j-linux-arm64.jar and JavaCPP's linux-arm64 jar on the class path. Uses only the stable core of the API
 * (Pool.open, alloc, free, block + getLong/putLong) so that renames elsewhere do not break it; the views, kernels and
 * allocator backends on arm64 are exercised by the tour that check.sh runs next.
 */
public final class Smoke {
    public static void main(String[] args) throws IOException {
        check("aarch64".equals(System.getProperty("os.arch")), "not an arm64 JVM: os.arch=" + System.getProperty("os.arch"));
        long sum = 0;
        try (Pool pool = Pool.open()) {
            long a = pool.alloc(1000, Long.BYTES);
            long b = pool.alloc(16, Long.BYTES);
            for (int i = 0; i < 1000; i++) {
                check(pool.block(a).getLong(8L * i) == 0, "block not zeroed at " + i);
                pool.block(a).putLong(8L * i, (long) i * i - (1L << 40));
            }
            for (int i = 0; i < 1000; i++) {
                sum += pool.block(a).getLong(8L * i) + (1L << 40);
            }
            pool.free(a);
            boolean refused = false;
            try {
                pool.block(a);
            } catch (RuntimeException e) {
                refused = true; // a freed block has no accessor
            }
            check(refused, "block(a) after free(a) did not throw");
            pool.block(b).putLong(120, Long.MIN_VALUE);
            check(pool.block(b).getLong(120) == Long.MIN_VALUE, "last long of b");
        }
        check(sum == 332_833_500L, "sum of squares 0..999: " + sum);
        Path library = mappedLibrary();
        check(library != null, "libjnicymem4j.so is not mapped into this process");
        int machine = elfMachine(library);
        check(machine == 183, "the loaded " + library + " has ELF machine " + machine + ", not 183 (AArch64)");
        System.out.println("arm64 smoke: pool alloc/zeroed/putLong/getLong/free ok, sum " + sum + "; loaded " + library
                + " (ELF machine AArch64), on " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " " + System.getProperty("os.arch"));
    }

    private static Path mappedLibrary() throws IOException {
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/libjnicymem4j.so")) {
                return Path.of(line.substring(slash));
            }
        }
        return null;
    }

    private static int elfMachine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            check(header.length == 20 && header[0] == 0x7f && header[1] == 'E', file + " is not an ELF file");
            return (header[18] & 0xff) | (header[19] & 0xff) << 8; // e_machine, little-endian
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("arm64 smoke FAILED: " + what);
        }
    }
}
