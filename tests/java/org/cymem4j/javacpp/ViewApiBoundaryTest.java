package org.cymem4j.javacpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.cymem4j.Pool;
import org.cymem4j.view.DType;
import org.cymem4j.view.Index;
import org.cymem4j.view.Layout;
import org.cymem4j.view.MemoryView;
import org.cymem4j.view.NativeArray;
import org.cymem4j.view.Npy;
import org.cymem4j.view.Order;
import org.junit.jupiter.api.Test;

/**
 * The public face of {@code org.cymem4j.view} names no JavaCPP type and no {@code org.cymem4j.array} type (JavaCPP
 * interop lives in {@code org.cymem4j.javacpp}; typed arrays make their own views), and the typed accessors that
 * MemoryView inherits from its generated superclass can be called, reflection included, from another package.
 */
class ViewApiBoundaryTest {
    /** Segments is left out: its signatures name java.lang.foreign types, which reflection cannot load on JDK 17. */
    private static final Class<?>[] PUBLIC_TYPES = {
        DType.class, Index.class, Layout.class, MemoryView.class, NativeArray.class, Npy.class, Order.class};

    @Test
    void shouldNameNoJavaCppOrTypedArrayTypeInAnyPublicSignature() {
        List<String> offending = new ArrayList<>();
        for (Class<?> c : PUBLIC_TYPES) {
            List<Executable> members = new ArrayList<>(List.of(c.getMethods()));
            for (Constructor<?> k : c.getConstructors()) {
                members.add(k);
            }
            for (Executable m : members) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<Type> types = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                types.addAll(List.of(m.getGenericExceptionTypes()));
                if (m instanceof Method) {
                    types.add(((Method) m).getGenericReturnType());
                }
                for (Type t : types) {
                    String name = t.getTypeName();
                    if (name.contains("org.bytedeco") || name.contains("org.cymem4j.array")) {
                        offending.add(c.getSimpleName() + "." + m.getName() + ": " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    @Test
    void shouldLetOtherPackagesCallTheGeneratedAccessorsReflectively() throws ReflectiveOperationException {
        Method get = MemoryView.class.getMethod("getDouble", long.class);
        assertTrue(Modifier.isPublic(get.getModifiers()));
        try (Pool pool = Pool.open()) {
            MemoryView v = NativeArray.copyOf(pool, new double[] {1.5, 2.5}).view();
            assertEquals(2.5, (double) get.invoke(v, 1L)); // this test is outside org.cymem4j.view
            assertEquals(v.getDouble(-1), PointerViews.of(PointerViews.pointer(v), DType.DOUBLE, 2).getDouble(1));
        }
    }
}
