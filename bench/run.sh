#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: builds and installs cymem4j, builds the JMH jar (bench/pom.xml), runs JMH (JSON
# results) on Temurin 25 and on JDK 17, the resident-memory measurement (org.cymem4j.bench.Resident, one JVM per
# mechanism), the C floor (bench/native, with glibc and, when installed, jemalloc and mimalloc preloaded), the NumPy
# baselines (when python3 has NumPy), and renders the tables with bench/render.py.
#   bench/run.sh --quick   aims at 20 minutes on 2 cores (about 200 short JMH forks; not yet timed on a quiet
#                          machine): 1 fork, short iterations (ratios are indicative); JDK 17 runs
#                          only the rows issue 20 compares on it (64 B alloc+free and the alternatives, batch, 1M,
#                          open/close, shared scaling, column walk, strided kernels)
#   bench/run.sh --full    2 forks (2 x 0.5 s warm-up, 3 x 1 s measured), all sizes, JDK 17 over every release-17
#                          benchmark of those groups, the preloaded-malloc runs (39 minutes on 2 quiet cores)
#   bench/run.sh --smoke   1 fork, 1 x 100 ms: proves the pipeline end to end; its numbers mean nothing, so its
#                          report goes to bench/results/BENCHMARKS.md, not the repository's
# Environment:
#   JAVA25         a JDK 22+ (default /usr/lib/jvm/temurin-25-jdk-amd64; Temurin 25 is what the numbers are for);
#                  it builds both jars and runs every benchmark
#   JAVA17         a JDK 17 (default /usr/lib/jvm/java-17-openjdk-amd64), or "skip"; it runs the release-17
#                  benchmarks of the same jar (src/main/java; the ffm package, JDK 22+, is excluded)
#   JMH_INCLUDE    a JMH regex for both JDKs (default: all on 25, the issue-20 rows on 17); JMH17_INCLUDE for 17 alone
#   SKIP_BUILD=1   use the cymem4j in ~/.m2 and bench/target/benchmarks.jar as they are (no build)
# JMH takes a lock in /tmp: if another JMH run is going on, this waits for it (benchmarks side by side would skew
# both).
# Results go to bench/results/ (not committed); the report to BENCHMARKS.md at the repository root (--quick, --full).
set -euo pipefail

mode=quick
case "${1:---quick}" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --smoke) mode=smoke ;;
    *) echo "usage: bench/run.sh [--quick|--full|--smoke]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
results="$bench/results"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}"
include="${JMH_INCLUDE:-.*}"
# On JDK 17: the release-17 classes of the groups issue 20 compares there (bench\.X\. does not match bench.ffm.X).
default17='bench\.(AllocFree|AllocFreeUncached|AllocFreeMixed|Batch|Million|OpenClose|SharedScaling|SharedFloor)\.|bench\.StridedViews\.(stride2Copy|transposeCopy)$'
if [[ "$mode" == full ]]; then
    default17='bench\.(AllocFree|AllocFreeUncached|AllocFreeMixed|Batch|Million|OpenClose|SharedScaling|SharedFloor|PoolHotPath|StridedViews)\.'
fi
user17="${JMH17_INCLUDE:-${JMH_INCLUDE:-}}"
include17="${user17:-$default17}"
# Benchmarks of one group within a selection (JMH ORs its include patterns; a lookahead ANDs them): group-regex, selection.
within() {
    if [[ "$2" == ".*" ]]; then echo "$1"; else echo "^(?=.*$1)(?=.*(?:$2))"; fi
}
if [[ ! -x "$java25/bin/java" ]]; then
    echo "bench/run.sh: no JDK at $java25 (set JAVA25 to a JDK 22+; Temurin 25 is what the numbers are for)" >&2
    exit 1
fi
if [[ "$java17" != skip && ! -x "$java17/bin/java" ]]; then
    echo "bench/run.sh: no JDK at $java17 (set JAVA17 to a JDK 17, or JAVA17=skip to leave the JDK 17 rows out)" >&2
    exit 1
fi
case "$mode" in
    quick)
        jmh_opts=(-f 1 -wi 2 -i 3 -w 500ms -r 500ms)
        openclose_opts=(-f 1 -wi 5 -i 3 -w 500ms -r 500ms)
        # The element-read walks (Access) are decided by where the fork's 80 MB buffers land (cache and TLB misses):
        # one fork put the same column walk anywhere from 1.1x to 1.5x of double[]. Three short forks for them.
        access_opts=(-f 3 -wi 2 -i 3 -w 500ms -r 500ms)
        c_runs=7
        numpy_runs=5
        resident_runs=1
        mixed_rounds=25
        ;;
    full)
        jmh_opts=(-f 2 -wi 2 -i 3 -w 500ms -r 1s)
        # An empty pool's open + close (OpenClose, the arena's beside it) still fell through its three measured
        # iterations after two half-second warm-ups (session 12: 36 to 23 ns in each fork; the arena's were level):
        # the first open loads the library, and the pool's constructor takes seconds to compile. Five one-second ones.
        openclose_opts=(-f 2 -wi 5 -i 3 -w 1s -r 1s)
        access_opts=("${jmh_opts[@]}")
        c_runs=21
        numpy_runs=15
        resident_runs=3
        mixed_rounds=60
        ;;
    smoke)
        jmh_opts=(-f 1 -wi 1 -i 1 -w 100ms -r 100ms)
        openclose_opts=("${jmh_opts[@]}")
        access_opts=("${jmh_opts[@]}")
        c_runs=3
        numpy_runs=1
        resident_runs=1
        mixed_rounds=4
        ;;
esac

rm -rf "$results"
mkdir -p "$results"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    echo "== building and installing cymem4j"
    # On JDK 25, so that the jar is multi-release with the JDK 22+ classes (PoolCalls' critical downcalls); clean,
    # because an incremental build keeps the class files of deleted sources (a removed META-INF/versions/22 class was
    # benchmarked once). Tests, javadoc and sources are not built: only the jar is benchmarked.
    (cd "$root" && JAVA_HOME="$java25" ./mvnw -B -q clean install -Dmaven.test.skip=true -DskipTests \
        -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
    echo "== building the JMH jar"
    # On JDK 25 too: release 17 classes (src/main/java) and release 22 ones (src/main/java22) in one jar.
    (cd "$bench" && JAVA_HOME="$java25" "$root/mvnw" -B -q clean package)
fi

# Its own JavaCPP cache: ~/.javacpp/cache is shared by every JVM and may hold an older libjnicymem4j.so.
jvm_args="-Dorg.bytedeco.javacpp.cachedir=$results/javacpp-cache"
# JDK 24+ warns once when a library (LWJGL) calls sun.misc.Unsafe's memory methods; "allow" is the same behaviour
# without the warning. JDK 17 does not know the option.
jvm_args25="$jvm_args --sun-misc-unsafe-memory-access=allow"
run_jmh() { # java-home, json-file, extra JMH arguments...
    local jdk="$1" out="$2" args="$jvm_args" host=()
    shift 2
    if [[ "$jdk" == "$java25" ]]; then
        args="$jvm_args25"
        host=(--sun-misc-unsafe-memory-access=allow) # JMH's own process uses Unsafe too
    fi
    # JMH fails on a selection that matches nothing (JMH_INCLUDE narrower than a run's group): skip that run.
    if ! "$jdk/bin/java" -jar "$bench/target/benchmarks.jar" -l "$@" | grep -q '^org\.'; then
        echo "no benchmark matches $* on $jdk; skipped" >&2
        return 0
    fi
    while ! "$java25/bin/java" -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.JmhLockFree; do
        echo "another JMH run holds /tmp/jmh.lock; waiting" >&2
        sleep 15
    done
    "$jdk/bin/java" "${host[@]}" --enable-native-access=ALL-UNNAMED -jar "$bench/target/benchmarks.jar" \
        "${jmh_opts[@]}" -jvmArgs "$args" -rf json -rff "$out" "$@" | tee -a "$results/jmh.log"
}

echo "== JMH on $java25 ($mode)"
# jemalloc, loaded with dlopen by Allocator.named("jemalloc"), needs static TLS that glibc reserves only on request.
export GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384
if [[ "$mode" == full ]]; then
    run_jmh "$java25" "$results/jmh.json" "$include" -e 'OpenClose\.'
else
    # Quick: the named-allocator pools at 64 B only (the size the targets compare; all four sizes in --full).
    run_jmh "$java25" "$results/jmh.json" "$include" -e 'Access\.' -e 'AllocatorPools\.' -e 'OpenClose\.'
    run_jmh "$java25" "$results/jmh-pools.json" "$(within 'AllocatorPools\.' "$include")" -p size=64
    saved=("${jmh_opts[@]}")
    jmh_opts=("${access_opts[@]}")
    run_jmh "$java25" "$results/jmh-access.json" "$(within 'Access\.' "$include")"
    jmh_opts=("${saved[@]}")
fi
saved=("${jmh_opts[@]}")
jmh_opts=("${openclose_opts[@]}")
run_jmh "$java25" "$results/jmh-openclose.json" "$(within 'OpenClose\.' "$include")"
jmh_opts=("${saved[@]}")
unset GLIBC_TUNABLES

if [[ "$java17" != skip ]]; then
    echo "== JMH on $java17 ($mode): the release-17 benchmarks (JNI path)"
    # The element reads separately, with access_opts (three forks in quick mode): every Access benchmark in --full,
    # the column walk (the JDK 17 target) in --quick; within JMH17_INCLUDE / JMH_INCLUDE when one is set.
    access17='bench\.Access\.columns'
    [[ "$mode" == full ]] && access17='bench\.Access\.'
    [[ -n "$user17" ]] && access17="$(within 'bench\.Access\.' "$user17")"
    if [[ "$mode" == full ]]; then
        run_jmh "$java17" "$results/jmh17.json" "$include17" -e '\.ffm\.' -e 'Access\.' -e 'OpenClose\.'
    else
        run_jmh "$java17" "$results/jmh17.json" "$include17" -e '\.ffm\.' -e 'Access\.' -e 'OpenClose\.' -p size=64
    fi
    jmh_opts=("${openclose_opts[@]}")
    run_jmh "$java17" "$results/jmh17-openclose.json" "$(within 'bench\.OpenClose\.' "$include17")" -e '\.ffm\.'
    jmh_opts=("${access_opts[@]}")
    run_jmh "$java17" "$results/jmh17-access.json" "$access17" -e '\.ffm\.'
fi

# Full mode: the same allocation benchmarks with the process's malloc swapped, so that every mechanism (the pool's
# system allocator, FFM, LWJGL, JNI calloc) allocates from that library.
for lib in mimalloc jemalloc; do
    so="lib$lib.so.2"
    if [[ "$mode" != full ]]; then
        continue
    fi
    if ldconfig -p | grep -q "$so"; then
        echo "== JMH with LD_PRELOAD=$so"
        LD_PRELOAD="$so" run_jmh "$java25" "$results/jmh-$lib.json" 'AllocFree\.(pool|arena|ffm|lwjgl|jni).*' \
            'Batch\..*' -p size=64
    fi
done

echo "== resident memory per live 64 B block (1,000,000 blocks, one JVM per mechanism)"
# Fixed, pre-touched heap: Java heap pages are resident before the first reading (see Resident's javadoc).
resident_jvm=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED
    "-Dorg.bytedeco.javacpp.cachedir=$results/javacpp-cache")
for ((r = 0; r < resident_runs; r++)); do
    for m in pool shared calloc; do
        "$java25/bin/java" "${resident_jvm[@]}" --sun-misc-unsafe-memory-access=allow \
            -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.Resident "$m" >> "$results/resident.jsonl"
        if [[ "$java17" != skip ]]; then
            "$java17/bin/java" "${resident_jvm[@]}" -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.Resident "$m" \
                >> "$results/resident.jsonl"
        fi
    done
    "$java25/bin/java" "${resident_jvm[@]}" -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.ffm.ResidentArena \
        >> "$results/resident.jsonl"
done

echo "== element reads in one JVM that reads every kind (plain loop, ms per 10M doubles)"
"$java25/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g "-Dorg.bytedeco.javacpp.cachedir=$results/javacpp-cache" \
    -cp "$bench/target/benchmarks.jar" org.cymem4j.bench.ffm.MixedReadsLoop "$mixed_rounds" > "$results/mixed-loop.jsonl"

echo "== C floor"
cmake -S "$root" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release -DCYM_BUILD_BENCH=ON \
    -DCYM_BUILD_TESTS=OFF > /dev/null
cmake --build "$root/target/bench-native" --parallel 2 > /dev/null
native="$root/target/bench-native/bench/native"
# Three processes each: one process's medians sit at one of two levels (12.5 or 18-22 ns for the 64 B pair, the
# same binary minutes apart), so render.py takes the fastest process's median as the floor and shows the slowest.
: > "$results/c-alloc.jsonl"
for process in 1 2 3; do
    "$native/bench_alloc" "$c_runs" glibc >> "$results/c-alloc.jsonl"
    for lib in jemalloc mimalloc; do
        if ldconfig -p | grep -q "lib$lib.so.2"; then
            LD_PRELOAD="lib$lib.so.2" "$native/bench_alloc" "$c_runs" "$lib" >> "$results/c-alloc.jsonl"
        fi
    done
done
if [[ -x "$native/bench_strided" ]]; then
    "$native/bench_strided" > "$results/c-strided.txt" 2>&1 || echo "bench_strided failed" >&2
fi

if python3 -c 'import numpy' 2> /dev/null; then
    echo "== NumPy"
    python3 "$bench/numpy_strided.py" "$numpy_runs" > "$results/numpy.jsonl"
fi

# A smoke run's report stays in bench/results/: its numbers must not replace the committed BENCHMARKS.md.
report="$root/BENCHMARKS.md"
[[ "$mode" == smoke ]] && report="$results/BENCHMARKS.md"
echo "== rendering $report"
java17_bin="$java17/bin/java"
[[ "$java17" == skip ]] && java17_bin=""
python3 "$bench/render.py" --results "$results" --out "$report" --mode "$mode" \
    --command "bench/run.sh --$mode" --started "$started" --java "$java25/bin/java" --java17 "$java17_bin"
echo "wrote $report"
