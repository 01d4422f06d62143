package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The jar's base {@code Segments} (the one JDK 17-21 load; its working version is in {@code META-INF/versions/22},
 * tested by tests/java22's SegmentsTest): a class file JDK 17 reads, public like its versioned twin.
 */
class SegmentsBaseTest {
    @Test
    void theBaseVersionLoadsOnEveryJdk() throws ClassNotFoundException {
        Class<?> c = Class.forName("org.cymem4j.view.Segments");
        assertTrue(Modifier.isPublic(c.getModifiers()) && Modifier.isFinal(c.getModifiers()));
    }

    @Test
    void theJarsBaseEntryIsAJdk17ClassFileAndTheVersionedOneAJdk22One() throws IOException {
        String jar = "";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("cymem4j.jar")) {
                jar = entry;
            }
        }
        assertTrue(jar.endsWith("cymem4j.jar"), "the tests run against the packaged jar: " + jar);
        try (JarFile file = new JarFile(jar)) {
            assertEquals(61, majorVersion(file, "org/cymem4j/view/Segments.class"));
            assertEquals(66, majorVersion(file, "META-INF/versions/22/org/cymem4j/view/Segments.class"));
        }
    }

    private static int majorVersion(JarFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getJarEntry(entry));
                DataInputStream data = new DataInputStream(in)) {
            assertEquals(0xCAFEBABE, data.readInt(), entry);
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        }
    }
}
