package org.cymem4j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cymem4j.testing.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4 GiB {@code .npy} file (2^29 doubles) mapped and summed in a JVM whose heap is 256 MiB. The file is sparse: the
 * header, then the length set (the data reads as zeros), then a few known values written at known offsets, so it
 * costs almost no disk; the test is skipped, saying so, only when the disk could not hold the whole file anyway.
 */
class NpyMapHugeTest {
    private static final long ELEMENTS = 1L << 29;

    @Test
    void shouldSumAFourGibFileInA256MibHeap(@TempDir Path dir) throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        Assumptions.assumeTrue(usable > ELEMENTS * 8 + (1L << 28), "skipped: the disk under " + dir + " has "
                + usable + " usable bytes, less than the 4 GiB file needs");
        Path file = dir.resolve("huge.npy");
        try {
            long dataOffset = writeHeader(file);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(dataOffset + ELEMENTS * 8);
                put(f, dataOffset, 0, 1.5);
                put(f, dataOffset, 123_456_789, 2.25);
                put(f, dataOffset, 1L << 28, -4.0);
                put(f, dataOffset, ELEMENTS - 1, 8.0);
            }
            ChildJvm.Result r = ChildJvm.run(NpyMapHugeMain.class, List.of("-Xmx256m", "-Dmapped.file=" + file),
                    Map.of(), null, dir, true);
            assertEquals(0, r.exit(), "child JVM died (exit " + r.exit() + "): " + r.err());
            assertEquals("elements=536870912 sum=7.75 e0=1.5 e1=0.0 mid=2.25 high=-4.0 last=8.0 heapBelowFile=true",
                    r.out());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** np.save's header for ({@code ELEMENTS},) little-endian doubles; returns where the data starts. */
    private static long writeHeader(Path file) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + ELEMENTS + ",), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        Files.write(file, b.array());
        return b.capacity();
    }

    private static void put(RandomAccessFile f, long dataOffset, long index, double value) throws IOException {
        f.seek(dataOffset + index * 8);
        f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
    }
}
