"""``repcounter scan`` and ``repcounter gateway`` as a lifter runs them, against the emulated BlueZ in
another process (``python -m fake_bluez``): live output, --record, --events-json, clear one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ble_harness import REPO, TESTS
from fake_bluez import DbusDaemon, OpenSensor, load_session
from repcounter.engine.engine import analyze_samples
from repcounter.recording import read_recording

pytestmark = pytest.mark.services
PY = sys.executable


def start_fake(daemon: DbusDaemon, scenario: dict, tmp_path: Path) -> subprocess.Popen:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    env = {**daemon.env(), "PYTHONPATH": str(TESTS) + os.pathsep + str(REPO)}
    proc = subprocess.Popen([PY, "-m", "fake_bluez", str(path)], env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def repcounter(daemon: DbusDaemon, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**daemon.env(), "REPCOUNTER_HOME": os.environ["REPCOUNTER_HOME"]}
    return subprocess.run([PY, "-m", "repcounter", *args], env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=REPO)


SCENARIO = {"sensors": [
    {"family": "open_profile", "name": "RepSense 5A5A", "address": "C0:FF:EE:00:00:31", "rate_hz": 100,
     "session": {"synthetic": 4, "rest_s": 2.0, "seed": 2}, "garbage_every": 25, "battery": 64},
    {"family": "polar_pmd", "name": "Polar Sense 0BADCAFE", "address": "A0:9E:1A:00:00:32", "rate_hz": 52,
     "session": {"synthetic": 3, "rest_s": 2.0}},
    {"family": "other", "name": "Kitchen Scale", "address": "C0:FF:EE:00:00:39"}]}


def test_scan_and_gateway_commands(tmp_path: Path) -> None:
    scenario = {**SCENARIO, "report": str(tmp_path / "report.json")}
    with DbusDaemon() as daemon:
        fake = start_fake(daemon, scenario, tmp_path)
        try:
            scanned = repcounter(daemon, "scan", "--timeout", "1.5", "--json")
            assert scanned.returncode == 0, scanned.stderr
            rows = [json.loads(line) for line in scanned.stdout.splitlines()]
            assert {r["name"]: r["profile"] for r in rows} == {"RepSense 5A5A": "repcounter_open",
                                                                "Polar Sense 0BADCAFE": "polar_verity_sense"}
            table = repcounter(daemon, "scan", "--timeout", "1", "--battery", "--profile", "repcounter_open")
            assert table.returncode == 0 and "RepSense 5A5A" in table.stdout and "64%" in table.stdout
            assert "Polar" not in table.stdout

            record = tmp_path / "rec.csv"
            summary = tmp_path / "summary.json"
            run = repcounter(daemon, "gateway", "--sensor", "RepSense 5A5A", "--no-store", "--offline-after", "2",
                             "--record", str(record), "--summary-json", str(summary), "--events-json")
        finally:
            stop(fake)
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "report.json").read_text())["RepSense 5A5A"]
    figures = json.loads(summary.read_text())["RepSense 5A5A"]
    assert figures["samples"] == report["samples"] == report["played"]
    assert figures["bad_packets"] == report["garbage"] > 0 and figures["dropped_packets"] == 0
    assert figures["battery_pct"] == 64
    # the recording holds exactly what the sensor's packets carried
    session = OpenSensor.quantise(load_session({"synthetic": 4, "rest_s": 2.0, "seed": 2, "rate_hz": 100}))
    saved = read_recording(record).samples
    np.testing.assert_allclose(saved[:, 1:4], session[:, 1:4], atol=5e-5)  # the CSV keeps 0.1 mg, 0.001 deg/s
    np.testing.assert_allclose(saved[:, 4:7], session[:, 4:7], atol=1e-3)
    np.testing.assert_allclose(saved[:, 0], session[:, 0] - session[0, 0], atol=1e-3)
    # events on stdout, one JSON per line; the sets equal analyze on the saved recording
    events = [json.loads(line) for line in run.stdout.splitlines()]
    ended = [e for e in events if e.get("kind") == "set_ended" or e.get("event", {}).get("kind") == "set_ended"]
    assert len(ended) == len(analyze_samples(saved).sets)
    assert "Using RepSense 5A5A" in run.stderr and "garbled" in run.stderr


def test_gateway_errors_are_one_clear_line(tmp_path: Path) -> None:
    with DbusDaemon() as daemon:
        # nothing serves org.bluez on this bus
        res = repcounter(daemon, "scan", "--timeout", "1")
        assert res.returncode == 2 and "BlueZ is not running" in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
        fake = start_fake(daemon, {"sensors": SCENARIO["sensors"][:1]}, tmp_path)
        try:
            res = repcounter(daemon, "gateway", "--sensor", "Polar H10 9999", "--scan-timeout", "1", "--no-store")
            assert res.returncode == 2 and "'Polar H10 9999' not found" in res.stderr and "RepSense 5A5A" in res.stderr
            assert "Traceback" not in res.stderr
            bad = tmp_path / "profiles"
            bad.mkdir()
            (bad / "broken.toml").write_text('[sensor]\nname = "x"\nfamily = "polar_pmd"\n[find]\nname_patterns = ["x*"]\n')
            res = repcounter(daemon, "gateway", "--profiles", str(bad), "--no-store")
            assert res.returncode == 2 and f"{bad / 'broken.toml'}: gatt: missing" in res.stderr
            res = repcounter(daemon, "gateway", "--profile", "fitbit", "--no-store")
            assert res.returncode == 2 and "unknown profile 'fitbit'" in res.stderr
        finally:
            stop(fake)
