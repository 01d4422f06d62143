# CMake toolchain file: the C core and its C tests for linux-arm64 (AArch64), cross-built on an x86_64 Debian with
# its cross toolchain (gcc-aarch64-linux-gnu, g++-aarch64-linux-gnu), run under qemu-user (qemu-aarch64) with the
# arm64 loader and libraries from multiarch (dpkg --add-architecture arm64; libc6:arm64 and the allocator packages).
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-linux-arm64.cmake
#   cmake --build build-arm64 && ctest --test-dir build-arm64      (ctest runs each test through qemu-aarch64)
# Maven does the same with -Djavacpp.platform=linux-arm64 (pom.xml, profile linux-arm64).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CYM_CROSS_TRIPLE aarch64-linux-gnu CACHE STRING "GNU triple of the arm64 cross toolchain")
set(CMAKE_C_COMPILER ${CYM_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${CYM_CROSS_TRIPLE}-g++)
# Headers and libraries of the target only (Debian's cross packages put them under /usr/aarch64-linux-gnu);
# programs (cmake, ctest) are the host's.
set(CMAKE_FIND_ROOT_PATH /usr/${CYM_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# ctest (add_test with a target as COMMAND) prefixes every test with the emulator. Without qemu-aarch64 the tests
# still build; ctest then fails with "Exec format error", which names the problem.
find_program(CYM_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(CYM_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${CYM_QEMU_AARCH64})
endif()
