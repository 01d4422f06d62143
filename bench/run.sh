#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: builds and installs cymem4j, builds the JMH jar (bench/pom.xml), runs JMH (JSON
# results), the C floor (bench/native, with glibc and, when installed, jemalloc and mimalloc preloaded), the NumPy
# baselines (when python3 has NumPy), and renders the tables with bench/render.py.
#   bench/run.sh --quick   a few minutes: 1 fork, short iterations (ratios are indicative)
#   bench/run.sh --full    3 forks, longer iterations (about an hour on 2 cores)
# Environment: JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64), JMH_INCLUDE (a JMH regex; default all).
# JMH takes a lock in /tmp: if another JMH run is going on, this waits for it (benchmarks side by side would skew
# both).
# Results go to bench/results/ (not committed); the report to BENCHMARKS.md at the repository root.
set -euo pipefail

mode=quick
case "${1:---quick}" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
results="$bench/results"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
include="${JMH_INCLUDE:-.*}"
if [[ ! -x "$java25/bin/java" ]]; then
    echo "bench/run.sh: no JDK at $java25 (set JAVA25 to a JDK 22+; Temurin 25 is what the numbers are for)" >&2
    exit 1
fi
if [[ "$mode" == quick ]]; then
    jmh_opts=(-f 1 -wi 2 -i 3 -w 500ms -r 500ms)
    # The element-read walks (Access) are decided by where the fork's 80 MB buffers land (cache and TLB misses):
    # one fork put the same column walk anywhere from 1.1x to 1.5x of double[]. Three short forks for them.
    access_opts=(-f 3 -wi 2 -i 3 -w 500ms -r 500ms)
    c_runs=7
    numpy_runs=5
else
    jmh_opts=(-f 3 -wi 5 -i 10 -w 1s -r 1s)
    c_runs=21
    numpy_runs=15
fi

rm -rf "$results"
mkdir -p "$results"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

echo "== building and installing cymem4j"
# On JDK 25, so that the jar is multi-release with the JDK 22+ classes (PoolCalls' critical downcalls); clean, because an
# incremental build keeps the class files of deleted sources (a removed META-INF/versions/22 class was benchmarked once).
(cd "$root" && JAVA_HOME="$java25" ./mvnw -B -q clean install -DskipTests)
echo "== building the JMH jar"
(cd "$bench" && JAVA_HOME="$java25" "$root/mvnw" -B -q clean package)

# Its own JavaCPP cache: ~/.javacpp/cache is shared by every JVM and may hold an older libjnicymem4j.so.
jvm_args="-Dorg.bytedeco.javacpp.cachedir=$results/javacpp-cache"
run_jmh() { # json-file, extra JMH arguments...
    local out="$1"
    shift
    while ! "$java25/bin/java" -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.JmhLockFree; do
        echo "another JMH run holds /tmp/jmh.lock; waiting" >&2
        sleep 15
    done
    "$java25/bin/java" --enable-native-access=ALL-UNNAMED -jar "$bench/target/benchmarks.jar" \
        "${jmh_opts[@]}" -jvmArgs "$jvm_args" -rf json -rff "$out" "$@" | tee -a "$results/jmh.log"
}

echo "== JMH ($mode)"
# jemalloc, loaded with dlopen by Allocator.named("jemalloc"), needs static TLS that glibc reserves only on request.
if [[ "$mode" == quick ]]; then
    GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 run_jmh "$results/jmh.json" "$include" -e 'Access\.'
    jmh_opts=("${access_opts[@]}")
    if [[ "$include" == ".*" || "$include" == *Access* ]]; then
        run_jmh "$results/jmh-access.json" 'Access\.'
    fi
else
    GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 run_jmh "$results/jmh.json" "$include"
fi

# Full mode: the same allocation benchmarks with the process's malloc swapped, so that every mechanism (the pool's
# system allocator, FFM, LWJGL, JNI calloc) allocates from that library.
for lib in mimalloc jemalloc; do
    so="lib$lib.so.2"
    if [[ "$mode" == quick ]]; then
        continue
    fi
    if ldconfig -p | grep -q "$so"; then
        echo "== JMH with LD_PRELOAD=$so"
        LD_PRELOAD="$so" run_jmh "$results/jmh-$lib.json" 'AllocFree\.(pool|arena|ffm|lwjgl|jni).*' 'Batch\..*' -p size=64
    fi
done

echo "== C floor"
cmake -S "$root" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release -DCYM_BUILD_BENCH=ON \
    -DCYM_BUILD_TESTS=OFF > /dev/null
cmake --build "$root/target/bench-native" --parallel 2 > /dev/null
native="$root/target/bench-native/bench/native"
"$native/bench_alloc" "$c_runs" glibc > "$results/c-alloc.jsonl"
for lib in jemalloc mimalloc; do
    if ldconfig -p | grep -q "lib$lib.so.2"; then
        LD_PRELOAD="lib$lib.so.2" "$native/bench_alloc" "$c_runs" "$lib" >> "$results/c-alloc.jsonl"
    fi
done
if [[ -x "$native/bench_strided" ]]; then
    "$native/bench_strided" > "$results/c-strided.txt" 2>&1 || echo "bench_strided failed" >&2
fi

if python3 -c 'import numpy' 2> /dev/null; then
    echo "== NumPy"
    python3 "$bench/numpy_strided.py" "$numpy_runs" > "$results/numpy.jsonl"
fi

echo "== rendering BENCHMARKS.md"
python3 "$bench/render.py" --results "$results" --out "$root/BENCHMARKS.md" --mode "$mode" \
    --command "bench/run.sh --$mode" --started "$started" --java "$java25/bin/java"
echo "wrote $root/BENCHMARKS.md"
