package org.cymem4j.internal.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Loader;

/**
 * Native libraries from the class path as files {@code dlopen} can open, extracted into a directory named after
 * their content: {@code <JavaCPP cache dir>/<prefix>-<first 16 hex digits of SHA-256>/<file name>}. JavaCPP's own
 * cache is keyed by the jar's file name and reuses a file whose size and time stamp match, so a rebuilt or upgraded
 * {@code cymem4j.jar} could load a stale library; a directory named by the bytes cannot hold other bytes (an
 * existing file is hashed again before it is used, and replaced if it differs).
 */
public final class NativeFiles {
    private NativeFiles() {
    }

    /**
     * A file holding {@code resource}'s bytes: the resource itself when it is already a file (an exploded class
     * path), else its copy in the content-named cache directory, written atomically if missing or different.
     *
     * @param resource a class-path resource URL ({@code file:} or {@code jar:})
     * @param prefix the cache directory's name before the hash ({@code cymem4j-0.1.0}, {@code jemalloc})
     * @param fileName the copy's file name
     * @throws UncheckedIOException if the resource cannot be read or the copy cannot be written
     */
    public static Path materialize(URL resource, String prefix, String fileName) {
        try {
            if ("file".equals(resource.getProtocol())) {
                return Path.of(resource.toURI());
            }
            byte[] bytes;
            try (InputStream in = resource.openStream()) {
                bytes = in.readAllBytes();
            }
            String hash = sha256(bytes).substring(0, 16);
            Path dir = Loader.getCacheDir().toPath().resolve(prefix + "-" + hash);
            Path file = dir.resolve(fileName);
            if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).startsWith(hash)) {
                return file;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, fileName, ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " into JavaCPP's cache directory "
                    + "(set -Dorg.bytedeco.javacpp.cachedir to a writable directory): " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a file URL: " + resource, e);
        }
    }

    /** The oldest {@code org.bytedeco:javacpp} whose Loader runs cymem4j's JNI glue (tests/javacpp-compat.sh). */
    public static final String OLDEST_JAVACPP = "1.5.11";

    /**
     * Throws if {@code version} (JavaCPP's {@code Implementation-Version}; null or unparsable passes) is older than
     * {@link #OLDEST_JAVACPP}: such a Loader fails later with a misleading "no jniNativeAllocator in
     * java.library.path".
     *
     * @throws UnsatisfiedLinkError naming the version found and the one needed
     */
    public static void checkJavaCppVersion(String version) {
        if (version != null && compareVersions(version, OLDEST_JAVACPP) < 0) {
            throw new UnsatisfiedLinkError("cymem4j needs org.bytedeco:javacpp " + OLDEST_JAVACPP + " or later at run "
                    + "time, but the class path has " + version + " (align it with dependencyManagement: README, "
                    + "\"Living beside JavaCPP presets\")");
        }
    }

    /** Compares dotted numeric versions ({@code 1.5.9} < {@code 1.5.11}); a non-numeric part compares as 0. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        try {
            return i < parts.length ? Integer.parseInt(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The SHA-256 of {@code bytes} in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Loads the JNI library of {@code cls} (JavaCPP's {@code platform.library}, here {@code jnicymem4j}) the way
     * {@link Loader#load(Class)} does, except that a library inside a jar is first extracted by
     * {@link #materialize} into {@code cymem4j-<version>-<hash>/} and loaded from there; JavaCPP's own cache entry
     * for it then becomes a symbolic link to that file.
     *
     * @return the path of the library loaded
     * @throws UnsatisfiedLinkError if no library for this platform is on the class path or
     *     {@code java.library.path}: the message names the platform, the platforms the class path does hold, and how
     *     to add one ({@link #missingPlatformMessage})
     */
    public static String loadJni(Class<?> cls, String library) {
        checkJavaCppVersion(Loader.class.getPackage() != null ? Loader.class.getPackage().getImplementationVersion()
                : null);
        String platform = Loader.getPlatform();
        String name = "lib" + library + ".so";
        URL url = cls.getResource(platform + "/" + name);
        if (url == null && cls.getClassLoader() != null) {
            // On the module path a classifier jar is a module of its own, whose resources Class.getResource (this
            // module's only) does not see; its directory is no package, so the class loader finds it.
            url = cls.getClassLoader().getResource(packageDir(cls) + platform + "/" + name);
        }
        if (url != null && "jar".equals(url.getProtocol())) {
            String version = cls.getPackage() != null ? cls.getPackage().getImplementationVersion() : null;
            Path file = materialize(url, "cymem4j-" + (version != null ? version : "dev"), name);
            try {
                // Registers the file under the library's name: Loader.load below finds it loaded and only links
                // its own cache entry to it.
                URL[] urls = {file.toUri().toURL()};
                try {
                    Loader.loadLibrary(cls, urls, library); // JavaCPP 1.5.10 and later
                } catch (NoSuchMethodError olderJavaCpp) {
                    Loader.loadLibrary(urls, library);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return Loader.load(cls);
        } catch (UnsatisfiedLinkError e) {
            if (url != null) {
                throw e; // the platform's library is there but does not load: JavaCPP's message says why
            }
            UnsatisfiedLinkError missing = new UnsatisfiedLinkError(missingPlatformMessage(cls, library, platform));
            missing.initCause(e);
            throw missing;
        }
    }

    /** {@code org/cymem4j/internal/jni/}: where the platform directories of {@code cls}'s JNI library are. */
    private static String packageDir(Class<?> cls) {
        return cls.getPackageName().replace('.', '/') + "/";
    }

    /**
     * What {@link #loadJni} says when {@code platform} has no library: the platform (and the JVM's {@code os.name}
     * and {@code os.arch}), the platforms whose library the class path holds ({@link #shippedPlatforms}), the Maven
     * coordinates that would bring this one, and how to build a new platform.
     */
    static String missingPlatformMessage(Class<?> cls, String library, String platform) {
        ClassLoader loader = cls.getClassLoader() != null ? cls.getClassLoader() : ClassLoader.getSystemClassLoader();
        SortedSet<String> shipped = shippedPlatforms(loader, packageDir(cls), library);
        String version = cls.getPackage() != null && cls.getPackage().getImplementationVersion() != null
                ? cls.getPackage().getImplementationVersion() : "<version>";
        return "cymem4j has no native library for this platform, " + platform + " (os.name " + System.getProperty(
                "os.name") + ", os.arch " + System.getProperty("os.arch") + "): neither the class path nor "
                + "java.library.path holds " + packageDir(cls) + platform + "/lib" + library + ".so. Platforms on "
                + "this class path: " + (shipped.isEmpty() ? "none" : String.join(", ", shipped)) + ". Each "
                + "platform's library ships in a classifier jar: add the Maven dependency org.cymem4j:cymem4j:"
                + version + ":" + platform + " beside org.cymem4j:cymem4j (and org.bytedeco:javacpp's " + platform
                + " jar), or org.cymem4j:cymem4j-platform for every platform built (README, \"Platforms\"). "
                + "A platform not built yet is added by cross-building it: ./mvnw install -Djavacpp.platform="
                + platform + " with a CMake toolchain file and a Maven profile like those of linux-arm64 "
                + "(cmake/toolchain-linux-arm64.cmake, pom.xml profile linux-arm64).";
    }

    /**
     * The platforms whose JNI library {@code lib<library>.so} the class path holds: the names of the directories
     * {@code <packageDir><platform>/} that contain it, in every jar or directory that {@code loader} finds
     * {@code packageDir} in (the main jar, the classifier jars, an exploded build).
     */
    static SortedSet<String> shippedPlatforms(ClassLoader loader, String packageDir, String library) {
        SortedSet<String> platforms = new TreeSet<>();
        String file = "lib" + library + ".so";
        try {
            Enumeration<URL> roots = loader.getResources(packageDir);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    try (Stream<Path> dirs = Files.list(Path.of(root.toURI()))) {
                        dirs.filter(d -> Files.isRegularFile(d.resolve(file)))
                                .forEach(d -> platforms.add(d.getFileName().toString()));
                    }
                } else if ("jar".equals(root.getProtocol())) {
                    URLConnection connection = root.openConnection();
                    if (connection instanceof JarURLConnection jarConnection) {
                        JarFile jar = jarConnection.getJarFile(); // shared with the class loader: not closed here
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                            String entry = e.nextElement().getName();
                            if (entry.startsWith(packageDir) && entry.endsWith("/" + file)) {
                                String platform = entry.substring(packageDir.length(), entry.length() - file.length() - 1);
                                if (!platform.isEmpty() && platform.indexOf('/') < 0) {
                                    platforms.add(platform);
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            platforms.add("(listing stopped: " + e + ")");
        }
        return platforms;
    }
}
