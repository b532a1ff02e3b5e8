"""``repcounter history``: sessions, one session's sets and reps, or a trend figure."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history", help="review past sessions (sets, reps, tempo, trends)",
        description="Review the local history. `history` lists sessions, `history show SESSION` (an id, a unique "
                    "prefix or `last`) shows its sets and reps, `history --plot OUT.png` draws trends.")
    p.add_argument("action", nargs="?", choices=["show"], help="show one session")
    p.add_argument("session", nargs="?", help="session id, unique prefix, or last")
    p.add_argument("--store", metavar="PATH", help="history database (default: the data directory's)")
    p.add_argument("--limit", type=int, default=30, help="sessions to list (default 30)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument("--plot", metavar="OUT.png", help="draw per-exercise trends into a PNG")
    p.add_argument("--exercise", help="only this exercise (for --plot)")
    p.add_argument("--days", type=int, default=90, help="trend period in days (default 90)")
    p.set_defaults(func=run)


def _s(v: float | None, unit: str = "s", fmt: str = "{:.1f}") -> str:
    return "-" if v is None else fmt.format(v) + unit


def _when(ts: float | None) -> str:
    import datetime as dt

    return "-" if ts is None else dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _duration(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m{s:02d}"


def print_sessions(rows: list[dict[str, Any]]) -> None:
    """The sessions table, newest first."""
    from repcounter.sinks.console import exercise_name

    if not rows:
        print("No sessions yet. Try `repcounter demo`, or `repcounter import FILE.csv`.")
        return
    print(f"{'SESSION':<22} {'STARTED':<16} {'LENGTH':>6} {'SETS':>4} {'REPS':>4}  {'STATUS':<11} EXERCISES")
    for r in rows:
        names = ", ".join(exercise_name(e) for e in r["exercises"]) or "-"
        print(f"{r['session_id']:<22} {_when(r['started_at']):<16} {_duration(r['duration_s']):>6} "
              f"{r['set_count']:>4} {r['rep_count']:>4}  {r['status']:<11} {names}")


def print_session(s: dict[str, Any]) -> None:
    """A session's sets with their reps and tempo."""
    from repcounter.sinks.console import exercise_name

    sensors = ", ".join(s["sensor_ids"]) or "-"
    print(f"Session {s['session_id']}  {_when(s['started_at'])}  {_duration(s['duration_s'])}  "
          f"{s['status']}  source: {s['source']}  sensor(s): {sensors}")
    if s.get("recording_path") or s.get("recordings"):
        for sensor, path in (s.get("recordings") or {"": s["recording_path"]}).items():
            print(f"  raw recording{' ' + sensor if sensor else ''}: {path}")
    print(f"  {s['set_count']} sets, {s['rep_count']} reps")
    for st in s["sets"]:
        flag = "" if st["status"] == "done" else f"  [{st['status'].upper()}]"
        partial = f", partial: {', '.join(map(str, st['partial_reps']))}" if st["partial_reps"] else ""
        print()
        print(f"Set {st['set_index']} ({st['sensor_id']}) {_when(st['start_at'])}: {st['rep_count']} rep{'' if st['rep_count'] == 1 else 's'} of "
              f"{exercise_name(st['exercise'])}{flag}")
        print(f"  tempo {st['tempo'] or '-'}, {_s(st['time_under_tension_s'], 's', '{:.0f}')} under tension, "
              f"slowed {_s(st['slowdown_pct'], '%', '{:+.0f}')}, ROM {_s(st['mean_rom_deg'], ' deg', '{:.0f}')}"
              f"{partial}")
        if st["reps"]:
            print(f"  {'rep':>3}  {'pull':>6} {'top':>6} {'lower':>6} {'bottom':>6} {'ROM':>7} {'conf':>5}")
        for r in st["reps"]:
            mark = " partial" if r["partial"] else ("" if r["completed"] else " (tempo incomplete)")
            print(f"  {r['index']:>3}  {_s(r['concentric_s']):>6} {_s(r['pause_top_s']):>6} "
                  f"{_s(r['eccentric_s']):>6} {_s(r['pause_bottom_s']):>6} "
                  f"{_s(r['rom_deg'], ' deg', '{:.0f}'):>7} {_s(r['confidence'], '', '{:.2f}'):>5}{mark}")


def open_store(path: str | None):  # type: ignore[no-untyped-def]
    """The history at ``path`` (or the default); a missing file is an empty history, not an error."""
    from repcounter.history.db import HistoryStore
    from repcounter.paths import default_store_path

    return HistoryStore(path or default_store_path())


def run(args: argparse.Namespace) -> int:
    import json

    from repcounter.errors import UserError

    if args.action == "show" and not args.session:
        raise UserError("history show needs a session id (or a unique prefix, or `last`)")
    if args.action is None and args.session:
        raise UserError(f"unexpected {args.session!r}; did you mean `repcounter history show {args.session}`?")
    exercise = None
    if args.exercise:
        from repcounter.commands.common import check_exercise

        exercise = check_exercise(args.exercise)
        if exercise == "auto":
            exercise = None
    with open_store(args.store) as store:
        if args.plot:
            from repcounter.history.plot import plot_trends
            from repcounter.sinks.console import exercise_name

            rows = store.trends(exercise, args.days)
            title = f"{exercise_name(exercise) if exercise else 'All exercises'}: last {args.days} days"
            out = plot_trends(rows, args.plot, title)
            print(f"Wrote {out} ({len(rows)} sets)")
            return 0
        if args.action == "show":
            data = store.session(store.resolve(args.session))
            assert data is not None
            if args.json:
                print(json.dumps(data, indent=2))
            else:
                print_session(data)
            return 0
        rows = store.sessions(args.limit)
        if args.json:
            print(json.dumps(rows, indent=2))
        else:
            print_sessions(rows)
    return 0
