/**
 * The consumer as a named module, requiring cymem4j's module {@code org.cymem4j} (which requires JavaCPP
 * transitively). Run it with {@code --enable-native-access=org.cymem4j,org.bytedeco.javacpp}.
 */
module com.example.consumer {
    requires org.cymem4j;
}
