/* tls_align_anchor.c: linked into the allocator backend tests on linux-arm64 only (tests/native/CMakeLists.txt).
 * glibc on arm64 gives a library opened at run time static TLS only if its alignment is at most the largest of the
 * process's start-up TLS; with 16 (libc's, and a JVM's), Debian's libtcmalloc_minimal.so.4 (64) cannot load at all
 * (test_platform checks that cymem4j then says so). This variable raises the test programs' start-up alignment to
 * 64, as linking or preloading tcmalloc would, so that the tcmalloc backend's code is tested on arm64 too. */
__attribute__((used)) _Thread_local _Alignas(64) char cym_test_tls_align_anchor;
