/**
 * {@link org.cymem4j.array.TypedArray}: Python's {@code array.array} with Cython's {@code cpython.array} extensions
 * ({@code resize}, {@code resize_smart}, {@code clone}, {@code copy}, {@code extend_buffer}, {@code extend},
 * {@code zero}) over native memory owned by a {@link org.cymem4j.Pool}; Cython's {@code data.as_*} are the array's
 * {@link org.cymem4j.array.TypedArray#view() view()} and
 * {@link org.cymem4j.array.TypedArray#view(org.cymem4j.view.DType) view(DType)}. This package depends on
 * {@code org.cymem4j.view}, never the other way.
 */
package org.cymem4j.array;
