package org.cymem4j;

import java.net.URL;
import java.nio.file.Path;

import org.cymem4j.internal.extract.NativeFiles;
import org.cymem4j.internal.jni.NativeAllocator;

/**
 * Where {@link Allocator#named named("jemalloc")} finds jemalloc: LWJGL's build on the class path if it is there (no
 * environment variable needed), else Debian's {@code libjemalloc.so.2}, which needs {@code GLIBC_TUNABLES}; and the
 * messages that name both fixes when neither loads.
 */
final class Jemalloc {
    private static final System.Logger LOG = System.getLogger("org.cymem4j");

    private Jemalloc() {
    }

    /** The Maven artifact whose jemalloc {@link #named named("jemalloc")} prefers, as messages name it. */
    private static final String MAVEN_JEMALLOC = "org.lwjgl:lwjgl-jemalloc:3.3.6:natives-linux";

    /**
     * The class-path resource of LWJGL's jemalloc for this machine ({@code linux/x64/org/lwjgl/jemalloc/libjemalloc.so}
     * in {@code org.lwjgl:lwjgl-jemalloc}'s {@code natives-linux} jar, {@code linux/arm64/...} in
     * {@code natives-linux-arm64}), or null if it is not on the class path.
     */
    static URL mavenJemalloc() {
        String arch = System.getProperty("os.arch", "");
        String dir = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
        String resource = "linux/" + dir + "/org/lwjgl/jemalloc/libjemalloc.so";
        ClassLoader own = Jemalloc.class.getClassLoader();
        URL url = own != null ? own.getResource(resource) : ClassLoader.getSystemResource(resource);
        if (url == null && Thread.currentThread().getContextClassLoader() != null) {
            url = Thread.currentThread().getContextClassLoader().getResource(resource);
        }
        return System.getProperty("os.name", "").startsWith("Linux") ? url : null;
    }

    /** LWJGL's jemalloc once extracted (reading and hashing it again for every named("jemalloc") is wasted work). */
    private static volatile Path mavenJemallocFile;

    /**
     * {@code jemalloc}: LWJGL's build from the class path if it is there (symbols prefixed {@code je_}, no
     * initial-exec TLS, so no tunable is needed), else Debian's {@code libjemalloc.so.2}, which loads only when the
     * process started with {@code GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384}. Whichever loads first stays
     * the process's jemalloc.
     */
    static Allocator load() {
        byte[] why = new byte[NativeAllocator.WHY_MAX];
        URL maven = mavenJemalloc();
        if (maven != null) {
            Path cached = mavenJemallocFile;
            if (cached == null) {
                cached = NativeFiles.materialize(maven, "jemalloc", "libjemalloc.so");
                mavenJemallocFile = cached;
            }
            Path file = cached;
            long r = NativeAllocator.cym_j_allocator_named_from("jemalloc", file.toString(), "je_", why, why.length);
            if (r > 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "cymem4j jemalloc: " + maven + " (extracted to " + file + ")");
            }
            return Allocator.owning(r, "allocator 'jemalloc' (" + MAVEN_JEMALLOC + " from " + maven + ")", why);
        }
        long r = NativeAllocator.cym_j_allocator_named("jemalloc", why, why.length);
        if (r > 0) {
            return Allocator.owning(r, "allocator 'jemalloc'", why);
        }
        String reason = Allocator.cString(why);
        String mavenFix = "add the Maven dependency " + MAVEN_JEMALLOC + " (its jemalloc needs no environment variable)";
        if (reason.contains("static TLS")) {
            throw new IllegalStateException("allocator 'jemalloc' is not available: " + reason + "; or " + mavenFix);
        }
        if (reason.startsWith("cannot load")) {
            throw new IllegalStateException("allocator 'jemalloc' is not available: " + reason + " (and needs "
                    + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 in the JVM's environment); or " + mavenFix);
        }
        return Allocator.owning(r, "allocator 'jemalloc'", why);
    }
}
