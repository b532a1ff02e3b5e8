"""Engine throughput (samples/s on one core) and peak memory per stream. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/throughput.py [--minutes 10] [--repeat 3] [--rates 25,50,100,200]

Input: a simulated back workout (acc+gyro and acc-only) at 25, 50, 100 and 200 Hz, fed in 1-sample and
10-sample chunks, as a live gateway would. Each figure is the best of ``--repeat`` runs (least CPU time, as
``timeit`` reports: other load on the machine only ever slows a run down). Memory: tracemalloc peak while one
engine runs a long stream.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repcounter.engine import RepEngine  # noqa: E402


def workout(rate_hz: float, minutes: float, acc_only: bool) -> np.ndarray:
    from repcounter.sources.simulator import back_workout_plan, simulate_session

    plan = back_workout_plan(seed=1, rest_s=30.0)
    sim = simulate_session(plan, rate_hz=rate_hz, seed=1, acc_only=acc_only)
    s = sim.samples
    s = s[s[:, 0] <= s[0, 0] + 60.0 * minutes]
    return s


def run(samples: np.ndarray, chunk: int, repeat: int = 1) -> float:
    """Samples per CPU second of a fresh engine fed ``samples`` in chunks of ``chunk``, best of ``repeat``."""
    best = float("inf")
    for _ in range(repeat):
        engine = RepEngine("auto")
        t0 = time.process_time()
        for i in range(0, len(samples), chunk):
            engine.feed(samples[i:i + chunk])
        engine.finish()
        best = min(best, time.process_time() - t0)
    return len(samples) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="signal minutes per run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is printed")
    ap.add_argument("--rates", default="25,50,100,200", help="sample rates, Hz, comma-separated")
    args = ap.parse_args()
    print(f"== Throughput, samples/s of CPU time on one core ({args.minutes:g} min of simulated workout per run, "
          f"best of {args.repeat})")
    print(f"  {'rate':>6s} {'gyro':>5s} {'1-sample':>12s} {'10-sample':>12s} {'whole file':>12s}")
    for rate in (float(x) for x in args.rates.split(",")):
        for acc_only in (False, True):
            s = workout(rate, args.minutes, acc_only)
            r1 = run(s[: len(s) // 4], 1, args.repeat)
            r10 = run(s, 10, args.repeat)
            rall = run(s, len(s), args.repeat)
            print(f"  {rate:6g} {'no' if acc_only else 'yes':>5s} {r1:12,.0f} {r10:12,.0f} {rall:12,.0f}")
    print("== Peak memory per stream (tracemalloc), 10-sample chunks at 100 Hz")
    s = workout(100.0, 60.0, False)
    for minutes in (5, 20, 60):
        part = s[s[:, 0] <= s[0, 0] + 60.0 * minutes]
        tracemalloc.start()
        engine = RepEngine("auto")
        for i in range(0, len(part), 10):
            engine.feed(part[i:i + 10])
        engine.finish()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  {part[-1, 0] - part[0, 0]:6.0f} s of signal: peak {peak / 1024:7.0f} KiB, held after {current / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()
