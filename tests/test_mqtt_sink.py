"""MQTT sink against a real mosquitto: topics, retained state, last will, auth, TLS, broker restarts."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from mqtt_harness import Collector, doomed_gateway, session_envelopes
from repcounter.errors import UserError
from repcounter.messages import decode
from repcounter.mqtt_url import parse_broker_url
from repcounter.sinks.base import SessionInfo
from repcounter.sinks.mqtt import MqttSink
from repcounter.sources.base import SensorStatus
from services import Mosquitto, fresh_mosquitto, mosquitto, wait_for  # noqa: F401

pytestmark = pytest.mark.services


def completed(msgs: list) -> list:
    """The ``rep`` messages of completed reps (each rep is also sent once announced)."""
    return [m for m in msgs if m.payload.get("stage") == "completed"]


def sink_for(url: str, tmp_path: Path, **kw) -> MqttSink:
    ca = kw.pop("ca", None)
    cert = kw.pop("cert", None)
    key = kw.pop("key", None)
    return MqttSink(parse_broker_url(url, ca, cert, key), queue_dir=tmp_path / "queue", gateway_id="gw-test", **kw)


async def test_publishes_reps_sets_live_and_status(mosquitto: Mosquitto, tmp_path: Path) -> None:
    col = Collector("127.0.0.1", mosquitto.port, ["repcounter/#"]).start()
    session = SessionInfo.new("test")
    envs = session_envelopes([4, 6], session=session)
    sink = sink_for(mosquitto.url, tmp_path)
    await sink.open(session)
    await sink.handle_status(SensorStatus("wrist-left", "online", "connected", time.time(), battery_pct=77))
    for env in envs:
        await sink.handle(env)
    await sink.close()
    all_reps = col.wait_count("rep", 20)
    sets = col.wait_count("set", 2)
    col.stop()
    # every payload matches its schema
    for m in all_reps:
        decode("rep", __import__("json").dumps(m.payload).encode())
    # each rep twice, in order: at its pull's end (pull only), then complete, with the same id and time
    assert [m.payload["stage"] for m in all_reps] == ["announced", "completed"] * 10
    for a, c in zip(all_reps[::2], all_reps[1::2]):
        assert (a.payload["id"], a.payload["time"]) == (c.payload["id"], c.payload["time"])
        assert a.payload["eccentric_s"] is None and a.payload["duration_s"] is None
        assert a.payload["concentric_s"] == pytest.approx(c.payload["concentric_s"])
        assert a.payload["end_time"] == pytest.approx(c.payload["concentric_end_time"])
        assert c.payload["eccentric_s"] == pytest.approx(1.8)
    reps = completed(all_reps)
    assert [(m.payload["set_index"], m.payload["rep_index"]) for m in reps] == \
        [(1, i) for i in range(1, 5)] + [(2, i) for i in range(1, 7)]
    assert [m.topic for m in reps] == ["repcounter/wrist-left/rep"] * 10
    assert len({m.payload["id"] for m in reps}) == 10
    assert reps[0].payload["id"] == f"{session.session_id}/wrist-left/1/1"
    assert [s.payload["rep_count"] for s in sets] == [4, 6]
    assert sets[1].payload["partial_reps"] == [6]
    # rep time is the rep's start on the wall clock
    first = envs[2]
    assert reps[0].payload["time"] == pytest.approx(first.to_wall(first.event.rep.start))
    status = col.of_kind("status")
    assert [m.payload["state"] for m in status if m.topic == "repcounter/wrist-left/status"] == ["online"]
    gw = [m.payload["state"] for m in status if m.topic == "repcounter/gateway/gw-test/status"]
    assert gw[0] == "online" and gw[-1] == "offline"
    assert sink.undelivered == 0


async def test_retained_live_readable_mid_set(mosquitto: Mosquitto, tmp_path: Path) -> None:
    envs = session_envelopes([8], sensor="wrist-mid")
    sink = sink_for(mosquitto.url, tmp_path)
    await sink.open(SessionInfo.new("test"))
    # up to the 5th rep's completion: SetStarted + 5 x (announced, completed)
    for env in envs[:11]:
        await sink.handle(env)
    await sink.close()
    # a dashboard that opens now gets the retained state at once
    late = Collector("127.0.0.1", mosquitto.port, ["repcounter/wrist-mid/live", "repcounter/wrist-mid/status"]).start()
    live = late.wait_count("live", 1)[0]
    late.stop()
    assert live.retain
    p = live.payload
    assert (p["in_set"], p["set_index"], p["rep_count"], p["exercise"]) == (True, 1, 5, "pullup")
    assert p["last_rep"]["rep_index"] == 5
    assert p["last_rep"]["eccentric_s"] == pytest.approx(1.8)


def test_last_will_marks_dead_gateway_offline(mosquitto: Mosquitto, tmp_path: Path) -> None:
    col = Collector("127.0.0.1", mosquitto.port, ["repcounter/gateway/doomed/status"]).start()
    proc = doomed_gateway(mosquitto.url, str(tmp_path / "q"), "doomed")
    try:
        assert proc.stdout.readline().strip() == "ready"
        wait_for(lambda: [m for m in col.of_kind("status") if m.payload["state"] == "online"], 20, what="online")
        proc.kill()  # no DISCONNECT: the broker must publish the will
        proc.wait(10)
        wait_for(lambda: [m for m in col.of_kind("status") if m.payload["state"] == "offline"], 30, what="last will")
    finally:
        proc.kill()
        col.stop()
    offline = [m for m in col.of_kind("status") if m.payload["state"] == "offline"][0]
    assert offline.topic == "repcounter/gateway/doomed/status"
    decode("gateway", __import__("json").dumps(offline.payload).encode())


async def test_anonymous_and_wrong_password_refused(mosquitto: Mosquitto, tmp_path: Path) -> None:
    anon = f"mqtt://127.0.0.1:{mosquitto.auth_port}"
    wrong = f"mqtt://{mosquitto.user}:nope@127.0.0.1:{mosquitto.auth_port}"
    for url in (anon, wrong):
        with pytest.raises(UserError, match="refused"):
            await sink_for(url, tmp_path).open(SessionInfo.new("test"))
    col = Collector("127.0.0.1", mosquitto.auth_port, ["repcounter/#"], mosquitto.user, mosquitto.password).start()
    sink = sink_for(mosquitto.auth_url, tmp_path)
    await sink.open(SessionInfo.new("test"))
    for env in session_envelopes([2], sensor="auth-ok"):
        await sink.handle(env)
    await sink.close()
    assert len(col.wait_count("rep", 4)) == 4
    col.stop()


async def test_tls_with_ca_and_client_certificate(mosquitto: Mosquitto, tmp_path: Path) -> None:
    col = Collector("127.0.0.1", mosquitto.port, ["repcounter/+/rep"]).start()
    # server-authenticated TLS
    sink = sink_for(mosquitto.tls_url, tmp_path, ca=str(mosquitto.ca_file))
    await sink.open(SessionInfo.new("test"))
    for env in session_envelopes([3], sensor="tls"):
        await sink.handle(env)
    await sink.close()
    # mutual TLS (the listener requires a client certificate)
    sink = sink_for(mosquitto.mtls_url, tmp_path, ca=str(mosquitto.ca_file), cert=str(mosquitto.client_cert),
                    key=str(mosquitto.client_key))
    await sink.open(SessionInfo.new("test"))
    for env in session_envelopes([2], sensor="mtls"):
        await sink.handle(env)
    await sink.close()
    got = col.wait_count("rep", 10)
    col.stop()
    assert sorted(m.topic for m in got) == ["repcounter/mtls/rep"] * 4 + ["repcounter/tls/rep"] * 6
    # a broker whose certificate the CA did not sign is refused with one clear line
    with pytest.raises(UserError, match="certificate"):
        await sink_for(mosquitto.tls_url, tmp_path, ca=str(mosquitto.other_ca_file)).open(SessionInfo.new("test"))


def test_bad_url_and_options_are_user_errors(tmp_path: Path) -> None:
    for url, kw, match in (("http://x:1", {}, "scheme"), ("mqtt://:1883", {}, "host"), ("mqtt://h:99999", {}, "port"),
                           ("mqtt://h:1", {"ca": "x"}, "mqtts"), ("mqtts://h:1", {"ca": str(tmp_path / "no")}, "no such")):
        args = argparse.Namespace(mqtt=url, mqtt_ca=kw.get("ca"), mqtt_cert=None, mqtt_key=None, mqtt_prefix="p",
                                  mqtt_queue=None, mqtt_raw=False)
        with pytest.raises(UserError, match=match):
            MqttSink.from_args(args)
    addr = parse_broker_url("mqtt://us%40er:p%3Ass@example.org")
    assert (addr.username, addr.password, addr.port, addr.tls) == ("us@er", "p:ss", 1883, False)
    assert parse_broker_url("mqtts://h").port == 8883


async def test_broker_killed_mid_set_loses_no_rep(fresh_mosquitto: Mosquitto, tmp_path: Path) -> None:
    broker = fresh_mosquitto
    col = Collector("127.0.0.1", broker.port, ["repcounter/+/rep", "repcounter/+/set"], persistent=True).start()
    time.sleep(1.5)  # let the broker autosave the subscriber's session (autosave_interval 1)
    envs = session_envelopes([10, 5], sensor="restart")
    sink = sink_for(broker.url, tmp_path)
    await sink.open(SessionInfo.new("test"))
    for env in envs[:9]:  # 4 reps of set 1 announced+completed
        await sink.handle(env)
    col.wait_count("rep", 8)
    broker.kill()  # crash in the middle of the set
    for env in envs[9:25]:
        await sink.handle(env)
    wait_for(lambda: len(sink.disk) >= 8 and not sink.publisher.connected.is_set(), 10,
             what="events queued on disk, publisher disconnected")
    broker.start()
    for env in envs[25:]:
        await sink.handle(env)
    await sink.close()
    wait_for(lambda: len({m.payload["id"] for m in completed(col.of_kind("rep"))}) == 15, 60,
             what="15 completed reps")
    sets = col.wait_count("set", 2, timeout=30)
    col.stop()
    reps = completed(col.of_kind("rep"))
    ids = [m.payload["id"] for m in reps]
    assert len(set(ids)) == 15  # none lost (duplicates are allowed by design, ids make them harmless)
    order = [(m.payload["set_index"], m.payload["rep_index"]) for m in reps]
    dedup = list(dict.fromkeys(order))
    assert dedup == sorted(dedup)  # sent in order
    assert sorted({(s.payload["set_index"], s.payload["rep_count"]) for s in sets}) == [(1, 10), (2, 5)]
    assert sink.undelivered == 0


async def test_broker_away_at_start_events_kept_on_disk_and_sent_next_run(tmp_path: Path) -> None:
    broker = Mosquitto(tmp_path / "late-broker")  # made but not started: nothing listens on its ports
    session = SessionInfo.new("test")
    sink = sink_for(broker.url, tmp_path, close_timeout_s=0.5)
    await sink.open(session)  # must not raise: the broker may come later
    for env in session_envelopes([3], sensor="offline-start", session=session):
        await sink.handle(env)
    await sink.close()
    from repcounter.sinks.mqtt_queue import DiskQueue

    q = DiskQueue(sink.disk.path)
    kinds = [m.topic.rsplit("/", 1)[1] for _, m in q.peek_after(0, 1000)]
    q.close()
    assert kinds.count("rep") == 6 and kinds.count("set") == 1
    broker.start()
    try:
        col = Collector("127.0.0.1", broker.port, ["repcounter/+/rep", "repcounter/+/set"]).start()
        sink2 = sink_for(broker.url, tmp_path)
        await sink2.open(SessionInfo.new("test"))
        await sink2.close()
        col.wait_count("rep", 6)
        col.wait_count("set", 1)
        col.stop()
        reps = completed(col.of_kind("rep"))
        assert [m.payload["rep_index"] for m in reps] == [1, 2, 3]
        assert reps[0].payload["session"] == session.session_id
    finally:
        broker.stop()


async def test_raw_samples_off_by_default_and_on_when_asked(mosquitto: Mosquitto, tmp_path: Path) -> None:
    import numpy as np

    col = Collector("127.0.0.1", mosquitto.port, ["repcounter/+/raw"]).start()
    samples = np.column_stack([np.arange(5) / 100, np.zeros(5), np.zeros(5), -np.ones(5)] + [np.full(5, np.nan)] * 3)
    for raw in (False, True):
        sink = sink_for(mosquitto.url, tmp_path, raw=raw)
        await sink.open(SessionInfo.new("test"))
        await sink.handle_samples(f"raw-{raw}", samples)
        await sink.close()
    got = col.wait_count("raw", 1)
    time.sleep(0.3)
    col.stop()
    assert [m.topic for m in col.of_kind("raw")] == ["repcounter/raw-True/raw"]
    assert got[0].payload["samples"][0][3] == -1.0 and got[0].payload["samples"][0][4] is None


async def test_two_gateways_on_one_host_do_not_send_each_others_messages(mosquitto: Mosquitto, tmp_path: Path) -> None:
    col = Collector("127.0.0.1", mosquitto.port, ["repcounter/+/rep"]).start()
    a = sink_for(mosquitto.url, tmp_path)  # same queue directory, same broker
    b = sink_for(mosquitto.url, tmp_path)
    await a.open(SessionInfo.new("a"))
    await b.open(SessionInfo.new("b"))
    assert a.disk.path != b.disk.path
    for ea, eb in zip(session_envelopes([6], sensor="two-a"), session_envelopes([6], sensor="two-b")):
        await a.handle(ea)
        await b.handle(eb)
    await a.close()
    await b.close()
    col.wait_count("rep", 24)
    time.sleep(0.5)
    col.stop()
    ids = [(m.payload["id"], m.payload["stage"]) for m in col.of_kind("rep")]
    assert len(ids) == len(set(ids)) == 24
    assert not list((tmp_path / "queue").glob("*.sqlite3"))  # empty queues are removed


def test_completed_rep_keeps_the_announced_start_time() -> None:
    """The engine may refine a rep's start at completion; ``time`` (the InfluxDB point's key) must not move."""
    from dataclasses import replace

    from repcounter.engine.events import RepCompleted
    from repcounter.messages import RepMessages

    envs = session_envelopes([2], sensor="refined")
    builder = RepMessages("gw")
    out = []
    for env in envs:
        ev = env.event
        if isinstance(ev, RepCompleted):  # completion moves the start 40 ms earlier
            env = replace(env, event=replace(ev, rep=replace(ev.rep, start=ev.rep.start - 0.04)))
        p = builder.message(env)
        if p is not None:
            out.append((p, env))
    assert [p["stage"] for p, _ in out] == ["announced", "completed"] * 2
    for (a, env_a), (c, env_c) in zip(out[::2], out[1::2]):
        assert c["time"] == a["time"] == pytest.approx(env_a.to_wall(env_a.event.rep.start))
        assert c["t_start"] == pytest.approx(env_c.event.rep.start) and c["t_start"] < a["t_start"]
