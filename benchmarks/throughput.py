"""Engine throughput (samples/s on one core) and peak memory per stream. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/throughput.py [--minutes 10]

Input: a simulated back workout (acc+gyro and acc-only) at 25, 50, 100 and 200 Hz, fed in 1-sample and
10-sample chunks, as a live gateway would. Memory: tracemalloc peak while one engine runs a long stream.
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


def run(samples: np.ndarray, chunk: int) -> tuple[float, int]:
    engine = RepEngine("auto")
    n_events = 0
    t0 = time.process_time()
    for i in range(0, len(samples), chunk):
        n_events += len(engine.feed(samples[i:i + chunk]))
    n_events += len(engine.finish())
    return len(samples) / (time.process_time() - t0), n_events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="signal minutes per run")
    args = ap.parse_args()
    print(f"== Throughput, samples/s of CPU time on one core ({args.minutes:g} min of simulated workout per run)")
    print(f"  {'rate':>6s} {'gyro':>5s} {'1-sample':>12s} {'10-sample':>12s} {'whole file':>12s}")
    for rate in (25.0, 50.0, 100.0, 200.0):
        for acc_only in (False, True):
            s = workout(rate, args.minutes, acc_only)
            r1, _ = run(s[: len(s) // 4], 1)
            r10, _ = run(s, 10)
            rall, _ = run(s, len(s))
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
