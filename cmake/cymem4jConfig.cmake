# cymem4jConfig.cmake: find_package(cymem4j CONFIG) for native code that allocates into cymem4j pools.
#
# Defines the imported target cymem4j::cymem4j: the public headers (cymem4j.h) and libjnicymem4j.so, the
# library the JVM loads for cymem4j. Linking against it (rather than a copy of the C core) is what keeps
# one core per process: its SONAME makes the consumer's DT_NEEDED entry bind, at run time, to the copy
# the JVM already loaded (see README, "Using cymem4j from C/C++").
#
# Works from two layouts, relative to this file:
#   an unpacked cymem4j jar   META-INF/native/lib/cmake/cymem4j/ (this file), META-INF/native/include/,
#                             org/cymem4j/internal/jni/<platform>/libjnicymem4j.so
#   an install tree           <prefix>/lib/cmake/cymem4j/ (this file), <prefix>/include/, <prefix>/lib/
# <platform> is the consumer's target: linux-x86_64 or linux-arm64 (CMAKE_SYSTEM_PROCESSOR x86_64/AMD64 or
# aarch64/arm64, so a cross build with cmake/toolchain-linux-arm64.cmake gets linux-arm64), or cymem4j_PLATFORM if
# set. The main jar holds linux-x86_64; a jar of another platform is its classifier jar
# (cymem4j-<version>-linux-arm64.jar) unpacked into the same directory.
# Also sets cymem4j_INCLUDE_DIR, cymem4j_LIBRARY and cymem4j_PLATFORM.
get_filename_component(_cym_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(cymem4j_PLATFORM)
    set(_cym_platform "${cymem4j_PLATFORM}")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
    set(_cym_platform "linux-arm64")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(_cym_platform "linux-x86_64")
else()
    set(cymem4j_FOUND FALSE)
    set(cymem4j_NOT_FOUND_MESSAGE "cymem4j: no native library for processor '${CMAKE_SYSTEM_PROCESSOR}' (platforms: linux-x86_64, linux-arm64; set cymem4j_PLATFORM to choose one)")
    return()
endif()
set(_cym_candidates
    "${_cym_prefix}/lib/libjnicymem4j.so"
    "${_cym_prefix}/../../org/cymem4j/internal/jni/${_cym_platform}/libjnicymem4j.so")
set(_cym_library "")
foreach(_cym_candidate IN LISTS _cym_candidates)
    if(NOT _cym_library AND EXISTS "${_cym_candidate}")
        get_filename_component(_cym_library "${_cym_candidate}" ABSOLUTE)
    endif()
endforeach()

if(NOT EXISTS "${_cym_prefix}/include/cymem4j.h" OR NOT _cym_library)
    set(cymem4j_FOUND FALSE)
    set(cymem4j_NOT_FOUND_MESSAGE "cymem4j: no include/cymem4j.h under ${_cym_prefix}, or no libjnicymem4j.so in: ${_cym_candidates}")
    return()
endif()

set(cymem4j_INCLUDE_DIR "${_cym_prefix}/include")
set(cymem4j_LIBRARY "${_cym_library}")
set(cymem4j_PLATFORM "${_cym_platform}")
if(NOT TARGET cymem4j::cymem4j)
    add_library(cymem4j::cymem4j SHARED IMPORTED)
    set_target_properties(cymem4j::cymem4j PROPERTIES
        IMPORTED_LOCATION "${cymem4j_LIBRARY}"
        IMPORTED_SONAME "libjnicymem4j.so"
        INTERFACE_INCLUDE_DIRECTORIES "${cymem4j_INCLUDE_DIR}")
endif()
unset(_cym_prefix)
unset(_cym_platform)
unset(_cym_candidates)
unset(_cym_candidate)
unset(_cym_library)
