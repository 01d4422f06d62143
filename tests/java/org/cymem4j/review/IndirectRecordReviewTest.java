package org.cymem4j.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copyFrom, contentEquals and copy() of indirect arrays of structs go through the row pointers (child JVM). */
class IndirectRecordReviewTest {
    @Test
    void shouldCopyAndCompareIndirectRecordsThroughTheirRows(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(IndirectRecordsMain.class, List.of(), Map.of(), null, dir);
        assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
        assertEquals("copied=true\nequal=true\nequalAfterChange=false\ncopyEqual=true false", r.out());
    }
}
