"""``repcounter simulate``: write a simulated wrist-sensor recording plus its exact ground truth."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate", help="write a simulated recording (CSV) and its ground truth (JSON)",
        description="Simulate a wrist sensor during sets of an exercise (or the demo back workout) and write "
                    "the recording CSV plus FILE.truth.json with the exact rep boundaries.")
    p.add_argument("--exercise", help="pullup, chinup, lat_pulldown, seated_row, bent_over_row, or the "
                                      "non-back curl, press (required unless --workout)")
    p.add_argument("--workout", action="store_true", help="simulate the demo back workout instead")
    p.add_argument("--reps", type=int, help="reps per set (required unless --workout)")
    p.add_argument("--sets", type=int, default=1, help="number of sets (default 1)")
    p.add_argument("--tempo", default="2-1-1-0",
                   help="eccentric-bottom pause-concentric-top pause in s (default 2-1-1-0)")
    p.add_argument("--rest", type=float, help="rest between sets, s (default 90; workout: 60-120)")
    p.add_argument("--fatigue", type=float, default=0.2, help="concentric slowdown by the last rep (default 0.2)")
    p.add_argument("--partial", default="", help="comma-separated 1-based reps done with partial range, e.g. 8")
    p.add_argument("--load", type=float, help="load in kg (recorded in the truth)")
    p.add_argument("--rate", type=float, default=50.0, help="sample rate, Hz (default 50; 12.5-200 typical)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--wrist", choices=("left", "right", "random"), default="random", help="sensor wrist")
    p.add_argument("--gravity-sign", type=int, choices=(1, -1), help="+1 or -1 g on the up axis (default random)")
    p.add_argument("--acc-only", action="store_true", help="accelerometer only (empty gyro columns)")
    p.add_argument("--drops", action="store_true", help="drop random packets (gaps in t)")
    p.add_argument("--no-jitter", action="store_true", help="exact timestamps")
    p.add_argument("--no-noise", action="store_true", help="ideal sensor: no noise, bias or scale error")
    p.add_argument("--t0", type=float, default=0.0, help="time of the first sample, s (default 0)")
    p.add_argument("-o", "--output", required=True, help="recording CSV to write; truth goes to OUTPUT.truth.json")
    p.set_defaults(func=run)


def _partial_list(text: str) -> tuple[int, ...]:
    from repcounter.errors import UserError

    out = []
    for part in text.split(","):
        if part.strip():
            try:
                out.append(int(part))
            except ValueError:
                raise UserError(f"--partial must be comma-separated rep numbers like 3,8, got {text!r}") from None
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from repcounter.errors import UserError
    from repcounter.recording import write_recording
    from repcounter.sources.simulator import (
        MAX_RATE_HZ, MIN_RATE_HZ, SetPlan, back_workout_plan, canonical_exercise, parse_tempo,
        simulate_session, truth_path,
    )

    if not (MIN_RATE_HZ <= args.rate <= MAX_RATE_HZ):
        raise UserError(f"--rate must be {MIN_RATE_HZ:g}-{MAX_RATE_HZ:g} Hz, got {args.rate:g}")
    if not (abs(args.t0) < 1e10):
        raise UserError(f"--t0 must be a time in s below 1e10, got {args.t0:g}")
    if args.rest is not None and not (0 <= args.rest <= 3600):
        raise UserError(f"--rest must be 0-3600 s, got {args.rest:g}")
    if args.workout:
        if args.exercise or args.reps:
            raise UserError("--workout simulates the demo back workout; leave out --exercise and --reps")
        plan = back_workout_plan(args.seed, args.rest if args.rest is not None else (60.0, 120.0))
    else:
        if not args.exercise:
            raise UserError("--exercise is required (or use --workout)")
        if args.reps is None:
            raise UserError("--reps is required (or use --workout)")
        try:
            exercise = canonical_exercise(args.exercise)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if not 1 <= args.reps <= 200:
            raise UserError(f"--reps must be 1-200, got {args.reps}")
        if not 1 <= args.sets <= 50:
            raise UserError(f"--sets must be 1-50, got {args.sets}")
        try:
            tempo = parse_tempo(args.tempo)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if not 0 <= args.fatigue <= 2:
            raise UserError(f"--fatigue must be 0-2, got {args.fatigue:g}")
        partial = _partial_list(args.partial)
        bad = [i for i in partial if not 1 <= i <= args.reps]
        if bad:
            raise UserError(f"--partial reps {bad} are outside 1..{args.reps}")
        if args.load is not None and not 0 <= args.load <= 1000:
            raise UserError(f"--load must be 0-1000 kg, got {args.load:g}")
        rest = 90.0 if args.rest is None else args.rest
        plan = [SetPlan(exercise, args.reps, tempo, rest, args.fatigue, partial, args.load) for _ in range(args.sets)]
    out = Path(args.output)
    if out.is_dir():
        raise UserError(f"{out}: is a directory; give a file name like set.csv")
    session = simulate_session(plan, rate_hz=args.rate, seed=args.seed, wrist=args.wrist, acc_only=args.acc_only,
                               jitter=not args.no_jitter, drops=args.drops, gravity_sign=args.gravity_sign,
                               noise=not args.no_noise, t0=args.t0)
    meta = {"source": "repcounter simulate", "seed": str(args.seed), "rate_hz": f"{args.rate:g}",
            "exercises": ",".join(dict.fromkeys(p.exercise for p in plan)), "wrist": session.truth["wrist"]}
    try:
        write_recording(out, session.samples, meta)
        truth_file = truth_path(out)
        truth_file.write_text(json.dumps(session.truth, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror or exc})") from None
    n_sets = len(session.truth["sets"])
    print(f"wrote {out} ({len(session.samples)} samples, {session.truth['duration_s']:.1f} s, {n_sets} set(s), "
          f"{session.total_reps} reps) and {truth_file}")
    return 0
