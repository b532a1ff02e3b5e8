"""Export a stored session as JSON (the ``HistoryStore.session`` dict) or CSV (one row per rep)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from typing import Any

CSV_COLUMNS: tuple[str, ...] = (
    "session_id", "sensor_id", "set_index", "exercise", "set_status", "set_tempo", "set_time_under_tension_s",
    "set_slowdown_pct", "rep_index", "start_time", "start_at", "end_at", "concentric_s", "pause_top_s",
    "eccentric_s", "pause_bottom_s", "rom_deg", "peak_speed_dps", "confidence", "partial", "completed",
)
"""CSV header: set fields repeated on each rep row; times are Unix s plus an ISO local ``start_time``."""


def iso(ts: float | None) -> str:
    """Local ISO time to the second ('' for None)."""
    return "" if ts is None else _dt.datetime.fromtimestamp(ts).isoformat(timespec="seconds")


def session_json(session: dict[str, Any]) -> str:
    """Pretty JSON of a session dict (NaN never occurs: missing values are null)."""
    return json.dumps(session, indent=2, sort_keys=False) + "\n"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return value


def session_csv(session: dict[str, Any]) -> str:
    """One CSV row per rep (a set without reps gets one row with empty rep fields)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in session.get("sets", []):
        set_part = [session["session_id"], s["sensor_id"], s["set_index"], s["exercise"], s["status"],
                    s.get("tempo"), s.get("time_under_tension_s"), s.get("slowdown_pct")]
        reps = s.get("reps") or [None]
        for r in reps:
            if r is None:
                rep_part: list[Any] = [None] * (len(CSV_COLUMNS) - len(set_part))
            else:
                rep_part = [r["index"], iso(r["start_at"]), r["start_at"], r["end_at"], r["concentric_s"],
                            r["pause_top_s"], r["eccentric_s"], r["pause_bottom_s"], r["rom_deg"],
                            r["peak_speed_dps"], r["confidence"], r["partial"], r["completed"]]
            writer.writerow([_cell(v) for v in set_part + rep_part])
    return buf.getvalue()
