"""Latency from a rep's end to its ``rep`` message at an MQTT subscriber and to its point in InfluxDB.

Real processes on loopback: mosquitto, influxd, ``repcounter bridge``, and K ``repcounter replay --speed 1
--mqtt`` gateways (one per recording, as K sensors, in real time). A subscriber records when each ``rep``
message arrives; a poller asks InfluxDB every 50 ms which reps are queryable.

The rep's end on the wall clock is ``to_wall(rep.end)`` = payload ``time + (t_end - t_start)`` (the replay
maps signal time 1:1 onto the wall clock at speed 1). Reported per rep:
    engine lag    t_event - t_end (signal s): the engine needs the bottom pause to end before the rep is complete
    counted       pull end -> ``live`` message with the new rep count at the subscriber (wall s)
    to MQTT       subscriber arrival - rep end (wall s)   [target p99 <= 0.25 s]
    to InfluxDB   first seen by a query - rep end (wall s) [target p99 <= 1 s]
    transport     subscriber arrival - to_wall(t_event): sink + broker only

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
        return f"{name:<38} n=0"
    v = [x * scale for x in values]
    return (f"{name:<38} n={len(v):<4} p50 {pct(v, 50):7.1f} {unit}  p90 {pct(v, 90):7.1f} {unit}  "
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
    stop = threading.Event()

    def poll() -> None:
        since = int((time.time() - 3600) * 1e9)
        while not stop.is_set():
            try:
                rows = influx.rows(f"SELECT sensor, set_index, rep_index FROM reps WHERE time > {since}", "latency")
                now = time.time()
                for r in rows:
                    seen_influx.setdefault((r["sensor"], r["set_index"], r["rep_index"]), now)
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

    to_mqtt, to_influx, lag, transport, transport_influx = [], [], [], [], []
    for m in col.of_kind("rep"):
        p = m.payload
        end_wall = p["time"] + (p["t_end"] - p["t_start"])
        event_wall = p["time"] + (p["t_event"] - p["t_start"])
        to_mqtt.append(m.at - end_wall)
        lag.append(p["t_event"] - p["t_end"])
        transport.append(m.at - event_wall)
        seen = seen_influx.get((p["sensor"], p["set_index"], p["rep_index"]))
        if seen is not None:
            to_influx.append(seen - end_wall)
            transport_influx.append(seen - event_wall)
    counted = [m.at - m.payload["last_rep"]["concentric_end_time"] for m in col.of_kind("live")
               if m.payload.get("event") == "rep_announced"]
    ids = {m.payload["id"] for m in col.of_kind("rep")}
    print(f"{len(files)} recordings replayed in real time at once ({time.time() - t0:.0f}s), "
          f"{len(col.of_kind('rep'))} rep messages ({len(ids)} distinct ids), {len(seen_influx)} reps seen in InfluxDB")
    print(fmt("rep counted (pull ends) -> live message", counted) + "   [what a coach sees]")
    print(fmt("engine lag (t_event - t_end)", lag))
    print(fmt("transport (event -> subscriber)", transport))
    print(fmt("transport (event -> InfluxDB query)", transport_influx))
    print(fmt("rep end -> rep message at subscriber", to_mqtt) + "   [target p99 <= 250 ms]")
    print(fmt("rep end -> queryable in InfluxDB", to_influx) + "   [target p99 <= 1000 ms]")
    print("(InfluxDB figures include up to 50 ms of polling interval)")


if __name__ == "__main__":
    main()
