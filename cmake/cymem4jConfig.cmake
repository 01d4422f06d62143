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
# Also sets cymem4j_INCLUDE_DIR and cymem4j_LIBRARY.
get_filename_component(_cym_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(_cym_platform "linux-x86_64")
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
