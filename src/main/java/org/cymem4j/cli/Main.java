package org.cymem4j.cli;

/** The command-line entry point (placeholder until the tour lands). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println(org.cymem4j.internal.jni.NativeLib.load());
    }
}
