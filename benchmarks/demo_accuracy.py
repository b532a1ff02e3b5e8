"""Counts on whole simulated demo workouts (the `repcounter demo` session) against the simulator's truth.
Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/demo_accuracy.py [--seeds 1-6] [--rate 50] [--rest 20] [-v]

Each seed is one demo workout (warm-up, pull-ups, lat pulldowns, seated rows, bent-over rows; rest as the
demo uses it), streamed through the engine with ``auto`` as the demo does. A true set is matched with the
reps whose top of the pull (end of the concentric phase) lies within 1 s of its first rep's start and last
rep's end (a rep whose start was placed early, in the set-up movement, still belongs to its set); reps outside every true set
(walking between stations, set-up movements) are counted separately. The demo's own session summary pairs
whole engine sets with true sets by time overlap instead (a set that runs on into walking counts those reps
too); its figures are printed last.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repcounter.commands.demo import compare_to_truth, counted_exactly, named_right  # noqa: E402
from repcounter.engine import analyze_samples  # noqa: E402
from repcounter.sources.sim.plan import back_workout_plan  # noqa: E402
from repcounter.sources.simulator import simulate_session  # noqa: E402


def seeds_arg(text: str) -> list[int]:
    """``1-6`` or ``1,3,5`` -> list of seeds."""
    if "-" in text:
        a, b = text.split("-", 1)
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def one_workout(seed: int, rate_hz: float, rest_s: float, acc_only: bool = False
                ) -> tuple[list[tuple[str, int, int]], int, int, list[dict[str, Any]]]:
    """[(exercise, true reps, counted reps)] per true set, reps counted outside every true set, true total, and
    the rows of the demo's own session summary (engine sets paired with true sets by time overlap)."""
    session = simulate_session(back_workout_plan(seed, rest_s=rest_s), rate_hz, seed, acc_only=acc_only)
    found = analyze_samples(session.samples, "auto")
    windows = [(s["reps"][0]["start"] - 1.0, s["reps"][-1]["end"] + 1.0, s["exercise"], len(s["reps"]))
               for s in session.truth["sets"]]
    reps = [r for s in found.sets for r in s.reps]
    rows = [(ex, n, sum(1 for r in reps if t0 <= r.concentric_end <= t1)) for t0, t1, ex, n in windows]
    outside = sum(1 for r in reps if not any(t0 <= r.concentric_end <= t1 for t0, t1, _, _ in windows))
    summary, extra = compare_to_truth(session.truth["sets"], found.sets)
    summary += [{"exercise": "(no set)", "reps": 0, "found": d.rep_count, "found_exercise": d.exercise,
                 "sets_found": 1} for d in extra]
    return rows, outside, sum(n for _, _, _, n in windows), summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=seeds_arg, default=seeds_arg("1-6"), help="workout seeds, e.g. 1-6 or 1,4")
    ap.add_argument("--rate", type=float, default=50.0, help="simulated sensor rate, Hz (demo default 50)")
    ap.add_argument("--rest", type=float, default=20.0, help="rest between sets, s (demo default 20)")
    ap.add_argument("--acc-only", action="store_true", help="a sensor without a gyroscope (accelerometer only)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miscounted set")
    args = ap.parse_args()
    errors: dict[str, list[int]] = defaultdict(list)
    outside_total = true_total = counted_total = 0
    demo_rows: list[dict[str, Any]] = []
    for seed in args.seeds:
        rows, outside, total, summary = one_workout(seed, args.rate, args.rest, args.acc_only)
        demo_rows += summary
        outside_total += outside
        true_total += total
        counted_total += outside + sum(got for _, _, got in rows)
        for ex, truth, got in rows:
            errors[ex].append(got - truth)
            errors["ALL"].append(got - truth)
            if args.verbose and got != truth:
                print(f"  seed {seed} {ex:14s} truth {truth:2d} counted {got:2d}")
    print(f"== Demo workouts: {len(args.seeds)} sessions, {len(errors['ALL'])} sets, {true_total} true reps, "
          f"{args.rate:g} Hz, auto")
    for key in sorted(errors):
        e = np.array(errors[key])
        print(f"  {key:14s} n={len(e):3d} exact={100 * np.mean(e == 0):5.1f}% within1={100 * np.mean(abs(e) <= 1):5.1f}% "
              f"MAE={np.mean(abs(e)):.2f} bias={np.mean(e):+.2f}")
    print(f"  reps counted outside every true set: {outside_total} "
          f"({outside_total / len(args.seeds):.1f} per session); session totals: counted {counted_total} "
          f"of {true_total} true")
    sets = [r for r in demo_rows if r["reps"]]
    ok = sum(1 for r in sets if counted_exactly(r))
    named = sum(1 for r in sets if named_right(r))
    extra = [r for r in demo_rows if not r["reps"]]
    print(f"== As the demo's session summary shows it (engine sets paired with true sets by time overlap; a set "
          f"that runs on into walking counts those reps)")
    print(f"  sets counted exactly and found as one set: {ok} of {len(sets)} ({100 * ok / len(sets):.1f} %); "
          f"exercise recognised: {named} of {len(sets)} ({100 * named / len(sets):.1f} %); "
          f"engine sets overlapping no true set: {len(extra)} ({sum(r['found'] for r in extra)} reps)")


if __name__ == "__main__":
    main()
