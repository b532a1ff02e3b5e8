"""Bridge against real mosquitto + influxd: points, idempotence, dead letters, InfluxDB outages, restarts."""

from __future__ import annotations

import json
import time

import pytest

from bridge_harness import start_bridge
from mqtt_harness import Collector, doomed_gateway, envelope_messages, publish, session_envelopes
from repcounter.bridge.writers import InfluxTarget, make_writer
from repcounter.bridge.service import Bridge
from repcounter.mqtt_url import parse_broker_url
from repcounter.sinks.base import SessionInfo
from services import (Influxd, InfluxV2Proxy, Mosquitto, fresh_influxd, fresh_mosquitto, influx_v2_proxy,  # noqa: F401
                      influxd, mosquitto, unique_db, wait_for)

pytestmark = pytest.mark.services


def stored_reps(influxd: Influxd, db: str) -> int:
    return influxd.count("reps", "rep_index", db)


def test_reps_sets_live_status_stored_with_schema(mosquitto: Mosquitto, influxd: Influxd) -> None:
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    session = SessionInfo.new("test")
    envs = session_envelopes([5, 3], sensor="wrist-1", session=session)
    status = json.dumps({"schema": "repcounter.status", "v": 1, "sensor": "wrist-1", "session": session.session_id,
                         "gateway": "gw-test", "state": "online", "message": "ok", "time": 1.7e9,
                         "dropped_packets": 3, "bad_packets": 1, "battery_pct": 80})
    publish(mosquitto.port, envelope_messages(envs) + [("repcounter/wrist-1/status", status)])
    try:
        wait_for(lambda: influxd.count("reps", "completed", db) == 8 and influxd.count("sets", "rep_count", db) == 2,
                 30, what="8 completed reps and 2 sets stored")
        wait_for(lambda: influxd.count("sensor_status", "state", db) == 1, 30, what="status")
    finally:
        bridge.stop()
    reps = influxd.rows('SELECT * FROM reps ORDER BY time', db)
    assert [(r["set_index"], r["rep_index"]) for r in reps] == [(1, i) for i in range(1, 6)] + [(2, i) for i in range(1, 4)]
    first = envs[2]  # RepCompleted of set 1 rep 1
    assert reps[0]["time"] == round(first.to_wall(first.event.rep.start) * 1e6) * 1000
    assert (reps[0]["sensor"], reps[0]["exercise"], reps[0]["session"]) == ("wrist-1", "pullup", session.session_id)
    assert reps[0]["concentric_s"] == pytest.approx(1.05) and reps[0]["eccentric_s"] == pytest.approx(1.8)
    assert reps[4]["partial"] is True and reps[0]["partial"] is False
    assert {(r["stage"], r["completed"]) for r in reps} == {("completed", True)}
    sets = influxd.rows('SELECT * FROM sets ORDER BY time', db)
    assert [(s["set_index"], s["rep_count"], s["partial_reps"], s["tempo"]) for s in sets] == [(1, 5, 1, "2-0-1-0"), (2, 3, 0, "2-0-1-0")]
    live = influxd.rows('SELECT * FROM live ORDER BY time DESC LIMIT 1', db)[0]
    assert (live["set_index"], live["rep_count"], live["in_set"], live["exercise"]) == (2, 3, False, "pullup")
    st = influxd.rows('SELECT * FROM sensor_status', db)[0]
    assert (st["state"], st["dropped_packets"], st["battery_pct"]) == ("online", 3, 80)
    # field types as documented (InfluxDB keeps the first type it saw)
    types = {r["fieldKey"]: r["fieldType"] for r in influxd.rows('SHOW FIELD KEYS FROM reps', db)}
    assert types["set_index"] == "integer" and types["concentric_s"] == "float" and types["partial"] == "boolean"
    tags = {r["tagKey"] for r in influxd.rows('SHOW TAG KEYS FROM reps', db)}
    assert tags == {"sensor", "exercise", "session"}


def test_duplicate_delivery_never_doubles(mosquitto: Mosquitto, influxd: Influxd) -> None:
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    msgs = envelope_messages(session_envelopes([6], sensor="dup"))
    try:
        publish(mosquitto.port, msgs)
        wait_for(lambda: stored_reps(influxd, db) == 6, 30, what="6 reps")
        publish(mosquitto.port, msgs + msgs)  # the same events twice more
        wait_for(lambda: bridge.stats.stored_messages >= 3 * len(msgs), 30, what="duplicates processed")
    finally:
        bridge.stop()
    assert stored_reps(influxd, db) == 6
    assert influxd.count("sets", "rep_count", db) == 1
    # live: one point per distinct event time (events at the same signal time keep the latest state)
    live_times = {json.loads(p)["time"] for t, p in msgs if t.endswith("/live")}
    assert influxd.count("live", "rep_count", db) == len(live_times)


def test_malformed_messages_go_to_dead_letter(mosquitto: Mosquitto, influxd: Influxd) -> None:
    dead = Collector("127.0.0.1", mosquitto.port, ["repcounter/deadletter"]).start()
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    good = envelope_messages(session_envelopes([2], sensor="good"))
    rep = json.loads([p for t, p in good if t.endswith("/rep")][0])
    bad_field = dict(rep, rep_index="two")
    missing = {k: v for k, v in rep.items() if k != "set_index"}
    future = dict(rep, v=2)
    try:
        publish(mosquitto.port, [("repcounter/bad/rep", b"\xff\x00 not json"), ("repcounter/bad/rep", json.dumps(bad_field)),
                                 ("repcounter/bad/set", json.dumps(missing)), ("repcounter/bad/rep", json.dumps(future)),
                                 ("repcounter/bad/live", "[1, 2]")] + good)
        got = dead.wait_count("deadletter", 5)
        wait_for(lambda: stored_reps(influxd, db) == 2, 30, what="good reps after bad ones")
    finally:
        bridge.stop()
        dead.stop()
    errors = [m.payload["error"] for m in got]
    assert "not JSON" in errors[0] and got[0].payload["payload_base64"]
    assert "rep_index" in errors[1]
    assert "set_index" in errors[2]
    assert "version" in errors[3]
    assert got[1].payload["topic"] == "repcounter/bad/rep" and json.loads(got[1].payload["payload"])["rep_index"] == "two"
    assert bridge.stats.dead_letters == 5
    assert stored_reps(influxd, db) == 2


def test_influxdb_down_bridge_holds_and_catches_up(mosquitto: Mosquitto, fresh_influxd: Influxd) -> None:
    influx = fresh_influxd
    bridge = start_bridge(mosquitto, influx)
    db = bridge.db
    envs = session_envelopes([5, 5, 5], sensor="outage")
    msgs = envelope_messages(envs)
    third = len(msgs) // 3
    try:
        publish(mosquitto.port, msgs[:third])
        wait_for(lambda: stored_reps(influx, db) >= 1, 30, what="first reps")
        influx.stop()
        publish(mosquitto.port, msgs[third:2 * third])
        wait_for(lambda: bridge.stats.write_failures >= 2, 30, what="failed writes while InfluxDB is down")
        held = bridge.stats.acked
        time.sleep(1.0)
        assert bridge.stats.acked == held  # nothing acknowledged while nothing can be stored
        influx.start()
        publish(mosquitto.port, msgs[2 * third:])
        wait_for(lambda: stored_reps(influx, db) == 15, 60, what="all 15 reps after InfluxDB returned")
        wait_for(lambda: influx.count("sets", "rep_count", db) == 3, 30, what="3 sets")
    finally:
        bridge.stop()


def test_bridge_restart_gets_what_it_missed(mosquitto: Mosquitto, influxd: Influxd) -> None:
    first = start_bridge(mosquitto, influxd, client_id="restart-bridge", share_group="restart-group")
    db = first.db
    msgs = envelope_messages(session_envelopes([4, 4], sensor="restart"))
    publish(mosquitto.port, msgs[: len(msgs) // 2])
    wait_for(lambda: stored_reps(influxd, db) >= 2, 30, what="first half")
    first.stop()
    publish(mosquitto.port, msgs[len(msgs) // 2:])  # the bridge is away: the broker keeps them for its session
    second = start_bridge(mosquitto, influxd, db=db, create_db=False, client_id="restart-bridge",
                          share_group="restart-group")
    try:
        wait_for(lambda: stored_reps(influxd, db) == 8, 30, what="all 8 reps")
    finally:
        second.stop()


def test_announced_and_completed_rep_merge_into_one_point(mosquitto: Mosquitto, influxd: Influxd) -> None:
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    reps = [m for m in envelope_messages(session_envelopes([3], sensor="stages")) if m[0].endswith("/rep")]
    announced = [m for m in reps if json.loads(m[1])["stage"] == "announced"]
    done = [m for m in reps if json.loads(m[1])["stage"] == "completed"]
    assert len(announced) == len(done) == 3
    try:
        publish(mosquitto.port, announced)
        wait_for(lambda: stored_reps(influxd, db) == 3, 30, what="3 announced reps")
        early = influxd.rows('SELECT * FROM reps ORDER BY time', db)
        publish(mosquitto.port, done)
        wait_for(lambda: influxd.count("reps", "completed", db) == 3, 30, what="3 completed reps")
        publish(mosquitto.port, announced[:1])  # a late redelivery of an announcement
        wait_for(lambda: bridge.stats.stored_messages >= 7, 30, what="the redelivery processed")
    finally:
        bridge.stop()
    assert [(r["rep_index"], r["stage"], r.get("eccentric_s")) for r in early] == [(i, "announced", None) for i in (1, 2, 3)]
    assert all(r["concentric_s"] is not None for r in early)
    rows = influxd.rows('SELECT * FROM reps ORDER BY time', db)
    assert stored_reps(influxd, db) == 3 and [r["rep_index"] for r in rows] == [1, 2, 3]
    assert all(r["completed"] is True and r["eccentric_s"] == pytest.approx(1.8) for r in rows)
    assert [r["stage"] for r in rows] == ["announced", "completed", "completed"]  # the late one overwrote stage only


def test_shared_subscription_splits_load(mosquitto: Mosquitto, influxd: Influxd) -> None:
    a = start_bridge(mosquitto, influxd, share_group="split")
    b = start_bridge(mosquitto, influxd, db=a.db, create_db=False, share_group="split")
    db = a.db
    msgs = []
    for k in range(10):
        msgs += [m for m in envelope_messages(session_envelopes([5], sensor=f"s{k}")) if m[0].endswith("/rep")]
    try:
        publish(mosquitto.port, msgs)
        wait_for(lambda: stored_reps(influxd, db) == 50, 30, what="50 reps")
        time.sleep(0.3)
    finally:
        a.stop()
        b.stop()
    assert a.stats.received + b.stats.received == 100  # each rep announced and completed
    assert a.stats.received > 0 and b.stats.received > 0


def test_influxdb2_api_through_influxdb_client(mosquitto: Mosquitto, influxd: Influxd,
                                               influx_v2_proxy: InfluxV2Proxy) -> None:
    """influxdb-client's own write path, against influxd behind the test harness's /api/v2/write translation."""
    db = unique_db()
    influxd.create_database(db)
    target = InfluxTarget(influx_v2_proxy.url, 2, token="test-token", org="gym", bucket=f"{db}/autogen")
    bridge = start_bridge(mosquitto, influxd, db=db, create_db=False, target=target)
    try:
        publish(mosquitto.port, envelope_messages(session_envelopes([3], sensor="v2")))
        wait_for(lambda: stored_reps(influxd, db) == 3, 30, what="3 reps via v2 API")
    finally:
        bridge.stop()
    assert influx_v2_proxy.requests >= 1
    # wrong token: the bridge holds (does not ack) and says why
    db2 = unique_db()
    influxd.create_database(db2)
    bad = InfluxTarget(influx_v2_proxy.url, 2, token="wrong", org="gym", bucket=db2)
    bridge = start_bridge(mosquitto, influxd, db=db2, create_db=False, target=bad)
    try:
        publish(mosquitto.port, envelope_messages(session_envelopes([2], sensor="v2bad")))
        wait_for(lambda: bridge.stats.write_failures >= 1, 30, what="refused write")
        assert bridge.stats.acked == 0
    finally:
        bridge.stop()
    assert stored_reps(influxd, db2) == 0


def test_influxdb1_user_password(mosquitto: Mosquitto, tmp_path) -> None:
    from services import start_influxd

    influx = start_influxd(tmp_path / "authinflux", auth=True)
    try:
        db = unique_db()
        influx.create_database(db)
        ok = InfluxTarget(influx.url, 1, db=db, rp="autogen", user=influx.admin_user, password=influx.admin_password)
        bridge = start_bridge(mosquitto, influx, db=db, create_db=False, target=ok)
        try:
            publish(mosquitto.port, envelope_messages(session_envelopes([3], sensor="v1auth")))
            wait_for(lambda: stored_reps(influx, db) == 3, 30, what="3 reps with user/password")
        finally:
            bridge.stop()
        with pytest.raises(Exception, match="credentials"):
            make_writer(InfluxTarget(influx.url, 1, db=db, user="admin", password="wrong")).write(["m f=1i 1"])
    finally:
        influx.stop()


def test_bridge_refuses_wrong_broker_password(mosquitto: Mosquitto, influxd: Influxd) -> None:
    from repcounter.errors import UserError

    url = f"mqtt://{mosquitto.user}:wrong@127.0.0.1:{mosquitto.auth_port}"
    bridge = Bridge(parse_broker_url(url), make_writer(InfluxTarget(influxd.url, 1, db="x")))
    with pytest.raises(UserError, match="refused"):
        bridge.start()


async def test_whole_path_survives_broker_crash_mid_set(fresh_mosquitto: Mosquitto, influxd: Influxd, tmp_path) -> None:
    """Gateway sink -> broker (SIGKILL mid-set, restarted) -> bridge (shared subscription) -> influxd: every rep once."""
    from repcounter.sinks.mqtt import MqttSink

    broker = fresh_mosquitto
    bridge = start_bridge(broker, influxd, client_id="crash-bridge", share_group="crash")
    db = bridge.db
    time.sleep(1.5)  # the broker autosaves the bridge's session
    session = SessionInfo.new("test")
    envs = session_envelopes([12, 6], sensor="crash", session=session)
    sink = MqttSink(parse_broker_url(broker.url), queue_dir=tmp_path / "q", gateway_id="gw-crash")
    await sink.open(session)
    try:
        for env in envs[:10]:
            await sink.handle(env)
        wait_for(lambda: stored_reps(influxd, db) >= 3, 30, what="first reps")
        broker.kill()
        for env in envs[10:30]:
            await sink.handle(env)
        broker.start()
        for env in envs[30:]:
            await sink.handle(env)
        await sink.close()
        wait_for(lambda: stored_reps(influxd, db) == 18 and influxd.count("sets", "rep_count", db) == 2, 60,
                 what="18 reps and 2 sets")
    finally:
        bridge.stop()
    rows = influxd.rows("SELECT set_index, rep_index FROM reps", db)
    assert sorted((r["set_index"], r["rep_index"]) for r in rows) == [(1, i) for i in range(1, 13)] + [(2, i) for i in range(1, 7)]


def test_influxdb3_style_bucket_without_org(mosquitto: Mosquitto, influxd: Influxd) -> None:
    """3.x takes the same /api/v2/write with the database as bucket and no org: influxdb-client with org ''."""
    db = unique_db()
    influxd.create_database(db)
    proxy = InfluxV2Proxy(influxd, token="v3-token", org="").start()
    try:
        target = InfluxTarget(proxy.url, 3, token="v3-token", bucket=db)
        bridge = start_bridge(mosquitto, influxd, db=db, create_db=False, target=target)
        try:
            publish(mosquitto.port, envelope_messages(session_envelopes([2], sensor="v3")))
            wait_for(lambda: stored_reps(influxd, db) == 2, 30, what="2 reps via the v3-style write")
        finally:
            bridge.stop()
    finally:
        proxy.stop()


def test_dead_gateway_marks_its_sensors_offline(mosquitto: Mosquitto, influxd: Influxd, tmp_path) -> None:
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    proc = doomed_gateway(mosquitto.url, str(tmp_path / "q"), "gw-dies", """
        await sink.handle_status(SensorStatus('lw-sensor', 'online', 'connected', time.time(), battery_pct=50))
        while len(sink.disk):
            await asyncio.sleep(0.05)
    """)
    try:
        assert proc.stdout.readline().strip() == "ready"
        wait_for(lambda: influxd.count("sensor_status", "state", db) == 1, 30, what="online status")
        proc.kill()  # the broker publishes the gateway's last will
        proc.wait(10)
        wait_for(lambda: influxd.count("sensor_status", "state", db) == 2, 30, what="offline from the last will")
    finally:
        proc.kill()
        bridge.stop()
    last = influxd.rows('SELECT LAST("state") FROM sensor_status WHERE "sensor" = \'lw-sensor\'', db)[0]
    assert last["last"] == "offline"


def test_fast_rep_lines_equal_the_generic_line_builder() -> None:
    from repcounter.bridge.points import rep_lines, rep_lines_generic

    msgs = [json.loads(p) for t, p in envelope_messages(session_envelopes([4, 3], sensor="a b,c=d")) if t.endswith("/rep")]
    odd = dict(msgs[0], stage=None, concentric_s=1, eccentric_s=float("nan"), rom_deg=float("inf"), confidence=None,
               exercise='we"ird\\ex', partial=True)
    del odd["stage"]
    for p in msgs + [odd, dict(odd, peak_speed_dps=True, pause_top_s=-0.0)]:
        assert rep_lines(p) == rep_lines_generic(p)


def test_bulk_parser_handles_packets_split_across_reads_and_qos0(mosquitto: Mosquitto, influxd: Influxd) -> None:
    """A 200 KB rep message spans several 64 KiB reads (paho assembles it), the rest is parsed in bulk."""
    bridge = start_bridge(mosquitto, influxd)
    db = bridge.db
    reps = [m for m in envelope_messages(session_envelopes([6], sensor="bulk")) if m[0].endswith("/rep")
            and b'"completed"' in m[1]]
    big = json.loads(reps[2][1])
    big["note"] = "x" * 200_000  # unknown fields are allowed (and ignored)
    try:
        publish(mosquitto.port, reps[:2] + [(reps[2][0], json.dumps(big))] + reps[3:5])
        publish(mosquitto.port, reps[5:], qos=0)
        wait_for(lambda: stored_reps(influxd, db) == 6, 30, what="6 reps, one of them 200 KB")
        wait_for(lambda: bridge.stats.acked >= max(5, bridge.stats.received - 1), 10, what="QoS 1 acks")
    finally:
        bridge.stop()
    rows = influxd.rows("SELECT rep_index, eccentric_s FROM reps ORDER BY time", db)
    assert [r["rep_index"] for r in rows] == [1, 2, 3, 4, 5, 6] and rows[2]["eccentric_s"] == pytest.approx(1.8)
    # everything but the QoS 0 rep is acknowledged (retained messages of earlier tests on this broker included)
    assert bridge.stats.dead_letters == 0 and bridge.stats.by_kind["rep"] == 6
    assert bridge.stats.acked == bridge.stats.received - 1


def test_bridge_over_mqtt_311_parses_without_properties(mosquitto: Mosquitto, influxd: Influxd) -> None:
    """The bulk parser reads MQTT 3.1.1 PUBLISH packets (no properties field) too."""
    import uuid

    db = unique_db()
    influxd.create_database(db)
    bridge = Bridge(parse_broker_url(mosquitto.url), make_writer(InfluxTarget(influxd.url, 1, db=db)),
                    client_id=f"b311-{uuid.uuid4().hex[:6]}", share_group=f"g-{uuid.uuid4().hex[:6]}")
    bridge.protocol_v5 = False
    bridge.start()
    try:
        publish(mosquitto.port, envelope_messages(session_envelopes([4], sensor="v311")))
        wait_for(lambda: influxd.count("reps", "completed", db) == 4, 30, what="4 completed reps over 3.1.1")
    finally:
        bridge.stop()
    rows = influxd.rows("SELECT rep_index, eccentric_s FROM reps ORDER BY time", db)
    assert [(r["rep_index"], r["eccentric_s"]) for r in rows] == [(i, pytest.approx(1.8)) for i in (1, 2, 3, 4)]
    assert not bridge.protocol_v5 and bridge.stats.dead_letters == 0
