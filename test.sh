#!/usr/bin/env bash
# README command 2: installs what the tests need, then runs every test.
#  1. Debian packages: the optional allocator backends the tests exercise (libjemalloc2, libmimalloc2.0,
#     libtcmalloc-minimal4), NumPy for the differential test (python3-numpy), DLPack's header for the DLPack ABI checks
#     and the JNI test library (libdlpack-dev); for the second platform, linux-arm64,
#     the cross toolchain (gcc/g++-aarch64-linux-gnu), qemu-user, and through multiarch (dpkg --add-architecture arm64,
#     done once) an arm64 JVM and the arm64 allocator libraries. Multiarch keeps an arm64 package at the same version as
#     its amd64 twin, so installing openjdk-17-jre-headless:arm64 also upgrades the amd64 OpenJDK 17 to Debian's
#     current one. With apt-get as root, or through sudo; otherwise it prints the command to run and stops.
#  2. ./mvnw -B install -Djavacpp.platform=linux-arm64: the C core and its tests (ctest) for linux-x86_64 and, cross-
#     built, for linux-arm64 (under qemu-aarch64), the multi-release jar, the classifier jars cymem4j-linux-x86_64.jar
#     and cymem4j-linux-arm64.jar, the JUnit suite against the jar on Maven's JDK and on the JDK 22+ (tests/java22
#     too), the sources and javadoc jars, installed into ~/.m2.
#  3. tests/consumer-maven/check.sh: a separate project using the installed artifact, on JDK 17 and the JDK 22+, on
#     the class path and the module path.
#  4. tests/arm64/check.sh: the arm64 jar on an arm64 JVM under qemu-aarch64 (smoke test, tour, native consumer).
# Extra arguments go to Maven (e.g. ./test.sh -Dtest=PoolTest).
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ cmake libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4 python3 python3-numpy libdlpack-dev
          gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user
          openjdk-17-jre-headless:arm64 libjemalloc2:arm64 libmimalloc2.0:arm64 libtcmalloc-minimal4:arm64)
missing=()
for p in "${packages[@]}"; do
  # With arm64 added, a library installed for both architectures needs its own one named (libjemalloc2:amd64).
  dpkg -s "$p" >/dev/null 2>&1 || dpkg -s "$p:$(dpkg --print-architecture)" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt=(env)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo env)
  else
    echo "test.sh: the tests need these Debian packages: ${missing[*]}" >&2
    echo "install them (sudo apt-get install ${missing[*]}) or run test.sh as root" >&2
    exit 1
  fi
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "== dpkg --add-architecture arm64 (the arm64 JVM and libraries for the linux-arm64 tests under qemu)"
    "${apt[@]}" dpkg --add-architecture arm64
  fi
  echo "== installing: ${missing[*]}"
  "${apt[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${apt[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The NumPy differential test runs the first python3 on PATH: if that one (say a pyenv build) has no NumPy, use
# Debian's, which apt just gave it.
if ! python3 -c 'import numpy' >/dev/null 2>&1 && /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
  export PATH="/usr/bin:$PATH"
fi

echo "== ./mvnw -B install -Djavacpp.platform=linux-arm64: C tests (x86_64, and arm64 under qemu), the jar and the"
echo "   platform jars, the JUnit suite against the jar on two JDKs, sources and javadoc jars"
./mvnw -B install -Djavacpp.platform=linux-arm64 "$@"

echo "== the consumer project (tests/consumer-maven) against the installed artifact"
tests/consumer-maven/check.sh

echo "== linux-arm64: the platform jar on an arm64 JVM under qemu-aarch64 (tests/arm64/check.sh)"
tests/arm64/check.sh
