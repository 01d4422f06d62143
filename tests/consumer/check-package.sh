#!/usr/bin/env bash
# Builds and runs the native consumer (tests/consumer) against the two layouts a user has, after
# ./mvnw package: the jar unpacked somewhere else, and a cmake --install tree. Each must be found by
# find_package(cymem4j CONFIG) with nothing from the source tree on the include or library path.
# Usage: tests/consumer/check-package.sh   (from the repository root; .ci/run calls it)
set -euo pipefail
cd "$(dirname "$0")/../.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

build_and_run() { # <label> <cymem4j_DIR>
  local label=$1 dir=$2 build="$scratch/build-${1// /-}"
  cmake -S tests/consumer -B "$build" -DCMAKE_BUILD_TYPE=Release -Dcymem4j_DIR="$dir" -DJAVA_HOME="$java_home" >/dev/null
  cmake --build "$build" --parallel 2 >/dev/null
  ctest --test-dir "$build" --output-on-failure >/dev/null
  # The consumer must depend on the library by SONAME, so that in a JVM it binds to the copy already loaded.
  readelf -d "$build/libcymconsumer.so" | grep -q 'NEEDED.*\[libjnicymem4j.so\]'
  echo "consumer built and ran against the $label ($dir)"
  # In a JVM that took libjnicymem4j.so from the jar (extracted to a cache directory), the consumer binds to it.
  (cd "$scratch" && java --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir="$scratch/cache-${label// /-}" \
     -cp "$OLDPWD/target/cymem4j.jar:$OLDPWD/target/lib/*" -Dcymem4j.consumer.library="$build/libcymconsumer.so" \
     "$OLDPWD/tests/consumer/JarConsumerCheck.java")
}

mkdir -p "$scratch/jar"
(cd "$scratch/jar" && unzip -q "$OLDPWD/target/cymem4j.jar")
build_and_run "unpacked jar" "$scratch/jar/META-INF/native/lib/cmake/cymem4j"

cmake --install target/native-build --prefix "$scratch/prefix" >/dev/null
build_and_run "install tree" "$scratch/prefix/lib/cmake/cymem4j"

# A version the package does not satisfy must be refused.
mkdir -p "$scratch/too-new"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(p C)\nfind_package(cymem4j 9.0 CONFIG REQUIRED)\n' \
  > "$scratch/too-new/CMakeLists.txt"
if cmake -S "$scratch/too-new" -B "$scratch/too-new/build" -Dcymem4j_DIR="$scratch/prefix/lib/cmake/cymem4j" \
     >/dev/null 2>&1; then
  echo "find_package(cymem4j 9.0) accepted version $(grep -m1 'set(PACKAGE_VERSION' "$scratch/prefix/lib/cmake/cymem4j/cymem4jConfigVersion.cmake")" >&2
  exit 1
fi
echo "find_package(cymem4j 9.0) refused, as it should"
