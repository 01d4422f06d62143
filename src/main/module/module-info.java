/**
 * cymem4j: native memory owned by Java code. Pools that free every block at once ({@link org.cymem4j.Pool}),
 * allocator hooks ({@link org.cymem4j.Allocator}), strided N-d views ({@link org.cymem4j.view.MemoryView}),
 * Python's {@code array.array} ({@link org.cymem4j.array.TypedArray}).
 *
 * <p>Only the API packages are exported; {@code org.cymem4j.internal*} (the lifetime core, the JNI bindings), the
 * command line and the examples are not. Run with {@code --enable-native-access=org.cymem4j,org.bytedeco.javacpp}
 * on the module path.
 *
 * <pre>{@code
 * module com.example.app {
 *     requires org.cymem4j;
 * }
 * }</pre>
 */
module org.cymem4j {
    // JavaCPP loads the native library, and its pointer and indexer types are the JavaCPP interop API.
    requires transitive org.bytedeco.javacpp;
    requires java.management; // the NativeMemoryMXBean
    requires jdk.jfr;         // the PoolOpen/PoolClose/Leak/LargeAllocation/AllocationFailure events
    requires static org.junit.jupiter.api; // org.cymem4j.junit, for test code that has JUnit anyway

    exports org.cymem4j;
    exports org.cymem4j.view;
    exports org.cymem4j.array;
    exports org.cymem4j.javacpp; // every API type that names a JavaCPP type lives here
    exports org.cymem4j.management;
    exports org.cymem4j.junit;
}
