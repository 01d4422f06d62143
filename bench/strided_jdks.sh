#!/usr/bin/env bash
# The strided kernels from Java on JDK 17 and Temurin 25 with one JMH jar, the JDKs alternating, every iteration
# timestamped beside a sample of the machine's runnable tasks (/proc/stat procs_running, every 0.25 s), then each
# JDK's iterations grouped by how many other tasks were runnable while they ran. On a shared 2-core machine a
# single fork's score follows the load more than the JDK (performance notes, "Stride-2 copy on JDK 17"); comparing
# iterations at equal load separates the two.
#
#   bench/strided_jdks.sh [rounds]     default 3 rounds of (JDK 17, Temurin 25), each 2 forks x 5 x 1 s
#
# Then org.cymem4j.bench.StridedCalls (each call timed; its minimum is a call no neighbour interrupted) in three
# JVMs per JDK, alternated.
#
# Environment: JAR (default bench/target/benchmarks.jar, as bench/run.sh builds it), JAVA17, JAVA25 (JDK homes),
# OUT (default /tmp/strided_jdks: jmh.txt, load.txt, calls.jsonl), INCLUDE (default stride2Copy and transposeCopy).
# It also runs bench/native's bench_strided when target/bench-native holds it (the C floor) and NumPy's baseline
# when python3 has NumPy, once each before the JMH rounds.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
jar="${JAR:-$root/bench/target/benchmarks.jar}"
java17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="${OUT:-/tmp/strided_jdks}"
include="${INCLUDE:-StridedViews\.(stride2Copy|transposeCopy)$}"
mkdir -p "$out"

c_bench="$root/target/bench-native/bench/native/bench_strided"
if [[ -x "$c_bench" ]]; then
    echo "== C floor (bench_strided)"
    "$c_bench" 2>&1 | grep -E 'case|transpose 4096x4096 f64: cym|stride-2 copy of 64M f64: cym'
fi
if python3 -c 'import numpy' 2> /dev/null; then
    echo "== NumPy (numpy_strided.py 7)"
    python3 "$root/bench/numpy_strided.py" 7 | grep -E 'stride|transpose' || true
fi

sampler() {
    while true; do
        echo "$(date -u +%T.%N | cut -c1-12) $(awk '/^procs_running/ {print $2}' /proc/stat)"
        sleep 0.25
    done
}
sampler > "$out/load.txt" &
sampler_pid=$!
trap 'kill "$sampler_pid" 2> /dev/null || true' EXIT

: > "$out/jmh.txt"
for r in $(seq 1 "$rounds"); do
    for label in 17 25; do
        jdk="$java17"
        args="-Dorg.bytedeco.javacpp.cachedir=$out/javacpp-cache"
        if [[ "$label" == 25 ]]; then
            jdk="$java25"
            args="$args --sun-misc-unsafe-memory-access=allow" # JDK 17 does not know the option
        fi
        while ! "$java25/bin/java" -cp "$jar" org.cymem4j.bench.JmhLockFree; do sleep 10; done
        echo "== round $r jdk $label ($jdk)" | tee -a "$out/jmh.txt"
        "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" -f 2 -wi 3 -i 5 -w 1s -r 1s -jvmArgs "$args" \
            "$include" 2>&1 | while IFS= read -r line; do
                case "$line" in
                    Iteration*|*'# Benchmark:'*) echo "$(date -u +%T.%N | cut -c1-12) $line" ;;
                    StridedViews*) echo "$line" ;;
                esac
            done | tee -a "$out/jmh.txt" | grep '^StridedViews' || true
    done
done

# Call by call (StridedCalls): the minimum is a call nothing interrupted; 3 JVMs per JDK, alternated.
echo "== StridedCalls (ms per call)"
for r in 1 2 3; do
    "$java17/bin/java" --enable-native-access=ALL-UNNAMED "-Dorg.bytedeco.javacpp.cachedir=$out/javacpp-cache" \
        -cp "$jar" org.cymem4j.bench.StridedCalls | tee -a "$out/calls.jsonl"
    "$java25/bin/java" --enable-native-access=ALL-UNNAMED "-Dorg.bytedeco.javacpp.cachedir=$out/javacpp-cache" \
        -cp "$jar" org.cymem4j.bench.StridedCalls | tee -a "$out/calls.jsonl"
done

# Median ms per JDK and benchmark, by the mean number of runnable tasks in the second each iteration ran (the
# count includes the benchmark thread and the sampler: 2 on an otherwise idle machine).
python3 - "$out/jmh.txt" "$out/load.txt" << 'EOF'
import re, statistics, sys
def secs(t):
    h, m, s = t.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
load = [(secs(t), int(n)) for t, n in (l.split() for l in open(sys.argv[2]) if len(l.split()) == 2)]
rows, jdk, bench = [], None, None
for line in open(sys.argv[1]):
    if line.startswith("== round"):
        jdk = line.split()[4]
    elif m := re.match(r"\S+ # Benchmark: .*\.(\w+)$", line.strip()):
        bench = m.group(1)
    elif m := re.match(r"(\S+) Iteration\s+\d+: ([\d.]+) ms/op", line.strip()):
        end = secs(m.group(1))
        window = [n for t, n in load if end - 1.0 <= t <= end]
        if window:
            rows.append((bench, jdk, float(m.group(2)), statistics.mean(window)))
bins = ((0, 5, "< 5"), (5, 7, "5-7"), (7, 1e9, ">= 7"))
print("benchmark       JDK  runnable  n   median ms  min ms")
for b in sorted({r[0] for r in rows}):
    for j in ("17", "25"):
        for lo, hi, name in bins:
            xs = [ms for bb, jj, ms, n in rows if bb == b and jj == j and lo <= n < hi]
            if xs:
                print(f"{b:15s} {j:4s} {name:8s} {len(xs):3d} {statistics.median(xs):9.1f} {min(xs):7.1f}")
EOF
