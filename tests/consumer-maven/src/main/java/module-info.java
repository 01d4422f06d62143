/**
 * The consumer as a named module. On the module path cymem4j is the automatic module {@code cymem4j}; JavaCPP's
 * classes appear in cymem4j's API (its pointer types), hence the second {@code requires}. Run it with
 * {@code --enable-native-access=org.bytedeco.javacpp,cymem4j}.
 */
module com.example.consumer {
    requires cymem4j;
    requires org.bytedeco.javacpp;
}
