"""Validated message payloads -> InfluxDB line protocol (microsecond timestamps).

Measurements (see docs/influxdb.md): ``reps``, ``sets``, ``live``, ``sensor_status``. A point's series and
timestamp depend only on the message content, so a redelivered message overwrites its own point.
"""

from __future__ import annotations

from typing import Any

PRECISION = "us"
"""Timestamp precision of the lines (InfluxDB ``precision=u`` / ``us``)."""

REP_FLOATS = ("concentric_s", "pause_top_s", "eccentric_s", "pause_bottom_s", "duration_s", "rom_deg",
              "peak_speed_dps", "confidence")
SET_FLOATS = ("time_under_tension_s", "mean_concentric_s", "mean_pause_top_s", "mean_eccentric_s",
              "mean_pause_bottom_s", "slowdown_pct", "mean_rom_deg", "duration_s")
LIVE_TEMPO = ("concentric_s", "eccentric_s", "pause_top_s", "pause_bottom_s")


_TAG_SPECIAL = frozenset("\\,= \n")


def _tag(value: str) -> str:
    s = str(value) or "_"
    if _TAG_SPECIAL.isdisjoint(s):
        return s
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ").replace("\n", "\\n")


def _str(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _field(value: Any, kind: str) -> str | None:
    if value is None:
        return None
    if kind == "f":
        if value.__class__ is int or value.__class__ is float:
            v = float(value)
            return repr(v) if v == v and v not in (_INF, _NINF) else None
        return None if value is True or value is False else _field(float(value), "f")
    if kind == "i":
        return f"{int(value)}i"
    if kind == "b":
        return "true" if value else "false"
    return _str(value)


_INF = float("inf")
_NINF = float("-inf")


def wall_us(t: float) -> int:
    """Unix s -> integer microseconds (deterministic for the same float)."""
    return int(round(float(t) * 1_000_000))


def line(measurement: str, tags: dict[str, str], fields: list[tuple[str, Any, str]], t: float) -> str | None:
    """One line-protocol line; ``fields`` are (name, value, kind f|i|b|s); None values are left out."""
    parts = []
    for k, v, kind in fields:
        if v is not None:
            f = _field(v, kind)
            if f is not None:
                parts.append(f"{k}={f}")
    if not parts:
        return None
    tag_s = "".join(f",{k}={_tag(v)}" for k, v in sorted(tags.items()))
    return f"{measurement}{tag_s} {','.join(parts)} {wall_us(t)}"


def _float_text(v: Any) -> str | None:
    """Text of a float field (None for null, NaN, inf, booleans): the hot path of :func:`_field` for kind f."""
    if v.__class__ is float:
        return repr(v) if v - v == 0.0 else None
    return _field(v, "f")


def rep_lines(p: dict[str, Any]) -> list[str]:
    """``reps`` point of a ``rep`` message (time = rep start as announced).

    Both stages of a rep write the same series and timestamp, so InfluxDB merges them into one point: the
    announced message writes the pull, the completed one adds the later phases, ``stage="completed"`` and
    ``completed=true`` (a field only ever written true, so it survives a late redelivery of the announcement).
    Formatted directly (the bridge's hottest path); the same text :func:`line` would build.
    """
    stage = p.get("stage") or "completed"
    parts = [f"set_index={int(p['set_index'])}i", f"rep_index={int(p['rep_index'])}i"]
    for k in REP_FLOATS:
        v = p.get(k)
        if v is not None:
            f = _float_text(v)
            if f is not None:
                parts.append(f"{k}={f}")
    parts.append("partial=true" if p.get("partial") else "partial=false")
    parts.append(f"stage={_str(stage)}")
    if stage == "completed":
        parts.append("completed=true")
    return [f"reps,exercise={_tag(p['exercise'])},sensor={_tag(p['sensor'])},session={_tag(p['session'])} "
            f"{','.join(parts)} {wall_us(p['time'])}"]


def rep_lines_generic(p: dict[str, Any]) -> list[str]:
    """:func:`rep_lines` through the generic :func:`line` (reference for tests)."""
    stage = p.get("stage") or "completed"
    fields = [("set_index", p["set_index"], "i"), ("rep_index", p["rep_index"], "i")]
    fields += [(k, p.get(k), "f") for k in REP_FLOATS] + [("partial", bool(p.get("partial")), "b")]
    fields += [("stage", stage, "s")] + ([("completed", True, "b")] if stage == "completed" else [])
    ln = line("reps", {"sensor": p["sensor"], "exercise": p["exercise"], "session": p["session"]}, fields, p["time"])
    return [ln] if ln else []


def set_lines(p: dict[str, Any]) -> list[str]:
    """``sets`` point of a ``set`` message (time = set start)."""
    fields = [("set_index", p["set_index"], "i"), ("rep_count", p["rep_count"], "i"),
              ("partial_reps", len(p.get("partial_reps") or []), "i")]
    fields += [(k, p.get(k), "f") for k in SET_FLOATS] + [("tempo", p.get("tempo"), "s")]
    ln = line("sets", {"sensor": p["sensor"], "exercise": p["exercise"], "session": p["session"]}, fields, p["time"])
    return [ln] if ln else []


def live_lines(p: dict[str, Any]) -> list[str]:
    """``live`` point of a ``live`` message (time = the event's wall-clock time)."""
    last = p.get("last_rep") or {}
    fields = [("exercise", p["exercise"], "s"), ("set_index", p["set_index"], "i"), ("rep_count", p["rep_count"], "i"),
              ("in_set", bool(p["in_set"]), "b")]
    fields += [(f"last_{k}", last.get(k), "f") for k in LIVE_TEMPO] + [("session", p["session"], "s")]
    ln = line("live", {"sensor": p["sensor"]}, fields, p["time"])
    return [ln] if ln else []


def status_lines(p: dict[str, Any]) -> list[str]:
    """``sensor_status`` point of a sensor ``status`` message."""
    fields = [("state", p["state"], "s"), ("dropped_packets", p.get("dropped_packets"), "i"),
              ("bad_packets", p.get("bad_packets"), "i"), ("battery_pct", p.get("battery_pct"), "i")]
    ln = line("sensor_status", {"sensor": p["sensor"]}, fields, p["time"])
    return [ln] if ln else []


def offline_lines(sensors: list[str], t: float) -> list[str]:
    """``sensor_status`` ``offline`` points for the sensors of a gateway that went offline."""
    return [ln for s in sensors if (ln := line("sensor_status", {"sensor": s}, [("state", "offline", "s")], t))]


BUILDERS = {"rep": rep_lines, "set": set_lines, "live": live_lines, "status": status_lines}
