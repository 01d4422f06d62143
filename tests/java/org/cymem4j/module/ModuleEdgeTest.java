package org.cymem4j.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.cymem4j.Pool;
import org.junit.jupiter.api.Test;

/**
 * The module edge of issue 16, read from the jar under test: the descriptor exports the API packages and nothing
 * else, and no public signature outside {@code org.cymem4j.javacpp} mentions a JavaCPP type.
 */
class ModuleEdgeTest {
    private static final Set<String> API = Set.of("org.cymem4j", "org.cymem4j.view", "org.cymem4j.array",
            "org.cymem4j.javacpp", "org.cymem4j.management", "org.cymem4j.junit");

    private static JarFile jar() throws IOException, URISyntaxException {
        Path location = Path.of(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(location.toString().endsWith(".jar"), "the tests run against the packaged jar, not " + location);
        return new JarFile(location.toFile());
    }

    @Test
    void theDescriptorExportsExactlyTheApiPackages() throws Exception {
        try (JarFile jar = jar()) {
            JarEntry entry = jar.getJarEntry("module-info.class");
            assertTrue(entry != null, "no module-info.class at the root of " + jar.getName());
            ModuleDescriptor descriptor;
            try (InputStream in = jar.getInputStream(entry)) {
                descriptor = ModuleDescriptor.read(in);
            }
            assertEquals("org.cymem4j", descriptor.name());
            Set<String> exported = descriptor.exports().stream()
                    .peek(e -> assertTrue(e.targets().isEmpty(), "qualified export " + e))
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(API), exported);
            assertTrue(descriptor.opens().isEmpty(), "opens " + descriptor.opens());
            Set<String> inJar = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("org/cymem4j/") && n.endsWith(".class"))
                    .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(inJar.containsAll(API), "API packages missing from the jar: " + API + " vs " + inJar);
            for (String p : inJar) {
                boolean hidden = p.startsWith("org.cymem4j.internal") || p.equals("org.cymem4j.cli")
                        || p.equals("org.cymem4j.examples");
                assertEquals(!hidden, exported.contains(p), p + (hidden ? " must not be exported" : " must be exported"));
            }
        }
    }

    @Test
    void noPublicSignatureOutsideTheJavacppPackageMentionsJavacpp() throws Exception {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (JarFile jar = jar()) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = e.getName();
                if (!name.startsWith("org/cymem4j/") || !name.endsWith(".class") || name.startsWith("META-INF")
                        || name.equals("module-info.class")) {
                    continue;
                }
                String className = name.substring(0, name.length() - 6).replace('/', '.');
                String pkg = className.substring(0, className.lastIndexOf('.'));
                if (!API.contains(pkg) || pkg.equals("org.cymem4j.javacpp")) {
                    continue;
                }
                Class<?> c = Class.forName(className, false, Pool.class.getClassLoader());
                if (!Modifier.isPublic(c.getModifiers()) || !isVisible(c)) {
                    continue;
                }
                Method[] methods;
                try {
                    methods = c.getDeclaredMethods();
                } catch (NoClassDefFoundError missing) {
                    // Segments' API names java.lang.foreign types: below JDK 22 it cannot be reflected; the run on
                    // the JDK 22+ checks it. Nothing else may fail this way.
                    assertTrue(Runtime.version().feature() < 22 && missing.getMessage().startsWith("java/lang/foreign/"),
                            c + ": " + missing);
                    continue;
                }
                checked++;
                check(c.getName() + " extends", c.getGenericSuperclass(), offenders);
                for (Type t : c.getGenericInterfaces()) {
                    check(c.getName() + " implements", t, offenders);
                }
                for (Method m : methods) {
                    if (visible(m.getModifiers()) && !m.isSynthetic()) {
                        check(c.getName() + "." + m.getName(), m.getGenericReturnType(), offenders);
                        params(c.getName() + "." + m.getName(), m, offenders);
                    }
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (visible(k.getModifiers())) {
                        params(c.getName() + ".<init>", k, offenders);
                    }
                }
                for (Field f : c.getDeclaredFields()) {
                    if (visible(f.getModifiers())) {
                        check(c.getName() + "." + f.getName(), f.getGenericType(), offenders);
                    }
                }
            }
        }
        assertTrue(checked > 20, "only " + checked + " public API classes found");
        assertEquals(List.of(), offenders, "JavaCPP types in public signatures outside org.cymem4j.javacpp");
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void params(String where, Executable e, List<String> offenders) {
        for (Type t : e.getGenericParameterTypes()) {
            check(where + "(...)", t, offenders);
        }
    }

    private static void check(String where, Type type, List<String> offenders) {
        if (type != null && type.getTypeName().contains("org.bytedeco")) {
            offenders.add(where + ": " + type.getTypeName());
        }
    }
}
