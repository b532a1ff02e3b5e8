"""Bridge throughput into a real influxd, and zero lost / zero duplicated reps across restarts.

Phase 1 (throughput): N rep messages are queued at a real mosquitto for the bridge's persistent session while
the bridge is stopped; then the bridge starts and the time until every point is queryable gives points/s.
Phase 2 (restarts): a stream of reps is published through the MQTT sink while the broker is killed and
restarted and influxd is stopped and started; published rep ids are compared with stored points.

Run: .venv/bin/python benchmarks/bridge_throughput.py [--messages 100000] [--reps 600]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mqtt_harness import envelope_messages, publish, session_envelopes  # noqa: E402
from services import start_influxd, start_mosquitto, wait_for  # noqa: E402

from repcounter.bridge.service import Bridge  # noqa: E402
from repcounter.bridge.writers import InfluxTarget, make_writer  # noqa: E402
from repcounter.mqtt_url import parse_broker_url  # noqa: E402
from repcounter.sinks.base import SessionInfo  # noqa: E402
from repcounter.sinks.mqtt import MqttSink  # noqa: E402


def rep_payloads(n: int) -> list[tuple[str, bytes]]:
    """``n`` distinct completed-rep messages (10 sensors, sets of 10 reps) as the sink would publish them.

    Completed ones only, so that every message is its own point (an announced rep shares its point)."""
    out: list[tuple[str, bytes]] = []
    per_sensor = max(1, n // 10)
    for s in range(10):
        envs = session_envelopes([10] * ((per_sensor + 9) // 10), sensor=f"bench-{s}")
        out += [m for m in envelope_messages(envs)
                if m[0].endswith("/rep") and b'"stage":"completed"' in m[1]][:per_sensor]
    return out[:n]


def throughput(n: int, batch: int) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-bridge-"))
    broker = start_mosquitto(tmp / "mq", max_queued=0)
    influx = start_influxd(tmp / "influx")
    try:
        influx.create_database("bench")
        target = InfluxTarget(influx.url, 1, db="bench")
        make = lambda: Bridge(parse_broker_url(broker.url), make_writer(target), client_id="bench-bridge",  # noqa: E731
                              share_group="bench", batch_size=batch)
        b = make().start()  # create the persistent session and subscriptions
        b.stop()
        msgs = rep_payloads(n)
        t0 = time.perf_counter()
        publish(broker.port, msgs)
        t_pub = time.perf_counter() - t0
        b = make()
        t0 = time.perf_counter()
        b.start()
        wait_for(lambda: b.stats.points >= len(msgs), 600, interval=0.02, what="all points written")
        t_written = time.perf_counter() - t0
        stored = influx.count("reps", "rep_index", "bench")
        b.stop()
        return {"messages": len(msgs), "publish_s": t_pub, "bridge_s": t_written, "points_per_s": len(msgs) / t_written,
                "stored": stored, "batches": b.stats.batches}
    finally:
        broker.stop()
        influx.stop()


def throughput_processes(n: int, k: int) -> dict[str, float]:
    """``k`` ``repcounter bridge`` processes in one share group drain ``n`` queued messages."""
    import os
    import signal
    import subprocess

    tmp = Path(tempfile.mkdtemp(prefix="bench-bridges-"))
    broker = start_mosquitto(tmp / "mq", max_queued=0)
    influx = start_influxd(tmp / "influx")
    env = dict(os.environ, PYTHONUNBUFFERED="1", REPCOUNTER_HOME=str(tmp / "home"))
    procs: list[subprocess.Popen] = []

    def launch() -> None:
        for i in range(k):
            p = subprocess.Popen([sys.executable, "-m", "repcounter", "bridge", "--mqtt", broker.url, "--influx-url",
                                  influx.url, "--influx-db", "multi", "--share-group", "multi", "--client-id", f"multi-{i}"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            p.stdout.readline()
            procs.append(p)

    def stop_all() -> None:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(30)
        procs.clear()

    try:
        influx.create_database("multi")
        launch()  # sessions and shared subscriptions exist from now on
        stop_all()
        # mosquitto forgets offline shared subscriptions only on restart, so the queue builds up for them
        publish(broker.port, rep_payloads(n))
        launcher = threading.Thread(target=launch)
        launcher.start()
        first: tuple[float, int] | None = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            c = influx.count("reps", "rep_index", "multi")
            now = time.perf_counter()
            if c and first is None:
                first = (now, c)
            if c >= n:
                break
            time.sleep(0.05)
        launcher.join()
        assert first is not None
        dt = now - first[0]
        return {"bridges": k, "messages": n - first[1], "s": dt, "points_per_s": (n - first[1]) / dt}
    finally:
        stop_all()
        broker.stop()
        influx.stop()


def processing(n: int, batch: int) -> dict[str, float]:
    """The bridge's stage after MQTT: decode + schema validation + line protocol + write to influxd + ack."""
    from repcounter.bridge.service import _Inbound

    tmp = Path(tempfile.mkdtemp(prefix="bench-proc-"))
    influx = start_influxd(tmp / "influx")
    try:
        influx.create_database("proc")
        bridge = Bridge(parse_broker_url("mqtt://127.0.0.1:1"), make_writer(InfluxTarget(influx.url, 1, db="proc")))
        msgs = [_Inbound(i % 65535 + 1, 1, t, p, -1) for i, (t, p) in enumerate(rep_payloads(n))]
        t0 = time.perf_counter()
        for k in range(0, len(msgs), batch):
            bridge.process(msgs[k:k + batch])
        dt = time.perf_counter() - t0
        stored = influx.count("reps", "rep_index", "proc")
        return {"messages": len(msgs), "s": dt, "points_per_s": bridge.stats.points / dt, "stored": stored}
    finally:
        influx.stop()


def mqtt_receive_rate(n: int, bulk: bool = False, parse: bool = False) -> float:
    """Messages/s a bare paho client (auto-ack, no processing) drains from a queued persistent session here."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    broker = start_mosquitto(Path(tempfile.mkdtemp(prefix="bench-rx-")), max_queued=0)
    try:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 3600
        props.ReceiveMaximum = 65535
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="rx", protocol=mqtt.MQTTv5)
        c.connect("127.0.0.1", broker.port, clean_start=False, properties=props)
        c.loop_start()
        c.subscribe("repcounter/+/rep", 1)
        time.sleep(0.5)
        c.disconnect()
        c.loop_stop()
        publish(broker.port, rep_payloads(n))
        got = [0]
        done = threading.Event()

        def on_message(*_a: object) -> None:
            got[0] += 1
            if got[0] >= n:
                done.set()

        from repcounter.bridge.service import _BulkReadClient

        make = _BulkReadClient if bulk else mqtt.Client
        c = make(mqtt.CallbackAPIVersion.VERSION2, client_id="rx", protocol=mqtt.MQTTv5)
        c.on_message = on_message
        if parse:  # the bridge's bulk PUBLISH parser (no paho message objects)
            def on_many(items: list) -> None:
                got[0] += len(items)
                if got[0] >= n:
                    done.set()

            c.fast_publish = on_many
        t0 = time.perf_counter()
        c.connect("127.0.0.1", broker.port, clean_start=False, properties=props)
        c.loop_start()
        done.wait(300)
        rate = got[0] / (time.perf_counter() - t0)
        c.disconnect()
        c.loop_stop()
        return rate
    finally:
        broker.stop()


def restarts(n_reps: int, scenario: str = "all") -> dict[str, int]:
    """Publish ``n_reps`` reps through the sink while broker and influxd restart; count stored vs published."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-restart-"))
    broker = start_mosquitto(tmp / "mq", max_queued=0)
    influx = start_influxd(tmp / "influx")
    influx.create_database("restarts")
    target = InfluxTarget(influx.url, 1, db="restarts")
    bridge = Bridge(parse_broker_url(broker.url), make_writer(target), client_id="restart-bridge",
                    share_group="restarts", max_backoff_s=0.5).start()
    time.sleep(1.5)  # the broker autosaves the bridge's session
    sets = [10] * (n_reps // 10)
    envs = session_envelopes(sets, sensor="restarts", session=SessionInfo.new("bench"))
    published = {f"{e.session_id}/{e.sensor_id}/{e.event.set_index}/{e.event.rep.index}"
                 for e in envs if e.event.kind == "rep_completed"}
    events: list[str] = []

    def chaos() -> None:
        time.sleep(1.0)
        if scenario == "kill":
            broker.kill(); events.append("broker killed"); time.sleep(1.0)
            broker.start(); events.append("broker restarted"); return
        if scenario == "influx":
            influx.stop(); events.append("influxd stopped"); time.sleep(2.0)
            influx.start(); events.append("influxd started"); return
        if scenario == "graceful":
            broker.restart(); events.append("broker restarted (graceful)"); return
        broker.kill(); events.append("broker killed"); time.sleep(1.0)
        broker.start(); events.append("broker restarted"); time.sleep(1.0)
        influx.stop(); events.append("influxd stopped"); time.sleep(2.0)
        influx.start(); events.append("influxd started"); time.sleep(1.0)
        broker.restart(); events.append("broker restarted (graceful)")

    async def gateway() -> None:
        sink = MqttSink(parse_broker_url(broker.url), queue_dir=tmp / "queue", gateway_id="bench", close_timeout_s=60)
        await sink.open(SessionInfo.new("bench"))
        per = 8.0 / len(envs)  # spread the events over ~8 s so every disturbance hits mid-stream
        for env in envs:
            await sink.handle(env)
            await asyncio.sleep(per)
        await sink.close()

    chaos_thread = threading.Thread(target=chaos)
    chaos_thread.start()
    asyncio.run(gateway())
    chaos_thread.join()
    try:
        wait_for(lambda: influx.count("reps", "rep_index", "restarts") >= len(published), 120, what="all reps stored")
    except TimeoutError:
        pass
    time.sleep(1.0)
    rows = influx.rows("SELECT rep_index, set_index, session, sensor, completed FROM reps", "restarts")
    stored_ids = [f"{r['session']}/{r['sensor']}/{r['set_index']}/{r['rep_index']}" for r in rows]
    lost_ids = sorted(published - set(stored_ids), key=lambda x: (int(x.split("/")[-2]), int(x.split("/")[-1])))
    if lost_ids:
        print("lost:", lost_ids[:3], "...", lost_ids[-3:], file=sys.stderr)
    bridge.stop()
    broker.stop()
    influx.stop()
    return {"published": len(published), "stored": len(stored_ids), "lost": len(published - set(stored_ids)),
            "duplicated": len(stored_ids) - len(set(stored_ids)), "messages_received_by_bridge": bridge.stats.received,
            "not_completed": sum(1 for r in rows if not r.get("completed")),
            "events": " -> ".join(events)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--reps", type=int, default=600)
    ap.add_argument("--skip-restarts", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--bridges", type=int, default=2, help="also time this many bridge processes (share group)")
    ap.add_argument("--scenario", default="all", choices=("all", "kill", "influx", "graceful"))
    a = ap.parse_args()
    if a.skip_throughput:
        z = restarts(a.reps, a.scenario)
        print(z)
        return
    p = processing(a.messages, a.batch)
    print(f"bridge processing stage (decode + validate + line protocol + influxd write + ack, no MQTT): "
          f"{p['messages']} messages in {p['s']:.2f}s = {p['points_per_s']:,.0f} points/s; stored {p['stored']}")
    rx = mqtt_receive_rate(min(a.messages, 20000))
    rxb = mqtt_receive_rate(min(a.messages, 20000), bulk=True)
    rxp = mqtt_receive_rate(min(a.messages, 20000), bulk=True, parse=True)
    print(f"bare subscriber receive rate on this machine (no processing, auto-ack off for the parser): stock paho "
          f"{rx:,.0f} messages/s, with the bridge's buffered reads {rxb:,.0f} messages/s, "
          f"with its bulk PUBLISH parser {rxp:,.0f} messages/s")
    r = throughput(a.messages, a.batch)
    print(f"bridge throughput: {r['messages']} rep messages, published in {r['publish_s']:.1f}s; bridge drained and "
          f"stored them in {r['bridge_s']:.2f}s = {r['points_per_s']:,.0f} points/s "
          f"(target >= 20,000); stored {r['stored']}, {r['batches']} writes")
    if a.bridges > 1:
        m = throughput_processes(a.messages, a.bridges)
        print(f"{m['bridges']} bridge processes in one share group: {m['messages']} messages in {m['s']:.2f}s = "
              f"{m['points_per_s']:,.0f} points/s (from the first stored point to the last)")
    if not a.skip_restarts:
        z = restarts(a.reps)
        print(f"restarts ({z['events']}): published {z['published']} reps, stored {z['stored']}, lost {z['lost']}, "
              f"duplicated {z['duplicated']}, stored but not completed {z['not_completed']} (bridge received {z['messages_received_by_bridge']} messages)")


if __name__ == "__main__":
    main()
