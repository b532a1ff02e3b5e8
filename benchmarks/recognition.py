"""Exercise-recognition benchmark and trainer. Prints confusion matrices and per-folder accuracy, in-sample
and leave-one-source-out (each real folder and the simulator held out in turn); asserts nothing.

Usage: .venv/bin/python benchmarks/recognition.py [--data /work/shared/data] [--sim-per-exercise 24]
       [--demo-seeds 101-180] [--lambda 0.001] [--other-weight 1.75] [--write] [--cache /tmp/recog_spans.pkl]

Spans: each labelled ``use_for_eval`` recording is run through the engine (back sets with their exercise
given, others with ``auto``) and every set it finds becomes one sample; a recording where the engine finds
no set is trimmed to its active part instead. Simulated sets (5 back exercises, ``curl`` and ``press`` as
negatives, random rates 12.5-200 Hz, wrists, mountings, gravity signs, half acc-only) use the truth span.
Simulated demo workouts (``back_workout_plan``, seeds > 100 only: 1-12 and 71-100 are the demo benchmark's held-out seeds) are run
through the engine and each set it finds becomes a span of the simulated set it overlaps most: the spans
the demo names, with set-up motion, fatigue and partial reps.
Each span is resampled to the engine's 25 Hz grid and low-passed causally at 2 Hz, as the engine's ring
holds it. ``--write`` fits on everything and writes the parameters into repcounter/engine/recognition.py.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy import optimize, signal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repcounter.engine import recognition as R  # noqa: E402

LABEL_MAP = {
    "assisted_pullup": "pullup", "pullup": "pullup", "chinup": "pullup", "lat_pulldown": "lat_pulldown",
    "cable_row": "seated_row", "band_row": "seated_row", "seated_row": "seated_row", "high_row": "seated_row",
    "bent_over_row": "bent_over_row", "dumbbell_row": "bent_over_row", "barbell_row": "bent_over_row",
}
ENGINE_NAME = {"pullup": "pullup", "lat_pulldown": "lat_pulldown", "seated_row": "seated_row",
               "bent_over_row": "bent_over_row"}


def ring_like(samples: np.ndarray) -> np.ndarray:
    """(m, 3) acceleration on a 25 Hz grid, causally low-passed at 2 Hz (what the engine's ring holds)."""
    t = samples[:, 0]
    tg = np.arange(t[0], t[-1], 1.0 / R.FS_HZ)
    a = np.column_stack([np.interp(tg, t, samples[:, 1 + i]) for i in range(3)])
    sos = signal.butter(2, 2.0, "lowpass", fs=R.FS_HZ, output="sos")
    zi = signal.sosfilt_zi(sos)[:, :, None] * a[0][None, None, :]
    return signal.sosfilt(sos, a, axis=0, zi=zi)[0]


def active_span(samples: np.ndarray) -> tuple[float, float]:
    """First to last time the 2-s rms of the dynamic acceleration exceeds 30 % of its 90th percentile."""
    a = ring_like(samples)
    w = int(2 * R.FS_HZ)
    d = a - np.column_stack([np.convolve(a[:, i], np.ones(w) / w, mode="same") for i in range(3)])
    e = np.sqrt(np.convolve((d ** 2).sum(axis=1), np.ones(w) / w, mode="same"))
    on = np.flatnonzero(e > 0.3 * np.percentile(e, 90))
    t0 = samples[0, 0]
    return t0 + on[0] / R.FS_HZ, t0 + on[-1] / R.FS_HZ


def cut(samples: np.ndarray, start: float, end: float) -> np.ndarray:
    a = ring_like(samples)
    t = samples[0, 0] + np.arange(len(a)) / R.FS_HZ
    return a[(t >= start) & (t <= end)]


def real_spans(root: Path) -> list[dict]:
    from repcounter.engine import analyze_samples
    from repcounter.recording import read_recording

    out = []
    for folder in sorted(p for p in root.iterdir() if (p / "labels.json").exists()):
        for lab in json.loads((folder / "labels.json").read_text()):
            if not lab.get("use_for_eval"):
                continue
            samples = read_recording(folder / lab["file"]).samples
            label = LABEL_MAP.get(lab["exercise"], "other") if lab.get("is_back_exercise") else "other"
            res = analyze_samples(samples, ENGINE_NAME.get(label, "auto"))
            spans = [(s.start, s.end) for s in res.sets if s.end - s.start >= R.MIN_SPAN_S]
            how = "engine"
            if not spans:
                spans, how = [active_span(samples)], "active"
            for st, en in spans:
                out.append({"source": folder.name, "file": lab["file"], "label": label, "raw": lab["exercise"],
                            "acc": cut(samples, st, en), "how": how})
            print(f"  {folder.name}/{lab['file']}: {label} {len(spans)} span(s) ({how})", file=sys.stderr)
    return out


def sim_spans(per_exercise: int) -> list[dict]:
    from repcounter.sources.simulator import simulate_set

    rng = np.random.default_rng(7)
    rates = (12.5, 25.0, 50.0, 100.0, 200.0)
    tempos = [(2.0, 1.0, 1.0, 0.0), (3.0, 0.0, 1.0, 1.0), (1.0, 0.0, 1.0, 0.0), (2.0, 0.5, 2.0, 0.5),
              (3.0, 1.0, 2.0, 1.0)]
    out = []
    for ex in ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row", "curl", "press"):
        n = per_exercise // 2 if ex in ("pullup", "chinup") else per_exercise
        for i in range(n):
            sim = simulate_set(ex, int(rng.integers(5, 13)), tempos[i % len(tempos)], rate_hz=rates[i % 5],
                               seed=5000 + 100 * len(out) + i, acc_only=bool(i % 2))
            s = sim.truth["sets"][0]
            out.append({"source": "simulator", "file": f"{ex}-{i}", "label": LABEL_MAP.get(ex, "other"),
                        "raw": ex, "acc": cut(sim.samples, s["start"], s["end"]), "how": "truth"})
    return out


DEMO_RATES = (12.5, 25.0, 50.0, 100.0, 200.0)


def demo_spans(seeds: list[int]) -> list[dict]:
    """Back sets as the demo names them: whole simulated demo workouts (``back_workout_plan``: set-up,
    fatigue, partial reps, walking between stations) streamed through the engine, one span per set the
    engine finds, labelled with the simulated set it overlaps most (sets mostly outside every simulated set
    are left out). Rate, rest, gyro or not vary with the seed. Seeds 1-100 hold the demo benchmark's held-out
    seeds (7-12, 71-100): never train on them."""
    from repcounter.engine import analyze_samples
    from repcounter.sources.sim.plan import back_workout_plan
    from repcounter.sources.simulator import simulate_session

    out = []
    for seed in seeds:
        if seed <= 100:
            raise ValueError("demo training seeds must be > 100 (1-100 hold the demo benchmark's held-out seeds)")
        rate = DEMO_RATES[seed % len(DEMO_RATES)]
        rest = 20.0 if seed % 2 else (60.0, 120.0)
        session = simulate_session(back_workout_plan(seed, rest_s=rest), rate, seed, acc_only=bool(seed % 3 == 0))
        truth = session.truth["sets"]
        # ``auto``, as the demo runs: the set spans depend on the exercise (the hang rules of a pull-up's start
        # cut its set-up only when the start is given or recognised as a pull-up), so spans analysed as
        # pull-ups were cleaner than those the recogniser is asked about (a pull-up's reach to the bar)
        res = analyze_samples(session.samples, "auto")
        for j, s in enumerate(res.sets):
            if s.end - s.start < R.MIN_SPAN_S:
                continue
            ov = [max(0.0, min(s.end, t["end"]) - max(s.start, t["start"])) for t in truth]
            i = int(np.argmax(ov))
            if ov[i] < 0.5 * (s.end - s.start):
                continue
            ex = truth[i]["exercise"]
            out.append({"source": "simulator", "file": f"demo{seed}-{j}", "label": LABEL_MAP.get(ex, "other"),
                        "raw": ex, "acc": cut(session.samples, s.start, s.end), "how": "demo"})
        print(f"  demo seed {seed}: {len(res.sets)} engine sets", file=sys.stderr)
    return out


def group_of(it: dict) -> str:
    """Recording session or subject of a span (for leave-one-group-out): the held-out evaluation data are
    other sessions and subjects of the same sources."""
    f, src = it["file"], it["source"]
    if src == "simulator" and f.startswith("demo"):
        return f"sim-fold{int(f[4:].split('-')[0]) % 4}"
    if src == "simulator":
        return f"sim-fold{int(f.rsplit('-', 1)[1]) % 4}"
    m = re.search(r"jan-\d+", f)
    key = m.group(0) if m else f[:6] if f[:6].isdigit() else re.split(r"[_-]", f)[0]
    return f"{src}:{key}"


def cross_validate(items: list[dict], X: np.ndarray, y: np.ndarray, lam: float, key) -> list[str]:
    """Predict each span with a model fit without the spans sharing its ``key(item)``."""
    pred = [""] * len(items)
    keys = [key(it) for it in items]
    for g in sorted(set(keys)):
        test = np.array([k == g for k in keys])
        m = fit(X[~test], y[~test], weights_for([it for it, t in zip(items, test) if not t]), lam)
        for i, p in zip(np.flatnonzero(test), predict(m, X[test])):
            pred[i] = p
    return pred


BACK = ("pullup", "lat_pulldown", "seated_row", "bent_over_row")
TRAIN_CLASSES = BACK + tuple(f"{b}:sim" for b in BACK) + ("other:press", "other:legs", "other:arms", "other:misc",
                                                         "other:sim")
"""Classes the regression is fit on; ``recognise`` sums them by the name before the colon. Simulated back
sets get their own class (the simulator's kinematics differ from real recordings: one linear prototype
for both fits neither), and non-back movements are split into families (too varied for one class).
Simulated non-back sets (curls, presses) get their own prototype too, for the same reason: in a real
family they pull the family towards the simulator's kinematics, where the simulated back sets live (fast
simulated lat pulldowns were said `other:arms`)."""


def train_class(it: dict) -> str:
    """Training class: the back exercise (``:sim`` when simulated), or the family of a non-back movement
    (by its source name)."""
    if it["label"] != "other":
        return it["label"] + (":sim" if it["source"] == "simulator" else "")
    if it["source"] == "simulator":
        return "other:sim"
    raw = it["raw"].lower()
    if any(k in raw for k in ("press", "bench")):
        return "other:press"
    if any(k in raw for k in ("squat", "dead")):
        return "other:legs"
    if any(k in raw for k in ("curl", "tricep", "dips")):
        return "other:arms"
    return "other:misc"


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float) -> tuple:
    """Weighted multinomial logistic regression (classes :data:`TRAIN_CLASSES`) with L2 penalty ``lam`` on
    standardised, clipped features."""
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    Z = np.clip((X - mean) / scale, -R.Z_CLIP, R.Z_CLIP)
    k, d = len(TRAIN_CLASSES), Z.shape[1]
    Y = np.eye(k)[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W, b = theta[:k * d].reshape(k, d), theta[k * d:]
        L = Z @ W.T + b
        L -= L.max(axis=1, keepdims=True)
        P = np.exp(L)
        P /= P.sum(axis=1, keepdims=True)
        nll = -np.sum(w * np.log(np.sum(P * Y, axis=1) + 1e-12)) / w.sum()
        G = (w[:, None] * (P - Y)) / w.sum()
        gW = G.T @ Z + lam * W
        return nll + 0.5 * lam * np.sum(W ** 2), np.concatenate([gW.ravel(), G.sum(axis=0)])

    res = optimize.minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return mean, scale, res.x[:k * d].reshape(k, d), res.x[k * d:]


OTHER_WEIGHT = 1.75
"""Weight of all non-back spans together relative to one back exercise."""


def weights_for(items: list[dict]) -> np.ndarray:
    """Balance classes (``other`` as one class, times :data:`OTHER_WEIGHT`), and within a class the
    sources, so no folder or the simulator dominates."""
    cls = Counter(it["label"] for it in items)
    cs = Counter((it["label"], it["source"]) for it in items)
    nsrc = {c: len({s for (cc, s) in cs if cc == c}) for c in cls}
    return np.array([(OTHER_WEIGHT if it["label"] == "other" else 1.0)
                     / (cs[(it["label"], it["source"])] * nsrc[it["label"]]) for it in items])


def predict(model: tuple, X: np.ndarray) -> list[str]:
    return [R.decide(R.probabilities(x, *model), TRAIN_CLASSES)[0] for x in X]


def report(title: str, items: list[dict], pred: list[str]) -> None:
    print(f"== {title}")
    classes = list(BACK) + ["other"]
    m = np.zeros((len(classes), len(classes)), int)
    for it, p in zip(items, pred):
        m[classes.index(it["label"]), classes.index(p)] += 1
    print("  truth \\ said    " + " ".join(f"{c[:12]:>12s}" for c in classes))
    for i, c in enumerate(classes):
        print(f"  {c:15s} " + " ".join(f"{v:12d}" for v in m[i]) + f"   ({100 * m[i, i] / max(1, m[i].sum()):5.1f}%)")
    # per file: majority over its spans (as benchmarks/accuracy.py scores)
    per_file: dict[tuple, list] = defaultdict(list)
    for it, p in zip(items, pred):
        per_file[(it["source"], it["file"], it["label"])].append(p)
    rows: dict[str, list[bool]] = defaultdict(list)
    for (src, _f, lab), ps in per_file.items():
        ok = max(set(ps), key=ps.count) == lab if lab != "other" else all(p == "other" for p in ps)
        rows[(src, "back" if lab != "other" else "other")].append(ok)
    back = [v for (s, k), vs in rows.items() if k == "back" for v in vs]
    other = [v for (s, k), vs in rows.items() if k == "other" for v in vs]
    for (src, kind) in sorted(rows):
        v = rows[(src, kind)]
        print(f"  {src:28s} {kind:5s} sets n={len(v):3d} right={100 * np.mean(v):5.1f}%")
    print(f"  ALL back sets recognised={100 * np.mean(back):5.1f}% (n={len(back)}); "
          f"non-back labelled other={100 * np.mean(other):5.1f}% (n={len(other)})")


def write_params(model: tuple) -> None:
    mean, scale, W, b = model
    path = ROOT / "repcounter/engine/recognition.py"
    text = path.read_text()
    fmt = lambda v: "(" + ", ".join(f"{float(x):.6g}" for x in v) + ("," if len(v) == 1 else "") + ")"  # noqa: E731
    block = (f"CLASSES: tuple[str, ...] = {TRAIN_CLASSES!r}\n"
             f"MEAN: tuple[float, ...] = {fmt(mean)}\n"
             f"SCALE: tuple[float, ...] = {fmt(scale)}\n"
             "WEIGHTS: tuple[tuple[float, ...], ...] = (\n" + "".join(f"    {fmt(r)},\n" for r in W) + ")\n"
             f"BIAS: tuple[float, ...] = {fmt(b)}\n")
    new = re.sub(r"(# --- fitted parameters[^\n]*\n).*?(# --- end of fitted parameters ---)",
                 lambda m_: m_.group(1) + block + m_.group(2), text, flags=re.S)
    path.write_text(new)
    print(f"wrote fitted parameters to {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--sim-per-exercise", type=int, default=24)
    ap.add_argument("--demo-seeds", default="101-180",
                    help="seeds of simulated demo workouts whose engine sets are training spans (>= 100; '' for none)")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.001, help="L2 penalty")
    ap.add_argument("--cache", help="pickle of the spans (made if missing) to iterate on features quickly")
    ap.add_argument("--other-weight", type=float, default=OTHER_WEIGHT,
                    help="weight of all non-back spans relative to one back exercise")
    ap.add_argument("--write", action="store_true", help="fit on everything and write the parameters")
    ap.add_argument("--no-sim", action="store_true")
    args = ap.parse_args()
    globals()["OTHER_WEIGHT"] = args.other_weight
    if args.cache and Path(args.cache).exists():
        items = pickle.loads(Path(args.cache).read_bytes())
    else:
        root = Path(args.data)
        items = real_spans(root) if root.is_dir() else []
        items += sim_spans(args.sim_per_exercise)
        if args.demo_seeds:
            lo, hi = (int(x) for x in args.demo_seeds.split("-"))
            items += demo_spans(list(range(lo, hi + 1)))
        if args.cache:
            Path(args.cache).write_bytes(pickle.dumps(items))
    if args.no_sim:
        items = [it for it in items if it["source"] != "simulator"]
    feats = [R.features(it["acc"], R.FS_HZ) for it in items]
    dropped = sum(f is None for f in feats)
    items = [it for it, f in zip(items, feats) if f is not None]
    X = np.array([f for f in feats if f is not None])
    y = np.array([TRAIN_CLASSES.index(train_class(it)) for it in items])
    w = weights_for(items)
    print(f"{len(items)} spans ({dropped} too short/still), sources: "
          + ", ".join(f"{k} {v}" for k, v in sorted(Counter(it['source'] for it in items).items())))
    model = fit(X, y, w, args.lam)
    report("In-sample (fit on all)", items, predict(model, X))
    groups = sorted({group_of(it) for it in items})
    pred = cross_validate(items, X, y, args.lam, group_of)
    report(f"Leave-one-session/subject-out ({len(groups)} groups: {', '.join(groups)})", items, pred)
    pred = cross_validate(items, X, y, args.lam, lambda it: it["source"])
    report("Leave-one-source-out (each folder / the simulator predicted by a model fit without it)", items, pred)
    if args.write:
        write_params(model)


if __name__ == "__main__":
    main()
