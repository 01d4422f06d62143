#!/usr/bin/env python3
"""NumPy baselines for the strided kernels, run by bench/run.sh when python3 has NumPy.

Prints one JSON object per line: {"name", "median_ms", "min_ms", "runs", "bytes_moved"}, where bytes_moved counts
bytes read plus bytes written once each (so GB/s = bytes_moved / median). Shapes match the JMH and C benchmarks:
a 4096 x 4096 float64 transpose-copy, every 2nd element of 64 Mi float64, fill, and float64 -> float32 cast.
Usage: numpy_strided.py [runs]
"""
import json
import sys
import time

import numpy as np


def timed(name, fn, runs, bytes_moved):
    fn()  # warm-up: page faults of the output, caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    times.sort()
    print(json.dumps({"name": name, "median_ms": times[len(times) // 2], "min_ms": times[0], "runs": runs,
                      "bytes_moved": bytes_moved}), flush=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    t = 4096
    a = np.arange(t * t, dtype=np.float64).reshape(t, t)
    out = np.empty_like(a)
    square = a.nbytes
    timed("transpose 4096x4096 f64: np.copyto(out, a.T)", lambda: np.copyto(out, a.T), runs, 2 * square)
    timed("transpose 4096x4096 f64: np.ascontiguousarray(a.T) (allocates)", lambda: np.ascontiguousarray(a.T), runs,
          2 * square)
    timed("copy 128 MiB: np.copyto(out, a) (floor)", lambda: np.copyto(out, a), runs, 2 * square)
    timed("fill 128 MiB f64: out.fill(1.5)", lambda: out.fill(1.5), runs, square)
    f32 = np.empty((t, t), dtype=np.float32)
    timed("cast 4096x4096 f64 -> f32: np.copyto(f32, a, casting='unsafe')",
          lambda: np.copyto(f32, a, casting="unsafe"), runs, square + f32.nbytes)
    del a, out, f32
    n = 64 << 20
    src = np.ones(n, dtype=np.float64)
    dst = np.empty(n // 2, dtype=np.float64)
    half = dst.nbytes
    timed("stride-2 copy of 64 Mi f64: np.copyto(dst, src[::2])", lambda: np.copyto(dst, src[::2]), runs, 2 * half)
    timed("copy 256 MiB: np.copyto(dst, src[:n/2]) (floor)", lambda: np.copyto(dst, src[: n // 2]), runs, 2 * half)


if __name__ == "__main__":
    main()
