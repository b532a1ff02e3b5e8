"""End to end with the real commands: ``repcounter replay --mqtt`` -> mosquitto -> ``repcounter bridge`` -> influxd.

The counts stored in InfluxDB must equal what ``analyze`` finds in the same recording.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from repcounter.engine.engine import analyze_samples
from repcounter.recording import read_recording
from services import Influxd, Mosquitto, influxd, mosquitto, unique_db, wait_for  # noqa: F401

pytestmark = pytest.mark.services

DATA = Path(__file__).resolve().parent / "data" / "mqtt"
RECORDING = DATA / "assisted_pullup_r5.csv"


def repcounter(*args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "repcounter", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def start_bridge_cli(broker: Mosquitto, influx: Influxd, db: str, *extra: str) -> subprocess.Popen:
    proc = repcounter("bridge", "--mqtt", broker.url, "--influx-url", influx.url, "--influx-db", db,
                      "--share-group", f"e2e-{db}", "--client-id", f"e2e-{db}", *extra)
    line = proc.stdout.readline()
    assert line.startswith("bridge:"), line + proc.stderr.read()
    return proc


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    return out + err


def expected_counts() -> tuple[int, list[int]]:
    analysis = analyze_samples(read_recording(RECORDING).samples, "auto")
    return analysis.total_reps, [s.summary.rep_count if hasattr(s, "summary") else s.rep_count for s in analysis.sets]


def test_replayed_session_end_to_end_matches_analyze(mosquitto: Mosquitto, influxd: Influxd) -> None:
    total, per_set = expected_counts()
    db = unique_db("e2e")
    influxd.create_database(db)
    bridge = start_bridge_cli(mosquitto, influxd, db)
    try:
        replay = repcounter("replay", str(RECORDING), "--speed", "0", "--mqtt", mosquitto.url, "--quiet", "--no-store",
                            "--sensor-id", "left-wrist")
        out, err = replay.communicate(timeout=120)
        assert replay.returncode == 0, err
        wait_for(lambda: influxd.count("sensor_status", "state", db) >= 2, 30, what="status points")
        wait_for(lambda: influxd.count("sets", "rep_count", db) == len(per_set)
                 and influxd.count("reps", "rep_index", db) == total, 30,
                 what=f"{total} reps in {len(per_set)} sets")
        if total:  # the live state at the end shows the last set (its message follows the set message)
            def last_live() -> tuple:
                rows = influxd.rows('SELECT * FROM live ORDER BY time DESC LIMIT 1', db)
                return (rows[0]["in_set"], rows[0]["rep_count"], rows[0]["set_index"]) if rows else ()

            wait_for(lambda: last_live() == (False, per_set[-1], len(per_set)), 30, what="the final live state")
    finally:
        log = stop(bridge)
    assert "bridge stopped" in log
    sets = influxd.rows('SELECT rep_count FROM sets ORDER BY time', db)
    assert [s["rep_count"] for s in sets] == per_set
    reps = influxd.rows('SELECT rep_index, set_index FROM reps ORDER BY time', db)
    assert len(reps) == total == sum(per_set)
    last_status = influxd.rows('SELECT LAST(state) FROM sensor_status', db)[0]
    assert last_status["last"] == "offline"


def test_bridge_command_bad_options_one_line(mosquitto: Mosquitto) -> None:
    for args, needle in ((["--influx-url", "http://127.0.0.1:1"], "--influx-token"),
                         (["--influx-url", "ftp://x", "--influx-db", "d"], "--influx-url"),
                         (["--influx-url", "http://127.0.0.1:1", "--influx-db", "d", "--mqtt-ca", "/nonexistent"], "")):
        proc = repcounter("bridge", "--mqtt", mosquitto.url, *args)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 2, err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in err, err
        assert needle in lines[0]
