#!/usr/bin/env python3
"""Renders BENCHMARKS.md from one bench/run.sh run: JMH JSON on Temurin 25 (jmh.json, jmh-pools.json,
jmh-access.json, jmh-openclose.json, jmh-<allocator>.json) and on JDK 17 (jmh17.json, jmh17-access.json,
jmh17-openclose.json), the resident-memory lines
(resident.jsonl), the C floor (c-alloc.jsonl, c-strided.txt) and the NumPy baselines (numpy.jsonl) in the results
directory. Every ratio compares numbers measured in that same run. Standard library only.

Benchmarks of the package org.cymem4j.bench.ffm (JDK 22+) are keyed like their release-17 namesakes: the FFM rows of
AllocFree are ffm.AllocFree's, and so on (the method names differ, so no key is shared)."""
import argparse
import json
import os
import platform
import statistics
import subprocess

PKG = "org.cymem4j.bench."
FFM = "ffm."
SIZES = ["16", "64", "1024", "65536"]

ALLOC_LABELS = [
    ("AllocFree.poolConfined", "**cymem4j `Pool.open()`: `alloc(1, n)` + `free`**"),
    ("AllocFree.poolShared", "**cymem4j `Pool.openShared()`: `alloc(1, n)` + `free`**"),
    ("AllocFree.arenaConfined", "FFM `Arena.ofConfined()` + `allocate(n)` + `close()`"),
    ("AllocFree.arenaShared", "FFM `Arena.ofShared()` + `allocate(n)` + `close()`"),
    ("AllocFree.ffmCalloc", "FFM downcall of libc `calloc` + `free`"),
    ("AllocFree.jniCalloc", "JNI: JavaCPP `Pointer.calloc` + `Pointer.free`"),
    ("AllocFree.lwjglCalloc", "LWJGL `MemoryUtil.nmemCalloc` + `nmemFree`"),
    ("AllocFree.nettyPooled", "Netty `PooledByteBufAllocator.DEFAULT.directBuffer(n)` + `release()` *(not zeroed)*"),
    ("AllocFree.byteBufferDirect", "`ByteBuffer.allocateDirect(n)` *(freed later by the GC)*"),
    ("AllocFree.javacppBytePointer", "JavaCPP `new BytePointer(n)` + `close()` *(not zeroed)*"),
    ("AllocFreeJavaCppNoGc.javacppBytePointerNoGc", "same, `-Dorg.bytedeco.javacpp.nopointergc=true` *(not zeroed)*"),
]
BATCH_LABELS = [
    ("Batch.poolConfined", "**cymem4j `Pool.open()`, 1000 × `alloc`, `close()`**"),
    ("Batch.poolShared", "**cymem4j `Pool.openShared()`, 1000 × `alloc`, `close()`**"),
    ("Batch.arenaConfined", "FFM `Arena.ofConfined()`, 1000 × `allocate`, `close()`"),
    ("Batch.slicingAllocator", "FFM `Arena.ofConfined()`, one zeroed 64000 B segment, 1000 slices of 64 B "
                               "(`SegmentAllocator.slicingAllocator`), `close()`: the bump-pointer limit"),
    ("Batch.ffmCalloc", "FFM downcall `calloc` × 1000, then `free` × 1000"),
    ("Batch.jniCalloc", "JNI `Pointer.calloc` × 1000, then `Pointer.free` × 1000"),
    ("Batch.lwjglCalloc", "LWJGL `nmemCalloc` × 1000, then `nmemFree` × 1000"),
    ("Batch.nettyPooled", "Netty pooled `directBuffer(64)` × 1000, then `release()` × 1000 *(not zeroed)*"),
]
MILLION_LABELS = [
    ("Million.poolConfined", "**cymem4j `Pool.open()`, 1,000,000 × `alloc(1, 64)`, `close()`**"),
    ("Million.arenaConfined", "FFM `Arena.ofConfined()`, 1,000,000 × `allocate(64)`, `close()`"),
]
ACCESS_GROUPS = [
    ("sum of 10M doubles", [("Access.sumArray", "`double[]` loop"), ("Access.sumSegment", "`MemorySegment` loop"),
                            ("Access.sumAddress", "**cymem4j `Address.getDouble`**"),
                            ("Access.sumBlock", "**cymem4j `Block.getDouble` (pool block)**"),
                            ("Access.sumTypedArrayGet", "**cymem4j `TypedArray.getDouble(i)`**"),
                            ("Access.sumTypedArrayAsDoubles", "**cymem4j `TypedArray.view().getDouble(i)`** (was `asDoubles().get(i)`)"),
                            ("Access.sumView1d", "**cymem4j `MemoryView.getDouble(i)` (1-d view)**")]),
    ("2-d walk 2500 × 4000, row order", [("Access.rowsArray", "`double[]` loop"),
                                         ("Access.rowsSegment", "`MemorySegment` loop"),
                                         ("Access.rowsAddress", "**cymem4j `Address.getDouble`**"),
                                         ("Access.rowsView2d", "**cymem4j `MemoryView.getDouble(i, j)`**")]),
    ("2-d walk 2500 × 4000, column order", [("Access.columnsArray", "`double[]` loop"),
                                            ("Access.columnsArrayRuntimeShape",
                                             "`double[]` loop, shape read from fields (as a view's is)"),
                                            ("Access.columnsSegment", "`MemorySegment` loop"),
                                            ("Access.columnsAddress", "**cymem4j `Address.getDouble`**"),
                                            ("Access.columnsView2d", "**cymem4j `MemoryView.getDouble(i, j)`**")]),
]
MIB128 = 2 * 4096 * 4096 * 8
STRIDED_JAVA = [
    ("transpose 4096 × 4096 float64", [
        ("StridedViews.transposeCopy", "**cymem4j `b.copyFrom(a.T())` (C kernel, one JNI call)**", MIB128),
        ("StridedJava.transposeArrayNaive", "Java loop, `double[]`, naive", MIB128),
        ("StridedJava.transposeArrayTiled", "Java loop, `double[]`, 32 × 32 tiles", MIB128),
        ("StridedJava.transposeSegmentTiled", "Java loop, `MemorySegment`, 32 × 32 tiles", MIB128),
        ("StridedJava.copy128MiBArray", "floor: `System.arraycopy` of the same 128 MiB", MIB128),
        ("StridedJava.copy128MiBSegment", "floor: `MemorySegment.copy` of the same 128 MiB", MIB128),
        ("StridedViews.contiguousCopy128MiB", "floor: cymem4j `b.copyFrom(a)`, contiguous", MIB128)]),
    ("every 2nd of 64 Mi float64 → contiguous", [
        ("StridedViews.stride2Copy", "**cymem4j `dst.copyFrom(src.slice(\"::2\"))`**", 2 * (32 << 20) * 8),
        ("StridedJava.stride2Segment", "Java loop, `MemorySegment`", 2 * (32 << 20) * 8),
        ("StridedJava.copy256MiBSegment", "floor: `MemorySegment.copy` of the 256 MiB written", 2 * (32 << 20) * 8)]),
    ("fill 4096 × 4096 float64", [
        ("StridedViews.fill", "**cymem4j `view.fill(1.5)`**", MIB128 // 2),
        ("StridedJava.fillArray", "`Arrays.fill(double[], 1.5)`", MIB128 // 2),
        ("StridedJava.fillSegment", "Java loop, `MemorySegment`", MIB128 // 2)]),
    ("cast 4096 × 4096 float64 → float32", [
        ("StridedViews.castF64toF32", "**cymem4j `f32.castFrom(f64)`**", MIB128 // 2 + MIB128 // 4),
        ("StridedJava.castArrayF64toF32", "Java loop, `double[]` → `float[]`", MIB128 // 2 + MIB128 // 4)]),
]


def load_jmh(path):
    """{(short name, size or None): (median, error, mean, unit, samples)}"""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for entry in json.load(f):
            name = entry["benchmark"].replace(PKG, "")
            if name.startswith(FFM):
                name = name[len(FFM):]
            params = entry.get("params") or {}
            size = params.get("size")
            if "allocator" in params:
                name += "@" + params["allocator"]
            if "level" in params:
                name += "@" + params["level"]
            pm = entry["primaryMetric"]
            raw = [x for fork in pm.get("rawData", []) for x in fork]
            median = statistics.median(raw) if raw else pm["score"]
            err = pm.get("scoreError")
            if not isinstance(err, (int, float)) or err != err:  # NaN ("NaN" in JMH's JSON) for too few samples
                err = None
            out[(name, size)] = (median, err, pm["score"], pm["scoreUnit"], len(raw))
    return out


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def fastest_process(rows):
    """bench_alloc's lines of several processes: per (allocator, name, size), the process with the lowest median,
    with `processes` (how many ran it) and `slowest` (the highest median among them) added."""
    best = {}
    for r in rows:
        key = (r["allocator"], r["name"], r["size"])
        b = best.get(key)
        if b is None:
            best[key] = dict(r, processes=1, slowest=r["median_ns"])
            continue
        merged = dict(r if r["median_ns"] < b["median_ns"] else b)
        merged["processes"] = b["processes"] + 1
        merged["slowest"] = max(b["slowest"], r["median_ns"])
        best[key] = merged
    return list(best.values())


def load_strided(path):
    """Rows of bench_strided's markdown table: {case: (median ms, GB/s)}."""
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 6 and cells[0] != "case" and not cells[0].startswith("-"):
                try:
                    rows[cells[0]] = (float(cells[2]), float(cells[4]))
                except ValueError:
                    pass
    return rows


def num(x):
    if x is None:
        return "—"
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def cell(r):
    if r is None:
        return "—"
    median, err = r[0], r[1]
    return f"{num(median)} ± {num(err)}" if err is not None else num(median)


def ratio(a, b):
    """a / b as 'x.xx×', or a dash."""
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def get(jmh, name, size=None):
    return jmh.get((name, size))


def med(r):
    return r[0] if r else None


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(java):
    model = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
    cores = os.cpu_count()
    mem = sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
    jdk = sh(f"'{java}' -version 2>&1 | sed -n 2p") or sh(f"'{java}' -version 2>&1 | head -1")
    glibc = sh("ldd --version | head -1 | sed 's/.* //'")
    osname = sh(". /etc/os-release && echo $PRETTY_NAME") or platform.platform()
    gcc = sh("gcc -dumpfullversion")
    numpy = sh("python3 -c 'import numpy; print(numpy.__version__)'")
    return model, cores, mem, jdk, glibc, osname, gcc, numpy


def numpy_ms(numpy_rows, name):
    for r in numpy_rows:
        if r["name"] == name:
            return r["median_ms"]
    return None


def resident_median(resident, mechanism, java):
    """(median RSS bytes per block, median heap bytes per block, runs) over resident.jsonl's lines, or None."""
    rows = [r for r in resident if r["mechanism"] == mechanism and str(r["java"]) == java]
    if not rows:
        return None
    return (statistics.median(r["rss_bytes_per_block"] for r in rows),
            statistics.median(r["heap_bytes_per_block"] for r in rows), len(rows))


# Why a target row that misses misses: (a substring of the row's work label, the measured reason). Each reason is
# backed by a measurement in bench/performance-notes.md (the section named in brackets).
MISS_REASONS = [
    ("confined 64 B alloc+free vs FFM", "the pair makes no native call (the block cache, table below); it zeroes the "
     "reused block (calloc's promise) and does the pool's checks and counts: the owner-thread and open checks on "
     "both calls, the known-block lookup that checks a free without C, exact live, peak and total counters (two "
     "counter updates fewer since session 8). Before that, with the zeroing left out (an experiment build) it ran at "
     "0.61x the arena measured beside it; the ways to zero faster from Java tried so far (a slice of one segment "
     "over all memory, long stores through it, a buffer over the slab, one JNI call zeroing 16 blocks at a time) "
     "were slower in place. The rest is not profiled: a "
     "plain loop runs the same pair at about 11 ns, JMH keeps the pool's field loads per call (\"What the pair is "
     "made of\", session 8)"),
    ("from Java vs C `calloc`", "the Java pair does glibc's LIFO work plus the pool's checks and exact counters, and "
     "zeroes the reused block; the C floor is the fastest C process (the C table below: one process's medians sit "
     "at one of two levels, the slow one above this pair), and with the zeroing left out (an experiment build, "
     "session 8, before its counter trim) the pair was still above the fast level (\"What the pair is made of\", "
     "session 8). Session 9's flat cache tables met it on Temurin 25 and left JDK 17, whose pair zeroes the block "
     "through one JNI memset, within the noise (\"The confined pair's profile\", session 9). Session 11 zeroed "
     "that block from Java on JDK 17 (sun.misc.Unsafe long stores, an experiment build: no native call left on "
     "the pair) and the pair got no faster (14.7-17.7 ns against 14.0-15.6, jars in turn): the same bytecode runs "
     "at 10.8-13 ns on Temurin 25, so what is left is JDK 17's compiled code for it (\"JDK 17's pair\", "
     "session 11). Its iterations sit at two levels within each fork: 16.1-17.1 and 22.7-23.6 ns in session 11's "
     "full run (bench/results)"),
    ("shared vs confined", "in this library's design a shared call counts itself in flight, so that close() can "
     "wait for it, and a free marks its block dead atomically, so that one of two racing frees fails. That "
     "synchronization alone, measured in this run with no allocation work (the SharedFloor table below), costs "
     "more than the 0.30x of the confined pair that 1.3x leaves, even in its leanest form (a store-load fence as "
     "each call enters, one compare-and-set per free: the row's reference). Designs that avoid those per-call "
     "costs are not tried: an asymmetric fence (close() issuing membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), as "
     "HotSpot's -XX:+UseSystemMemoryBarrier does, so that a call needs only a compiler barrier), and blocks owned "
     "by the thread that allocated them with queues for remote frees (mimalloc, snmalloc), where only a free from "
     "another thread is atomic. FFM's shared arenas skip the per-call fence with a VM handshake in close() "
     "(JDK-internal; `Arena.ofShared()` + `close()` in the open-and-close table). "
     "Tried in session 11: the confined pool's block cache on a shared pool under one lock (an experiment build) "
     "ran the one-thread pair at 29-30 ns against the shared pool's 38-52, but two threads on one pool fell to "
     "4-8 pairs/us from 35-37 (0.1-0.2x one thread, where this pool meets the >= 1.6x target), which is why the "
     "shared path stays C's per-thread shards (\"Shared pools: what this design's synchronization costs\", session 11)"),
    ("slicingAllocator", "the slicing allocator bumps an offset and neither tracks nor frees a slice. Since session "
     "10 a pool's block comes from a bump too, through a run of a slab's fresh blocks C leased to Java, with no "
     "native call, but it stays tracked: per block Java checks the pool (open, owner thread), counts the block "
     "(live blocks, bytes, peak) and records it in the known table so that its free is checked and kept for reuse "
     "without C; the close commits each run to C (sizes and live bits), frees O(slabs) and zeroes each slab for the "
     "next pool. perfasm of the batch: the alloc loop 57% of the samples (about 4.3 ns a block), C's commit and "
     "destroy 11%, the slab zeroing 7%. 5x this row's reference leaves about 3.3 ns a block for all of that. With "
     "every tracking store left out of the leased path (an experiment build: no counts, no known table, frees to "
     "C) the batch took 7.1-7.8 ns a block against 7.7-8.7 beside it, and perfasm then put about 3.2 ns a block "
     "on the alloc loop's remaining checks (open, owner thread, size, the lease's slot) and 12% on zeroing the "
     "slab for the next pool: the checks alone use the 5x allowance, and the issue keeps every check (\"The bump "
     "limit without tracking\", session 11)"),
    ("empty pool", "three Java objects made and initialised, 192 bytes against the arena's 80: the Pool, its Scope "
     "(the lifetime core every block, view and indexer shares; one object would put the core's public methods on "
     "Pool) and its PoolResource (the Cleaner's action, which must not refer to the pool), and the open's own work "
     "(the allocator's resolution, the settings and huge-page checks, the leak sampling, the JFR and JMX checks). "
     "Session 9 took out four helper objects, a fence, a compare-and-set and most of the sampled stack walks; "
     "session 12 took out the last two atomic instructions (the id and the closed count, now per thread: "
     "PoolLedger), about 7 ns of 22 measured with switches in one jar. Bounded in session 12: an experiment build "
     "with no PoolResource and no counting at all, wrong by design, still took 11.2 ns against the arena's "
     "4.4-4.9, 2.3-2.5x (\"Issue 20, session 12\"). Since session 12 this group runs with five one-second "
     "warm-ups: after two half-second ones the pool's iterations were still falling (36 to 23 ns in each fork)"),
    ("JDK 17: 64 B alloc+free vs LWJGL", "the pool's pair makes one JNI call, the memset that zeroes a reused block "
     "(calloc's promise), against LWJGL's two bare JNI calls straight to glibc. Before session 8's counter trim, "
     "the pair with the zeroing left out (an experiment build) ran at 0.61x LWJGL measured beside it, the zeroing "
     "about 5 ns in place; a direct buffer over the slab was no faster, sun.misc.Unsafe's long stores about 0.5 ns "
     "faster (not merged: the library would depend on sun.misc.Unsafe) (\"What the pair is made of\", session 8). "
     "The row moves with LWJGL's own time as much as with the pool's: session 9's full run met it at 0.40x, and in "
     "session 10's A/B on JDK 17 (main before and after leases, jars in turn, 2 forks each) the pool's pair took "
     "15.2-18.1 ns before and 15.3-18.0 after while LWJGL's took 24.9-37.0 (\"Leases\", session 10). Session 11's "
     "zeroing from Java did not make the pair faster either (\"JDK 17's pair\", session 11), and in its full run "
     "the pair's iterations sat at 16.1-17.1 or 22.7-23.6 ns (0.6x LWJGL's 26.8 at the lower level)"),
    ("one shared pool, 2 threads", "the shared path has not changed since session 8's full run, where it scaled "
     "1.85x on Temurin 25 and 1.82x on JDK 17 (session 10's: 2.27x and 2.33x); a two-thread rate needs the second "
     "core, and when this row misses, compare its references: pools per thread that share nothing scale less too, "
     "and one fork's iterations spread as wide as the miss (session 9's full run: 52.8 down to 33.7 pairs/µs within "
     "one fork). In session 11's full run the two threads ran steadily (35.0-36.2 pairs/µs) and the one thread it is "
     "divided by moved (19.2-25.8), as in that session's A/B runs (1.44-1.86x; bench/results)"),
    ("1000 × 64 B then close vs the FFM arena", "the batch path hands out leased blocks from Java since session 10 "
     "(about half the time per block of the downcall path before it, which met this target at 0.50x in session 8's "
     "full run); when it misses, look at the arena's own row and at the run's spread within one fork (session 9's "
     "full run: 17.5 to 29.2 ns)"),
    ("stride-2 copy", "a tie with NumPy: NumPy's copyto and the C kernel are both near this host's memory bandwidth "
     "for the strided read (the C kernel row within a few percent of NumPy; the memcpy rows of the C kernel table "
     "beside them), and NumPy's time moves between runs by more than the 10% asked (session 5's quick run measured "
     "1.19x); JDK 17's per-call minimum equals Temurin 25's (\"Stride-2 copy on JDK 17\", session 6)"),
    ("column-order 2-d walk", "bimodal by fork on JDK 17, on either side of the ratio: a fork's iterations settle "
     "in a fast or a slow mode (session 6: the view's forks at 25 and 39.5 ms; session 9's full run: the double[] "
     "loop's at 18.4-19.4 and 22.5-31.9 ms), and across runs the ratio has moved between 0.96x and 1.68x with the "
     "same code. Where the buffers land is part of it: with the kernel's huge pages forced on for a test (THP "
     "`always`) both walks ran faster (the view 19.4 ms against 23.8, the double[] loop 17.2 against 17.9), and "
     "since session 11 the library advises blocks of 4 MiB and more as huge pages, as NumPy does, which took the "
     "view from 21.7 to 18.1 ms in an A/B session (the double[] loop 16.8 and 16.5; \"Huge pages\", session 11)"),
    ("transpose", "the C kernel alone is as fast as the Java call (bench_strided row), and a transpose reads and "
     "writes 268 MB: 20x NumPy would need more bytes per second than this host's memcpy moves (the memcpy rows of "
     "the C kernel table); 20x would need NumPy slower, not the kernel faster (session 5 notes). Huge pages for "
     "large blocks (session 11) took the Java call from 14.4 to 11.7 ms in an A/B session, still memcpy-bound"),
]


def block_cache(w, jmh, jmh17, have17):
    """The block cache's before and after in one run: the same pool benchmarks with -Dcymem4j.blockCache=false."""
    jvms = [("Temurin 25", jmh)] + ([("JDK 17", jmh17)] if have17 else [])
    cells = []
    for label, on, off in (("confined `alloc(1, 64)` + `free`", ("AllocFree.poolConfined", "64"),
                            ("AllocFreeUncached.poolConfined", None)),
                           ("confined, a round of 64, 200, 300 B and 10 KB (`AllocFreeMixed`)",
                            ("AllocFreeMixed.poolConfinedMixed", None), ("AllocFreeUncached.poolConfinedMixed", None)),
                           ("shared `alloc(1, 64)` + `free` (no cache: the same path both ways)",
                            ("AllocFree.poolShared", "64"), ("AllocFreeUncached.poolShared", None))):
        for jvm, data in jvms:
            a, b = med(get(data, *on)), med(get(data, *off))
            if a and b:
                cells.append(f"| {label} | {jvm} | {num(a)} | {num(b)} | {b / a:.2f}× |")
    if not cells:
        return
    w("## The block cache (issue 20): on and off in this run")
    w("")
    w("A confined pool serves a freed small block again from Java, and hands out fresh ones from leased runs (README, "
      "\"Freed blocks served again, and fresh ones handed out, from Java\"). The same benchmarks in a JVM with "
      "`-Dcymem4j.blockCache=false` (`AllocFreeUncached`: every call to C, as before).")
    w("")
    w("| ns per pair or round | JVM | cache on | cache off | off / on |")
    w("|---|---|---|---|---|")
    for c in cells:
        w(c)
    w("")


def issue20_targets(w, jmh, jmh17, c64, numpy_rows, strided, resident, have17):
    """The target table of issue 20: each row a ratio of two numbers measured in this run, the target beside it."""
    w("## Targets (issue 20)")
    w("")
    w("Each ratio divides two numbers of this run (same JVM where both are Java). Times: lower is better, so a time "
      "ratio must stay at or under its target; throughput and speed-up ratios (marked ≥) at or over it. "
      "\"not measured\": that benchmark did not run (a JDK 22+ row on JDK 17, a JMH selection, a missing tool).")
    w("")
    w("| work | JVM | measured in this run | ratio | target | met? |")
    w("|---|---|---|---|---|---|")

    misses = []

    def row(work, jvm, num_v, den_v, unit, num_label, den_label, op, target, note=""):
        if num_v is None or den_v is None or den_v == 0:
            missing = [lbl for lbl, v in ((num_label, num_v), (den_label, den_v)) if v is None]
            w(f"| {work} | {jvm} | not measured ({', '.join(missing) or 'zero'}) | — | {op} {target} | — |")
            return
        r = num_v / den_v
        ok = r <= target if op == "≤" else r >= target
        if not ok:
            misses.append((work, jvm, r))
        w(f"| {work} | {jvm} | {num_label} {num(num_v)} vs {den_label} {num(den_v)} {unit}{note} | {r:.2f}× "
          f"| {op} {target} | {'yes' if ok else 'no'} |")

    jvms = [("Temurin 25", jmh)] + ([("JDK 17", jmh17)] if have17 else [])
    j25 = "Temurin 25"
    p64 = med(get(jmh, "AllocFree.poolConfined", "64"))
    row("confined 64 B alloc+free vs FFM confined arena (`Arena.ofConfined()` + `allocate(64)` + `close()`)", j25,
        p64, med(get(jmh, "AllocFree.arenaConfined", "64")), "ns", "pool", "arena", "≤", 0.6)
    for jvm, data in jvms:
        row("confined 64 B alloc+free from Java vs C `calloc`+`free` from C (glibc, bench_alloc)", jvm,
            med(get(data, "AllocFree.poolConfined", "64")), c64, "ns", "pool", "C", "≤", 1.0)
    for jvm, data in jvms:
        shared, uncached = med(get(data, "AllocFree.poolShared", "64")), med(get(data, "AllocFreeUncached.poolConfined"))
        confined, least = med(get(data, "AllocFree.poolConfined", "64")), med(get(data, "SharedFloor.leastPossible"))
        refs = []
        if shared and uncached:
            refs.append(f"confined with the block cache off {num(uncached)} ns, shared / that {shared / uncached:.2f}×")
        if confined and least:
            refs.append(f"the leanest form of this design's synchronization, alone (SharedFloor.leastPossible) "
                        f"{num(least)} ns = {least / confined:.2f}× the confined pair, against the 0.30× that 1.3 "
                        f"leaves")
        note = f" (reference: {'; '.join(refs)})" if refs else ""
        row("shared vs confined, 64 B alloc+free", jvm, shared, med(get(data, "AllocFree.poolConfined", "64")), "ns",
            "shared", "confined", "≤", 1.3, note)
    for jvm, data in jvms:
        c1, c2 = med(get(data, "SharedScaling.confined1")), med(get(data, "SharedScaling.confined2"))
        a1, a2 = med(get(data, "SharedScaling.arena1")), med(get(data, "SharedScaling.arena2"))
        ref = []
        if c1 and c2:
            ref.append(f"a confined pool per thread {c2 / c1:.2f}×")
        if a1 and a2:
            ref.append(f"arenas {a2 / a1:.2f}×")
        note = f" (reference, 2 threads / 1: {', '.join(ref)})" if ref else ""
        row("one shared pool, 2 threads vs 1: total alloc+free throughput (JMH throughput mode, `@Threads`)", jvm,
            med(get(data, "SharedScaling.shared2")), med(get(data, "SharedScaling.shared1")), "pairs/µs",
            "2 threads", "1 thread", "≥", 1.6, note)
    row("1000 × 64 B then close vs the FFM arena, ns/block", j25, med(get(jmh, "Batch.poolConfined")),
        med(get(jmh, "Batch.arenaConfined")), "ns/block", "pool", "arena", "≤", 0.5)
    row("1,000,000 × 64 B then close vs the FFM arena, ns/block", j25, med(get(jmh, "Million.poolConfined")),
        med(get(jmh, "Million.arenaConfined")), "ns/block", "pool", "arena", "≤", 0.5)
    row("empty pool `Pool.open()` + `close()` vs `Arena.ofConfined()` + `close()`", j25,
        med(get(jmh, "OpenClose.poolConfined")), med(get(jmh, "OpenClose.arenaConfined")), "ns", "pool", "arena",
        "≤", 2)
    if have17:
        for key, label in (("AllocFree.lwjglCalloc", "LWJGL `nmemCalloc`/`nmemFree`"),
                           ("AllocFree.jniCalloc", "JavaCPP `Pointer.calloc`/`free`")):
            row(f"JDK 17: 64 B alloc+free vs {label}", "JDK 17", med(get(jmh17, "AllocFree.poolConfined", "64")),
                med(get(jmh17, key, "64")), "ns", "pool", key.split(".")[1], "≤", 0.67)
    else:
        w("| JDK 17: 64 B alloc+free vs LWJGL / JavaCPP JNI calloc+free | JDK 17 | not measured (JAVA17=skip) | — "
          "| ≤ 0.67 | — |")
    row("1000 × 64 B then close vs FFM `slicingAllocator` over one arena segment (the bump limit), ns/block", j25,
        med(get(jmh, "Batch.poolConfined")), med(get(jmh, "Batch.slicingAllocator")), "ns/block", "pool",
        "slices", "≤", 5)
    for jvm, java in (("Temurin 25", "25"), ("JDK 17", "17")):
        if jvm == "JDK 17" and not have17:
            continue
        pool = resident_median(resident, "pool", java)
        beside = []
        for mech, label in (("arena", "arena"), ("calloc", "glibc chunk (`calloc`)")):
            m = resident_median(resident, mech, java)
            if m:
                beside.append(f"{label} {m[0] + max(m[1], 0):.0f} ({m[0]:.0f} RSS + {m[1]:.0f} heap)")
        if pool is None:
            w(f"| resident memory per live 64 B block, 1,000,000 blocks (RSS + Java heap) | {jvm} | not measured "
              f"| — | ≤ 80 B | — |")
            continue
        total = pool[0] + max(pool[1], 0)  # a heap that shrank (GC noise) counts as 0
        w(f"| resident memory per live 64 B block, 1,000,000 blocks (RSS + Java heap) | {jvm} | pool {total:.0f} B "
          f"({pool[0]:.0f} RSS + {pool[1]:.0f} heap); beside it: {', '.join(beside) or '—'} | {total:.0f} B "
          f"| ≤ 80 B | {'yes' if total <= 80 else 'no'} |")

    # Kernels: NumPy time / cymem4j time (a speed-up), from Java through MemoryView (JMH) and from C (bench_strided).
    np_s2 = numpy_ms(numpy_rows, "stride-2 copy of 64 Mi f64: np.copyto(dst, src[::2])")
    np_tr = numpy_ms(numpy_rows, "transpose 4096x4096 f64: np.copyto(out, a.T)")
    for work, key, np_v, cname, target in (
            ("stride-2 copy of 64 Mi float64 vs NumPy `np.copyto(dst, src[::2])` (speed-up)", "StridedViews.stride2Copy",
             np_s2, "stride-2 copy of 64M f64: cym_strided_copy", 1.1),
            ("4096² float64 transpose copy vs NumPy `np.copyto(out, a.T)` (speed-up)", "StridedViews.transposeCopy",
             np_tr, "transpose 4096x4096 f64: cym_strided_copy", 20)):
        for jvm, data in jvms:
            row(work + ", from Java (`MemoryView.copyFrom`)", jvm, np_v, med(get(data, key)), "ms", "NumPy",
                "cymem4j", "≥", target)
        c = strided.get(cname)
        row(work + ", C kernel (`bench_strided`)", "— (C)", np_v, c[0] if c else None, "ms", "NumPy", "C kernel",
            "≥", target)
    for jvm, data in jvms:
        tag = "" if jvm == "JDK 17" else " (reference; the target is JDK 17's)"
        row("column-order 2-d walk 2500 × 4000, `MemoryView.getDouble(i, j)` vs the `double[]` loop" + tag, jvm,
            med(get(data, "Access.columnsView2d")), med(get(data, "Access.columnsArray")), "ms", "view",
            "double[]", "≤", 1.3)
    w("")
    if misses:
        w("**Why the misses miss** (measured; the numbers and the experiments are in bench/performance-notes.md):")
        w("")
        for work, jvm, r in misses:
            reason = next((text for key, text in MISS_REASONS if key in work), "not explained yet")
            w(f"- {work} ({jvm}, {r:.2f}×): {reason}")
        w("")


def shared_floor(w, jmh, jmh17):
    """SharedFloor: what a shared pair synchronizes in this design, beside the confined pair it is held to."""
    rows = (("SharedFloor.confinedChecks", "a confined scope's checks, both calls (plain reads)"),
            ("SharedFloor.inFlight", "a shared scope's in-flight counts, both calls (4 atomic adds)"),
            ("SharedFloor.inFlightAndMark", "and the block's live mark set and cleared (2 compare-and-sets)"),
            ("SharedFloor.leastPossible", "**its leanest form: a store-load fence as each call enters, one "
                                          "compare-and-set as the free marks the block dead**"))
    jvms = [(name, data) for name, data in (("Temurin 25", jmh), ("JDK 17", jmh17)) if get(data, rows[0][0])]
    if not jvms:
        return
    w("## What a shared pair synchronizes in this design (SharedFloor, ns per alloc + free, one thread)")
    w("")
    w("No memory is allocated, zeroed or looked up: only the synchronization with which this library lets `close()` "
      "wait for calls in flight and makes one of two racing frees of a block fail (other designs are possible: "
      "BENCHMARKS' reason for the shared row names two). Last columns: this row / the confined 64 B pair "
      "measured in the same JVM (the target \"shared within 1.3× of confined\" leaves 0.30× for all of it).")
    w("")
    w("| synchronization | " + " | ".join(f"{n} ns | / confined pair" for n, _ in jvms) + " |")
    w("|---|" + "---|---|" * len(jvms))
    for key, label in rows:
        cells = []
        for _, data in jvms:
            conf = med(get(data, "AllocFree.poolConfined", "64"))
            cells.append(f"{cell(get(data, key))} | {ratio(med(get(data, key)), conf)}")
        w(f"| {label} | " + " | ".join(cells) + " |")
    w("| the confined 64 B pair itself (AllocFree.poolConfined) | " + " | ".join(
        f"{cell(get(data, 'AllocFree.poolConfined', '64'))} | 1.00×" for _, data in jvms) + " |")
    w("")


def side_by_side(w, jmh, jmh17):
    """The benchmarks run on both JDKs, Temurin 25 beside JDK 17."""
    rows = [
        ("AllocFree.poolConfined", "64", "`Pool.open()`: `alloc(1, 64)` + `free`", "ns"),
        ("AllocFree.poolShared", "64", "`Pool.openShared()`: `alloc(1, 64)` + `free`", "ns"),
        ("AllocFree.lwjglCalloc", "64", "LWJGL `nmemCalloc` + `nmemFree`, 64 B", "ns"),
        ("AllocFree.jniCalloc", "64", "JavaCPP `Pointer.calloc` + `free`, 64 B", "ns"),
        ("AllocFree.nettyPooled", "64", "Netty pooled `directBuffer(64)` + `release()`", "ns"),
        ("AllocFree.byteBufferDirect", "64", "`ByteBuffer.allocateDirect(64)`", "ns"),
        ("AllocFree.javacppBytePointer", "64", "JavaCPP `new BytePointer(64)` + `close()`", "ns"),
        ("Batch.poolConfined", None, "`Pool.open()`, 1000 × 64 B, `close()` (per block)", "ns"),
        ("Batch.poolShared", None, "`Pool.openShared()`, 1000 × 64 B, `close()` (per block)", "ns"),
        ("Batch.lwjglCalloc", None, "LWJGL 1000 × `nmemCalloc`, then `nmemFree` (per block)", "ns"),
        ("Batch.jniCalloc", None, "JavaCPP 1000 × `Pointer.calloc`, then `free` (per block)", "ns"),
        ("Million.poolConfined", None, "`Pool.open()`, 1,000,000 × 64 B, `close()` (per block)", "ns"),
        ("OpenClose.poolConfined", None, "empty `Pool.open()` + `close()`", "ns"),
        ("OpenClose.poolShared", None, "empty `Pool.openShared()` + `close()`", "ns"),
        ("SharedScaling.shared1", None, "one shared pool, 1 thread (alloc+free pairs per µs)", "ops/µs"),
        ("SharedScaling.shared2", None, "one shared pool, 2 threads (pairs per µs, both threads)", "ops/µs"),
        ("SharedScaling.confined1", None, "a confined pool per thread, 1 thread (pairs per µs)", "ops/µs"),
        ("SharedScaling.confined2", None, "a confined pool per thread, 2 threads (pairs per µs)", "ops/µs"),
        ("PoolHotPath.publicApi", None, "`alloc(1, 64)` + `free`, `PoolHotPath`", "ns"),
        ("PoolHotPath.bridgeOnly", None, "the two JNI bridge calls alone", "ns"),
        ("Access.columnsArray", None, "column walk 2500 × 4000, `double[]` (ms)", "ms"),
        ("Access.columnsArrayRuntimeShape", None, "column walk, `double[]` with the shape in fields (ms)", "ms"),
        ("Access.columnsAddress", None, "column walk, `Address.getDouble` (ms)", "ms"),
        ("Access.columnsView2d", None, "column walk, `MemoryView.getDouble(i, j)` (ms)", "ms"),
        ("StridedViews.stride2Copy", None, "stride-2 copy of 64 Mi float64, `MemoryView.copyFrom` (ms)", "ms"),
        ("StridedViews.transposeCopy", None, "transpose copy 4096² float64, `MemoryView.copyFrom` (ms)", "ms"),
    ]
    shown = [(k, sz, label, unit) for k, sz, label, unit in rows if get(jmh17, k, sz)]
    if not shown:
        return
    w("## Temurin 25 and JDK 17 side by side")
    w("")
    w("The same jar on both JVMs: on Temurin 25 cymem4j's pool calls are FFM critical downcalls (its "
      "`META-INF/versions/22` classes), on JDK 17 JNI. The benchmarks here are the release-17 classes; FFM rows "
      "exist only on 25. Last column: JDK 17 / Temurin 25 (for ops/µs rows, above 1 means JDK 17 is faster).")
    w("")
    w("| benchmark | unit | Temurin 25 | JDK 17 | JDK 17 / 25 |")
    w("|---|---|---|---|---|")
    for k, sz, label, unit in shown:
        a, b = get(jmh, k, sz), get(jmh17, k, sz)
        w(f"| {label} | {unit} | {cell(a)} | {cell(b)} | {ratio(med(b), med(a))} |")
    w("")


def resident_section(w, resident):
    if not resident:
        return
    w("## Resident memory per live 64 B block (1,000,000 blocks live)")
    w("")
    w("`org.cymem4j.bench.Resident` (and `ffm.ResidentArena`), one JVM per mechanism and JDK: heap fixed and "
      "pre-touched (`-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseSerialGC`), warmed up on 20 rounds of 10,000 blocks, "
      "then RSS from `/proc/self/smaps_rollup` before and after allocating 1,000,000 blocks of 64 B (kept live), "
      "and the used Java heap after a full GC before and after. Bytes per block; median of the runs. A negative "
      "heap figure is collection noise (the heap shrank) and counts as 0 in the total.")
    w("")
    w("| mechanism | JVM | RSS | Java heap | total | runs |")
    w("|---|---|---|---|---|---|")
    labels = {"pool": "**cymem4j `Pool.open()`, `alloc(1, 64)`**",
              "shared": "**cymem4j `Pool.openShared()`, `alloc(1, 64)`**",
              "arena": "FFM `Arena.ofConfined()`, `allocate(64)`",
              "calloc": "glibc `calloc(1, 64)` (LWJGL `nmemCalloc`, system allocator)"}
    for mech in ("pool", "shared", "arena", "calloc"):
        for java, jvm in (("25", "Temurin 25"), ("17", "JDK 17")):
            m = resident_median(resident, mech, java)
            if m:
                w(f"| {labels[mech]} | {jvm} | {m[0]:.1f} | {m[1]:.1f} | {m[0] + max(m[1], 0):.1f} | {m[2]} |")
    w("")


MIXED_LABELS = [
    ("confinedBlock", "`Block.getDouble`, confined pool"),
    ("sharedBlock", "`Block.getDouble`, shared pool"),
    ("confinedBlockView", "`MemoryView.getDouble` over a confined pool's block"),
    ("sharedBlockView", "`MemoryView.getDouble` over a shared pool's block"),
    ("nativeArrayView", "`MemoryView.getDouble` over a `NativeArray`"),
    ("typedArrayView", "`MemoryView.getDouble` over a `TypedArray`"),
]


def mixed_reads(w, rows):
    """The lifetime issue's element-read target: every kind read in one JVM (MixedReadsLoop), against the segment."""
    by = {r["kind"]: r for r in rows}
    seg = by.get("segment")
    w("## Element reads in one JVM that reads every kind (issue 15)")
    w("")
    w("`org.cymem4j.bench.ffm.MixedReadsLoop` (Temurin 25): one summing loop per handle type, shared by every owner "
      "kind, all kinds in turn in one JVM, so each loop is compiled with every kind's profile, as in a program that "
      "uses them all. Median of the passes after warm-up, ms per 10M doubles. Target: within 1.3× of an FFM "
      "shared-arena segment read the same way.")
    w("")
    if not seg:
        w("Not measured in this run.")
        w("")
        return
    w(f"| reads | median ms | best ms | / FFM shared segment ({seg['median_ms']:.2f} ms) | within 1.3×? |")
    w("|---|---|---|---|---|")
    for kind, label in MIXED_LABELS:
        r = by.get(kind)
        if r:
            ratio = r["median_ms"] / seg["median_ms"]
            w(f"| {label} | {r['median_ms']:.2f} | {r['best_ms']:.2f} | {ratio:.2f}× | {'yes' if ratio <= 1.3 else 'no'} |")
    w("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--started", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--java17", default="", help="the JDK 17 java that ran jmh17*.json (empty: not run)")
    a = ap.parse_args()
    res = a.results
    jmh = load_jmh(os.path.join(res, "jmh.json"))
    jmh.update(load_jmh(os.path.join(res, "jmh-access.json")))  # quick mode's element reads, run with 3 forks
    jmh.update(load_jmh(os.path.join(res, "jmh-pools.json")))  # quick mode's named-allocator pools, 64 B only
    jmh.update(load_jmh(os.path.join(res, "jmh-openclose.json")))  # OpenClose, with its longer warm-up
    jmh17 = load_jmh(os.path.join(res, "jmh17.json"))
    jmh17.update(load_jmh(os.path.join(res, "jmh17-access.json")))
    jmh17.update(load_jmh(os.path.join(res, "jmh17-openclose.json")))
    resident = load_lines(os.path.join(res, "resident.jsonl"))
    have17 = bool(a.java17) and bool(jmh17)
    preload = {lib: load_jmh(os.path.join(res, f"jmh-{lib}.json")) for lib in ("mimalloc", "jemalloc")}
    c_alloc = fastest_process(load_lines(os.path.join(res, "c-alloc.jsonl")))
    c_processes = max((r["processes"] for r in c_alloc), default=0)  # bench_alloc processes per row
    numpy_rows = load_lines(os.path.join(res, "numpy.jsonl"))
    strided = load_strided(os.path.join(res, "c-strided.txt"))
    model, cores, mem, jdk, glibc, osname, gcc, numpy = machine(a.java)
    jdk17 = machine(a.java17)[3] if a.java17 else ""

    def c_floor(name, allocator, size):
        for r in c_alloc:
            if r["name"] == name and r["allocator"] == allocator and r["size"] == size:
                return r["median_ns"]
        return None

    L = []
    w = L.append
    w("# cymem4j benchmarks")
    w("")
    w(f"Generated by `{a.command}` (mode: **{a.mode}**) on {a.started}. Do not edit by hand: rerun the command.")
    w("")
    w(f"- Machine: {model}, {cores} cores, {mem} RAM; {osname}; glibc {glibc}; gcc {gcc}")
    w(f"- JVM: {jdk}; JMH 1.37, mode average time (throughput for `SharedScaling`); cells are the **median of the "
      f"measured iterations ± JMH's 99.9% error of the mean**")
    w(f"- JDK 17: {jdk17 + ', the same jar (its release-17 benchmarks; the JNI path of cymem4j)' if have17 else 'not run'}")
    w(f"- NumPy: {numpy or 'not available'}")
    w("- A shared, noisy machine: compare the ratios inside one run, not absolute numbers across runs. "
      "Quick mode runs one fork of three short iterations (three forks for the element reads, whose ratio depends on where a fork's buffers land); its errors are wide. `bench/run.sh --full` runs 2 forks of 3 one-second iterations.")
    w("- A ratio `r×` in a table is *that row's time / cymem4j's time*: above 1 means cymem4j is faster "
      "(the targets tables say their own direction).")
    if a.mode == "smoke":
        w("- **Smoke run** (1 fork, 1 × 100 ms, on a busy machine): it proves the pipeline, its numbers mean nothing.")
    w("")

    # ---- targets
    pool64 = med(get(jmh, "AllocFree.poolConfined", "64"))
    arena64 = med(get(jmh, "AllocFree.arenaConfined", "64"))
    c64 = c_floor("calloc+free", "glibc", 64)
    java_alts = [k for k, _ in ALLOC_LABELS if not k.startswith("AllocFree.pool")]
    slower_alts = [k for k in java_alts if k != "AllocFree.arenaConfined"]

    def beats(pool, alts):
        missing = [k for k in alts if med(get(jmh, k, "64")) is None]
        lost = [k.split(".")[1] for k in alts if med(get(jmh, k, "64")) is not None and med(get(jmh, k, "64")) <= pool]
        return lost, missing

    issue20_targets(w, jmh, jmh17, c64, numpy_rows, strided, resident, have17)
    block_cache(w, jmh, jmh17, have17)
    mixed_reads(w, load_lines(os.path.join(res, "mixed-loop.jsonl")))

    w("## Targets (issue 7)")
    w("")
    w("| target | measured in this run | met? |")
    w("|---|---|---|")
    if pool64 is not None:
        lost, _ = beats(pool64, slower_alts)
        w(f"| Pool alloc+free 64 B faster than every Java alternative except the FFM confined arena (system allocator) "
          f"| pool {num(pool64)} ns; slower than: {', '.join(lost) or 'none'} | {'yes' if not lost else 'no'} |")
        if arena64:
            w(f"| ... and within 1.2× of `Arena.ofConfined()` | {num(pool64)} vs {num(arena64)} ns = "
              f"{pool64 / arena64:.2f}× | {'yes' if pool64 <= 1.2 * arena64 else 'no'} |")
        if c64:
            w(f"| ... within 2.5× of C `calloc`+`free` | {num(pool64)} vs {num(c64)} ns = {pool64 / c64:.2f}× "
              f"| {'yes' if pool64 <= 2.5 * c64 else 'no'} |")
    mi = preload.get("mimalloc") or {}
    mi_pool = med(get(jmh, "AllocatorPools.allocFree@mimalloc", "64"))
    if mi_pool is not None:
        lost, _ = beats(mi_pool, java_alts)
        w(f"| with mimalloc (`Pool.open(Allocator.named(\"mimalloc\"))`), faster than all Java alternatives "
          f"| pool {num(mi_pool)} ns; slower than: {', '.join(lost) or 'none'} | {'yes' if not lost else 'no'} |")
    b_pool = med(get(jmh, "Batch.poolConfined"))
    b_arena = med(get(jmh, "Batch.arenaConfined"))
    if b_pool is not None:
        ok = b_pool <= 30 and (b_arena is None or b_pool < b_arena)
        w(f"| 1000 × 64 B then close: ≤ 30 ns/block (system), ahead of the FFM arena | pool {num(b_pool)}, arena "
          f"{num(b_arena)} ns/block | {'yes' if ok else 'no'} |")
    mi_batch = med(get(jmh, "AllocatorPools.batchThenClose@mimalloc-heap", "64"))
    if mi_batch is not None:
        ok = mi_batch <= 15 and (b_arena is None or mi_batch < b_arena)
        w(f"| 1000 × 64 B then close: ≤ 15 ns/block with a mimalloc heap (`Allocator.named(\"mimalloc-heap\")`), "
          f"ahead of the FFM arena | {num(mi_batch)} ns/block | {'yes' if ok else 'no'} |")
    for group, rows in ACCESS_GROUPS:
        base = med(get(jmh, rows[0][0]))
        runtime_shape = med(get(jmh, "Access.columnsArrayRuntimeShape")) if "column" in group else None
        for key, label in rows:
            if not label.startswith("**cymem4j"):
                continue
            v = med(get(jmh, key))
            if base and v:
                w(f"| element reads, {group}: {label} within 1.3× of the `double[]` loop | {num(v)} vs {num(base)} ms "
                  f"= {v / base:.2f}× | {'yes' if v <= 1.3 * base else 'no'} |")
            if runtime_shape and v and "MemoryView" in label:
                # Not the issue's baseline: the same loop with ROWS and COLS as data, which the JIT cannot fold.
                w(f"| (reference) the same view against a `double[]` loop whose shape is read from fields, as a "
                  f"view's is | {num(v)} vs {num(runtime_shape)} ms = {v / runtime_shape:.2f}× | — |")
    np_gbs = {r["name"]: r["bytes_moved"] / (r["median_ms"] * 1e6) for r in numpy_rows}
    tr = strided.get("transpose 4096x4096 f64: cym_strided_copy")
    np_tr = np_gbs.get("transpose 4096x4096 f64: np.copyto(out, a.T)")
    if tr:
        ok = tr[1] >= 10 and (np_tr is None or tr[1] >= 5 * np_tr)
        vs = f", NumPy {np_tr:.2f} GB/s = {tr[1] / np_tr:.1f}×" if np_tr else ", NumPy not measured"
        w(f"| transpose copy 4096 × 4096 float64 ≥ 10 GB/s and ≥ 5× NumPy (C kernel `cym_strided_copy`) "
          f"| {tr[1]:.2f} GB/s{vs} | {'yes' if ok else 'no'} |")
    s2 = strided.get("stride-2 copy of 64M f64: cym_strided_copy")
    np_s2 = np_gbs.get("stride-2 copy of 64 Mi f64: np.copyto(dst, src[::2])")
    if s2:
        ok = np_s2 is None or s2[1] >= np_s2
        vs = f", NumPy {np_s2:.2f} GB/s = {s2[1] / np_s2:.2f}×" if np_s2 else ", NumPy not measured"
        w(f"| stride-2 copy of 64 Mi float64 ≥ NumPy (C kernel) | {s2[1]:.2f} GB/s{vs} | {'yes' if ok else 'no'} |")
    if not tr and not s2:
        w("| transpose copy ≥ 10 GB/s and ≥ 5× NumPy; stride-2 copy ≥ NumPy | not measured in this run "
          "(`bench_strided` missing) | — |")
    w("")

    # ---- allocation
    w("## Allocate + free one block (ns per pair)")
    w("")
    w("Zeroed blocks unless marked. Last column: that row's 64 B time / cymem4j confined pool's 64 B time.")
    w("")
    w("| mechanism | 16 B | 64 B | 1024 B | 65536 B | ratio at 64 B |")
    w("|---|---|---|---|---|---|")
    for key, label in ALLOC_LABELS:
        cells = [cell(get(jmh, key, s)) for s in SIZES]
        if all(c == "—" for c in cells):
            continue
        w(f"| {label} | " + " | ".join(cells) + f" | {ratio(med(get(jmh, key, '64')), pool64)} |")
    if c_alloc:
        row = [c_floor("calloc+free", "glibc", int(s)) for s in SIZES]
        fastest = ", the fastest process's" if c_processes > 1 else ""
        w(f"| *C floor: glibc `calloc` + `free` (gcc -O2, single-threaded, median of runs{fastest})* | "
          + " | ".join(num(x) for x in row) + f" | {ratio(c64, pool64)} |")
        row = [c_floor("cym_pool_alloc+cym_pool_free", "glibc", int(s)) for s in SIZES]
        w("| *C: `cym_pool_alloc` + `cym_pool_free`* | " + " | ".join(num(x) for x in row)
          + f" | {ratio(row[1], pool64)} |")
    w("")
    hp, hb = get(jmh, "PoolHotPath.publicApi"), get(jmh, "PoolHotPath.bridgeOnly")
    if hp and hb:
        w(f"Where a confined pool's C path spends its time (64 B; the pool's `nativeHandle()` was taken, so it has no "
          f"block cache and every call goes to C): the public `alloc` + `free` {cell(hp)} ns, checks included, "
          f"through FFM critical downcalls (this JVM is 22+; README, \"How Java calls C\"); the same two C functions "
          f"as bare JNI calls, what a JDK 17-21 JVM pays before its checks, {cell(hb)} ns.")
        oc = get(jmh, "PoolHotPath.openClose")
        if oc:
            w(f"An empty pool's `Pool.open()` + `close()` (paid once per batch below): {cell(oc)} ns.")
        w("")

    backends = ["system", "jemalloc", "mimalloc", "mimalloc-heap"]
    if any(get(jmh, f"AllocatorPools.allocFree@{b}", sz) for b in backends for sz in SIZES):
        w("## Pools over the named allocators (`Pool.open(Allocator.named(name))`)")
        w("")
        w("Backends are `dlopen`ed, the process's `malloc` untouched. Ratio: that row's 64 B time / the system "
          "allocator's. A dash: the backend could not be loaded in this JVM (jemalloc needs static TLS; `run.sh` "
          "starts JMH with `GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384` for it).")
        w("")
        w("| allocator | operation | 16 B | 64 B | 1024 B | 65536 B | ratio at 64 B |")
        w("|---|---|---|---|---|---|---|")
        for op, label in (("allocFree", "alloc + free (ns per pair)"),
                          ("batchThenClose", "1000 × `alloc`, then `close()` (ns per block)")):
            base = med(get(jmh, f"AllocatorPools.{op}@system", "64"))
            for b in backends:
                cells = [cell(get(jmh, f"AllocatorPools.{op}@{b}", sz)) for sz in SIZES]
                w(f"| {b} | {label} | " + " | ".join(cells)
                  + f" | {ratio(med(get(jmh, f'AllocatorPools.{op}@{b}', '64')), base)} |")
        w("")

    w("## 1000 × 64 B, then release them all (ns per block)")
    w("")
    w("| mechanism | ns per block | ratio to cymem4j confined |")
    w("|---|---|---|")
    for key, label in BATCH_LABELS:
        r = get(jmh, key)
        if r:
            w(f"| {label} | {cell(r)} | {ratio(med(r), b_pool)} |")
    c_b = c_floor("batch 1000 x 64 B: calloc, then free in order", "glibc", 64)
    c_pb = c_floor("batch 1000 x 64 B: cym_pool_alloc, then cym_pool_destroy", "glibc", 64)
    if c_b:
        w(f"| *C floor: glibc `calloc` × 1000, then `free` in order* | {num(c_b)} | {ratio(c_b, b_pool)} |")
    if c_pb:
        w(f"| *C: `cym_pool_alloc` × 1000, then `cym_pool_destroy`* | {num(c_pb)} | {ratio(c_pb, b_pool)} |")
    w("")
    m_pool = med(get(jmh, "Million.poolConfined"))
    if m_pool:
        w("## A pool of 1,000,000 blocks of 64 B, filled then closed (ns per block)")
        w("")
        w("| mechanism | ns per block | ratio to cymem4j |")
        w("|---|---|---|")
        for key, label in MILLION_LABELS:
            r = get(jmh, key)
            if r:
                w(f"| {label} | {cell(r)} | {ratio(med(r), m_pool)} |")
        w("| *cymem 2.0.6 from Cython (anchor measurement, not this run)* | 308 | — |")
        w("")

    for lib, data in preload.items():
        if not data:
            continue
        w(f"## The same, with {lib} as the process allocator (`LD_PRELOAD=lib{lib}.so.2`), 64 B")
        w("")
        w("Every mechanism below allocates from the preloaded library (the pool's system allocator included). "
          "Full mode only; the section above measures the named allocators without preloading.")
        w("")
        w("| mechanism | alloc + free (ns per pair) | ratio | 1000 × 64 B then release (ns per block) | ratio |")
        w("|---|---|---|---|---|")
        p1 = med(data.get(("AllocFree.poolConfined", "64")))
        p2 = med(data.get(("Batch.poolConfined", None)))
        names = ["poolConfined", "poolShared", "arenaConfined", "ffmCalloc", "jniCalloc", "lwjglCalloc"]
        labels = dict((k.split(".")[1], v) for k, v in ALLOC_LABELS)
        for n in names:
            r1 = data.get(("AllocFree." + n, "64"))
            r2 = data.get(("Batch." + n, None))
            if r1 or r2:
                w(f"| {labels[n]} | {cell(r1)} | {ratio(med(r1), p1)} | {cell(r2)} | {ratio(med(r2), p2)} |")
        for row in c_alloc:
            if row["allocator"] == lib and row["size"] == 64:
                w(f"| *C: {row['name']}* | {num(row['median_ns'])} | — | | |")
        w("")

    oc = [(k, label) for k, label in (
        ("OpenClose.poolConfined", "**cymem4j empty `Pool.open()` + `close()`**"),
        ("OpenClose.poolShared", "**cymem4j empty `Pool.openShared()` + `close()`**"),
        ("OpenClose.arenaConfined", "FFM `Arena.ofConfined()` + `close()`"),
        ("OpenClose.arenaShared", "FFM `Arena.ofShared()` + `close()` (a handshake with every thread)"))
        if get(jmh, k)]
    if oc:
        w("## Open and close an empty pool or arena (ns per pair)")
        w("")
        w("| mechanism | ns | ratio to `Arena.ofConfined()` + `close()` |")
        w("|---|---|---|")
        base = med(get(jmh, "OpenClose.arenaConfined"))
        for k, label in oc:
            w(f"| {label} | {cell(get(jmh, k))} | {ratio(med(get(jmh, k)), base)} |")
        w("")
    sc = [(k, label) for k, label in (
        ("SharedScaling.shared1", "**one `Pool.openShared()`, 1 thread**"),
        ("SharedScaling.shared2", "**the same pool, 2 threads**"),
        ("SharedScaling.confined1", "a confined pool per thread, 1 thread"),
        ("SharedScaling.confined2", "a confined pool per thread, 2 threads"),
        ("SharedScaling.arena1", "FFM `Arena.ofConfined()` + `allocate(64)` + `close()`, 1 thread"),
        ("SharedScaling.arena2", "the same, 2 threads")) if get(jmh, k)]
    if sc:
        w("## Threads: alloc + free of 64 B, pairs per µs summed over the threads (JMH throughput mode)")
        w("")
        w("Higher is better. Last column: this row / its 1-thread row (2.00× is perfect scaling on two cores).")
        w("")
        w("| mechanism | pairs per µs | 2 threads / 1 thread |")
        w("|---|---|---|")
        for k, label in sc:
            one = med(get(jmh, k[:-1] + "1"))
            w(f"| {label} | {cell(get(jmh, k))} | {ratio(med(get(jmh, k)), one) if k.endswith('2') else ''} |")
        w("")
    shared_floor(w, jmh, jmh17)
    side_by_side(w, jmh, jmh17)
    resident_section(w, resident)

    if c_alloc:
        w("## C floor (gcc -O2, no JVM): median [min] ns per op over the runs"
          + (f", the fastest of {c_processes} processes {{slowest process's median}}" if c_processes > 1 else ""))
        w("")
        w("| allocator | operation | 16 B | 64 B | 1024 B | 65536 B |")
        w("|---|---|---|---|---|---|")
        seen = []
        for r in c_alloc:
            key = (r["allocator"], r["name"])
            if key not in seen:
                seen.append(key)
        for alloc, name in seen:
            cells = []
            for s in SIZES:
                m = [r for r in c_alloc if r["allocator"] == alloc and r["name"] == name and r["size"] == int(s)]
                slow = f" {{{num(m[0]['slowest'])}}}" if m and m[0]["processes"] > 1 else ""
                cells.append(f"{num(m[0]['median_ns'])} [{num(m[0]['min_ns'])}]{slow}" if m else "")
            if name.startswith("batch"):
                cells = ["", cells[1], "", ""]
            w(f"| {alloc} | {name} | " + " | ".join(cells) + " |")
        w("")
        w("The C floor runs single-threaded, where glibc skips its arena locks; a JVM is always multi-threaded, "
          "which is why `calloc` from any JVM costs more than this floor. One process's medians sit at one of two "
          "levels on this host (the same binary minutes apart; why is not known; bench/performance-notes.md, "
          "session 8), so the floor is the fastest process's, the ratios above the strictest for cymem4j.")
        w("")

    if any(get(jmh, rows[0][0]) for _, rows in ACCESS_GROUPS):
        w("## Element reads from Java (ms per pass)")
        w("")
        w("| walk | mechanism | ms per pass | ratio to the `double[]` loop |")
        w("|---|---|---|---|")
        for group, rows in ACCESS_GROUPS:
            base = med(get(jmh, rows[0][0]))
            for key, label in rows:
                r = get(jmh, key)
                if r:
                    w(f"| {group} | {label} | {cell(r)} | {ratio(med(r), base)} |")
        w("")


    if get(jmh, "TypedArrayAppendBench.typedArrayAppend1M"):
        w("## TypedArray: appending one element at a time (issue 5), ns per append")
        w("")
        w("`append` grows through `resizeSmart` (capacity `n + n/2 + 1`, as CPython's array), so the cost per append should "
          "not grow with the length; the last column is the 10M cost over the 1M cost (1.00× is perfectly linear; "
          "more is the cache and page-fault cost of touching 80 MB instead of 8).")
        w("")
        w("| mechanism | 1,000,000 appends | 10,000,000 appends | 10M / 1M per append |")
        w("|---|---|---|---|")
        for key, label in (("typedArrayAppend", "**cymem4j `TypedArray.append(double)`** ('d')"),
                           ("javaArrayAppend", "Java `double[]` with the same growth rule")):
            r1, r10 = get(jmh, f"TypedArrayAppendBench.{key}1M"), get(jmh, f"TypedArrayAppendBench.{key}10M")
            w(f"| {label} | {cell(r1)} | {cell(r10)} | {ratio(med(r10), med(r1))} |")
        w("")

    if get(jmh, "LeakDetectionBench.allocFree@disabled"):
        w("## Leak detection levels (issue 6): ns per operation")
        w("")
        w("`cymem4j.leakDetection`: `sampled` (the default) records the creation stack of 1 pool in 128, `full` of every "
          "pool. The per-pool price is in open + alloc + free + close; the block path should not move at all.")
        w("")
        w("| operation | disabled | sampled | full | sampled / disabled |")
        w("|---|---|---|---|---|")
        for key, label in (("allocFree", "alloc + free, 64 B"), ("limitedAllocFree", "alloc + free, 64 B, pool with a limit"),
                           ("openAllocFreeClose", "open + alloc + free + close")):
            rs = [get(jmh, f"LeakDetectionBench.{key}@{lvl}") for lvl in ("disabled", "sampled", "full")]
            w(f"| {label} | {cell(rs[0])} | {cell(rs[1])} | {cell(rs[2])} | {ratio(med(rs[1]), med(rs[0]))} |")
        w("")

    w("## Strided copies, fill and cast (ms per pass, GB/s of bytes read + written)")
    w("")
    w("| kernel | implementation | ms | GB/s |")
    w("|---|---|---|---|")
    for group, rows in STRIDED_JAVA:
        for key, label, moved in rows:
            r = get(jmh, key)
            if r:
                w(f"| {group} | {label} (JMH) | {cell(r)} | {moved / (med(r) * 1e6):.2f} |")
    for r in numpy_rows:
        w(f"| NumPy | {r['name']} | {num(r['median_ms'])} [min {num(r['min_ms'])}] | "
          f"{r['bytes_moved'] / (r['median_ms'] * 1e6):.2f} |")
    w("")
    cs = os.path.join(res, "c-strided.txt")
    if os.path.exists(cs):
        w("cymem4j's strided kernels in C (`bench/native/bench_strided`: median and best of 7 runs; its GB/s "
          "counts bytes read + written, as above). The bold JMH rows above call the same kernels from Java through "
          "`MemoryView`.")
        w("")
        with open(cs) as f:
            w(f.read().rstrip())
        w("")
    else:
        w("`bench/native/bench_strided` did not run, so cymem4j's own kernels have no rows here.")
        w("")

    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "performance-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            w(f.read().rstrip())
        w("")

    with open(a.out, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
