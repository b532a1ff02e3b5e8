"""Latency from a rep's pull end (counted) and from its end (complete) to its ``rep`` messages and InfluxDB point.

Real processes on loopback: mosquitto, influxd, ``repcounter bridge``, and K ``repcounter replay --speed 1
--mqtt`` gateways (one per recording, as K sensors, in real time). A subscriber records when each ``rep``
message arrives; a poller asks InfluxDB every 50 ms which reps are queryable, and which are completed.

Each rep is sent twice: ``stage: announced`` at the top of the pull (RepAnnounced) and ``stage: completed``
with the full tempo (RepCompleted). Signal times map onto the wall clock with the sensor's fixed offset
(payload ``concentric_end_time - t_concentric_end``; the replay runs at speed 1, so that is real time).
Reported per rep:
    announced -> MQTT      subscriber arrival - pull end (wall s)            [target p99 <= 0.25 s]
    announced -> InfluxDB  first seen by a query - pull end (wall s)          [target p99 <= 1 s]
    engine announce lag    t_event - t_concentric_end of the announced message (signal s)
    transport              subscriber arrival - wall(t_event): sink + broker only
    completed -> MQTT / InfluxDB   from the rep's end (after the bottom pause); bound by the engine, which can
                           only close a rep once the next pull starts or the set ends
    counted                pull end -> ``live`` message with the new rep count at the subscriber (wall s)

Run: .venv/bin/python benchmarks/mqtt_latency.py [--files N] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mqtt_harness import Collector  # noqa: E402
from services import free_port, start_influxd, start_mosquitto  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "kaggle_gym_imu_applewatch"


def pick_files(data: Path, n: int) -> list[Path]:
    """Back-exercise recordings from a data folder's labels.json (or tests/data/mqtt as a fallback)."""
    labels = data / "labels.json"
    if labels.exists():
        items = [x for x in json.loads(labels.read_text()) if x.get("is_back_exercise") and x.get("use_for_eval")]
        return [data / x["file"] for x in items[:n]]
    return sorted((ROOT / "tests" / "data" / "mqtt").glob("*.csv"))[:n]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def fmt(name: str, values: list[float], unit: str = "ms", scale: float = 1000.0) -> str:
    if not values:
        return f"{name:<44} n=0"
    v = [x * scale for x in values]
    return (f"{name:<44} n={len(v):<4} p50 {pct(v, 50):7.1f} {unit}  p90 {pct(v, 90):7.1f} {unit}  "
            f"p99 {pct(v, 99):7.1f} {unit}  max {max(v):7.1f} {unit}")


def handle_cost(broker_url: str, down_url: str, tmp: Path) -> None:
    """Wall time one ``MqttSink.handle()`` takes on the engine path, broker up and broker away (s)."""
    import asyncio

    from mqtt_harness import session_envelopes
    from repcounter.mqtt_url import parse_broker_url
    from repcounter.sinks.base import SessionInfo
    from repcounter.sinks.mqtt import MqttSink

    async def run(url: str, tag: str) -> None:
        sink = MqttSink(parse_broker_url(url), queue_dir=tmp / f"q-{tag}", gateway_id=f"cost-{tag}",
                        close_timeout_s=60 if tag == "up" else 0.5)
        await sink.open(SessionInfo.new("bench"))
        envs = session_envelopes([10] * 100, sensor=f"cost-{tag}")
        costs = []
        for env in envs:
            t0 = time.perf_counter()
            await sink.handle(env)
            costs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        await sink.close()
        drain = f"; sent {len(envs)} events' messages, drained {time.perf_counter() - t0:.1f}s after the last" if tag == "up" else ""
        print(fmt(f"MqttSink.handle() cost, broker {tag}", costs, "us", 1e6) + drain)

    asyncio.run(run(broker_url, "up"))
    asyncio.run(run(down_url, "away"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=6, help="recordings replayed at once (one sensor each)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    a = ap.parse_args()
    files = pick_files(a.data, a.files)
    tmp = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    broker = start_mosquitto(tmp / "mq")
    influx = start_influxd(tmp / "influx")
    influx.create_database("latency")
    handle_cost(broker.url, f"mqtt://127.0.0.1:{free_port()}", tmp)
    env = dict(os.environ, PYTHONUNBUFFERED="1", REPCOUNTER_HOME=str(tmp / "home"))
    py = [sys.executable, "-m", "repcounter"]
    bridge = subprocess.Popen(py + ["bridge", "--mqtt", broker.url, "--influx-url", influx.url, "--influx-db", "latency",
                                    "--linger-ms", "20"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    bridge.stdout.readline()
    col = Collector("127.0.0.1", broker.port, ["repcounter/+/rep", "repcounter/+/live"]).start()
    seen_influx: dict[tuple[str, int, int], float] = {}
    seen_done: dict[tuple[str, int, int], float] = {}
    stop = threading.Event()

    def poll() -> None:
        since = int((time.time() - 3600) * 1e9)
        while not stop.is_set():
            try:
                rows = influx.rows(f"SELECT sensor, set_index, rep_index, completed FROM reps WHERE time > {since}",
                                   "latency")
                now = time.time()
                for r in rows:
                    key = (r["sensor"], r["set_index"], r["rep_index"])
                    seen_influx.setdefault(key, now)
                    if r.get("completed"):
                        seen_done.setdefault(key, now)
            except Exception:  # noqa: BLE001 - keep polling
                pass
            stop.wait(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    t0 = time.time()
    gateways = [subprocess.Popen(py + ["replay", str(f), "--speed", "1", "--mqtt", broker.url, "--quiet", "--no-store",
                                       "--sensor-id", f"s{k}"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL) for k, f in enumerate(files)]
    for g in gateways:
        g.wait()
    time.sleep(2.0)
    stop.set()
    poller.join()
    col.stop()
    bridge.send_signal(signal.SIGTERM)
    bridge.wait(30)
    broker.stop()
    influx.stop()

    def wall(p: dict, t: float) -> float:
        return p["concentric_end_time"] + (t - p["t_concentric_end"])

    ann: dict[str, list[float]] = {k: [] for k in ("mqtt", "influx", "lag", "transport", "transport_influx")}
    done: dict[str, list[float]] = {k: [] for k in ("mqtt", "influx", "lag", "transport", "transport_influx")}
    later: list[float] = []
    later_lag: list[float] = []
    firsts = {}  # the first arrival of each (rep, stage); a redelivery is not a new figure
    for m in col.of_kind("rep"):
        firsts.setdefault((m.payload["id"], m.payload["stage"]), m)
    for (rid, stage), m in firsts.items():
        p = m.payload
        key = (p["sensor"], p["set_index"], p["rep_index"])
        out, ref, seen = (ann, p["concentric_end_time"], seen_influx) if stage == "announced" else \
            (done, p["end_time"], seen_done)
        out["mqtt"].append(m.at - ref)
        if stage == "announced" and p["rep_index"] >= 4:  # the engine confirms a set only after a few reps
            later.append(m.at - ref)
            later_lag.append(p["t_event"] - p["t_concentric_end"])
        out["lag"].append(p["t_event"] - (p["t_concentric_end"] if stage == "announced" else p["t_end"]))
        out["transport"].append(m.at - wall(p, p["t_event"]))
        if key in seen:
            out["influx"].append(seen[key] - ref)
            out["transport_influx"].append(seen[key] - wall(p, p["t_event"]))
    counted = [m.at - m.payload["last_rep"]["concentric_end_time"] for m in col.of_kind("live")
               if m.payload.get("event") == "rep_announced"]
    ids = {m.payload["id"] for m in col.of_kind("rep")}
    print(f"{len(files)} recordings replayed in real time at once ({time.time() - t0:.0f}s), "
          f"{len(col.of_kind('rep'))} rep messages ({len(ids)} distinct reps), {len(seen_influx)} reps seen in "
          f"InfluxDB, {len(seen_done)} of them completed")
    print(fmt("pull end -> announced rep at subscriber", ann["mqtt"]) + "   [target p99 <= 250 ms]")
    print(fmt("pull end -> rep queryable in InfluxDB", ann["influx"]) + "   [target p99 <= 1000 ms]")
    print(fmt("  engine announce lag (t_event - t_conc_end)", ann["lag"]))
    print(fmt("  reps 4+ of a set: pull end -> subscriber", later) + "   [set confirmed]")
    print(fmt("  reps 4+ of a set: engine announce lag", later_lag))
    print(fmt("  transport: announce event -> subscriber", ann["transport"]))
    print(fmt("  transport: announce event -> InfluxDB", ann["transport_influx"]))
    print(fmt("pull end -> live message (rep count)", counted))
    print(fmt("rep end -> completed rep at subscriber", done["mqtt"]) + "   [engine-bound]")
    print(fmt("rep end -> completed in InfluxDB", done["influx"]))
    print(fmt("  engine completion lag (t_event - t_end)", done["lag"]))
    print(fmt("  transport: complete event -> subscriber", done["transport"]))
    print(fmt("  transport: complete event -> InfluxDB", done["transport_influx"]))
    print("(InfluxDB figures include up to 50 ms of polling interval)")

if __name__ == "__main__":
    main()
