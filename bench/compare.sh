#!/usr/bin/env bash
# Side-by-side JMH of two builds on this machine, in one run: each benchmark group runs on the "before" jar, then at
# once on the "after" jar, so both see the same machine state; prints each score and the after/before ratio, and the
# ratios that BENCHMARKS.md quotes (pool vs arena, batch vs arena, element reads vs double[] or an FFM segment),
# each computed within one jar's run.
#   bench/compare.sh BEFORE.jar AFTER.jar [out-dir]
# Build a jar with: (cd bench && JAVA_HOME=<jdk25> ../mvnw -B -q clean package) after `./mvnw -B -q clean install
# -DskipTests` of the revision to measure; copy bench/target/benchmarks.jar away before building the other.
set -euo pipefail
before="$1"
after="$2"
out="${3:-$(mktemp -d)}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$out"
opts=(-f 1 -wi 2 -i 3 -w 500ms -r 500ms)
groups=(
  'AllocFree\.(poolConfined|poolShared|arenaConfined)$'
  'Batch\.(poolConfined|arenaConfined|slicingAllocator)$'
  'Million\.'
  'OpenClose\.(poolConfined|arenaConfined)$'
  'PoolHotPath\.'
  'Access\.'
  'MixedReads\.'
  'TypedArrayAppendBench\.'
  'StridedViews\.'
)
i=0
for g in "${groups[@]}"; do
  for which in before after; do
    jar="$before"; [ "$which" = after ] && jar="$after"
    echo "== $which: $g"
    if ! "$java25/bin/java" -jar "$jar" -l "$g" | grep -q '^org\.'; then
      echo "(no benchmark matches in the $which jar; skipped)"
      continue
    fi
    GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 "$java25/bin/java" --enable-native-access=ALL-UNNAMED \
      -jar "$jar" "${opts[@]}" $([ $i -eq 0 ] && echo -p size=64) -jvmArgs "-Dorg.bytedeco.javacpp.cachedir=$out/cache-$which" \
      -rf json -rff "$out/$which-$i.json" "$g" > "$out/$which-$i.log" 2>&1 || { tail -20 "$out/$which-$i.log"; exit 1; }
  done
  i=$((i + 1))
done
python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def load(which):
    r = {}
    for f in sorted(glob.glob(os.path.join(out, which + "-*.json"))):
        for b in json.load(open(f)):
            name = b["benchmark"].replace("org.cymem4j.bench.", "")
            if name.startswith("ffm."):  # the JDK 22+ classes (src/main/java22) share their group's key
                name = name[4:]
            p = b.get("params") or {}
            if p:
                name += "(" + ",".join(f"{k}={v}" for k, v in sorted(p.items())) + ")"
            r[name] = (b["primaryMetric"]["score"], b["primaryMetric"]["scoreUnit"])
    return r
bef, aft = load("before"), load("after")
print(f"{'benchmark':58s} {'before':>10s} {'after':>10s} {'after/before':>12s}")
for k in sorted(set(bef) | set(aft)):
    b = bef.get(k, (float('nan'), ''))[0]; a = aft.get(k, (float('nan'), ''))[0]
    unit = (aft.get(k) or bef.get(k))[1]
    print(f"{k:58s} {b:10.3f} {a:10.3f} {a / b if b == b and b else float('nan'):12.2f}  {unit}")
def ratio(r, num, den):
    n = [v for k, v in r.items() if k.startswith(num)]; d = [v for k, v in r.items() if k.startswith(den)]
    return n[0][0] / d[0][0] if n and d else float('nan')
print()
print(f"{'ratio within one run':58s} {'before':>10s} {'after':>10s}")
for label, num, den in [
        ("pool alloc+free 64 B / arena", "AllocFree.poolConfined", "AllocFree.arenaConfined"),
        ("shared pool alloc+free 64 B / arena", "AllocFree.poolShared", "AllocFree.arenaConfined"),
        ("batch 1000 x 64 B / arena", "Batch.poolConfined", "Batch.arenaConfined"),
        ("1M x 64 B then close / arena", "Million.poolConfined", "Million.arenaConfined"),
        ("batch 1000 x 64 B / slicingAllocator", "Batch.poolConfined", "Batch.slicingAllocator"),
        ("empty pool open+close / arena open+close", "OpenClose.poolConfined", "OpenClose.arenaConfined"),
        ("sum of 10M doubles: Block / double[]", "Access.sumBlock", "Access.sumArray"),
        ("sum of 10M doubles: view / double[]", "Access.sumView1d", "Access.sumArray"),
        ("sum of 10M doubles: TypedArray.view (was asDoubles) / double[]", "Access.sumTypedArrayAsDoubles", "Access.sumArray"),
        ("column walk: 2-d view / double[] (shape in fields)", "Access.columnsView2d", "Access.columnsArrayRuntimeShape"),
        ("TypedArray append 1M / double[] append", "TypedArrayAppendBench.typedArrayAppend1M", "TypedArrayAppendBench.javaArrayAppend1M"),
        ("mixed reads: confined block / FFM shared segment", "MixedReads.confinedBlock", "MixedReads.segment"),
        ("mixed reads: shared block / FFM shared segment", "MixedReads.sharedBlock", "MixedReads.segment"),
        ("mixed reads: view of a block / FFM shared segment", "MixedReads.confinedBlockView", "MixedReads.segment"),
        ("mixed reads: view of a shared block / FFM shared segment", "MixedReads.sharedBlockView", "MixedReads.segment"),
        ("mixed reads: view of a NativeArray / FFM shared segment", "MixedReads.nativeArrayView", "MixedReads.segment"),
        ("mixed reads: view of a TypedArray / FFM shared segment", "MixedReads.typedArrayView", "MixedReads.segment")]:
    print(f"{label:58s} {ratio(bef, num, den):10.2f} {ratio(aft, num, den):10.2f}")
PY
