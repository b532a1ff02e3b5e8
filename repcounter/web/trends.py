"""Weekly trend figures from the history store's per-set rows (pure functions, no I/O)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable


def _f(value: Any) -> float | None:
    """A finite float or None."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _mean(values: Iterable[float | None]) -> float | None:
    xs = [v for v in values if v is not None]
    return round(sum(xs) / len(xs), 3) if xs else None


def row_day(row: dict[str, Any]) -> dt.date | None:
    """The calendar day of a set row: its ``date`` (YYYY-MM-DD...) or else local date of ``started_at``."""
    text = row.get("date")
    if isinstance(text, str) and len(text) >= 10:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    started = _f(row.get("started_at"))
    return dt.datetime.fromtimestamp(started).date() if started is not None else None


def weekly(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group set rows by week (Monday start) into per-week figures, oldest first.

    Each week: ``week`` (ISO date of its Monday), ``sets``, ``sessions``, ``reps`` (total), ``reps_per_set``,
    ``tut_s`` (total time under tension, s), ``tut_per_set_s``, ``concentric_s`` / ``eccentric_s`` (mean of set
    means, s), ``slowdown_pct`` (mean), ``partial_reps`` (total) and ``rom_deg`` (mean).
    """
    weeks: dict[dt.date, list[dict[str, Any]]] = {}
    for row in rows:
        day = row_day(row)
        if day is None:
            continue
        weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(row)
    out = []
    for monday in sorted(weeks):
        group = weeks[monday]
        reps = sum(int(r.get("rep_count") or 0) for r in group)
        tut = sum(_f(r.get("time_under_tension_s")) or 0.0 for r in group)
        out.append({
            "week": monday.isoformat(), "sets": len(group),
            "sessions": len({r.get("session_id") for r in group}),
            "reps": reps, "reps_per_set": round(reps / len(group), 2),
            "tut_s": round(tut, 1), "tut_per_set_s": round(tut / len(group), 1),
            "concentric_s": _mean(_f(r.get("mean_concentric_s")) for r in group),
            "eccentric_s": _mean(_f(r.get("mean_eccentric_s")) for r in group),
            "slowdown_pct": _mean(_f(r.get("slowdown_pct")) for r in group),
            "partial_reps": sum(int(r.get("partial_count") or 0) for r in group),
            "rom_deg": _mean(_f(r.get("mean_rom_deg")) for r in group),
        })
    return out
