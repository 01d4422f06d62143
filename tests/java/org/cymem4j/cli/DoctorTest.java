package org.cymem4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    private static Doctor.Finding find(List<Doctor.Finding> findings, String prefix) {
        return findings.stream().filter(f -> f.check().startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no finding starting with '" + prefix + "' in " + findings));
    }

    @Test
    void shouldWarnAboutALimitedAddressSpaceAndSayHowToRaiseIt(@TempDir Path dir) throws IOException {
        Path limits = dir.resolve("limits");
        Files.writeString(limits, "Limit                     Soft Limit           Hard Limit           Units\n"
                + "Max address space         1073741824           unlimited            bytes\n");
        Doctor.Finding f = Doctor.addressSpace(limits);
        assertEquals("warn", f.level());
        assertEquals("address space (ulimit -v): limited to 1073741824 bytes", f.check());
        assertTrue(f.advice().contains("ulimit -v unlimited"), f.advice());
        Files.writeString(limits, "Max address space         unlimited            unlimited            bytes\n");
        assertEquals("ok", Doctor.addressSpace(limits).level());
        assertEquals("warn", Doctor.addressSpace(dir.resolve("missing")).level());
    }

    @Test
    void shouldAdviseOnStaticTlsForJemallocOnlyWhenTheTunableIsMissing(@TempDir Path dir) {
        Path none = dir.resolve("none");
        List<Doctor.Finding> without = Doctor.check(List.of(), Map.of(), none);
        assertTrue(find(without, "GLIBC_TUNABLES").advice().contains("glibc.rtld.optional_static_tls=16384"));
        List<Doctor.Finding> with = Doctor.check(List.of(),
                Map.of("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=16384"), none);
        assertTrue(with.stream().noneMatch(f -> f.check().startsWith("GLIBC_TUNABLES")), with.toString());
    }

    @Test
    void shouldCheckNativeAccessAgainstTheRunningJdk(@TempDir Path dir) {
        Doctor.Finding withFlag = find(Doctor.check(List.of("--enable-native-access=ALL-UNNAMED"), Map.of(),
                dir.resolve("x")), "native access");
        assertEquals("ok", withFlag.level());
        Doctor.Finding noFlag = find(Doctor.check(List.of(), Map.of(), dir.resolve("x")), "native access");
        assertEquals(Runtime.version().feature() >= 22 ? "warn" : "ok", noFlag.level(), noFlag.check());
    }

    @Test
    void shouldPassOnThisMachineAndAllocateThroughTheLibrary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Doctor.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.contains("ok    native library: loaded from "), out);
        assertTrue(out.contains("a pool allocated and freed"), out);
        assertTrue(out.endsWith("doctor: no problems that stop cymem4j" + System.lineSeparator()), out);
    }
}
