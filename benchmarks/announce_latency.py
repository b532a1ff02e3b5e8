"""Announce latency of reps inside a set (not announced at set start) on the development recordings, quicksim's
100 simulated sets and demo workouts (seeds 1-6, 13-30), plus a signature of every set summary (counts and rep
tempo, confidence left out) to check that a latency change counts exactly the same reps.

usage: announce_latency.py [--out OUT.json] [--groups real,sim,demo]; compare two OUT.json files with
``--compare A B``. Real data from $DATA (default /work/shared/data; skipped if absent). Prints figures, asserts
nothing."""
import argparse
import json, os, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from multiprocessing import Pool
import numpy as np
from repcounter.engine import RepEngine
from repcounter.engine.events import RepAnnounced, SetStarted, SetEnded
from repcounter.recording import read_recording
from repcounter.sources.simulator import simulate_set, simulate_session
from repcounter.sources.sim.plan import back_workout_plan
LABEL_MAP = {"assisted_pullup": "pullup", "pullup": "pullup", "chinup": "chinup", "lat_pulldown": "lat_pulldown",
    "cable_row": "seated_row", "band_row": "seated_row", "seated_row": "seated_row", "high_row": "seated_row",
    "bent_over_row": "bent_over_row", "dumbbell_row": "bent_over_row", "barbell_row": "bent_over_row"}
ROOT = Path(os.environ.get('DATA', '/work/shared/data'))
def run(s, ex):
    e = RepEngine(ex); ev = []
    for i in range(0, len(s), 10): ev += e.feed(s[i:i+10])
    ev += e.finish()
    starts = {x.set_index: x.t for x in ev if isinstance(x, SetStarted)}
    lat = [(x.t - x.rep.concentric_end, x.t == starts[x.set_index]) for x in ev if isinstance(x, RepAnnounced)]
    sig = [[x.summary.rep_count] + [[round(v, 3) if isinstance(v, float) else v for k, v in r.to_dict().items() if k != 'confidence'] for r in x.summary.reps]
           for x in ev if isinstance(x, SetEnded)]
    return sig, lat
def job(item):
    kind, key = item
    if kind == 'real':
        folder, file, ex = key
        return item, run(read_recording(ROOT / folder / file).samples, ex)
    if kind == 'sim':
        ex, tempo, rate, seed, acc_only, reps, drops = key
        sim = simulate_set(ex, reps, tuple(tempo), rate_hz=rate, seed=seed, acc_only=acc_only, drops=drops)
        return item, run(sim.samples, ex)
    seed = key
    return item, run(simulate_session(back_workout_plan(seed, rest_s=20.0), 50.0, seed).samples, 'auto')
ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--out", help="write the set signatures (counts, rep tempo) to this JSON file")
ap.add_argument("--groups", default="real,sim,demo", help="comma-separated: real, sim, demo")
ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two --out files and exit")
args = ap.parse_args()
if args.compare:
    a, b = json.load(open(args.compare[0])), json.load(open(args.compare[1]))
    diff = [k for k in a if k in b and a[k] != b[k]]
    for k in diff:
        print('differs:', k, 'counts', [x[0] for x in a[k]], [x[0] for x in b[k]])
    print(f"{len(diff)} of {len(a)} differ")
    sys.exit(0)
groups = [g for g in args.groups.split(',') if g]
bad = [g for g in groups if g not in ('real', 'sim', 'demo')]
if bad:
    ap.error(f"--groups: unknown group(s) {', '.join(bad)} (real, sim, demo)")
items = []
if 'real' in groups and ROOT.is_dir():
    items += [('real', (f.name, lab['file'], LABEL_MAP[lab['exercise']])) for f in sorted(ROOT.iterdir()) if (f / 'labels.json').exists()
              for lab in json.loads((f / 'labels.json').read_text()) if lab.get('use_for_eval') and lab.get('is_back_exercise')]
if 'sim' in groups:
    exercises = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")
    tempos = [(2.0, 1.0, 1.0, 0.0), (3.0, 0.0, 1.0, 1.0), (1.0, 0.0, 1.0, 0.0), (2.0, 0.5, 2.0, 0.5), (3.0, 1.0, 2.0, 1.0)]
    rates = (12.5, 25.0, 50.0, 100.0, 200.0); i = 0
    for seed in range(4):
        for ex in exercises:
            for tempo in tempos:
                i += 1
                items.append(('sim', (ex, tempo, rates[i % 5], 1000 * seed + i, i % 4 == 0, 5 + i % 8, i % 3 == 0)))
if 'demo' in groups:
    items += [('demo', s) for s in list(range(1, 7)) + list(range(13, 31))]
with Pool(2) as p:  # (fork: module-level items)
    res = p.map(job, items)
out = {repr(it): sig for it, (sig, lat) in res}
if args.out:
    json.dump(out, open(args.out, 'w'))
for g in groups:
    d = np.array([l for it, (sig, lat) in res if it[0] == g for l, first in lat if not first])
    a = np.array([l for it, (sig, lat) in res if it[0] == g for l, first in lat])
    if len(d) == 0: continue
    print(f"{g}: in-set n={len(d)} <=0.3 {100*np.mean(d<=0.3):.1f}% p90 {np.percentile(d,90):.2f} p99 {np.percentile(d,99):.2f} late>1s {np.sum(d>1)} | all n={len(a)} med {np.median(a):.2f} <=0.3 {100*np.mean(a<=0.3):.1f}% p90 {np.percentile(a,90):.2f} p99 {np.percentile(a,99):.2f}")
