package org.cymem4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.cymem4j.Allocator;
import org.cymem4j.internal.jni.NativeAllocator;
import org.cymem4j.internal.jni.NativeConstants;
import org.cymem4j.internal.jni.NativeMapped;
import org.cymem4j.internal.jni.NativePool;
import org.cymem4j.view.DType;
import org.junit.jupiter.api.Test;

/**
 * Every constant Java keeps a copy of is asked of C by its C name ({@code cym_j_constant}), and every status text of
 * {@code cym_status_message}: the two sides of the bridge cannot drift apart unnoticed. A new {@code int} constant in
 * one of the binding classes fails {@link #shouldCheckEveryIntConstantOfTheBindingClasses} until it is listed here.
 */
class NativeConstantsTest {
    /** C name -> Java value, for every shared constant. */
    private static Map<String, Long> javaCopies() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("CYM_OK", (long) NativeStatus.OK);
        m.put("CYM_ENOMEM", (long) NativeStatus.ENOMEM);
        m.put("CYM_EOVERFLOW", (long) NativeStatus.EOVERFLOW);
        m.put("CYM_ENOTOWNED", (long) NativeStatus.ENOTOWNED);
        m.put("CYM_EINVAL", (long) NativeStatus.EINVAL);
        m.put("CYM_ELIMIT", (long) NativeStatus.ELIMIT);
        m.put("CYM_EUNSUPPORTED", (long) NativeStatus.EUNSUPPORTED);
        m.put("CYM_EBUSY", (long) NativeStatus.EBUSY);
        m.put("CYM_J_STAT_LIVE_BYTES", (long) NativePool.STAT_LIVE_BYTES);
        m.put("CYM_J_STAT_LIVE_BLOCKS", (long) NativePool.STAT_LIVE_BLOCKS);
        m.put("CYM_J_STAT_PEAK_BYTES", (long) NativePool.STAT_PEAK_BYTES);
        m.put("CYM_J_STAT_TOTAL_ALLOCS", (long) NativePool.STAT_TOTAL_ALLOCS);
        m.put("CYM_J_STAT_TOTAL_FREES", (long) NativePool.STAT_TOTAL_FREES);
        m.put("CYM_J_STAT_FAILED_ALLOCS", (long) NativePool.STAT_FAILED_ALLOCS);
        m.put("CYM_J_STAT_LIMIT_BYTES", (long) NativePool.STAT_LIMIT_BYTES);
        m.put("CYM_J_STAT_COUNT", (long) NativePool.STAT_COUNT);
        m.put("CYM_J_RETIRED_COUNT", (long) NativePool.RETIRED_COUNT);
        m.put("CYM_J_PROCESS_BYTES_COUNT", (long) NativePool.PROCESS_BYTES_COUNT);
        m.put("CYM_POOL_SHARED", (long) NativePool.POOL_SHARED);
        m.put("CYM_POOL_NO_SLABS", (long) NativePool.POOL_NO_SLABS);
        m.put("CYM_ALIGNMENT_MAX", NativePool.ALIGNMENT_MAX);
        m.put("CYM_ALIGNED_SIZE_MAX", NativePool.ALIGNED_SIZE_MAX);
        m.put("CYM_ALLOCATOR_WHY_MAX", (long) NativeAllocator.WHY_MAX);
        m.put("CYM_ALLOCATOR_NAME_MAX", (long) NativeAllocator.NAME_MAX);
        m.put("CYM_J_FAULT_FIELDS", (long) NativeAllocator.FAULT_FIELDS);
        m.put("CYM_DEBUG_OVERRUN", (long) NativeAllocator.OVERRUN);
        m.put("CYM_DEBUG_UNDERRUN", (long) NativeAllocator.UNDERRUN);
        m.put("CYM_DEBUG_DOUBLE_FREE", (long) NativeAllocator.DOUBLE_FREE);
        m.put("CYM_DEBUG_FOREIGN_FREE", (long) NativeAllocator.FOREIGN_FREE);
        m.put("CYM_DEBUG_WRITE_AFTER_FREE", (long) NativeAllocator.WRITE_AFTER_FREE);
        m.put("CYM_J_ALLOCATOR_DEBUG", (long) NativeAllocator.FLAG_DEBUG);
        m.put("CYM_J_ALLOCATOR_THREAD_BOUND", (long) NativeAllocator.FLAG_THREAD_BOUND);
        m.put("CYM_J_ALLOCATOR_UPCALLS", (long) NativeAllocator.FLAG_UPCALLS);
        m.put("CYM_J_FAILING_COUNTS", (long) NativeAllocator.FAILING_COUNTS);
        m.put("CYM_DEBUG_GUARD", (long) NativeAllocator.DEBUG_GUARD);
        m.put("CYM_MAP_READ_ONLY", (long) NativeMapped.MAP_READ_ONLY);
        m.put("CYM_MAP_READ_WRITE", (long) NativeMapped.MAP_READ_WRITE);
        m.put("CYM_MAP_COPY_ON_WRITE", (long) NativeMapped.MAP_COPY_ON_WRITE);
        m.put("CYM_MAP_CALL_NONE", (long) NativeMapped.CALL_NONE);
        m.put("CYM_MAP_CALL_OPEN", (long) NativeMapped.CALL_OPEN);
        m.put("CYM_MAP_CALL_FSTAT", (long) NativeMapped.CALL_FSTAT);
        m.put("CYM_MAP_CALL_TYPE", (long) NativeMapped.CALL_TYPE);
        m.put("CYM_MAP_CALL_LENGTH", (long) NativeMapped.CALL_LENGTH);
        m.put("CYM_MAP_CALL_MMAP", (long) NativeMapped.CALL_MMAP);
        m.put("CYM_J_MAPPED_INFO_ERRNO", (long) NativeMapped.INFO_ERRNO);
        m.put("CYM_J_MAPPED_INFO_CALL", (long) NativeMapped.INFO_CALL);
        m.put("CYM_J_MAPPED_INFO_FILE_SIZE", (long) NativeMapped.INFO_FILE_SIZE);
        m.put("CYM_J_MAPPED_INFO_LENGTH", (long) NativeMapped.INFO_LENGTH);
        return m;
    }

    /** The C enumerator of each dtype code, by the element's typecode. */
    private static final Map<Character, String> DTYPE_NAMES = Map.ofEntries(Map.entry('b', "CYM_DTYPE_I8"),
            Map.entry('B', "CYM_DTYPE_U8"), Map.entry('h', "CYM_DTYPE_I16"), Map.entry('H', "CYM_DTYPE_U16"),
            Map.entry('i', "CYM_DTYPE_I32"), Map.entry('I', "CYM_DTYPE_U32"), Map.entry('l', "CYM_DTYPE_I64"),
            Map.entry('L', "CYM_DTYPE_U64"), Map.entry('q', "CYM_DTYPE_I64"), Map.entry('Q', "CYM_DTYPE_U64"),
            Map.entry('f', "CYM_DTYPE_F32"), Map.entry('d', "CYM_DTYPE_F64"),
            // wchar_t is a 4-byte unsigned code unit on Linux: the kernels copy and compare it as one
            Map.entry('u', "CYM_DTYPE_U32"),
            Map.entry('?', "CYM_DTYPE_BOOL"), Map.entry('e', "CYM_DTYPE_F16"), Map.entry('F', "CYM_DTYPE_C64"),
            Map.entry('D', "CYM_DTYPE_C128"));

    private static long c(String name) {
        long value = NativeConstants.cym_j_constant(name);
        assertTrue(value >= 0, name + " is not a constant C shares (got " + value + ")");
        return value;
    }

    @Test
    void shouldMatchEveryJavaCopyWithCsValueByName() {
        javaCopies().forEach((name, java) -> assertEquals(c(name), (long) java, name));
        assertEquals(c("CYM_DEBUG_GUARD"), Allocator.GUARD_BYTES, "Allocator.GUARD_BYTES");
    }

    @Test
    void shouldMatchEveryDtypeCodeWithCsEnumerator() {
        for (DType t : DType.scalars().stream().filter(t -> t.nativeCode() >= 0).toList()) {
            String name = DTYPE_NAMES.get(t.typecode());
            assertTrue(name != null, t + " has no C enumerator listed here");
            assertEquals(c(name), t.nativeCode(), t + " vs " + name);
        }
        // 14 numeric codes and CYM_DTYPE_RAW (byte strings, sub-arrays, structs: ElementTypesTest checks its copy)
        assertEquals(15, c("CYM_DTYPE_COUNT"), "a dtype C knows and DTYPE_NAMES does not list");
    }

    @Test
    void shouldMatchEveryStatusTextWithCymStatusMessage() {
        for (int status = NativeStatus.OK; status <= NativeStatus.EBUSY + 1; status++) {
            byte[] out = new byte[128];
            long n = NativeConstants.cym_j_status_message(status, out, out.length);
            assertTrue(n >= 0 && n < out.length, "status " + status);
            assertEquals(new String(out, 0, (int) n, StandardCharsets.UTF_8), NativeStatus.text(status),
                    "status " + status);
        }
    }

    @Test
    void shouldAnswerAnUnknownNameWithMinusEinval() {
        assertEquals(-NativeStatus.EINVAL, NativeConstants.cym_j_constant("CYM_NO_SUCH_CONSTANT"));
    }

    @Test
    void shouldCheckEveryIntConstantOfTheBindingClasses() {
        Set<String> unchecked = new TreeSet<>();
        Map<String, Long> copies = javaCopies();
        for (Class<?> c : new Class<?>[] {NativeStatus.class, NativePool.class, NativeAllocator.class,
                NativeMapped.class}) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (f.getType() == int.class && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                        && Modifier.isPublic(mod)) {
                    try {
                        long v = f.getInt(null);
                        String id = c.getSimpleName() + "." + f.getName();
                        if (!copies.containsValue(v) || !listsField(copies, c, f)) {
                            unchecked.add(id);
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        assertTrue(unchecked.isEmpty(), "constants not compared with C: " + unchecked);
    }

    /** Whether the table names the field: its C name ends with the field's name, prefixes aside. */
    private static boolean listsField(Map<String, Long> copies, Class<?> owner, Field f) {
        String field = f.getName();
        String bare = field.startsWith("FLAG_") ? field.substring("FLAG_".length()) : field;
        for (String cName : copies.keySet()) {
            if (cName.endsWith("_" + bare) || cName.endsWith("_" + field)) {
                return true;
            }
        }
        return false;
    }
}
