package org.cymem4j.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a struct {@link DType}: fields in declaration order, laid out by the C rules of this platform (each field at
 * the next multiple of its alignment, the size rounded up to the largest alignment) or packed.
 *
 * <pre>{@code
 * DType row = DType.struct().add("length", DType.ULONG).add("values", DType.POINTER).build();   // 16 bytes
 * DType packed = DType.struct().packed().add("a", DType.DOUBLE).add("b", DType.UBYTE).build(); // 9 bytes
 * }</pre>
 */
public final class StructBuilder {
    private final List<DType.Field> fields = new ArrayList<>();
    private long end;
    private int alignment = 1;
    private boolean packed;
    private long itemsize = -1;

    StructBuilder() {
    }

    /**
     * Lays the fields end to end, with no padding and alignment 1. Call before {@link #add}.
     *
     * @return this builder
     */
    public StructBuilder packed() {
        if (!fields.isEmpty()) {
            throw new IllegalStateException("packed() must come before the first field");
        }
        packed = true;
        return this;
    }

    /**
     * Adds a field after the previous one (at the next multiple of its alignment unless packed).
     *
     * @param name the field's name
     * @param type its type
     * @return this builder
     */
    public StructBuilder add(String name, DType type) {
        long offset = packed ? end : DType.align(end, type.alignment());
        return addAt(name, offset, type);
    }

    /**
     * Adds a field at an explicit offset (NumPy's {@code offsets}); it must not overlap an earlier field.
     *
     * @param name the field's name
     * @param offset its byte offset
     * @param type its type
     * @return this builder
     * @throws IllegalArgumentException if the field overlaps an earlier one, its offset is negative, or it ends past
     *     {@code Integer.MAX_VALUE} bytes (the largest item size)
     */
    public StructBuilder addAt(String name, long offset, DType type) {
        DType.Field f = new DType.Field(name, offset, type);
        if (offset > Integer.MAX_VALUE - (long) type.itemsize()) { // also keeps offset + itemsize from wrapping
            throw new IllegalArgumentException("field '" + name + "' at offset " + offset + " (" + type.itemsize()
                    + " bytes) ends past the largest struct, " + Integer.MAX_VALUE + " bytes");
        }
        for (DType.Field g : fields) {
            if (g.name().equals(name)) {
                throw new IllegalArgumentException("duplicate field name '" + name + "'");
            }
            if (offset < g.offset() + g.type().itemsize() && g.offset() < offset + type.itemsize()) {
                throw new IllegalArgumentException("field '" + name + "' at offset " + offset + " overlaps '"
                        + g.name() + "' at " + g.offset() + " (" + g.type().itemsize() + " bytes)");
            }
        }
        fields.add(f);
        end = Math.max(end, offset + type.itemsize());
        if (!packed) {
            alignment = Math.max(alignment, type.alignment());
        }
        return this;
    }

    /**
     * Sets the struct's total size (trailing padding), at least the end of its last field.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public StructBuilder itemsize(long bytes) {
        itemsize = bytes;
        return this;
    }

    /**
     * The struct type.
     *
     * @return the type
     * @throws IllegalArgumentException if it has no field, its size is smaller than its fields' extent or
     *     larger than {@code Integer.MAX_VALUE}
     */
    public DType build() {
        long size = itemsize >= 0 ? itemsize : (packed ? end : DType.align(end, alignment));
        if (size < end || size == 0) {
            throw new IllegalArgumentException("struct itemsize must be >= " + Math.max(end, 1) + " but was " + size);
        }
        if (size > Integer.MAX_VALUE) { // itemsize() is an int
            throw new IllegalArgumentException("struct itemsize must be <= " + Integer.MAX_VALUE + " but was " + size);
        }
        return DType.structOf(fields, size, alignment);
    }
}
