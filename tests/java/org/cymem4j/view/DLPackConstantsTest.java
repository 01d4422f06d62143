package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cymem4j.internal.jni.NativeConstants;
import org.junit.jupiter.api.Test;

/**
 * The DLPack constants Java keeps copies of ({@link DLPack}'s codes, flags and request positions,
 * {@link DLPackTensor}'s description positions) asked of C by name, as NativeConstantsTest does for the rest.
 */
class DLPackConstantsTest {
    private static long c(String name) {
        long value = NativeConstants.cym_j_constant(name);
        assertTrue(value >= 0, name + " is not a constant C shares (got " + value + ")");
        return value;
    }

    @Test
    void shouldMatchEveryJavaCopyWithCsValueByName() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("CYM_DL_INT", (long) DLPack.CODE_INT);
        m.put("CYM_DL_UINT", (long) DLPack.CODE_UINT);
        m.put("CYM_DL_FLOAT", (long) DLPack.CODE_FLOAT);
        m.put("CYM_DL_COMPLEX", (long) DLPack.CODE_COMPLEX);
        m.put("CYM_DL_BOOL", (long) DLPack.CODE_BOOL);
        m.put("CYM_DL_CPU", (long) DLPack.DEVICE_CPU);
        m.put("CYM_DL_FLAG_READ_ONLY", DLPack.FLAG_READ_ONLY);
        m.put("CYM_DL_FLAG_IS_COPIED", DLPack.FLAG_IS_COPIED);
        m.put("CYM_DLPACK_MAJOR_VERSION", (long) DLPack.MAJOR_VERSION);
        m.put("CYM_J_DLX_NDIM", (long) DLPack.X_NDIM);
        m.put("CYM_J_DLX_CODE", (long) DLPack.X_CODE);
        m.put("CYM_J_DLX_BITS", (long) DLPack.X_BITS);
        m.put("CYM_J_DLX_LANES", (long) DLPack.X_LANES);
        m.put("CYM_J_DLX_FLAGS", (long) DLPack.X_FLAGS);
        m.put("CYM_J_DLX_VERSIONED", (long) DLPack.X_VERSIONED);
        m.put("CYM_J_DLX_SHAPE", (long) DLPack.X_SHAPE);
        m.put("CYM_J_DL_MAJOR", (long) DLPackTensor.MAJOR);
        m.put("CYM_J_DL_MINOR", (long) DLPackTensor.MINOR);
        m.put("CYM_J_DL_FLAGS", (long) DLPackTensor.FLAGS);
        m.put("CYM_J_DL_DATA", (long) DLPackTensor.DATA);
        m.put("CYM_J_DL_DEVICE_TYPE", (long) DLPackTensor.DEVICE_TYPE);
        m.put("CYM_J_DL_DEVICE_ID", (long) DLPackTensor.DEVICE_ID);
        m.put("CYM_J_DL_NDIM", (long) DLPackTensor.NDIM);
        m.put("CYM_J_DL_CODE", (long) DLPackTensor.CODE);
        m.put("CYM_J_DL_BITS", (long) DLPackTensor.BITS);
        m.put("CYM_J_DL_LANES", (long) DLPackTensor.LANES);
        m.put("CYM_J_DL_BYTE_OFFSET", (long) DLPackTensor.BYTE_OFFSET);
        m.put("CYM_J_DL_HAS_STRIDES", (long) DLPackTensor.HAS_STRIDES);
        m.put("CYM_J_DL_SHAPE", (long) DLPackTensor.SHAPE);
        m.put("CYM_J_DL_MAX_LENGTH", (long) DLPackTensor.MAX_LENGTH);
        m.forEach((name, java) -> assertEquals(c(name), (long) java, name));
    }
}
