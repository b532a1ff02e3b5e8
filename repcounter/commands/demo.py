"""``repcounter demo``: a simulated back workout streamed through the live path, with the local dashboard.

The simulator makes a realistic session (warm-up, pull-ups, lat pulldowns, seated rows, bent-over rows,
rest between sets, fatigue, an occasional partial rep); it is streamed at ``--speed`` times real time
through the same Pipeline, engine and sinks as a real sensor (terminal, local history, web dashboard,
optional MQTT). At the end the detected counts are compared to what the simulator did.

Defaults chosen so a new user sees a lot in a minute: ``--speed 5`` and ``--rest 20`` s between sets
(the first reps are counted within seconds of the start).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink

DEFAULT_SPEED = 5.0
DEFAULT_REST_S = 20.0
DEFAULT_HTTP = "127.0.0.1:8000"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from repcounter.sinks.options import add_sink_arguments

    p = sub.add_parser(
        "demo", help="a simulated back workout with live counts and the local dashboard",
        description="Simulate a back workout (warm-up, pull-ups, lat pulldowns, seated rows, bent-over rows) and "
                    "stream it through the live path: engine, terminal, local history and the dashboard at "
                    f"http://{DEFAULT_HTTP}. No sensor or server needed.")
    p.add_argument("--speed", type=float, default=DEFAULT_SPEED,
                   help=f"1 = real time, 10 = ten times faster, 0 = as fast as possible (default {DEFAULT_SPEED:g})")
    p.add_argument("--rest", type=float, default=DEFAULT_REST_S, metavar="S",
                   help=f"rest between sets in simulated seconds (default {DEFAULT_REST_S:g})")
    p.add_argument("--seed", type=int, default=None, help="random seed for a repeatable workout (default: new each run)")
    p.add_argument("--sets", type=int, default=None, metavar="N", help="only the first N sets of the workout")
    p.add_argument("--rate", type=float, default=50.0, metavar="HZ", help="simulated sensor rate (default 50 Hz)")
    p.add_argument("--sensor-id", default="demo-wrist", help="sensor id to report (default demo-wrist)")
    p.add_argument("--no-http", action="store_true", help="no dashboard")
    add_sink_arguments(p)
    p.set_defaults(func=run, http=DEFAULT_HTTP)


def _port_free(address: str) -> bool:
    """True if HOST:PORT can be bound right now."""
    import socket

    host, _, port = address.rpartition(":")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host or "127.0.0.1", int(port)))
        return True
    except (OSError, ValueError):
        return False


class DemoWorkout:
    """The simulated session and its plan (truth times in s on the samples' ``t`` axis)."""

    def __init__(self, plan: list, session: object, seed: int) -> None:  # type: ignore[type-arg]
        self.plan = plan
        self.session = session
        self.seed = seed

    @property
    def truth_sets(self) -> list[dict[str, Any]]:
        return self.session.truth["sets"]  # type: ignore[attr-defined]

    @property
    def total_reps(self) -> int:
        return sum(len(s["reps"]) for s in self.truth_sets)

    def intro(self, speed: float) -> str:
        """Two lines: what will happen and how long it takes."""
        from repcounter.sinks.console import exercise_name

        names: list[str] = []
        for s in self.truth_sets:
            name = exercise_name(s["exercise"])
            if not names or names[-1] != name:
                names.append(name)
        duration = float(self.session.truth["duration_s"])  # type: ignore[attr-defined]
        pace = "as fast as possible" if speed == 0 else (
            f"at {speed:g}x real time, about {duration / speed / 60:.1f} min" if speed != 1 else
            f"in real time, {duration / 60:.1f} min")
        n = len(self.truth_sets)
        return (f"Simulated back workout (seed {self.seed}): {n} set{'' if n == 1 else 's'}, {self.total_reps} reps - "
                f"{', '.join(names)}.\n{duration / 60:.1f} min of training streamed {pace}. Ctrl-C stops.")


def make_workout(seed: int | None, rest_s: float, sets: int | None, rate_hz: float) -> DemoWorkout:
    """The demo's back workout (simulator plan with a fixed rest), cut to the first ``sets`` sets."""
    import random

    from repcounter.sources.simulator import back_workout_plan, simulate_session

    seed = random.randrange(1_000_000) if seed is None else seed
    plan = back_workout_plan(seed, rest_s=float(rest_s))
    if sets is not None:
        plan = plan[:sets]
    return DemoWorkout(plan, simulate_session(plan, rate_hz, seed), seed)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def compare_to_truth(truth_sets: list[dict[str, Any]], detected: list[Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Pair each simulated set with the detected set(s) overlapping it in time.

    Returns one row per simulated set (``exercise``, ``reps``, ``partial``, ``found`` (detected reps),
    ``found_exercise``, ``sets_found``) and the detected sets that overlap no simulated set.
    """
    rows = []
    used: set[int] = set()
    for t in truth_sets:
        mine = [i for i, d in enumerate(detected)
                if _overlap(t["start"], t["end"], d.start, d.end) > 0 and i not in used]
        used.update(mine)
        rows.append({
            "exercise": t["exercise"], "reps": len(t["reps"]),
            "partial": sum(1 for r in t["reps"] if r["partial"]),
            "found": sum(detected[i].rep_count for i in mine),
            "found_exercise": ", ".join(dict.fromkeys(detected[i].exercise for i in mine)) or "-",
            "found_partial": sum(len(detected[i].partial_reps) for i in mine),
            "sets_found": len(mine),
        })
    extra = [d for i, d in enumerate(detected) if i not in used]
    return rows, extra


def counted_exactly(row: dict[str, Any]) -> bool:
    """A :func:`compare_to_truth` row whose simulated set was found as one set with the true rep count."""
    return row["found"] == row["reps"] and row["sets_found"] == 1


def named_right(row: dict[str, Any]) -> bool:
    """A :func:`compare_to_truth` row whose simulated set was found as one set of the right exercise."""
    return row["sets_found"] == 1 and row["found_exercise"] == row["exercise"]


class SummarySink(Sink):
    """Collect the finished sets and, at the end, print the session summary against the simulator's truth."""

    name = "demo-summary"

    def __init__(self, workout: DemoWorkout, out: TextIO | None = None, saved: bool = True) -> None:
        self.workout = workout
        self.saved = saved
        self.out = out or sys.stdout
        self.sets: list[Any] = []
        self.session_id = ""
        self.matched = False

    async def open(self, session: SessionInfo) -> None:
        self.session_id = session.session_id

    async def handle(self, envelope: EventEnvelope) -> None:
        from repcounter.engine.events import SetEnded

        if isinstance(envelope.event, SetEnded):
            self.sets.append(envelope.event.summary)

    async def close(self) -> None:
        from repcounter.sinks.console import exercise_name

        rows, extra = compare_to_truth(self.workout.truth_sets, self.sets)
        found = sum(s.rep_count for s in self.sets)
        self.matched = not extra and all(counted_exactly(r) for r in rows)
        w = self.out.write
        w("\nSession summary (simulated -> counted)\n")
        w(f"  {'set':>3}  {'exercise':<17} {'reps':>4} {'counted':>7}  {'partial':>7}  recognised as\n")
        for i, r in enumerate(rows, start=1):
            ok = "ok" if counted_exactly(r) else "MISS"
            w(f"  {i:>3}  {exercise_name(r['exercise']):<17} {r['reps']:>4} {r['found']:>7}  "
              f"{r['partial']:>3}/{r['found_partial']:<3}  {exercise_name(r['found_exercise']) if r['sets_found'] else '-'}"
              f"  {ok}\n")
        for d in extra:
            w(f"  {'+':>3}  {'(no set)':<17} {0:>4} {d.rep_count:>7}  {'':>7}  {exercise_name(d.exercise)}  EXTRA\n")
        right_ex = sum(1 for r in rows if named_right(r))
        exact = sum(1 for r in rows if counted_exactly(r))
        w(f"  Total: {found} reps counted of {self.workout.total_reps} simulated in {len(self.sets)} sets "
          f"({len(rows)} simulated); exact count in {exact}/{len(rows)} sets, exercise right in "
          f"{right_ex}/{len(rows)}.\n")
        w("  Counts equal the simulator's truth.\n" if self.matched else "  Counts differ from the simulator's truth.\n")
        if self.session_id and self.saved:
            w(f"  Saved as session {self.session_id}: `repcounter history show last`\n")
        self.out.flush()


def run(args: argparse.Namespace) -> int:
    import asyncio

    from repcounter.errors import UserError
    from repcounter.pipeline import Pipeline
    from repcounter.sinks.options import build_sinks
    from repcounter.sources.simulator import SimulatorSource

    if args.speed < 0:
        raise UserError("--speed must be 0 (as fast as possible) or positive")
    if not 0 <= args.rest <= 600:
        raise UserError("--rest must be 0-600 s")
    if args.sets is not None and args.sets < 1:
        raise UserError("--sets must be 1 or more")
    if not 10 <= args.rate <= 400:
        raise UserError("--rate must be 10-400 Hz")
    if args.no_http:
        args.http = None
    else:
        if args.http == DEFAULT_HTTP and not _port_free(DEFAULT_HTTP):
            # the default port is taken (another demo?): take a free one rather than fail
            print(f"note: {DEFAULT_HTTP} is in use; serving the dashboard on a free port instead", file=sys.stderr)
            args.http = "127.0.0.1:0"
        if not getattr(args, "http_stay", False):
            # interactive runs keep the dashboard up for the history pages; scripts and tests exit at the end
            args.http_stay = sys.stdin.isatty() and sys.stdout.isatty()

    workout = make_workout(args.seed, args.rest, args.sets, args.rate)
    try:
        sinks = build_sinks(args)
    except ModuleNotFoundError as exc:
        if not args.http or not (exc.name or "").startswith("repcounter.web"):
            raise
        print(f"warning: the web dashboard is not available ({exc}); running without it", file=sys.stderr)
        args.http = None
        sinks = build_sinks(args)
    # the web sink first (least delay to the live page; closed last, so it may stay up afterwards),
    # the summary last (closed first: it prints before the dashboard's "stays up" note)
    text_out = sys.stderr if args.events_json else sys.stdout  # keep stdout pure JSON lines
    summary = SummarySink(workout, out=text_out, saved=any(s.name == "store" for s in sinks))
    sinks = [s for s in sinks if s.name == "web"] + [s for s in sinks if s.name != "web"] + [summary]
    session = SessionInfo.new("demo", "auto")
    source = SimulatorSource(sensor_id=args.sensor_id, speed=args.speed, session=workout.session)
    print(workout.intro(args.speed), file=text_out, flush=True)
    asyncio.run(Pipeline(source, sinks, exercise="auto", session=session).run())
    return 0
