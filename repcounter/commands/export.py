"""``repcounter export SESSION --format csv|json``: a stored session's sets and reps."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a stored session as CSV or JSON",
                       description="Export a session from the local history: JSON (sets with reps) or CSV "
                                   "(one row per rep).")
    p.add_argument("session", help="session id, unique prefix, or last")
    p.add_argument("--format", choices=["csv", "json"], default="json", help="output format (default json)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--store", metavar="PATH", help="history database (default: the data directory's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from repcounter.commands.history import open_store
    from repcounter.errors import UserError
    from repcounter.history.export import session_csv, session_json

    with open_store(args.store) as store:
        data = store.session(store.resolve(args.session))
    assert data is not None
    text = session_csv(data) if args.format == "csv" else session_json(data)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror or exc})") from None
    print(f"Wrote {out}: session {data['session_id']}, {data['set_count']} sets, {data['rep_count']} reps",
          file=sys.stderr)
    return 0
