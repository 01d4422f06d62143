package org.cymem4j.view;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

import org.cymem4j.internal.Checks;
import org.cymem4j.internal.MappedFile;

/**
 * A {@code .npy} file mapped into memory ({@link Npy#map}): NumPy's {@code np.load(path, mmap_mode=...)}. Its
 * {@link #view()} reads and writes the file's elements in place, and the operating system pages the file in only as
 * the views touch it, so a file larger than the Java heap, than RAM or than any pool's byte limit works (the mapping
 * is not pool memory). {@link #close()} unmaps it, after writing a {@code READ_WRITE} mapping's changes to the file;
 * every view then throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (MappedArray m = Npy.map(Path.of("big.npy"), FileChannel.MapMode.READ_WRITE)) {   // np.load(..., mmap_mode="r+")
 *     MemoryView v = m.view();
 *     v.putDouble(7, v.getDouble(7) + 1);      // changes the file (msync on close, or force())
 * }                                            // unmapped here: v.getDouble(7) throws IllegalStateException
 * }</pre>
 *
 * <p>Any thread may use and close a mapping. A view read on one thread while another closes the mapping either
 * completes before the file is unmapped or throws {@link IllegalStateException}; it never reads unmapped memory.
 * What stays the user's race, as with any {@code mmap}: another process truncating the file while it is mapped
 * (an access past the new end then crashes the JVM with {@code SIGBUS}).
 *
 * @apiNote {@link #close()} is idempotent, like {@link NativeArray#close()}; it declares {@link IOException} because
 *     a failed {@code msync} means writes may not have reached the file, which {@code FileChannel.close()} would
 *     report the same way.
 */
public final class MappedArray implements AutoCloseable {
    private final Path path;
    private final FileChannel.MapMode mode;
    private final DType dtype;
    private final Order order;
    private final long[] shape;
    private final long[] strides;
    private final MappedFile file;
    private final Owner owner;
    private final Region region;

    MappedArray(Path path, FileChannel.MapMode mode, int nativeMode, NpyHeader h) throws IOException {
        this.path = path;
        this.mode = mode;
        this.dtype = h.dtype;
        this.order = h.order();
        this.shape = h.shape.clone();
        this.strides = order.strides(shape, dtype.itemsize());
        this.file = MappedFile.open(path, nativeMode, mode.toString(), h.dataOffset, h.dataBytes, this);
        this.owner = Owner.ofSpan(file.span(), this, null);
        this.region = new Region(file.span().address(), h.dataBytes, owner);
    }

    /**
     * The view of every element of the file, in the file's order; its {@link MemoryView#base()} is this mapping.
     * Read-only for a {@code READ_ONLY} mapping ({@link MemoryView#isReadOnly()}).
     *
     * @return a new view with the file's type, shape and strides
     * @throws IllegalStateException if the mapping is closed
     */
    public MemoryView view() {
        owner.check();
        return new MemoryView(owner, region, 0, dtype, shape.clone(), strides.clone(), null);
    }

    /**
     * Every data byte of the file as a one-dimensional {@link DType#UBYTE} view ({@code m.view(np.uint8)} of a
     * C-contiguous memmap), whatever the element type: the byte-level access to a mapped struct or big-endian file
     * until views accept those element types.
     */
    MemoryView byteView() {
        owner.check();
        return new MemoryView(owner, region, 0, DType.UBYTE, new long[] {region.bytes}, new long[] {1}, null);
    }

    /**
     * The element type, from the file's {@code descr}.
     *
     * @return the type of every element
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The length of each axis, from the file's {@code shape}.
     *
     * @return a copy of the shape, in elements per axis
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The file's layout ({@code fortran_order}).
     *
     * @return {@link Order#C} or {@link Order#FORTRAN}
     */
    public Order order() {
        return order;
    }

    /**
     * The mapped file.
     *
     * @return the path given to {@link Npy#map}
     */
    public Path path() {
        return path;
    }

    /**
     * How the file is mapped.
     *
     * @return {@code READ_ONLY}, {@code READ_WRITE} or {@code PRIVATE} (copy-on-write)
     */
    public FileChannel.MapMode mode() {
        return mode;
    }

    /**
     * The size of the data (the file minus its header).
     *
     * @return the size in bytes; still answered after the mapping is closed
     */
    public long byteSize() {
        return file.span().bytes();
    }

    /**
     * Whether the mapping is still usable.
     *
     * @return true until {@link #close()}
     */
    public boolean isOpen() {
        return file.isOpen();
    }

    /**
     * Writes the changes made through a {@code READ_WRITE} mapping to the file now ({@code msync}), as
     * {@code MappedByteBuffer.force()} and NumPy's {@code memmap.flush()} do; nothing for the other modes.
     *
     * @throws IOException if {@code msync} failed: the changes may not have reached the file
     * @throws IllegalStateException if the mapping is closed
     */
    public void force() throws IOException {
        file.force(path);
    }

    /**
     * Unmaps the file, after writing a {@code READ_WRITE} mapping's changes to it ({@code msync}). Waits for accesses
     * in flight on other threads to finish; every later access through a view throws {@link IllegalStateException}.
     * Idempotent; any thread may call it.
     *
     * @throws IOException if {@code msync} failed (the file is unmapped anyway; the changes may not have reached it)
     */
    @Override
    public void close() throws IOException {
        file.close(path);
    }

    /** {@code <MappedArray d[2, 3] C of /tmp/a.npy READ_ONLY>}. */
    @Override
    public String toString() {
        return "<MappedArray " + dtype.typecode() + Arrays.toString(shape) + " " + order + " of " + path + " " + mode
                + " at " + Checks.hex(file.span().address()) + (isOpen() ? "" : ", closed") + ">";
    }
}
