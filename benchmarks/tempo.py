"""Tempo phase-boundary accuracy of the engine on simulated sets. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/tempo.py [--seeds 2] [-v]

Each simulated set (every back exercise x tempos giving 1-6 s reps, rates 12.5-200 Hz, with and without
gyro, some with partial reps and fatigue) is analysed with its exercise given. Detected reps are matched
one-to-one to true reps by time overlap of [start, end], so counting errors (extra or missed reps) do not
enter the tempo figures; they are reported separately. For every matched rep the four phase boundaries
(start, concentric_end, top_end, eccentric_end) are compared with the simulator's exact truth, as a
fraction of the true rep duration. A *swap* is a matched rep whose detected pull overlaps the true
lowering more than the true pull (pull direction chosen wrongly).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repcounter.engine import analyze_samples  # noqa: E402
from repcounter.sources.simulator import simulate_set  # noqa: E402

EXERCISES = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")
# (eccentric, bottom pause, concentric, top pause), s: rep durations 1-6 s, some symmetric
TEMPOS = [(0.5, 0.0, 0.5, 0.0), (0.8, 0.2, 0.6, 0.0), (1.0, 0.0, 1.0, 0.0), (1.5, 0.5, 1.0, 0.0),
          (2.0, 1.0, 1.0, 0.0), (1.5, 0.0, 1.5, 0.0), (3.0, 0.0, 1.0, 1.0), (2.0, 0.5, 2.0, 0.5),
          (3.0, 1.0, 2.0, 0.0), (2.5, 0.0, 2.5, 0.5)]
RATES = (12.5, 25.0, 50.0, 100.0, 200.0)
BOUNDARIES = ("start", "concentric_end", "top_end", "eccentric_end")
BUCKETS = ((1.0, 2.0), (2.0, 4.0), (4.0, 6.5))
ALIGNED_IOU = 0.6
"""Matched reps whose [start, end] intersection over union reaches this are 'aligned': the same rep, not a
rep shifted by a counting error (a rep found half a cycle late overlaps its true rep by about 1/3)."""


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def match_reps(found: list, true: list[dict]) -> list[tuple]:
    """One-to-one (detected, true) pairs, greedy by largest time overlap of the whole rep."""
    cand = []
    for i, r in enumerate(found):
        for j, t in enumerate(true):
            ov = overlap(r.start, r.end, t["start"], t["end"])
            if ov > 0.3 * (t["end"] - t["start"]):
                cand.append((ov, i, j))
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for ov, i, j in sorted(cand, reverse=True):
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        pairs.append((found[i], true[j]))
    return pairs


def detected_boundaries(r) -> dict[str, float]:
    top_end = r.concentric_end + np.nan_to_num(r.pause_top_s)
    return {"start": r.start, "concentric_end": r.concentric_end, "top_end": top_end,
            "eccentric_end": top_end + np.nan_to_num(r.eccentric_s)}


def pct(x: list[float], q: float) -> float:
    return 100.0 * float(np.percentile(np.abs(x), q)) if x else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=2, help="rounds of len(EXERCISES) x len(TEMPOS) sets")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per set")
    args = ap.parse_args()

    # errors[(group, boundary)] -> list of signed errors (fraction of rep duration)
    errors: dict[tuple[str, str], list[float]] = defaultdict(list)
    swaps: dict[str, list[bool]] = defaultdict(list)
    counts = {"true": 0, "found": 0, "matched": 0}
    partial = {"tp": 0, "fn": 0, "fp": 0}
    i = 0
    for seed in range(args.seeds):
        for ex in EXERCISES:
            for tempo in TEMPOS:
                i += 1
                rate = RATES[i % len(RATES)]
                acc_only = i % 3 == 0
                n = 6 + i % 6
                parts = (n - 1,) if i % 4 == 1 else ()
                sim = simulate_set(ex, n, tempo, rate_hz=rate, seed=7919 * seed + i, acc_only=acc_only,
                                   fatigue=0.2 if i % 2 else 0.0, partial_reps=parts)
                a = analyze_samples(sim.samples, ex)
                found = [r for s in a.sets for r in s.reps]
                true = [r for s in sim.truth["sets"] for r in s["reps"]]
                pairs = match_reps(found, true)
                counts["true"] += len(true)
                counts["found"] += len(found)
                counts["matched"] += len(pairs)
                nsw = 0
                for r, t in pairs:
                    dur = t["end"] - t["start"]
                    bucket = next((f"{lo:g}-{hi:g} s" if hi < 6.5 else f"{lo:g}-6 s")
                                  for lo, hi in BUCKETS if lo <= dur < hi) if 1.0 <= dur < 6.5 else "other"
                    swapped = overlap(r.start, r.concentric_end, t["top_end"], t["eccentric_end"]) > \
                        overlap(r.start, r.concentric_end, t["start"], t["concentric_end"])
                    nsw += swapped
                    mode = "acc-only" if acc_only else "acc+gyro"
                    for g in ("ALL", ex, bucket, mode):
                        swaps[g].append(swapped)
                    d = detected_boundaries(r)
                    iou = overlap(r.start, r.end, t["start"], t["end"]) / \
                        (max(r.end, t["end"]) - min(r.start, t["start"]))
                    for b in BOUNDARIES:
                        e = (d[b] - t[b]) / dur
                        errors[("ALL overlapping", b)].append(e)
                        if not swapped:
                            errors[("no swap", b)].append(e)
                        if iou >= ALIGNED_IOU:
                            for g in ("ALL aligned", ex, bucket, mode):
                                errors[(g, b)].append(e)
                    if t["partial"] and r.partial:
                        partial["tp"] += 1
                    elif t["partial"]:
                        partial["fn"] += 1
                    elif r.partial:
                        partial["fp"] += 1
                if args.verbose:
                    print(f"  {ex:13s} tempo {'-'.join(f'{x:g}' for x in tempo):11s} {rate:5g} Hz "
                          f"{'acc' if acc_only else 'gyro'} true {len(true):2d} found {len(found):2d} "
                          f"matched {len(pairs):2d} swapped {nsw}")

    print(f"== Simulated sets: {i}, true reps {counts['true']}, detected {counts['found']}, "
          f"matched by overlap {counts['matched']} "
          f"({100 * counts['matched'] / max(counts['true'], 1):.1f}% of true reps)")
    print(f"== Partial reps (matched): flagged {partial['tp']}/{partial['tp'] + partial['fn']}, "
          f"false flags {partial['fp']}")
    print("== Phase boundary |error| as % of the true rep duration: median / p90  (swapped = pull and "
          "lowering exchanged)")
    header = "  " + f"{'group':16s}" + "".join(f"{b:>18s}" for b in BOUNDARIES) + f"{'swapped':>10s}{'n':>6s}"
    print(header)
    groups = ["ALL overlapping", "no swap", "ALL aligned"] + [f"{lo:g}-{hi:g} s" if hi < 6.5 else f"{lo:g}-6 s" for lo, hi in BUCKETS] \
        + ["acc+gyro", "acc-only"] + list(EXERCISES)
    for g in groups:
        row = f"  {g:16s}"
        for b in BOUNDARIES:
            e = errors.get((g, b), [])
            row += f"{pct(e, 50):8.1f} / {pct(e, 90):5.1f}%" if e else f"{'-':>18s}"
        sw = swaps.get("ALL" if g == "ALL overlapping" else g, [])
        row += f"{100 * np.mean(sw):9.1f}%" if sw else f"{'-':>10s}"
        row += f"{len(errors.get((g, 'start'), [])):6d}"
        print(row)
    print("  signed median (aligned): " + ", ".join(
        f"{b} {100 * float(np.median(errors[('ALL aligned', b)])):+.1f}%" for b in BOUNDARIES
        if errors[("ALL aligned", b)]))
    print(f"  (rows from 'ALL aligned' down: reps with overlap/union >= {ALIGNED_IOU}; swapped column: all "
          "overlapping matches of that group)")


if __name__ == "__main__":
    main()
