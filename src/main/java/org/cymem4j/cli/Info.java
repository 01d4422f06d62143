package org.cymem4j.cli;

import java.io.PrintStream;

import org.bytedeco.javacpp.Loader;
import org.cymem4j.internal.jni.NativeLib;

/** {@code info}: what this installation is. */
final class Info {
    private Info() {
    }

    static void print(PrintStream out) {
        out.println("cymem4j " + version());
        out.println("platform:        " + Loader.getPlatform());
        out.println("native library:  " + NativeLib.load());
        out.println("JDK:             " + System.getProperty("java.vm.name") + " " + Runtime.version());
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "(development build)";
    }
}
