package org.cymem4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.bytedeco.javacpp.Loader;
import org.cymem4j.Allocator;
import org.cymem4j.Pools;
import org.cymem4j.internal.HugePages;
import org.cymem4j.internal.PoolCalls;
import org.cymem4j.internal.Sessions;
import org.cymem4j.internal.Settings;

/** {@code info}: what this installation is: version, platform, native library, JDK, allocators. */
final class Info {
    /** The named allocator backends, in the order {@code info} and {@code doctor} report them. */
    static final List<String> BACKENDS = List.of("jemalloc", "mimalloc", "tcmalloc");

    private Info() {
    }

    static void print(PrintStream out) {
        out.println("cymem4j " + version());
        out.println("platform:             " + Loader.getPlatform());
        out.println("native library:       " + Pools.nativeLibrary());
        out.println("JDK:                  " + System.getProperty("java.vm.name") + " " + Runtime.version());
        out.println("configured allocator: " + configuredAllocator());
        out.println("leak detection:       " + Pools.leakDetection().name().toLowerCase(java.util.Locale.ROOT));
        out.println("pool calls:           " + PoolCalls.description());
        out.println("huge pages:           " + HugePages.describe());
        out.println("cymem4j.* properties: " + Settings.describe());
        out.println("shared-pool reads:    " + Sessions.describe());
        for (Map.Entry<String, String> e : backends().entrySet()) {
            out.printf("allocator %-10s  %s%n", e.getKey() + ":", e.getValue());
        }
    }

    /** The jar manifest's {@code Implementation-Version}, or "(development build)" when not run from the jar. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        if (v == null) {
            v = manifestVersion(); // the package was defined from another class path entry first (tests do that)
        }
        return v != null ? v : "(development build)";
    }

    /** {@code Implementation-Version} from the manifest of the jar this class was loaded from, or null. */
    private static String manifestVersion() {
        try {
            CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path path = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(path)) {
                return null;
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                Manifest manifest = jar.getManifest();
                return manifest == null ? null
                        : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The configured default's name, or why it cannot be used. */
    static String configuredAllocator() {
        try {
            return Allocator.defaultAllocator().name();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "unusable: " + e.getMessage();
        }
    }

    /** Each named backend: "available" or why it is not (the library file and package are in the message). */
    static Map<String, String> backends() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : BACKENDS) {
            try {
                Allocator.named(name);
                result.put(name, "available");
            } catch (IllegalStateException e) {
                result.put(name, "not available: " + e.getMessage());
            }
        }
        return result;
    }
}
