#!/usr/bin/env python3
"""How close to real time the Live session dashboard is: from a rep event at the gateway to the new count in
the "Reps" panel's query result.

Runs the real path on loopback: MqttSink -> mosquitto -> bridge (default batching: linger 50 ms) -> influxd
1.x, and polls the "Reps" panel's InfluxQL (as Grafana sends it) every 5 ms until it shows the new count.
Grafana adds up to one refresh interval (1 s on the Live dashboard) on top, plus its own query and render.

usage: .venv/bin/python dashboards/latency_benchmark.py [--reps 100] [--gap-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from dashboard_harness import Grafana, load, panel  # noqa: E402
from services import start_influxd, start_mosquitto  # noqa: E402

from repcounter.bridge.service import Bridge  # noqa: E402
from repcounter.bridge.writers import InfluxTarget, make_writer  # noqa: E402
from repcounter.engine.events import Rep, RepAnnounced, SetStarted  # noqa: E402
from repcounter.mqtt_url import parse_broker_url  # noqa: E402
from repcounter.sinks.base import EventEnvelope, SessionInfo  # noqa: E402
from repcounter.sinks.mqtt import MqttSink  # noqa: E402


async def measure(reps: int, gap_s: float, work: Path) -> list[float]:
    mq = start_mosquitto(work / "mosquitto")
    ix = start_influxd(work / "influxd")
    bridge = None
    sink = None
    try:
        ix.create_database("bench")
        bridge = Bridge(parse_broker_url(mq.url), make_writer(InfluxTarget(ix.url, version=1, db="bench")),
                        prefix="bench", client_id="bench-bridge").start()
        origin = time.time()
        session = SessionInfo("bench", origin, "bench")
        sink = MqttSink(parse_broker_url(mq.url), prefix="bench", queue_dir=work / "q", gateway_id="bench")
        await sink.open(session)
        dash = load("live-session.json")
        reps_panel = panel(dash, "Reps")

        def env(seq: int, ev: object) -> EventEnvelope:
            now = time.time()
            return EventEnvelope("wrist", "bench", seq, ev, now, now, origin_t=0.0, origin_wall=origin)

        await sink.handle(env(0, SetStarted(t=0.0, set_index=1, start=0.0, exercise="pullup")))
        await asyncio.sleep(0.5)
        delays: list[float] = []
        for i in range(1, reps + 1):
            t = time.time() - origin
            rep = Rep(i, t - 1.0, t, t, 1.0, float("nan"), float("nan"), float("nan"), 90.0, 100.0, 0.9)
            sent = time.perf_counter()
            await sink.handle(env(i, RepAnnounced(t=t, set_index=1, rep=rep, exercise="pullup")))
            g = Grafana(ix, "bench", int((time.time() + 60) * 1000), dash["time"]["from"], {"sensor": ["wrist"]})
            while True:
                if g.values(reps_panel, {"sensor": "wrist"}).get("Reps") == i:
                    delays.append(time.perf_counter() - sent)
                    break
                if time.perf_counter() - sent > 10:
                    stored = ix.query('SELECT * FROM "live"', "bench", epoch="ms")
                    raise TimeoutError(f"rep {i} not visible after 10 s: {g.queries[-1:]} {stored}")
                await asyncio.sleep(0.005)
                g.queries.clear()
            await asyncio.sleep(gap_s)
        return delays
    finally:
        if sink is not None:
            await sink.close()
        if bridge is not None:
            bridge.stop()
        ix.stop()
        mq.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--gap-ms", type=float, default=200.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dash-latency-") as tmp:
        delays = asyncio.run(measure(args.reps, args.gap_ms / 1000.0, Path(tmp)))
    ms = sorted(d * 1000 for d in delays)
    p = lambda q: ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))]  # noqa: E731
    print(f"rep event -> visible in the Reps panel query ({len(ms)} reps, poll 5 ms):")
    print(f"  p50 {p(0.5):.0f} ms   p90 {p(0.9):.0f} ms   p99 {p(0.99):.0f} ms   max {ms[-1]:.0f} ms   "
          f"mean {statistics.fmean(ms):.0f} ms")
    print(f"  on screen with the 1 s auto-refresh: at most about {p(0.99) + 1000:.0f} ms (p99 + refresh), "
          f"on average about {statistics.fmean(ms) + 500:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
