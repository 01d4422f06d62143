package org.cymem4j.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;

import org.cymem4j.Address;

/**
 * Seed 001 (Cython docs, "Memory Allocation") and seed 004 ("try...finally"): {@code random_noise} allocates
 * {@code number * sizeof(double)} bytes, fills them with normal noise, copies them into a list and frees the memory
 * in a {@code finally} block. In Java the {@code finally} is try-with-resources, or an explicit try/finally.
 */
public final class RandomNoise {
    private RandomNoise() {
    }

    /** The seed's shape: allocate, check, fill, copy out, and free in {@code finally}. */
    static double[] randomNoiseTryFinally(int number, Random random, PrintStream out) {
        Address myArray = new Address(number, Double.BYTES); // throws NativeOutOfMemoryError, never returns NULL
        out.println("malloc ok");
        try {
            for (int i = 0; i < number; i++) {
                myArray.putDouble((long) i * Double.BYTES, random.nextGaussian());
            }
            double[] result = new double[number];
            myArray.copyTo(0, result, 0, number);
            return result;
        } finally {
            myArray.close(); // return the previously allocated memory to the system
            out.println("free ok");
        }
    }

    /** The same with try-with-resources: the close is implicit and cannot be forgotten. */
    static double[] randomNoise(int number, Random random) {
        try (Address myArray = new Address(number, Double.BYTES)) {
            for (int i = 0; i < number; i++) {
                myArray.putDouble((long) i * Double.BYTES, random.nextGaussian());
            }
            double[] result = new double[number];
            myArray.copyTo(0, result, 0, number);
            return result;
        }
    }

    /** Prints what the seed prints: "malloc ok", "free ok", then ten numbers. */
    public static void run(PrintStream out, long seed) {
        out.println(Arrays.toString(randomNoiseTryFinally(10, new Random(seed), out)));
        out.println("try-with-resources: " + Arrays.toString(randomNoise(3, new Random(seed))));
    }

    public static void main(String[] args) {
        run(System.out, 42);
    }
}
