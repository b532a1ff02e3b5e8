"""MQTT topics and JSON payloads (schema version 1) built from engine events, and their validation.

Topics, for a ``prefix`` (default ``repcounter``) and a sensor id:

    <prefix>/<sensor>/status          retained, QoS 1   sensor connection state
    <prefix>/<sensor>/live            retained, QoS 1   exercise, set number, rep count, last rep's tempo
    <prefix>/<sensor>/rep             QoS 1             a rep at its pull's end and again complete (same id)
    <prefix>/<sensor>/set             QoS 1             one set summary (id session/sensor/set)
    <prefix>/<sensor>/raw             QoS 0, optional   raw samples (off by default)
    <prefix>/gateway/<gateway>/status retained, QoS 1   gateway online/offline (offline is the last will)

Every payload is a JSON object with ``schema`` (``repcounter.<kind>``) and ``v`` (1); the JSON schemas are
``repcounter/schemas/<kind>.v1.json``. Times named ``time``/``end_time``/``emitted_at`` are wall-clock Unix s;
``t_*`` are signal times in s.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.sinks.base import EventEnvelope
from repcounter.sources.base import SensorStatus

SCHEMA_VERSION = 1
KINDS: tuple[str, ...] = ("rep", "set", "live", "status", "gateway")
"""Message kinds that have a schema."""

SENSOR_KINDS: tuple[str, ...] = ("status", "live", "rep", "set", "raw")
"""Topic suffixes under ``<prefix>/<sensor>/``."""


@dataclass(frozen=True)
class OutMessage:
    """One MQTT message to publish."""

    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = False


def topic_safe(name: str) -> str:
    """A sensor or gateway id usable as one topic level (no ``/``, ``+``, ``#``, not empty)."""
    clean = "".join("_" if c in "/+#\x00" else c for c in name).strip()
    return clean or "_"


def sensor_topic(prefix: str, sensor: str, kind: str) -> str:
    """``<prefix>/<sensor>/<kind>``."""
    return f"{prefix}/{topic_safe(sensor)}/{kind}"


def gateway_topic(prefix: str, gateway: str) -> str:
    """``<prefix>/gateway/<gateway>/status``."""
    return f"{prefix}/gateway/{topic_safe(gateway)}/status"


def kind_of_topic(prefix: str, topic: str) -> str | None:
    """The message kind a topic carries (``rep``, ``set``, ``live``, ``status``, ``gateway``, ``raw``) or None."""
    if not topic.startswith(prefix + "/"):
        return None
    levels = topic[len(prefix) + 1:].split("/")
    if len(levels) == 3 and levels[0] == "gateway" and levels[2] == "status":
        return "gateway"
    if len(levels) == 2 and levels[1] in SENSOR_KINDS:
        return levels[1]
    return None


def _num(x: float | None) -> float | None:
    """A JSON-safe float (None for NaN/inf)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def encode(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()


def _head(kind: str, env: EventEnvelope, gateway: str) -> dict[str, Any]:
    return {"schema": f"repcounter.{kind}", "v": SCHEMA_VERSION, "sensor": env.sensor_id, "session": env.session_id,
            "gateway": gateway, "seq": env.seq, "emitted_at": env.emitted_at}


def rep_id(session: str, sensor: str, set_index: int, rep_index: int) -> str:
    """Stable id of a rep: the same rep always gets the same id, so redelivery is harmless."""
    return f"{session}/{sensor}/{set_index}/{rep_index}"


def set_id(session: str, sensor: str, set_index: int) -> str:
    """Stable id of a set."""
    return f"{session}/{sensor}/{set_index}"


def rep_message(env: EventEnvelope, gateway: str, key_start: float | None = None) -> dict[str, Any]:
    """The ``rep`` payload of a :class:`RepAnnounced` (``stage`` ``announced``) or :class:`RepCompleted` envelope.

    An announced rep carries the pull only: ``pause_top_s``, ``eccentric_s``, ``pause_bottom_s`` and
    ``duration_s`` are null and ``end_time`` is the pull's end. ``time`` is the rep start on the wall clock as
    first announced (``key_start``, signal s, when given): the engine may refine ``t_start`` by some ms at
    completion, and both messages of one rep must land on the same InfluxDB point.
    """
    ev = env.event
    assert isinstance(ev, (RepAnnounced, RepCompleted))
    r = ev.rep
    done = isinstance(ev, RepCompleted)
    d = _head("rep", env, gateway)
    d.update(id=rep_id(env.session_id, env.sensor_id, ev.set_index, r.index), stage="completed" if done else "announced",
             exercise=ev.exercise, set_index=ev.set_index, rep_index=r.index,
             time=env.to_wall(r.start if key_start is None else key_start), end_time=env.to_wall(r.end),
             concentric_end_time=env.to_wall(r.concentric_end),
             t_start=r.start, t_concentric_end=r.concentric_end, t_end=r.end, t_event=ev.t,
             concentric_s=_num(r.concentric_s), pause_top_s=_num(r.pause_top_s) if done else None,
             eccentric_s=_num(r.eccentric_s) if done else None,
             pause_bottom_s=_num(r.pause_bottom_s) if done else None,
             duration_s=_num(r.duration_s) if done else None, rom_deg=_num(r.rom_deg),
             peak_speed_dps=_num(r.peak_speed_dps), confidence=_num(r.confidence), partial=bool(r.partial))
    return d


class RepMessages:
    """``rep`` payloads of a stream of envelopes: one at announcement, one at completion, with the same ``time``."""

    def __init__(self, gateway: str) -> None:
        self.gateway = gateway
        self._starts: dict[tuple[str, int, int], float] = {}

    def message(self, env: EventEnvelope) -> dict[str, Any] | None:
        """The ``rep`` payload for a rep event (None for other events)."""
        ev = env.event
        if isinstance(ev, RepAnnounced):
            self._starts[(env.sensor_id, ev.set_index, ev.rep.index)] = ev.rep.start
            return rep_message(env, self.gateway)
        if isinstance(ev, RepCompleted):
            start = self._starts.pop((env.sensor_id, ev.set_index, ev.rep.index), None)
            return rep_message(env, self.gateway, start)
        if isinstance(ev, SetEnded):
            for key in [k for k in self._starts if k[0] == env.sensor_id and k[1] == ev.summary.set_index]:
                del self._starts[key]
        return None


def set_message(env: EventEnvelope, gateway: str) -> dict[str, Any]:
    """The ``set`` payload of a :class:`SetEnded` envelope."""
    ev = env.event
    assert isinstance(ev, SetEnded)
    s = ev.summary
    d = _head("set", env, gateway)
    d.update(id=set_id(env.session_id, env.sensor_id, s.set_index), exercise=s.exercise,
             exercise_confidence=_num(s.exercise_confidence), set_index=s.set_index, time=env.to_wall(s.start),
             end_time=env.to_wall(s.end), t_start=s.start, t_end=s.end, t_event=ev.t, rep_count=s.rep_count,
             partial_reps=[int(i) for i in s.partial_reps], time_under_tension_s=_num(s.time_under_tension_s),
             tempo=s.tempo, mean_concentric_s=_num(s.mean_concentric_s), mean_pause_top_s=_num(s.mean_pause_top_s),
             mean_eccentric_s=_num(s.mean_eccentric_s), mean_pause_bottom_s=_num(s.mean_pause_bottom_s),
             slowdown_pct=_num(s.slowdown_pct), mean_rom_deg=_num(s.mean_rom_deg), duration_s=_num(s.end - s.start),
             reps=[{"rep_index": r.index, "time": env.to_wall(r.start), "concentric_s": _num(r.concentric_s),
                    "pause_top_s": _num(r.pause_top_s), "eccentric_s": _num(r.eccentric_s),
                    "pause_bottom_s": _num(r.pause_bottom_s), "duration_s": _num(r.duration_s),
                    "rom_deg": _num(r.rom_deg), "partial": bool(r.partial)} for r in s.reps])
    return d


def status_message(status: SensorStatus, session: str, gateway: str) -> dict[str, Any]:
    """The retained ``status`` payload of a sensor status change."""
    return {"schema": "repcounter.status", "v": SCHEMA_VERSION, "sensor": status.sensor_id, "session": session,
            "gateway": gateway, "emitted_at": status.at, "state": status.state, "message": status.message,
            "time": status.at, "dropped_packets": int(status.dropped_packets), "bad_packets": int(status.bad_packets),
            "battery_pct": None if status.battery_pct is None else int(status.battery_pct)}


def gateway_message(gateway: str, session: str, state: str, at: float,
                    sensors: list[str] | None = None) -> dict[str, Any]:
    """The retained gateway ``status`` payload (``offline`` is also the MQTT last will)."""
    return {"schema": "repcounter.gateway", "v": SCHEMA_VERSION, "gateway": gateway, "session": session,
            "state": state, "time": at, "sensors": list(sensors or [])}


class LiveTracker:
    """Per-sensor live state (exercise, set number, rep count, last rep's tempo) from a stream of envelopes."""

    def __init__(self, gateway: str) -> None:
        self.gateway = gateway
        self.state: dict[str, dict[str, Any]] = {}

    def update(self, env: EventEnvelope) -> dict[str, Any] | None:
        """Apply an event; returns the new ``live`` payload (every event kind changes it)."""
        ev = env.event
        st = self.state.setdefault(env.sensor_id, {"exercise": "unknown", "in_set": False, "set_index": 0,
                                                   "rep_count": 0, "last_rep": None})
        if isinstance(ev, SetStarted):
            st.update(exercise=ev.exercise, in_set=True, set_index=ev.set_index, rep_count=0, last_rep=None)
        elif isinstance(ev, (RepAnnounced, RepCompleted)):
            r = ev.rep
            st.update(exercise=ev.exercise, in_set=True, set_index=ev.set_index,
                      rep_count=max(st["rep_count"] if st["set_index"] == ev.set_index else 0, r.index),
                      last_rep={"rep_index": r.index, "concentric_s": _num(r.concentric_s),
                                "pause_top_s": _num(r.pause_top_s), "eccentric_s": _num(r.eccentric_s),
                                "pause_bottom_s": _num(r.pause_bottom_s),
                                "concentric_end_time": env.to_wall(r.concentric_end)})
        elif isinstance(ev, SetEnded):
            s = ev.summary
            last = s.reps[-1] if s.reps else None
            st.update(exercise=s.exercise, in_set=False, set_index=s.set_index, rep_count=s.rep_count,
                      last_rep=None if last is None else {
                          "rep_index": last.index, "concentric_s": _num(last.concentric_s),
                          "pause_top_s": _num(last.pause_top_s), "eccentric_s": _num(last.eccentric_s),
                          "pause_bottom_s": _num(last.pause_bottom_s)})
        else:
            return None
        d = _head("live", env, self.gateway)
        d.update(time=env.to_wall(ev.t), event=ev.kind, **st)
        d["last_rep"] = dict(st["last_rep"]) if st["last_rep"] else None
        return d


# ------------------------------------------------------------------------------------------ validation

@lru_cache(maxsize=None)
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON schema of a message kind (version 1)."""
    text = resources.files("repcounter.schemas").joinpath(f"{kind}.v{SCHEMA_VERSION}.json").read_text()
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(kind: str) -> Any:
    """The reference validator (jsonschema): used to name the failing field."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(kind))


@lru_cache(maxsize=None)
def _fast_check(kind: str) -> Any:
    """The same schema compiled to Python code (fastjsonschema): ~10x faster on the bridge's hot path."""
    import fastjsonschema

    schema = {k: v for k, v in load_schema(kind).items() if k != "$schema"}  # only draft-7 keywords are used
    return fastjsonschema.compile(schema)


class MessageError(ValueError):
    """A payload that is not valid JSON or does not match its schema (the text says which field)."""


try:  # C JSON parser: ~4x faster than json.loads on the bridge's hot path; same objects for valid JSON
    from orjson import loads as _loads  # (also rejects NaN/Infinity, which no repcounter message contains)
except ImportError:  # pragma: no cover - optional speed-up
    _loads = json.loads


def decode(kind: str, raw: bytes) -> dict[str, Any]:
    """Parse and validate a payload of ``kind``; raise :class:`MessageError` naming the problem."""
    if kind not in KINDS:
        raise MessageError(f"unknown message kind {kind!r}")
    try:
        payload = _loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MessageError(f"not JSON: {exc}") from None
    validate(kind, payload)
    return payload


def validate(kind: str, payload: Any) -> None:
    """Raise :class:`MessageError` if ``payload`` does not match the ``kind`` schema."""
    import fastjsonschema

    try:
        _fast_check(kind)(payload)
        return
    except fastjsonschema.JsonSchemaException as exc:
        fast_error = str(exc)
    if isinstance(payload, dict) and "v" in payload and payload["v"] != SCHEMA_VERSION:
        raise MessageError(f"unsupported schema version v={payload['v']!r} (this bridge reads v{SCHEMA_VERSION})")
    error = next(iter(_validator(kind).iter_errors(payload)), None)
    if error is None:  # the two validators disagree: trust the stricter one
        raise MessageError(fast_error)
    where = "/".join(str(p) for p in error.absolute_path) or "(message)"
    raise MessageError(f"field {where}: {error.message}")
