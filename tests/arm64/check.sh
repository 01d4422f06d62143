#!/usr/bin/env bash
# linux-arm64 end to end on this x86_64 machine, after `./mvnw -B install -Djavacpp.platform=linux-arm64` (./test.sh
# runs it after its install): the classifier jar's library is an AArch64 ELF; an arm64 JVM under qemu-aarch64 loads it
# from the jars and passes tests/arm64/Smoke.java (pool alloc/free, Block getLong/putLong) and the guided tour (views,
# kernels, an allocator backend); a native consumer cross-built with find_package(cymem4j) runs against it. Needs
# qemu-user, the cross toolchain and an arm64 JDK from multiarch (./test.sh installs them).
#   tests/arm64/check.sh          (JAVA_ARM64=/path/to/arm64/bin/java, QEMU_AARCH64=... override)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
java_arm64=${JAVA_ARM64:-/usr/lib/jvm/java-17-openjdk-arm64/bin/java}
qemu=${QEMU_AARCH64:-$(command -v qemu-aarch64 || command -v qemu-aarch64-static || echo qemu-aarch64)}
version=$(unzip -p target/cymem4j.jar META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')
javacpp=$(ls target/lib/javacpp-[0-9]*.jar | grep -v -- '-linux-' | head -1)
so=org/cymem4j/internal/jni/linux-arm64/libjnicymem4j.so
fail() { echo "arm64 check FAILED: $*" >&2; exit 1; }
for f in target/cymem4j-linux-arm64.jar "$java_arm64" target/lib-linux-arm64/javacpp-*-linux-arm64.jar; do
  [ -e "$f" ] || fail "missing $f (build with ./mvnw -B install -Djavacpp.platform=linux-arm64; ./test.sh installs the arm64 JDK)"
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }

# 1. The classifier jars hold one platform each, of the right machine; the main jar keeps only linux-x86_64.
unzip -p target/cymem4j-linux-arm64.jar "$so" > "$scratch/arm64.so"
readelf -h "$scratch/arm64.so" | grep -Eq 'Machine: +AArch64' || fail "$so in cymem4j-linux-arm64.jar is not AArch64"
unzip -p target/cymem4j-linux-x86_64.jar org/cymem4j/internal/jni/linux-x86_64/libjnicymem4j.so > "$scratch/x86.so"
readelf -h "$scratch/x86.so" | grep -Eq 'Machine: +Advanced Micro Devices X86-64' || fail "cymem4j-linux-x86_64.jar's library is not x86-64"
[ "$(unzip -Z1 target/cymem4j-linux-arm64.jar | grep -c '\.so$')" = 1 ] || fail "cymem4j-linux-arm64.jar holds other libraries"
if unzip -Z1 target/cymem4j.jar | grep -q linux-arm64; then fail "the main jar holds linux-arm64 files"; fi
echo "cymem4j-linux-arm64.jar: $so is $(file -b "$scratch/arm64.so" | cut -d, -f1-2) ($(elapsed))"

# 2. The smoke test, compiled on the host against the jar, run by the arm64 JVM under qemu with no output on stderr.
javac --release 17 -Xlint:all -Werror -cp target/cymem4j.jar -d "$scratch/classes" tests/arm64/Smoke.java
cp="target/cymem4j.jar:target/cymem4j-linux-arm64.jar:$javacpp:$(ls target/lib-linux-arm64/javacpp-*-linux-arm64.jar)"
run_arm64() { # <stdout file> <stderr file> <java args...>
  local out=$1 err=$2; shift 2
  "$qemu" "$java_arm64" --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir="$scratch/cache" "$@" \
    > "$out" 2> "$err" || { cat "$out" "$err"; fail "arm64 JVM: $*"; }
  if [ -s "$err" ]; then cat "$err"; fail "the arm64 JVM wrote to stderr (above): $*"; fi
}
run_arm64 "$scratch/smoke.out" "$scratch/smoke.err" -cp "$scratch/classes:$cp" Smoke
cat "$scratch/smoke.out"
echo "smoke test passed ($(elapsed))"

# 3. The guided tour (every example: views, kernels, allocators) on the arm64 JVM, from the jars.
run_arm64 "$scratch/tour.out" "$scratch/tour.err" -cp "$cp" org.cymem4j.cli.Main tour
tail -n 1 "$scratch/tour.out" | grep -qx 'tour complete; native blocks still allocated: 0' \
  || { cat "$scratch/tour.out"; fail "the tour did not complete on arm64"; }
echo "tour complete on arm64 ($(wc -l < "$scratch/tour.out") lines) ($(elapsed))"
# info: the platform, the library loaded (extracted from the arm64 jar), and the allocator backends found by their
# arm64 library names (/usr/lib/aarch64-linux-gnu): jemalloc (with glibc's static TLS reserve enlarged, as on x86_64)
# and mimalloc load; Debian's arm64 tcmalloc cannot be opened at run time in a JVM (ARCHITECTURE.md, "Platforms").
GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 \
  run_arm64 "$scratch/info.out" "$scratch/info.err" -cp "$cp" org.cymem4j.cli.Main info
grep -qx 'platform: *linux-arm64' "$scratch/info.out" || { cat "$scratch/info.out"; fail "info does not say linux-arm64"; }
grep -q "^native library: *$scratch/cache/cymem4j-$version-[0-9a-f]*/libjnicymem4j.so" "$scratch/info.out" \
  || { cat "$scratch/info.out"; fail "info names another native library"; }
for backend in jemalloc mimalloc; do
  grep -qx "allocator $backend: *available" "$scratch/info.out" || { cat "$scratch/info.out"; fail "$backend on arm64"; }
done
grep -q '^allocator tcmalloc: *not available: .*LD_PRELOAD' "$scratch/info.out" \
  || { cat "$scratch/info.out"; fail "tcmalloc on arm64: expected the LD_PRELOAD explanation"; }
echo "info on arm64: platform linux-arm64, library from the jar, jemalloc and mimalloc available ($(elapsed))"

# 4. A native consumer cross-built with find_package(cymem4j) against the main jar and the arm64 jar unpacked
#    together, run under qemu (ctest uses the toolchain file's emulator).
mkdir -p "$scratch/jar"
(cd "$scratch/jar" && unzip -q -o "$root/target/cymem4j.jar" && unzip -q -o "$root/target/cymem4j-linux-arm64.jar")
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
cmake -S tests/consumer -B "$scratch/consumer" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-linux-arm64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -Dcymem4j_DIR="$scratch/jar/META-INF/native/lib/cmake/cymem4j" \
  -DCONSUMER_JNI_INCLUDE="$java_home/include" > "$scratch/consumer.log" 2>&1 || { cat "$scratch/consumer.log"; fail "consumer configure"; }
cmake --build "$scratch/consumer" --parallel 2 > "$scratch/consumer.log" 2>&1 || { cat "$scratch/consumer.log"; fail "consumer build"; }
ctest --test-dir "$scratch/consumer" --output-on-failure > "$scratch/consumer.log" 2>&1 || { cat "$scratch/consumer.log"; fail "consumer ctest"; }
readelf -h "$scratch/consumer/consumer_selftest" | grep -Eq 'Machine: +AArch64' || fail "the consumer is not AArch64"
echo "native consumer (find_package(cymem4j), linux-arm64) built and ran under qemu ($(elapsed))"
# 5. org.cymem4j:cymem4j-platform (platform/pom.xml, installed by ./mvnw install): a project depending on it gets every
#    platform's jar; with -Djavacpp.platform=linux-arm64 only arm64's (and the linux-x86_64 JavaCPP jar that the main
#    pom names for the main jar's own library).
platform_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' platform/pom.xml | head -1)
[ "$platform_version" = "$version" ] || fail "platform/pom.xml has version $platform_version, the build $version"
mkdir -p "$scratch/platform-user"
cat > "$scratch/platform-user/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId><artifactId>platform-user</artifactId><version>1.0</version>
  <dependencies><dependency><groupId>org.cymem4j</groupId><artifactId>cymem4j-platform</artifactId>
    <version>$version</version><type>pom</type></dependency></dependencies>
</project>
POM
classpath_of() { # <extra maven args...>: the jar file names, sorted, one line
  (cd "$scratch/platform-user" && "$root/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
     -Dmdep.outputFile=cp.txt "$@" >&2 && tr ':' '\n' < cp.txt | xargs -n1 basename | sort | tr '\n' ' ')
}
all=$(classpath_of)
expected="cymem4j-$version-linux-arm64.jar cymem4j-$version-linux-x86_64.jar cymem4j-$version.jar "
for j in $expected javacpp-[0-9.]*-linux-arm64.jar javacpp-[0-9.]*-linux-x86_64.jar; do
  echo "$all" | tr ' ' '\n' | grep -qx "$j" || fail "cymem4j-platform does not bring $j (it brings: $all)"
done
one=$(classpath_of -Djavacpp.platform=linux-arm64)
if echo "$one" | tr ' ' '\n' | grep -q "^cymem4j-.*-linux-x86_64.jar$"; then
  fail "cymem4j-platform with -Djavacpp.platform=linux-arm64 still brings the x86_64 jar: $one"
fi
echo "$one" | tr ' ' '\n' | grep -qx "cymem4j-$version-linux-arm64.jar" || fail "no arm64 jar with -Djavacpp.platform: $one"
echo "cymem4j-platform: $all"
echo "cymem4j-platform -Djavacpp.platform=linux-arm64: $one ($(elapsed))"
echo "arm64 check passed"
