# The CMake package of cymem4j for native consumers: cymem4jConfig.cmake + cymem4jConfigVersion.cmake, the
# public headers and libjnicymem4j.so (built by JavaCPP, not here), laid out
#   in the jar:       META-INF/native/{include,lib/cmake/cymem4j}  (CYM_PACKAGE_DIR, set by pom.xml)
#   by cmake --install: <prefix>/{include,lib,lib/cmake/cymem4j}
include(CMakePackageConfigHelpers)

# The header's version macros are the ones consumers see; refuse to package if they disagree with project().
file(STRINGS "${PROJECT_SOURCE_DIR}/src/main/native/include/cymem4j.h" _cym_version_lines
     REGEX "^#define CYM_VERSION_(MAJOR|MINOR|PATCH) [0-9]+")
set(_cym_header_version "")
foreach(_cym_line IN LISTS _cym_version_lines)
    string(REGEX REPLACE "^#define CYM_VERSION_[A-Z]+ ([0-9]+).*" "\\1" _cym_part "${_cym_line}")
    list(APPEND _cym_header_version "${_cym_part}")
endforeach()
string(REPLACE ";" "." _cym_header_version "${_cym_header_version}")
if(NOT _cym_header_version STREQUAL PROJECT_VERSION)
    message(FATAL_ERROR "cymem4j.h says version ${_cym_header_version}, CMakeLists.txt says ${PROJECT_VERSION}")
endif()

set(CYM_JNI_LIBRARY "${PROJECT_SOURCE_DIR}/target/classes/org/cymem4j/internal/jni/linux-x86_64/libjnicymem4j.so"
    CACHE FILEPATH "libjnicymem4j.so as JavaCPP built it (installed by cmake --install)")
set(CYM_PACKAGE_DIR "" CACHE PATH "Where to stage the package config for the jar (META-INF/native/lib/cmake/cymem4j)")

# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/cymem4jConfigVersion.cmake"
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

if(CYM_PACKAGE_DIR)
    file(COPY "${PROJECT_SOURCE_DIR}/cmake/cymem4jConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/cymem4jConfigVersion.cmake"
         DESTINATION "${CYM_PACKAGE_DIR}")
    get_filename_component(_cym_native_dir "${CYM_PACKAGE_DIR}/../../.." ABSOLUTE)
    file(COPY "${PROJECT_SOURCE_DIR}/src/main/native/include/" DESTINATION "${_cym_native_dir}/include")
endif()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/src/main/native/include/" DESTINATION include)
install(FILES "${CYM_JNI_LIBRARY}" DESTINATION lib)
install(FILES "${PROJECT_SOURCE_DIR}/cmake/cymem4jConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/cymem4jConfigVersion.cmake"
        DESTINATION lib/cmake/cymem4j)
