package org.cymem4j.view;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>Every element type travels, byte for byte as NumPy holds it: the scalars ({@code |b1 |i1 |u1 <i2 <u2 <i4 <u4
 * <i8 <u8 <f2 <f4 <f8 <c8 <c16 <U1}, each also big-endian {@code >}), byte strings ({@code |S5}) and structs (NumPy's
 * list-of-tuples descr, with {@code ('', '|V4')} padding entries, sub-array fields {@code ('m', '<f8', (2, 3))} and
 * nested structs, aligned or packed). Data keeps the file's byte order, as {@code np.load} does: a {@code '>i4'} file
 * reads as {@code DType.INT.withOrder(BIG_ENDIAN)} holding the file's bytes. Writing produces exactly the bytes
 * {@code np.save} writes for the same array: format version 1.0 (2.0 when the header exceeds 65535 bytes, 3.0 when a
 * field name needs UTF-8), the header dictionary as NumPy formats it, padded so the data starts at a multiple of 64
 * bytes, Fortran order when the view is Fortran- but not C-contiguous and C order otherwise. Reading accepts versions
 * 1.0, 2.0 and 3.0, C and Fortran order; files with other types (objects, unicode strings longer than one
 * character, raw bytes {@code V} other than padding, field titles, datetimes) are refused with an
 * {@link IOException} quoting the bad part of the descriptor. {@link #map} maps a file instead of reading it
 * ({@code np.load(path, mmap_mode=...)}): a {@link MappedArray} whose views read and write the file in place.
 */
public final class Npy {
    private static final int CHUNK = 1 << 24;

    private Npy() {
    }

    /**
     * The {@code descr} NumPy writes in a {@code .npy} header for a type, as the Python literal the header holds:
     * {@code dtype.str} for a scalar or byte string ({@code "<f8"}, {@code "|u1"}, {@code ">i4"}, {@code "|S5"}),
     * {@code repr(dtype.descr)} for a struct ({@code "[('a', '<i4'), ('', '|V4'), ('b', '<f8', (2,))]"}).
     *
     * @param t the element type
     * @return for a scalar: {@code "|"} for one-byte types, {@code "<"} or {@code ">"} by its byte order otherwise,
     *     then the kind ({@code b i u f c}) and the item size in bytes ({@code "<U1"} for {@link DType#WCHAR}); for a
     *     struct, its fields in offset order with every gap as a {@code ('', '|V<n>')} entry
     * @throws IllegalArgumentException for a sub-array type, which NumPy folds into an array's shape
     */
    public static String descr(DType t) {
        String repr = NpyDescr.repr(t);
        return t.kind() == DType.Kind.STRUCT ? repr : repr.substring(1, repr.length() - 1);
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
     * @throws IllegalArgumentException if the view's element type is a sub-array whose dimensions and the view's
     *     make more than 32 axes
     */
    public static void write(MemoryView view, Path path) throws IOException {
        boolean folded = view.dtype.kind() == DType.Kind.SUBARRAY;
        boolean fortran = !folded && view.ndim > 1 && view.isFContiguous() && !view.isCContiguous();
        byte[] header = header(view.dtype, fortran, view.shape);
        MemoryView ordered = fortran ? view.T() : view; // Fortran data is the transpose's C order
        view.address(); // throws IllegalStateException for a dead view, before anything is written
        save(path, header, ch -> writeData(ch, ordered));
    }

    /** The header for an array; a sub-array element type is folded into the shape, as NumPy does. */
    private static byte[] header(DType dtype, boolean fortran, long[] shape) {
        if (dtype.kind() != DType.Kind.SUBARRAY) {
            return NpyHeader.encode(dtype, fortran, shape);
        }
        long[] dims = DTypeFormat.flatDims(dtype);
        long[] all = java.util.Arrays.copyOf(shape, shape.length + dims.length);
        System.arraycopy(dims, 0, all, shape.length, dims.length);
        if (all.length > 32) {
            throw new IllegalArgumentException("the shape " + java.util.Arrays.toString(shape) + " with the sub-array"
                    + " dimensions of " + dtype.displayName() + " has " + all.length + " axes; .npy files here hold 32");
        }
        return NpyHeader.encode(DTypeFormat.innermost(dtype), false, all);
    }

    /** Writes the data of a file. */
    @FunctionalInterface
    private interface DataWriter {
        void write(FileChannel ch) throws IOException;
    }

    /**
     * Writes {@code header} then the data to a temporary file in {@code path}'s directory, then renames it over
     * {@code path}; on any failure the previous file stays and the temporary one is removed.
     */
    private static void save(Path path, byte[] header, DataWriter data) throws IOException {
        Path target = Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path;
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = temporary(dir, target.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header));
                data.write(ch);
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

    /**
     * Writes {@code v}'s elements in C order: straight from memory when it is C-contiguous, through one C copy into
     * a temporary array for a long strided view of a type the C kernels know, else element by element (any type:
     * each element's bytes as they are, so structs and big-endian data keep their layout).
     */
    private static void writeData(FileChannel ch, MemoryView v) throws IOException {
        if (v.suboffsets == null && v.isCContiguous()) {
            v.owner.enter();
            try {
                writeRange(ch, v.region.access, v.offset, v.byteSize());
            } finally {
                v.owner.exit();
            }
            return;
        }
        if (v.dtype.nativeCode() >= 0 && Kernels.bulkable(v)) {
            Kernels.readContiguous(v, v.dtype, (access, at) -> {
                try {
                    writeRange(ch, access, at, v.byteSize());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return;
        }
        int w = v.itemsize;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(w, Math.min(CHUNK, v.byteSize())));
        v.owner.enter();
        try {
            Kernels.walk(v, (m, o) -> {
                if (buf.remaining() < w) {
                    flush(ch, buf);
                }
                buf.put(m.slice(o, w));
            });
        } finally {
            v.owner.exit();
        }
        flush(ch, buf);
    }

    private static void flush(FileChannel ch, ByteBuffer buf) {
        buf.flip();
        try {
            writeFully(ch, buf);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        buf.clear();
    }

    private static void writeRange(FileChannel ch, MemoryAccess access, long at, long bytes) throws IOException {
        for (long done = 0; done < bytes; done += CHUNK) {
            writeFully(ch, access.slice(at + done, (int) Math.min(CHUNK, bytes - done)));
        }
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
     *     problem), and when the file cannot be opened in {@code mode} or mapped (the message names the call and its errno)
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
     * header promises more data than it holds is refused without asking the pool for memory. The array holds the
     * file's bytes unchanged, in the file's byte order and layout, as {@code np.load} does ({@code arr.tobytes()} of
     * NumPy's array equals the array's memory); its {@link NativeArray#dtype()} is the file's type, big-endian and
     * struct types included.
     *
     * <pre>{@code
     * // np.save("p.npy", np.zeros(3, dtype=[("x", "<f4"), ("n", ">i2")]))
     * NativeArray a = Npy.read(pool, Path.of("p.npy"));
     * a.dtype().field("n").offset();          // 4
     * a.dtype().field("n").type();            // SHORT_BE (DType.SHORT.withOrder(BIG_ENDIAN))
     * }</pre>
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
            NativeArray a = NativeArray.allocateAligned(pool, dtype, h.order(), 1, shape);
            try {
                Owner owner = a.owner();
                owner.enter();
                try {
                    MemoryAccess m = a.region().access;
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
                } finally {
                    owner.exit();
                }
                return a;
            } catch (IOException | RuntimeException | Error e) {
                a.close();
                throw e;
            }
        }
    }
}
