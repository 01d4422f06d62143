/**
 * {@link org.cymem4j.array.TypedArray}: Python's {@code array.array} with Cython's {@code cpython.array} extensions
 * ({@code resize}, {@code resize_smart}, {@code clone}, {@code copy}, {@code extend_buffer}, {@code extend},
 * {@code zero}, {@code data.as_*}) over native memory owned by a {@link org.cymem4j.Pool}.
 */
package org.cymem4j.array;
