"""Rep-count, exercise-recognition and tempo accuracy of the engine. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/accuracy.py [--data /work/shared/data] [--sim-seeds 3] [--no-real] [--no-sim]

Real data: every ``use_for_eval`` set of each folder's labels.json, scored with the exercise given and
with ``auto``. Simulated data: sets of each back exercise at several rates, tempos, wrists and with/without
gyro, scored for counts and for phase-boundary timing against the simulator's exact truth.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repcounter.engine import RepEngine, analyze_samples  # noqa: E402
from repcounter.engine.events import RepAnnounced, RepCompleted  # noqa: E402
from repcounter.recording import read_recording  # noqa: E402

LABEL_MAP = {
    "assisted_pullup": "pullup", "pullup": "pullup", "chinup": "chinup", "lat_pulldown": "lat_pulldown",
    "cable_row": "seated_row", "band_row": "seated_row", "seated_row": "seated_row", "high_row": "seated_row",
    "bent_over_row": "bent_over_row", "dumbbell_row": "bent_over_row", "barbell_row": "bent_over_row",
}


def announce_delays(samples: np.ndarray, exercise: str) -> tuple[list[float], list[float]]:
    """Signal-time delays (s) from a rep's pull end to its RepAnnounced, and from its end to RepCompleted,
    feeding 10 samples at a time like a live stream."""
    engine = RepEngine(exercise)
    events = []
    for i in range(0, len(samples), 10):
        events += engine.feed(samples[i:i + 10])
    events += engine.finish()
    ann = [e.t - e.rep.concentric_end for e in events if isinstance(e, RepAnnounced)]
    done = [e.t - e.rep.end for e in events if isinstance(e, RepCompleted)]
    return ann, done


def delay_stats(name: str, ann: list[float], done: list[float]) -> None:
    if not ann:
        return
    a = np.array(ann)
    print(f"  {name:28s} announce after pull end: median {np.median(a):.2f} s, p90 {np.percentile(a, 90):.2f} s, "
          f"<=0.3 s {100 * np.mean(a <= 0.3):.0f}%; completed after rep end: median {np.median(done):.2f} s")


def count_stats(errors: list[int]) -> str:
    e = np.array(errors)
    if len(e) == 0:
        return "n=0"
    return (f"n={len(e):3d} exact={100 * np.mean(e == 0):5.1f}% within1={100 * np.mean(np.abs(e) <= 1):5.1f}% "
            f"MAE={np.mean(np.abs(e)):.2f} bias={np.mean(e):+.2f}")


def real_data(root: Path, verbose: bool) -> None:
    folders = sorted(p for p in root.iterdir() if (p / "labels.json").exists())
    if not folders:
        print(f"no labelled data under {root}: skipping real-data accuracy")
        return
    given: dict[str, list[int]] = defaultdict(list)
    auto: dict[str, list[int]] = defaultdict(list)
    recog: dict[str, list[bool]] = defaultdict(list)
    other_ok: dict[str, list[bool]] = defaultdict(list)
    other_err: dict[str, list[int]] = defaultdict(list)
    ann: list[float] = []
    done: list[float] = []
    for folder in folders:
        for lab in json.loads((folder / "labels.json").read_text()):
            if not lab.get("use_for_eval"):
                continue
            samples = read_recording(folder / lab["file"]).samples
            truth = int(lab["reps"])
            if lab.get("is_back_exercise"):
                ex = LABEL_MAP.get(lab["exercise"], lab["exercise"])
                a = analyze_samples(samples, ex)
                b = analyze_samples(samples, "auto")
                d1, d2 = announce_delays(samples, ex)
                ann += d1
                done += d2
                for key in (folder.name, ex, "ALL"):
                    given[key].append(a.total_reps - truth)
                    auto[key].append(b.total_reps - truth)
                    labels = [s.exercise for s in b.sets]
                    recog[key].append(bool(labels) and max(set(labels), key=labels.count) == ex)
                if verbose and a.total_reps != truth:
                    print(f"  {folder.name}/{lab['file']}: {ex} truth {truth} got {a.total_reps} "
                          f"(auto {b.total_reps} {[s.exercise for s in b.sets]})")
            else:
                b = analyze_samples(samples, "auto")
                for key in (folder.name, "ALL"):
                    other_ok[key].append(all(s.exercise == "other" for s in b.sets))
                    other_err[key].append(b.total_reps - truth)
    print("== Real data, back exercises, exercise given")
    for k in sorted(given):
        print(f"  {k:28s} {count_stats(given[k])}")
    print("== Real data, announcement latency (signal time, 10-sample chunks)")
    delay_stats("back sets", ann, done)
    print("== Real data, back exercises, --exercise auto")
    for k in sorted(auto):
        print(f"  {k:28s} {count_stats(auto[k])} recognised={100 * np.mean(recog[k]):5.1f}%")
    print("== Real data, non-back sets (auto): labelled other / count error")
    for k in sorted(other_ok):
        print(f"  {k:28s} other={100 * np.mean(other_ok[k]):5.1f}% {count_stats(other_err[k])}")


def phase_errors(sets_found: list, truth: dict) -> list[tuple[str, float, float]]:
    """(boundary, error as fraction of the true rep duration, rep duration s) for matched reps."""
    out = []
    true_reps = [r for s in truth["sets"] for r in s["reps"]]
    for s in sets_found:
        for r in s.reps:
            best = min(true_reps, key=lambda x: abs(x["concentric_end"] - r.concentric_end), default=None)
            if best is None:
                continue
            dur = best["end"] - best["start"]
            if abs(best["concentric_end"] - r.concentric_end) > dur / 2:
                continue
            top_end = r.concentric_end + np.nan_to_num(r.pause_top_s)
            ecc_end = top_end + np.nan_to_num(r.eccentric_s)
            # swap: the true pull overlaps the found lowering more than the found pull
            t0, t1 = best["start"], best["concentric_end"]
            ov_c = max(0.0, min(t1, r.concentric_end) - max(t0, r.start))
            ov_e = max(0.0, min(t1, ecc_end) - max(t0, top_end))
            out.append(("swap", float(ov_e > ov_c), dur))
            if best.get("partial"):
                out.append(("partial_flagged", float(bool(r.partial)), dur))
            elif r.partial:
                out.append(("false_partial", 1.0, dur))
            for name, mine, theirs in (("start", r.start, best["start"]),
                                       ("concentric_end", r.concentric_end, best["concentric_end"]),
                                       ("top_end", top_end, best["top_end"]),
                                       ("eccentric_end", ecc_end, best["eccentric_end"])):
                out.append((name, (mine - theirs) / dur, dur))
    return out


def simulated(seeds: int, verbose: bool) -> None:
    from repcounter.sources.simulator import simulate_set

    exercises = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")
    tempos = [(2.0, 1.0, 1.0, 0.0), (3.0, 0.0, 1.0, 1.0), (1.0, 0.0, 1.0, 0.0), (2.0, 0.5, 2.0, 0.5),
              (3.0, 1.0, 2.0, 1.0)]
    rates = (12.5, 25.0, 50.0, 100.0, 200.0)
    given: dict[str, list[int]] = defaultdict(list)
    auto: dict[str, list[int]] = defaultdict(list)
    recog: dict[str, list[bool]] = defaultdict(list)
    phases: list[tuple[str, float, float]] = []
    phases_exact: list[tuple[str, float, float]] = []
    ann: list[float] = []
    done: list[float] = []
    i = 0
    for seed in range(seeds):
        for ex in exercises:
            for tempo in tempos:
                i += 1
                rate = rates[i % len(rates)]
                acc_only = i % 4 == 0
                reps = 5 + (i % 8)
                sim = simulate_set(ex, reps, tempo, rate_hz=rate, seed=1000 * seed + i, acc_only=acc_only,
                                   drops=i % 3 == 0)
                a = analyze_samples(sim.samples, ex)
                b = analyze_samples(sim.samples, "auto")
                key = "acc-only" if acc_only else "acc+gyro"
                for k in (ex, key, "ALL"):
                    given[k].append(a.total_reps - sim.total_reps)
                    auto[k].append(b.total_reps - sim.total_reps)
                    labels = [s.exercise for s in b.sets]
                    recog[k].append(bool(labels) and max(set(labels), key=labels.count) == ex)
                if verbose and a.total_reps != sim.total_reps:
                    print(f"  sim {ex} tempo {tempo} {rate} Hz acc_only={acc_only} seed={1000 * seed + i}: "
                          f"truth {sim.total_reps} got {a.total_reps}")
                pe = phase_errors(a.sets, sim.truth)
                phases += pe
                if a.total_reps == sim.total_reps and len(a.sets) == 1:
                    phases_exact.extend(pe)
                d1, d2 = announce_delays(sim.samples, ex)
                ann += d1
                done += d2
    print("== Simulated sets, exercise given")
    for k in sorted(given):
        print(f"  {k:28s} {count_stats(given[k])}")
    print("== Simulated sets, auto")
    for k in sorted(auto):
        print(f"  {k:28s} {count_stats(auto[k])} recognised={100 * np.mean(recog[k]):5.1f}%")
    print("== Simulated sets, announcement latency")
    delay_stats("simulated sets", ann, done)
    for title, rows in (("all matched reps", phases), ("sets counted exactly, one set found", phases_exact)):
        print(f"== Simulated phase boundaries ({title}): |error| as % of rep duration")
        for name in ("start", "concentric_end", "top_end", "eccentric_end"):
            e = np.array([x[1] for x in rows if x[0] == name])
            if len(e):
                print(f"  {name:16s} median {100 * np.median(np.abs(e)):5.1f}%  p90 "
                      f"{100 * np.percentile(np.abs(e), 90):5.1f}%  signed median {100 * np.median(e):+5.1f}%  (n={len(e)})")
        swaps = [x[1] for x in rows if x[0] == "swap"]
        flagged = [x[1] for x in rows if x[0] == "partial_flagged"]
        false_p = sum(1 for x in rows if x[0] == "false_partial")
        if swaps:
            extra = f"; true partial reps flagged {int(sum(flagged))}/{len(flagged)}" if flagged else ""
            print(f"  pull/lowering swapped: {100 * np.mean(swaps):5.1f}% of {len(swaps)} matched reps "
                  f"(true pull overlaps the found lowering more than the found pull){extra}; "
                  f"full reps flagged partial {false_p}")
    partial_probe(seeds)
    durs = np.array([x[2] for x in phases])
    if len(durs):
        print(f"  rep durations {durs.min():.1f}-{durs.max():.1f} s")


def partial_probe(seeds: int) -> None:
    """Sets whose last rep stops short (40-60 % range): is that rep counted, and is it flagged partial?"""
    from repcounter.sources.simulator import simulate_set

    exercises = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")
    n = counted = flagged = false_flags = full_reps = 0
    for seed in range(seeds):
        for j, ex in enumerate(exercises):
            reps = 6 + (j + seed) % 5
            sim = simulate_set(ex, reps, (2.0, 0.5, 1.0, 0.5), rate_hz=50.0, seed=7000 + 100 * seed + j,
                               acc_only=(j + seed) % 4 == 3, partial_reps=(reps,))
            a = analyze_samples(sim.samples, ex)
            found = [r for st in a.sets for r in st.reps]
            for tr in (r for st in sim.truth["sets"] for r in st["reps"]):
                dur = tr["end"] - tr["start"]
                m = min(found, key=lambda r: abs(r.concentric_end - tr["concentric_end"]), default=None)
                hit = m is not None and abs(m.concentric_end - tr["concentric_end"]) <= dur / 2
                if tr.get("partial"):
                    n += 1
                    counted += hit
                    flagged += hit and bool(m.partial)
                elif hit:
                    full_reps += 1
                    false_flags += bool(m.partial)
    if n:
        print(f"== Simulated partial last reps: {n} true partial, counted {counted}, flagged {flagged}; "
              f"full reps flagged partial {false_flags}/{full_reps}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/work/shared/data", help="folder of labelled recordings")
    ap.add_argument("--sim-seeds", type=int, default=2, help="simulated rounds (25 sets each)")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--no-sim", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miscounted set")
    args = ap.parse_args()
    if not args.no_real:
        root = Path(args.data)
        if root.is_dir():
            real_data(root, args.verbose)
        else:
            print(f"{root} not found: skipping real-data accuracy")
    if not args.no_sim:
        try:
            simulated(args.sim_seeds, args.verbose)
        except ImportError as exc:
            print(f"simulator not available ({exc}): skipping simulated accuracy")


if __name__ == "__main__":
    main()
