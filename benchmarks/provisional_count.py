"""What a provisional live count would cost: the figure behind announcing a set's first reps only once it is certain.

The engine starts a set on 4 rhythmic half-swings (two pulls and their lowerings), so the first reps of each set
are announced late (docs/engine.md, "Announcement latency"). The alternative is to show a count as soon as one pull
and its lowering look like a rep while no set is open, and take it back when no set follows. This script measures
that alternative on the engine as it is, without changing it: while no set is open, each new half-swing that makes,
with the one before it, a pair passing the starting run's per-half-swing tests (amplitude at least ``min_amp_g``
and within ``start_amp_ratio``, each 0.3-10 s, movement at least ``min_move_s``) is a moment a provisional count
would appear. It is kept when the pair lies inside a set the engine finds (1 s margin), else taken back; taken-back
moments less than 5 s apart are one flash of a wrong count on the lifter's screen.

usage: provisional_count.py [--seeds 13-22] [--real]   (real: the development recordings in $DATA, default
/work/shared/data, skipped if absent). Prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from repcounter.engine import RepEngine  # noqa: E402
from repcounter.engine.events import SetEnded, SetStarted  # noqa: E402
from repcounter.recording import read_recording  # noqa: E402
from repcounter.sources.sim.plan import back_workout_plan  # noqa: E402
from repcounter.sources.simulator import simulate_session  # noqa: E402

LABEL_MAP = {"assisted_pullup": "pullup", "pullup": "pullup", "chinup": "chinup", "lat_pulldown": "lat_pulldown",
             "cable_row": "seated_row", "band_row": "seated_row", "seated_row": "seated_row", "high_row": "seated_row",
             "bent_over_row": "bent_over_row", "dumbbell_row": "bent_over_row", "barbell_row": "bent_over_row"}
ROOT = Path(os.environ.get("DATA", "/work/shared/data"))
FLASH_GAP_S = 5.0
MARGIN_S = 1.0


def measure(samples: np.ndarray, exercise: str) -> dict:
    """Provisional-count moments kept / taken back, flashes, sets and each set's wait (s) from its first kept
    moment to the engine's SetStarted, for one recording (10-sample chunks)."""
    engine = RepEngine(exercise)
    tracker, rules = engine.tracker, engine.tracker.rules
    moments: list[tuple[float, float, float]] = []  # (pair start, pair end, grid time) in signal s
    on_swing = tracker.on_swing

    def spy(s, t, gap_s=0.0):
        if tracker.active is None and tracker.recent:
            pair = [tracker.recent[-1], s]
            amps = [x.amp for x in pair]
            if min(amps) >= rules.min_amp_g and max(amps) <= rules.start_amp_ratio * min(amps) and all(
                    rules.min_swing_s <= x.duration_s <= rules.max_swing_s for x in pair) \
                    and max(x.move_s for x in pair) >= rules.min_move_s:
                moments.append((pair[0].t0, s.t1, t))
        return on_swing(s, t, gap_s)
    tracker.on_swing = spy
    events = []
    for i in range(0, len(samples), 10):
        events += engine.feed(samples[i:i + 10])
    events += engine.finish()
    started = {e.set_index: e.t for e in events if isinstance(e, SetStarted)}
    sets = [(e.summary.start, e.summary.end, started[e.set_index]) for e in events if isinstance(e, SetEnded)]
    kept, back = [], []
    for m in moments:
        inside = any(a - MARGIN_S <= m[0] and m[1] <= b + MARGIN_S for a, b, _ in sets)
        (kept if inside else back).append(m)
    flashes = sum(1 for i, m in enumerate(back) if i == 0 or m[2] - back[i - 1][2] > FLASH_GAP_S)
    waits = []
    for a, b, t_start in sets:
        first = [m[2] for m in kept if a - MARGIN_S <= m[0] and m[2] <= t_start]
        if first:
            waits.append(t_start - min(first))
    return {"kept": len(kept), "back": len(back), "flashes": flashes, "sets": len(sets), "waits": waits,
            "hours": float(samples[-1, 0] - samples[0, 0]) / 3600.0}


def report(name: str, rows: list[dict]) -> None:
    """Print one group's totals."""
    tot = {k: sum(r[k] for r in rows) for k in ("kept", "back", "flashes", "sets", "hours")}
    waits = [w for r in rows for w in r["waits"]]
    print(f"{name}: {len(rows)} recordings, {tot['hours']:.2f} h, {tot['sets']} sets found")
    print(f"  provisional-count moments inside a found set {tot['kept']}, taken back {tot['back']} "
          f"({100 * tot['back'] / max(1, tot['kept'] + tot['back']):.0f} %); wrong-count flashes {tot['flashes']} "
          f"({tot['flashes'] / max(tot['hours'], 1e-9):.0f} per hour, {tot['flashes'] / max(1, tot['sets']):.1f} per set)")
    if waits:
        print(f"  what it would gain: set certain after its first provisional moment, median {np.median(waits):.1f} s, "
              f"p90 {np.percentile(waits, 90):.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="13-22", help="demo workout seeds, A-B")
    ap.add_argument("--real", action="store_true", help="also the development recordings in $DATA")
    args = ap.parse_args()
    a, b = (int(x) for x in args.seeds.split("-"))
    report(f"demo workouts, seeds {args.seeds}",
           [measure(simulate_session(back_workout_plan(seed, rest_s=20.0), 50.0, seed).samples, "auto")
            for seed in range(a, b + 1)])
    if args.real and ROOT.exists():
        rows = []
        for folder in sorted(p for p in ROOT.iterdir() if (p / "labels.json").exists()):
            for lab in json.loads((folder / "labels.json").read_text()):
                if lab.get("use_for_eval"):
                    ex = LABEL_MAP.get(lab["exercise"], "auto") if lab.get("is_back_exercise") else "auto"
                    rows.append(measure(read_recording(folder / lab["file"]).samples, ex))
        report("development recordings (one set each; back exercises given, others auto)", rows)


if __name__ == "__main__":
    main()
