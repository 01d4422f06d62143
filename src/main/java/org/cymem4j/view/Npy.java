package org.cymem4j.view;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import org.cymem4j.Pool;
import org.cymem4j.internal.MemoryAccess;
import org.cymem4j.internal.jni.NativeMapped;

/**
 * NumPy's {@code .npy} file format, so arrays travel between this library and NumPy ({@code np.save}/{@code np.load}).
 *
 * <pre>{@code
 * Npy.write(view, Path.of("a.npy"));                  // np.load("a.npy") in Python gives the same array
 * try (Pool pool = Pool.open()) {
 *     NativeArray a = Npy.read(pool, Path.of("b.npy"));   // saved by np.save
 *     MemoryView v = a.view();
 * }
 * }</pre>
 *
 * <p>Writing produces format version 1.0 (2.0 when the header exceeds 65535 bytes), little-endian, in Fortran order
 * when the view is Fortran- but not C-contiguous (as {@code np.save} does) and C order otherwise, with the header
 * padded so the data starts at a multiple of 64 bytes, byte for byte as {@code np.save} writes it. Reading accepts versions 1.0, 2.0 and 3.0, C and Fortran
 * order, little-endian ({@code <}), big-endian ({@code >}, swapped to native order on read) and
 * byte-order-free ({@code |}) data of the types {@code i1 u1 i2 u2 i4 u4 i8 u8 f4 f8} (and {@code U1} as {@code 'u'}).
 * Files with other types (bool, complex, strings, objects, structured) are refused with an {@link IOException}
 * naming the descriptor. {@link #map} maps a file instead of reading it ({@code np.load(path, mmap_mode=...)}): a
 * {@link MappedArray} whose views read and write the file in place.
 */
public final class Npy {
    private static final int CHUNK = 1 << 24;

    private Npy() {
    }

    /**
     * The {@code descr} NumPy uses for a type, little-endian: {@code "<f8"}, {@code "|u1"}.
     *
     * @param t the element type
     * @return the type's NumPy descriptor: {@code "|"} for one-byte types, {@code "<"} otherwise, then the kind
     *     ({@code i}, {@code u} or {@code f}) and the item size in bytes; {@code "<U1"} for {@link DType#WCHAR}
     */
    public static String descr(DType t) {
        if (t == DType.WCHAR) {
            return "<U1";
        }
        char kind = t.isFloating() ? 'f' : t.isSigned() ? 'i' : 'u';
        return (t.itemsize() == 1 ? "|" : "<") + kind + t.itemsize();
    }

    /**
     * Writes the view's elements as a {@code .npy} file, replacing any file at {@code path} as a whole: the data goes
     * to a temporary file in the same directory, which is then renamed over {@code path} (atomically where the file
     * system can). If anything fails - the view is dead, the disk is full, the target is a directory - the previous
     * file is left as it was and the temporary file is removed. A symbolic link at {@code path} is written through
     * (its target is replaced); a replaced file keeps its POSIX permissions.
     *
     * @param view the view to save, of any shape and strides
     * @param path the file to write
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if the view's owner is closed or freed (checked before any file is touched)
     * @throws IllegalArgumentException if the view is indirect (has suboffsets), not contiguous, and has more than
     *     {@code Integer.MAX_VALUE - 8} elements (write a {@code copy()} of it instead)
     */
    public static void write(MemoryView view, Path path) throws IOException {
        boolean fortran = view.ndim > 1 && view.isFContiguous() && !view.isCContiguous();
        byte[] header = NpyHeader.encode(descr(view.dtype), fortran, view.shape);
        MemoryView ordered = fortran ? view.T() : view; // Fortran data is the transpose's C order
        boolean direct = ordered.isCContiguous() || Kernels.bulkable(ordered);
        view.address(); // throws IllegalStateException for a dead view, before anything is written
        if (!direct && ordered.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the view has " + ordered.size() + " elements; a non-contiguous view"
                    + " written through Java holds at most " + (Integer.MAX_VALUE - 8) + " (copy() it first)");
        }
        Path target = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = temporary(dir, target.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header));
                writeData(ch, view, ordered, direct);
                ch.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the write already failed; a leftover temporary file is reported by nothing better than its name
                }
            }
        }
    }

    /** A new empty file {@code .<name>.<random>.tmp} in {@code dir}, created with the default permissions. */
    private static Path temporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Gives the new file the permissions of the file it replaces, where the file system has POSIX permissions. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (Files.isRegularFile(target)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file gets the default permissions
        }
    }

    private static void writeData(FileChannel ch, MemoryView view, MemoryView ordered, boolean direct) throws IOException {
        if (direct) {
            Kernels.readContiguous(ordered, ordered.dtype, (access, at) -> {
                try {
                    for (long done = 0, total = ordered.byteSize(); done < total; done += CHUNK) {
                        writeFully(ch, access.slice(at + done, (int) Math.min(CHUNK, total - done)));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return;
        }
        long[] bits = Kernels.rawBits(ordered);
        int w = view.itemsize;
        ByteBuffer buf = ByteBuffer.allocate(Math.max(w, Math.min(CHUNK, bits.length * w))).order(ByteOrder.LITTLE_ENDIAN);
        for (long b : bits) {
            if (buf.remaining() < w) {
                buf.flip();
                writeFully(ch, buf);
                buf.clear();
            }
            switch (w) {
                case 1: buf.put((byte) b); break;
                case 2: buf.putShort((short) b); break;
                case 4: buf.putInt((int) b); break;
                default: buf.putLong(b);
            }
        }
        buf.flip();
        writeFully(ch, buf);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Maps a {@code .npy} file into memory instead of reading it: NumPy's {@code np.load(path, mmap_mode=...)}. The
     * array's views read (and, unless read-only, write) the file's elements in place, and the operating system pages
     * the file in only as they are touched, so files larger than the Java heap, RAM or any pool's limit work; the
     * mapping is not pool memory. The header is parsed and checked against the file's length first, and again in C on
     * the descriptor that is mapped: nothing is mapped for a malformed file.
     *
     * <pre>{@code
     * try (MappedArray m = Npy.map(Path.of("a.npy"), FileChannel.MapMode.READ_ONLY)) {   // mmap_mode="r"
     *     double first = m.view().getDouble(0, 0);
     *     m.view().putDouble(0, 0, 1.0);      // throws UnsupportedOperationException: the mapping is read-only
     * }                                       // unmapped here
     * }</pre>
     *
     * @param path the {@code .npy} file to map
     * @param mode {@code READ_ONLY} ({@code mmap_mode="r"}: views refuse writes with
     *     {@link UnsupportedOperationException}), {@code READ_WRITE} ({@code "r+"}: writes reach the file, at the
     *     latest when the mapping is closed) or {@code PRIVATE} ({@code "c"}: copy-on-write, writes stay in this
     *     process and never reach the file)
     * @return the open mapping, with the file's type, shape and order (C or Fortran)
     * @throws IOException for every malformed file {@link #read} refuses (the message names the file and the
     *     problem), for big-endian multi-byte data (a mapping cannot swap bytes in place: {@link #read} converts it),
     *     and when the file cannot be opened in {@code mode} or mapped (the message names the call and its errno)
     * @throws IllegalArgumentException if {@code mode} is not one of the three standard modes (for example the
     *     JDK's {@code ExtendedMapMode.READ_ONLY_SYNC})
     * @throws NullPointerException if {@code mode} is null
     */
    public static MappedArray map(Path path, FileChannel.MapMode mode) throws IOException {
        int nativeMode = nativeMode(mode);
        NpyHeader h;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            h = NpyHeader.read(ch, path);
        }
        if (h.bigEndian) {
            throw new IOException(path + ": .npy data is big-endian ('" + h.descr + "'); a mapping cannot swap bytes"
                    + " in place (Npy.read converts it, or save it little-endian)");
        }
        return new MappedArray(path, mode, nativeMode, h);
    }

    private static int nativeMode(FileChannel.MapMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        if (mode == FileChannel.MapMode.READ_ONLY) {
            return NativeMapped.MAP_READ_ONLY;
        } else if (mode == FileChannel.MapMode.READ_WRITE) {
            return NativeMapped.MAP_READ_WRITE;
        } else if (mode == FileChannel.MapMode.PRIVATE) {
            return NativeMapped.MAP_COPY_ON_WRITE;
        }
        throw new IllegalArgumentException("mode must be READ_ONLY, READ_WRITE or PRIVATE, not " + mode);
    }

    /**
     * Reads a {@code .npy} file into a new {@link NativeArray} of {@code pool}, in the file's order (C or Fortran).
     * The whole header is parsed and checked against the file's length before anything is allocated: a file whose
     * header promises more data than it holds is refused without asking the pool for memory.
     *
     * @param pool the pool that allocates the array's memory
     * @param path the {@code .npy} file to read
     * @return a new array owning the file's data, with the file's type, shape and order
     * @throws IOException if the file cannot be read, or is malformed in any way: not a {@code .npy} file (bad magic
     *     string), an unsupported version, a header length past the end of the file, a header that is not the
     *     dictionary NumPy writes (exactly the keys {@code descr}, {@code fortran_order} and {@code shape}), a type
     *     this library does not have, a shape with negative dimensions, more than 32 of them, or a byte size that
     *     overflows, or data shorter than the header promises. The message names the file and the problem. No memory
     *     stays allocated then.
     * @throws org.cymem4j.NativeOutOfMemoryError if the pool cannot allocate the array (the file does hold its data)
     */
    public static NativeArray read(Pool pool, Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(ch, path);
            DType dtype = h.dtype;
            long[] shape = h.shape;
            long total = h.dataBytes;
            NativeArray a = NativeArray.allocate(pool, dtype, h.order(), shape);
            try {
                MemoryView v = a.view();
                v.owner.enter();
                try {
                    MemoryAccess m = v.region.access;
                    for (long done = 0; done < total; done += CHUNK) {
                        int n = (int) Math.min(CHUNK, total - done);
                        ByteBuffer dst = m.slice(done, n);
                        while (dst.hasRemaining()) {
                            if (ch.read(dst) < 0) { // the file shrank while being read
                                throw new IOException(path + " is truncated: the header promises " + total
                                        + " data bytes (" + h.descr + ", shape " + h.shapeText
                                        + ") but the file ends after " + (done + dst.position()));
                            }
                        }
                    }
                    if (h.bigEndian) {
                        byteSwap(m, total, dtype.itemsize());
                    }
                } finally {
                    v.owner.exit();
                }
                return a;
            } catch (IOException | RuntimeException | Error e) {
                a.close();
                throw e;
            }
        }
    }

    private static void byteSwap(MemoryAccess m, long total, int width) {
        for (long o = 0; o < total; o += width) {
            switch (width) {
                case 2: m.putShort(o, Short.reverseBytes(m.getShort(o))); break;
                case 4: m.putInt(o, Integer.reverseBytes(m.getInt(o))); break;
                default: m.putLong(o, Long.reverseBytes(m.getLong(o)));
            }
        }
    }
}
