"""BLE gateway benchmark against the emulated BlueZ (tests/fake_bluez), both in their own processes.

1. Throughput: 4 open-profile sensors at 200 Hz on one adapter, with 1 sample per notification
   (800 notifications/s in total) and with 5 samples per notification; prints samples sent vs received,
   packets lost, garbled, and the gateway's CPU time.
2. Reconnect: a Polar sensor drops out for 3 s three times during a set; prints how long after the
   sensor is back the gateway is streaming again, and the gap the engine sees.

Run: .venv/bin/python benchmarks/ble_gateway.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from fake_bluez import DbusDaemon  # noqa: E402

PY = sys.executable


def run_case(scenario: dict, gateway_args: list[str], tmp: Path, profiles_dir: Path | None = None) -> dict:
    scenario = {**scenario, "report": str(tmp / "report.json")}
    (tmp / "scenario.json").write_text(json.dumps(scenario))
    with DbusDaemon() as daemon:
        env = {**daemon.env(), "PYTHONPATH": f"{REPO / 'tests'}{os.pathsep}{REPO}",
               "REPCOUNTER_HOME": str(tmp / "home")}
        fake = subprocess.Popen([PY, "-m", "fake_bluez", str(tmp / "scenario.json")], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert fake.stdout is not None and fake.stdout.readline().strip() == "ready"
        args = [PY, "-m", "repcounter", "gateway", "--no-store", "--quiet", "--summary-json", str(tmp / "summary.json"),
                *gateway_args]
        if profiles_dir is not None:
            args += ["--profiles", str(profiles_dir)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        gw = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        fake.terminate()
        fake.wait(10)
    if gw.returncode != 0:
        raise SystemExit(f"gateway failed: {gw.stderr[-2000:]}")
    return {"summary": json.loads((tmp / "summary.json").read_text()),
            "report": json.loads((tmp / "report.json").read_text()),
            "gateway_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "wall_s": wall, "stderr": gw.stderr}


def throughput(seconds: float, spp: int, tmp: Path) -> None:
    prof_dir = tmp / "profiles"
    prof_dir.mkdir(exist_ok=True)
    text = (REPO / "firmware_config" / "repcounter_open.toml").read_text()
    text = text.replace("rate_hz = 100", "rate_hz = 200").replace("samples_per_packet = 5", f"samples_per_packet = {spp}")
    (prof_dir / "open_200hz.toml").write_text(text)
    reps = max(2, int((seconds - 4) / 2.6))
    sensors = [{"family": "open_profile", "name": f"RepSense 20{i}", "address": f"C0:FF:EE:00:02:{i:02X}",
                "rate_hz": 200, "samples_per_packet": spp, "session": {"synthetic": reps, "rest_s": 2.0, "seed": i}}
               for i in range(4)]
    res = run_case({"sensors": sensors}, ["--offline-after", "2"], tmp, prof_dir)
    sent = sum(r["played"] for r in res["report"].values())
    got = sum(s["samples"] for s in res["summary"].values())
    notif = sum(r["sent_packets"] for r in res["report"].values())
    lost = sum(s["dropped_packets"] for s in res["summary"].values())
    bad = sum(s["bad_packets"] for s in res["summary"].values())
    dur = max(r["samples"] for r in res["report"].values()) / 200.0
    print(f"4 sensors x 200 Hz, {spp} sample(s)/notification: {notif} notifications in {dur:.1f} s "
          f"({notif / dur:.0f}/s); samples sent {sent}, received {got}, lost {sent - got}; "
          f"packets lost {lost}, garbled {bad}; gateway CPU {res['gateway_cpu_s']:.1f} s "
          f"(= {100 * res['gateway_cpu_s'] / dur:.0f}% of one core per second streamed; includes scan, engine, start-up)")


def reconnect(tmp: Path) -> None:
    drops = [[6.0, 3.0], [16.0, 3.0], [26.0, 3.0]]
    sensor = {"family": "polar_pmd", "name": "Polar Sense 3S3S3S3S", "address": "A0:9E:1A:00:03:01", "rate_hz": 52,
              "session": {"synthetic": 12, "rest_s": 2.0}, "dropouts": drops}
    rec = tmp / "rec.csv"
    res = run_case({"sensors": [sensor]}, ["--offline-after", "10", "--record", str(rec)], tmp)
    s = res["summary"]["Polar Sense 3S3S3S3S"]
    from repcounter.recording import read_recording

    t = read_recording(rec).samples[:, 0]
    gaps = np.diff(t)[np.diff(t) > 0.5]
    extra = [d - 3.0 for d in s["downtimes_s"]]
    print(f"3 s dropouts x {len(drops)}: reconnects {s['reconnects']}, downtime {', '.join(f'{d:.2f}' for d in s['downtimes_s'])} s "
          f"(reconnect latency after the sensor is back: {', '.join(f'{e:.2f}' for e in extra)} s); "
          f"gaps in t {', '.join(f'{g:.2f}' for g in gaps)} s; sets {len(s['sets'])} "
          f"({', '.join(str(len(x['reps'])) + ' reps' for x in s['sets'])}); packets lost in the air {s['dropped_packets']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each throughput session (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for spp in (1, 5):
            sub = tmp / f"spp{spp}"
            sub.mkdir()
            throughput(args.seconds, spp, sub)
        sub = tmp / "reconnect"
        sub.mkdir()
        reconnect(sub)


if __name__ == "__main__":
    main()
