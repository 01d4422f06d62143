package org.cymem4j.internal;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;

import org.cymem4j.internal.jni.NativeMapped;

/**
 * A whole file mapped into memory by the C core ({@code mapped.c}), as a handle of the lifetime core: a shared
 * {@link Scope} whose one {@link Span} covers the data the caller reads (a {@code .npy} file's elements, after the
 * header). The mapping is not pool memory: no pool or byte limit counts it, and the kernel reads the file in lazily,
 * so files larger than the Java heap or RAM work.
 *
 * <p>Closing follows the shared pool's path: {@link Scope#beginClose()} refuses new accesses, waits for native calls
 * in flight and (JDK 22+) closes the scope's FFM arena with its handshake, so every Java access in flight has finished
 * or failed with {@link IllegalStateException}; only then does C {@code msync} (read-write) and {@code munmap}. A
 * mapping nobody closed is unmapped by a {@link Cleaner} once its face is unreachable (no view can reach it then).
 */
public final class MappedFile {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The names of the errno values a mapping meets, for messages (Java has no strerror). */
    private static final Map<Integer, String> ERRNO = Map.ofEntries(Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"),
            Map.entry(5, "EIO"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"),
            Map.entry(16, "EBUSY"), Map.entry(19, "ENODEV"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"),
            Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(26, "ETXTBSY"), Map.entry(27, "EFBIG"),
            Map.entry(28, "ENOSPC"), Map.entry(30, "EROFS"), Map.entry(75, "EOVERFLOW"));

    private final Scope scope;
    private final Span span;
    private final Mapping mapping;
    private final Cleaner.Cleanable cleanable;

    /**
     * The native mapping, released exactly once: by {@link #close()} or by the cleaner. Holds nothing of the face, so
     * the cleaner can run.
     */
    private static final class Mapping implements Runnable {
        private final long handle;
        /** msync's errno from the release: 0 when the data reached the file. */
        private volatile int syncErrno;

        Mapping(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            syncErrno = NativeMapped.cym_j_mapped_close(handle);
        }
    }

    private MappedFile(Scope scope, long handle, long dataOffset, long dataBytes, Object face, String readOnly) {
        this.scope = scope;
        this.mapping = new Mapping(handle);
        long base = NativeMapped.cym_j_mapped_address(handle);
        this.span = new Span(scope, base + dataOffset, dataBytes, face, readOnly);
        this.cleanable = CLEANER.register(face, mapping);
    }

    /**
     * Maps {@code path}, whose data is {@code [dataOffset, dataOffset + dataBytes)}, after checking in C, on the
     * descriptor it maps, that the file still holds that much.
     *
     * @param path the file
     * @param mode {@link NativeMapped#MAP_READ_ONLY}, {@link NativeMapped#MAP_READ_WRITE} or
     *     {@link NativeMapped#MAP_COPY_ON_WRITE}
     * @param modeName how messages name the mode ({@code READ_ONLY})
     * @param face what messages call the mapping (its {@code toString()}); the cleaner unmaps once it is unreachable
     * @throws IOException naming the file and the call that failed, with its errno; nothing stays mapped
     */
    public static MappedFile open(Path path, int mode, String modeName, long dataOffset, long dataBytes, Object face)
            throws IOException {
        String file = path.toAbsolutePath().toString();
        byte[] name = (file + '\0').getBytes(Charset.forName(System.getProperty("sun.jnu.encoding",
                Charset.defaultCharset().name())));
        long[] info = new long[NativeMapped.INFO_LENGTH];
        long handle = NativeMapped.cym_j_mapped_open(name, mode, dataOffset + dataBytes, info);
        if (handle < 0) {
            throw failure(path, modeName, (int) -handle, info, dataOffset + dataBytes);
        }
        try {
            String readOnly = mode == NativeMapped.MAP_READ_ONLY
                    ? "is read-only (map the file READ_WRITE or PRIVATE to write it)" : null;
            return new MappedFile(Scope.shared("mapped file " + file, false), handle, dataOffset, dataBytes, face,
                    readOnly);
        } catch (RuntimeException | Error e) {
            NativeMapped.cym_j_mapped_close(handle); // nothing else knows the mapping yet
            throw e;
        }
    }

    private static IOException failure(Path path, String modeName, int status, long[] info, long needed) {
        int errno = (int) info[NativeMapped.INFO_ERRNO];
        String os = errno == 0 ? "" : " (errno " + errno + " " + ERRNO.getOrDefault(errno, "") + ")";
        switch ((int) info[NativeMapped.INFO_CALL]) {
            case NativeMapped.CALL_OPEN:
                return new IOException(path + ": cannot open the file to map it " + modeName + os);
            case NativeMapped.CALL_FSTAT:
                return new IOException(path + ": cannot stat the file to map it" + os);
            case NativeMapped.CALL_TYPE:
                return new IOException(path + " is not a regular file; only regular files can be mapped");
            case NativeMapped.CALL_LENGTH:
                return new IOException(path + " is truncated: mapping needs " + needed + " bytes but the file has "
                        + info[NativeMapped.INFO_FILE_SIZE] + " (it changed after its header was read?)");
            case NativeMapped.CALL_MMAP:
                return new IOException(path + ": mmap of " + info[NativeMapped.INFO_FILE_SIZE] + " bytes " + modeName
                        + " failed" + os);
            default:
                return new IOException(path + ": cannot map the file " + modeName + ": " + NativeStatus.text(status)
                        + os);
        }
    }

    /** The span of the data: what every view of the mapping reads through. */
    public Span span() {
        return span;
    }

    /** True until {@link #close()} began. */
    public boolean isOpen() {
        return scope.isOpen();
    }

    /**
     * Writes a read-write mapping's changed pages to the file now ({@code msync}); nothing for the other modes.
     *
     * @throws IOException if {@code msync} failed: the data may not have reached the file
     * @throws IllegalStateException if the mapping is closed
     */
    public void force(Path path) throws IOException {
        span.enterNative(); // close() waits for it: the mapping cannot go away under msync
        int errno;
        try {
            errno = NativeMapped.cym_j_mapped_sync(mapping.handle);
        } finally {
            span.exitNative();
        }
        if (errno != 0) {
            throw new IOException(path + ": msync failed (errno " + errno + " " + ERRNO.getOrDefault(errno, "")
                    + "): the data may not have reached the file");
        }
    }

    /**
     * Unmaps (after {@code msync} for read-write) once every access in flight has finished or failed; idempotent and
     * callable from any thread.
     *
     * @throws IOException if the first close's {@code msync} failed (the mapping is released anyway)
     */
    public void close(Path path) throws IOException {
        if (!scope.beginClose()) {
            return;
        }
        span.invalidate("was closed (the file is unmapped)");
        cleanable.clean();
        int errno = mapping.syncErrno;
        if (errno != 0) {
            throw new IOException(path + ": msync before unmapping failed (errno " + errno + " "
                    + ERRNO.getOrDefault(errno, "") + "): writes may not have reached the file");
        }
    }
}
