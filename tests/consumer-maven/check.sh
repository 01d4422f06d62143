#!/usr/bin/env bash
# The consumer check: after the library's `./mvnw install`, this separate project (only org.cymem4j:cymem4j as a
# dependency) must compile on JDK 17 and on the JDK 22+, and run on the class path and on the module path on both,
# with no warning from javac, Maven or the JVM.
#   tests/consumer-maven/check.sh            (JDK17=..., JDK22=... override the JDKs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk22=${JDK22:-/usr/lib/jvm/temurin-25-jdk-amd64}
version=$(cd "$root" && ./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "consumer check FAILED: $*" >&2; exit 1; }

build() { # $1: JDK home; compiles into $work/<jdk>/ (a copy of the project, so the two builds never mix)
  local jdk=$1 dir="$work/$(basename "$1")"
  cp -r "$here" "$dir"
  rm -rf "$dir/target"
  # Maven's own Guice draws JDK 24+'s sun.misc.Unsafe warning: allowed for Maven's JVM only.
  (cd "$dir" && JAVA_HOME="$jdk" MAVEN_OPTS="$( [ "$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/.*java.specification.version = //p')" -ge 24 ] && echo --sun-misc-unsafe-memory-access=allow)" \
      "$root/mvnw" -B -Dcymem4j.version="$version" package dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt) > "$dir.log" 2>&1 || { cat "$dir.log"; fail "build on $jdk"; }
  if grep -E '^\[WARNING\]|: warning:' "$dir.log"; then fail "warnings building on $jdk (above)"; fi
  echo "compiled on $(basename "$jdk"): no warnings"
}

run() { # $1: JDK home that compiled, $2: JDK home that runs, $3: classpath|modulepath
  local dir="$work/$(basename "$1")" jdk=$2 how=$3 deps out err
  deps=$(cat "$dir/target/classpath.txt")
  out="$work/out" err="$work/err"
  local cache="$work/cache-$(basename "$jdk")-$how"  # a fresh JavaCPP cache: never a stale libjnicymem4j.so
  if [ "$how" = classpath ]; then
    "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir="$cache" \
        -cp "$dir/target/classes:$deps" com.example.consumer.Main > "$out" 2> "$err" || { cat "$err"; fail "$how on $jdk"; }
    expected="consumer: class path, cymem4j: class path"
  else
    "$jdk/bin/java" --enable-native-access=org.bytedeco.javacpp,org.cymem4j -Dorg.bytedeco.javacpp.cachedir="$cache" \
        -p "$dir/target/classes:$deps" -m com.example.consumer/com.example.consumer.Main > "$out" 2> "$err" \
        || { cat "$err"; fail "$how on $jdk"; }
    expected="consumer: module com.example.consumer, cymem4j: module org.cymem4j"
  fi
  if [ -s "$err" ]; then cat "$err"; fail "$how on $jdk wrote to stderr (above)"; fi
  local feature
  feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
  printf 'ints[9] = 81, m[1, 2] = 4.5, 2 blocks\n%s\nJDK %s\n' "$expected" "$feature" | diff - "$out" \
      || fail "$how on $jdk: unexpected output (diff above)"
  echo "ran on $(basename "$jdk"), $how: $(sed -n 2p "$out"), no warnings"
}

build "$jdk17"
build "$jdk22"
for jdk in "$jdk17" "$jdk22"; do
  run "$jdk17" "$jdk" classpath
  run "$jdk17" "$jdk" modulepath
done
run "$jdk22" "$jdk22" classpath
run "$jdk22" "$jdk22" modulepath
echo "consumer check passed (cymem4j $version)"
