"""The bridge's health file: written by ``repcounter bridge --health-file``, judged by ``repcounter bridge-health``.

The file is JSON (see :meth:`repcounter.bridge.service.Bridge.health`), replaced atomically every few seconds.
Healthy = the file is fresh (the bridge process is alive and its loop runs), the writer thread is alive and
MQTT is connected. InfluxDB failing is reported but is not unhealthy: the bridge holds the messages (unacked
at the broker) and catches up by itself when InfluxDB returns, so restarting the bridge would not help.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def write_health_file(path: str | Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` atomically (a temporary file in the same directory, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    os.replace(tmp, path)


def _ago(ts: float | None, now: float) -> str:
    return "?" if ts is None else f"{max(0.0, now - ts):.0f} s"


def judge(data: dict[str, Any], max_age_s: float, now: float | None = None) -> tuple[bool, str]:
    """(healthy, one line saying why) for the contents of a health file."""
    now = time.time() if now is None else now
    age = now - float(data["time"])
    held = data.get("held", 0)
    influx = data.get("influxdb") or {}
    if age > max_age_s:
        return False, f"stale: health file last written {age:.0f} s ago (> {max_age_s:g} s): bridge hung or dead"
    if not data.get("writer_alive", True):
        return False, "the bridge's writer thread has died"
    mqtt = data.get("mqtt") or {}
    if not mqtt.get("connected"):
        return False, (f"MQTT disconnected from {mqtt.get('broker', 'the broker')} for "
                       f"{_ago(mqtt.get('disconnected_since'), now)}")
    line = f"ok: MQTT connected, {held} message(s) held, {data.get('stored', 0)} stored, " \
           f"{data.get('dead_lettered', 0)} dead-lettered"
    if not influx.get("ok", True):
        line += (f"; InfluxDB failing for {_ago(influx.get('failing_since'), now)} ({influx.get('last_error')}), "
                 "holding messages until it returns")
    return True, line


def check_file(path: str | Path, max_age_s: float) -> tuple[bool, str]:
    """:func:`judge` for a file; a missing or unreadable file is unhealthy."""
    try:
        data = json.loads(Path(path).read_text())
        return judge(data, max_age_s)
    except FileNotFoundError:
        return False, f"no health file {path}: bridge not started (or started without --health-file)"
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return False, f"unreadable health file {path}: {exc}"
