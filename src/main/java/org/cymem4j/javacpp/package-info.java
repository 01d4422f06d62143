/**
 * JavaCPP interop: every method whose signature has a JavaCPP type. {@link org.cymem4j.javacpp.PointerViews} makes
 * {@link org.cymem4j.view.MemoryView}s over JavaCPP pointers and indexers, and JavaCPP pointers and indexers over
 * views; the rest of the library's API mentions no {@code org.bytedeco} type.
 *
 * <pre>{@code
 * MemoryView m = PointerViews.of(pointer, DType.DOUBLE, 2, 3);   // a checked view of the pointer's memory
 * Indexer idx = PointerViews.indexer(m);                        // JavaCPP's API, the view's checks
 * }</pre>
 */
package org.cymem4j.javacpp;
