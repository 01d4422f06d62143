package org.cymem4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The configuration of the default allocator, as text: where the value comes from (the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else the key {@value #PROPERTY} in the
 * class-path resource {@value #PROPERTIES_FILE}, else {@code system}) and what a value means. Not API: the core turns
 * a {@link Choice} into its allocator ({@code Allocator.defaultAllocator()}).
 */
public final class AllocatorConfig {
    /** System property naming the default allocator. */
    public static final String PROPERTY = "cymem4j.allocator";
    /** Environment variable naming the default allocator (after the system property). */
    public static final String ENVIRONMENT = "CYMEM4J_ALLOCATOR";
    /** Class-path resource holding {@value #PROPERTY} (after the environment variable). */
    public static final String PROPERTIES_FILE = "cymem4j.properties";
    /** What {@link #parse} accepts, as error messages list it. */
    public static final String VALID_VALUES =
            "system, jemalloc, mimalloc, mimalloc-heap, tcmalloc, debug, debug:<inner>, path:/abs/libfoo.so";

    private AllocatorConfig() {
    }

    /**
     * What a value names: {@code debugLayers} debug allocators around either a backend {@code name} (for
     * {@code Allocator.named}) or a {@code library} with the standard {@code malloc}, {@code free}, {@code calloc} and
     * {@code realloc} (exactly one of the two is non-null). {@code value} is the text as given, for messages.
     */
    public record Choice(String value, int debugLayers, String name, Path library) {
    }

    /** A configured value and where it was found ({@code system property cymem4j.allocator}, ...). */
    public record Configured(String value, String source) {
    }

    /**
     * Parses a value: {@code system}, {@code jemalloc}, {@code mimalloc}, {@code mimalloc-heap}, {@code tcmalloc},
     * {@code debug} (= {@code debug:system}), {@code debug:<inner>} or {@code path:/abs/libfoo.so}; leading and
     * trailing white space is ignored. Backend names are checked when the allocator is made.
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException for a relative path
     */
    public static Choice parse(String value) {
        String v = value.trim();
        int layers = 0;
        while (v.equals("debug") || v.startsWith("debug:")) {
            layers++;
            v = v.equals("debug") ? "system" : v.substring("debug:".length());
        }
        if (v.startsWith("path:")) {
            Path path = Path.of(v.substring("path:".length()));
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("allocator value '" + value + "': the path must be absolute");
            }
            return new Choice(value, layers, null, path);
        }
        return new Choice(value, layers, v, null);
    }

    /**
     * The configured value, looked up in the documented order, or {@code ("system", "default")}.
     *
     * @param loader the class loader whose class path holds {@value #PROPERTIES_FILE}, or null for the system one
     * @throws IllegalStateException if {@value #PROPERTIES_FILE} exists but cannot be read
     */
    public static Configured configured(ClassLoader loader) {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            return new Configured(value, "system property " + PROPERTY);
        }
        value = System.getenv(ENVIRONMENT);
        if (value != null) {
            return new Configured(value, "environment variable " + ENVIRONMENT);
        }
        value = fromPropertiesFile(loader);
        if (value != null) {
            return new Configured(value, "class-path resource " + PROPERTIES_FILE);
        }
        return new Configured("system", "default");
    }

    private static String fromPropertiesFile(ClassLoader loader) {
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(PROPERTIES_FILE)
                : loader.getResourceAsStream(PROPERTIES_FILE)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(PROPERTY);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PROPERTIES_FILE + " from the class path: " + e, e);
        }
    }
}
