"""`repcounter bridge --health-file` and `repcounter bridge-health`, against a real mosquitto and influxd.

The bridge runs as its own process (as in the container); the broker is stopped and restarted, influxd is
stopped and restarted, and finally the bridge is killed: bridge-health must follow each change.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mqtt_harness import envelope_messages, publish, session_envelopes
from repcounter.bridge.health import judge, write_health_file
from services import Influxd, Mosquitto, fresh_influxd, fresh_mosquitto, unique_db, wait_for  # noqa: F401

REPO = Path(__file__).resolve().parent.parent


def bridge_health(path: Path, max_age: float = 3.0) -> tuple[int, str]:
    r = subprocess.run([sys.executable, "-m", "repcounter", "bridge-health", str(path), "--max-age", str(max_age)],
                       capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.stdout.count("\n") == 1 and not r.stderr, (r.stdout, r.stderr)
    return r.returncode, r.stdout.strip()


def until_health(path: Path, code: int, contains: str = "", timeout: float = 30.0) -> str:
    """Poll bridge-health until it exits ``code`` with ``contains`` in its line; returns the line."""
    last: list[tuple[int, str]] = []

    def check() -> bool:
        last[:] = [bridge_health(path)]
        return last[0][0] == code and contains in last[0][1]

    try:
        wait_for(check, timeout, interval=0.3, what=f"bridge-health exit {code} with {contains!r}")
    except TimeoutError as exc:
        raise AssertionError(f"{exc}; last: {last}") from None
    print("bridge-health:", last[0])
    return last[0][1]


@pytest.mark.services
def test_health_file_follows_broker_influxdb_and_bridge(fresh_mosquitto: Mosquitto, fresh_influxd: Influxd,
                                                        tmp_path: Path) -> None:
    broker, influx = fresh_mosquitto, fresh_influxd
    db = unique_db("health")
    influx.create_database(db)
    health = tmp_path / "bridge-health.json"
    health.write_text('{"time": 9e99, "mqtt": {"connected": true}}')  # a previous run's file must not count
    log = tmp_path / "bridge.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "repcounter", "bridge", "--mqtt", broker.url,
                                 "--influx-url", influx.url, "--influx-db", db, "--client-id", f"health-{os.getpid()}",
                                 "--share-group", "health", "--health-file", str(health), "--health-interval", "0.5"],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    msgs = envelope_messages(session_envelopes([3, 3], sensor="health"))
    try:
        wait_for(lambda: json.loads(health.read_text()).get("pid") == proc.pid, 30, what="the bridge's own health file")
        line = until_health(health, 0, "MQTT connected")
        assert "InfluxDB" not in line
        publish(broker.port, msgs[: len(msgs) // 2])
        wait_for(lambda: influx.count("reps", "rep_index", db) >= 1, 30, what="first reps stored")

        broker.stop()
        line = until_health(health, 1, "MQTT disconnected")
        assert "UNHEALTHY" in line
        broker.start()
        until_health(health, 0, "MQTT connected")

        influx.stop()
        publish(broker.port, msgs[len(msgs) // 2:])
        line = until_health(health, 0, "InfluxDB failing")  # still healthy: restarting the bridge would not help
        assert "holding messages" in line
        state = json.loads(health.read_text())
        assert state["influxdb"]["ok"] is False and state["influxdb"]["failing_since"] <= time.time()
        assert state["held"] >= 1 and state["mqtt"]["connected"] is True
        influx.start()
        wait_for(lambda: influx.count("reps", "rep_index", db) == 6, 60, what="all 6 reps after InfluxDB returned")
        wait_for(lambda: (lambda s: s["influxdb"]["ok"] and s["held"] == 0)(json.loads(health.read_text())), 30,
                 what="InfluxDB ok and nothing held in the health file")
        state = json.loads(health.read_text())
        assert state["stored"] >= len(msgs) and state["dead_lettered"] == 0
        assert state["influxdb"]["failing_since"] is None and state["influxdb"]["last_write_ok"] > 0

        proc.kill()  # SIGKILL: no chance to clean up, as a hang or crash
        proc.wait(15)
        line = until_health(health, 1, "stale")
        assert "hung or dead" in line
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        print(log.read_text()[-3000:])


def test_judge_and_atomic_write(tmp_path: Path) -> None:
    now = 1000.0
    base = {"time": now - 1, "writer_alive": True, "held": 0, "stored": 5, "dead_lettered": 1,
            "mqtt": {"connected": True, "broker": "b:1883", "disconnected_since": None},
            "influxdb": {"ok": True, "last_write_ok": now - 2, "failing_since": None, "last_error": None}}
    assert judge(base, 30, now) == (True, "ok: MQTT connected, 0 message(s) held, 5 stored, 1 dead-lettered")
    ok, line = judge(dict(base, time=now - 31), 30, now)
    assert not ok and line.startswith("stale") and "31 s" in line
    ok, line = judge(dict(base, mqtt={"connected": False, "broker": "b:1883", "disconnected_since": now - 12}), 30, now)
    assert not ok and line == "MQTT disconnected from b:1883 for 12 s"
    ok, line = judge(dict(base, writer_alive=False), 30, now)
    assert not ok and "writer thread" in line
    failing = {"ok": False, "last_write_ok": now - 60, "failing_since": now - 50, "last_error": "refused"}
    ok, line = judge(dict(base, held=7, influxdb=failing), 30, now)
    assert ok and "7 message(s) held" in line and "InfluxDB failing for 50 s (refused)" in line

    path = tmp_path / "h.json"
    write_health_file(path, base)
    assert json.loads(path.read_text()) == base and [p.name for p in tmp_path.iterdir()] == ["h.json"]
    code, line = bridge_health(path, max_age=1e12)
    assert code == 0 and line.startswith("bridge healthy: ok")
    path.write_text("{not json")
    assert bridge_health(path)[0] == 1
    code, line = bridge_health(tmp_path / "absent.json")
    assert code == 1 and "no health file" in line
