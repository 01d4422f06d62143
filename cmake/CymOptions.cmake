# Build options of the C core.
#   CYM_SANITIZE=ON   AddressSanitizer + UndefinedBehaviorSanitizer on the core and the C tests (-Pasan)
#   CYM_BUILD_TESTS   the ctest suite (default ON)
#   CYM_BUILD_BENCH   the C kernel benchmarks under bench/native (default OFF)
option(CYM_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(CYM_BUILD_TESTS "Build the C tests" ON)
option(CYM_BUILD_BENCH "Build the C benchmarks" OFF)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

set(CYM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Werror=implicit-function-declaration)

if(CYM_SANITIZE)
    # No recovery: the first error fails the test, so an off-by-one cannot scroll past unnoticed.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=address,undefined)
endif()
