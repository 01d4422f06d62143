package org.cymem4j.javacpp;

import org.bytedeco.javacpp.indexer.Index;
import org.bytedeco.javacpp.indexer.StrideIndex;
import org.cymem4j.internal.Checks;
import org.cymem4j.view.MemoryView;

/**
 * What the generated view indexers ({@code View*Indexer}, from {@code src/main/templates/view_indexers.py}) share:
 * JavaCPP's index for a view, and JavaCPP's indexing rules turned into the view's. Indices follow JavaCPP's
 * convention: no negative indices (they throw {@link IndexOutOfBoundsException}, as past the end does), fewer indices
 * than the rank address the first element of the remaining axes, and the array forms
 * ({@code get(i, array, offset, length)}) walk along the last axis. The sizes are the view's shape; the strides are
 * its byte strides divided by the item size (informational: elements are located through the view).
 */
final class IndexerSupport {
    private IndexerSupport() {
    }

    static Index index(MemoryView v) {
        long[] strides = v.strides();
        for (int k = 0; k < strides.length; k++) {
            strides[k] /= v.itemsize();
        }
        return new StrideIndex(v.shape(), strides);
    }

    /**
     * The full index for JavaCPP's partial one: missing trailing indices are 0. JavaCPP's indices do not count from
     * the end as the view's do, so a negative index is out of bounds here, like one past the axis.
     *
     * @throws IndexOutOfBoundsException naming the index, the axis length and the axis, if an index is outside its axis
     */
    static long[] full(long[] shape, long... idx) {
        if (idx.length > shape.length) {
            throw new IllegalArgumentException(idx.length + " indices for a " + shape.length + "-d view");
        }
        for (int k = 0; k < idx.length; k++) {
            Checks.index(idx[k], shape[k], k);
        }
        long[] at = new long[shape.length];
        System.arraycopy(idx, 0, at, 0, idx.length);
        return at;
    }

    /** Throws unless the {@code length} elements from {@code at} along the last axis lie inside it (checked before any access). */
    static void checkRun(long[] shape, long[] at, int length) {
        if (at.length > 0) {
            Checks.bounds(at[at.length - 1], length, shape[at.length - 1]);
        }
    }

    static UnsupportedOperationException noReindex() {
        return new UnsupportedOperationException("a view's indexer cannot be reindexed: slice or transpose the MemoryView"
                + " and call PointerViews.indexer on the result");
    }
}
