package org.cymem4j.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.cymem4j.Allocator;
import org.cymem4j.Pool;

/**
 * Seed 002 (cymem's README), "Custom Allocators": "Sometimes external C libraries use private functions to allocate
 * and free objects, but we'd still like the laziness of the Pool":
 * {@code Pool(WrapMalloc(priv_malloc), WrapFree(priv_free))}. Here the private pair is given three ways: as native
 * function pointers ({@link Allocator#functions}), by a library's symbol names ({@link Allocator#library}), and as a
 * debug allocator around another one, which catches what C would silently corrupt.
 */
public final class CustomAllocators {
    private CustomAllocators() {
    }

    public static void run(PrintStream out) {
        // WrapMalloc(priv_malloc), WrapFree(priv_free): any void*(size_t) / void(void*) pair, by address.
        long privMalloc = Loader.addressof("malloc").address();
        long privFree = Loader.addressof("free").address();
        Allocator wrapped = Allocator.functions(privMalloc, privFree);
        try (Pool mem = Pool.open(wrapped)) {
            long p = mem.alloc(10, Integer.BYTES);
            out.println("Pool(WrapMalloc(priv_malloc), WrapFree(priv_free)): " + mem.sizeOf(p)
                    + " zeroed bytes from allocator '" + mem.allocatorName() + "'");
        } // freed by priv_free: every block goes back through the pair that made it

        // An external library's private pair, by symbol name (mimalloc's, from the Debian package libmimalloc2.0,
        // which a machine may not have: the tour goes on without it).
        Allocator mimalloc;
        try {
            mimalloc = Allocator.library(Path.of("libmimalloc.so.2"), "mi_malloc", "mi_free", null, null,
                    "mi_usable_size");
        } catch (IllegalStateException e) {
            mimalloc = null;
            out.println("mi_malloc/mi_free pool: skipped, mimalloc is not installed (Debian package libmimalloc2.0): "
                    + e.getMessage());
        }
        if (mimalloc != null) {
            try (Pool mem = Pool.open(mimalloc)) {
                long p = mem.alloc(100, 1);
                out.println("mi_malloc/mi_free pool: usable size of a 100-byte block is "
                        + Allocator.usableSize(mem, p) + " bytes, as mimalloc itself reports");
            }
        }

        // The debug allocator: guard bytes around every block, checked on free and close. Java accessors are
        // bounds-checked, so the overrun here is what C code might do: memset 9 bytes into an 8-byte block.
        try (Pool mem = Pool.open(Allocator.debug(Allocator.system()))) {
            long p = mem.alloc(8, 1);
            Pointer.memset(new Pointer() {
                {
                    address = p;
                }
            }, 0x41, 9);
            try {
                mem.free(p);
            } catch (IllegalStateException e) {
                out.println("debug allocator: " + e.getMessage().lines().findFirst().orElse("")
                        .replaceAll("0x[0-9a-f]+", "0x...").replaceAll("Pool#\\d+", "Pool#N"));
            }
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
