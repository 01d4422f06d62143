#!/usr/bin/env bash
# README command 2: installs what the tests need, then runs every test.
#  1. Debian packages: the optional allocator backends the tests exercise (libjemalloc2, libmimalloc2.0,
#     libtcmalloc-minimal4), NumPy for the differential test (python3-numpy) and DLPack's header for the DLPack
#     ABI checks and the JNI test library (libdlpack-dev); with apt-get as root, or through
#     sudo; otherwise it prints the command to run and stops.
#  2. ./mvnw -B install: the C core and its tests (ctest), the multi-release jar, the JUnit suite against that jar on
#     Maven's JDK and on the JDK 22+ (tests/java22 too), the sources and javadoc jars, installed into ~/.m2.
#  3. tests/consumer-maven/check.sh: a separate project using the installed artifact, on JDK 17 and the JDK 22+, on
#     the class path and the module path.
# Extra arguments go to Maven (e.g. ./test.sh -Dtest=PoolTest).
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ cmake libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4 python3 python3-numpy libdlpack-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
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
  echo "== installing: ${missing[*]}"
  "${apt[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${apt[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The NumPy differential test runs the first python3 on PATH: if that one (say a pyenv build) has no NumPy, use
# Debian's, which apt just gave it.
if ! python3 -c 'import numpy' >/dev/null 2>&1 && /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
  export PATH="/usr/bin:$PATH"
fi

echo "== ./mvnw -B install: C tests, the jar, the JUnit suite against it on two JDKs, sources and javadoc jars"
./mvnw -B install "$@"

echo "== the consumer project (tests/consumer-maven) against the installed artifact"
tests/consumer-maven/check.sh
