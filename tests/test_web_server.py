"""The dashboard server without a browser: address parsing, live state, HTTP routes, SSE push, history API."""

from __future__ import annotations

import asyncio
import json
import math
import time
from pathlib import Path

import pytest

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.errors import UserError
from repcounter.sinks.base import EventEnvelope, SessionInfo
from repcounter.sinks.store import StoreSink
from repcounter.sources.base import SensorStatus
from repcounter.web.live import LiveState, tension_s
from repcounter.web.server import DashboardServer, WebSink, parse_http_address
from tests.web_harness import PlannedSet, scripted_workout

PLAN = [PlannedSet("pullup", 4, partial=(4,)), PlannedSet("seated_row", 3)]


def envelopes(session: SessionInfo, sensor: str, plan: list[PlannedSet], origin_wall: float) -> list[EventEnvelope]:
    events, _ = scripted_workout(plan)
    return [EventEnvelope(sensor, session.session_id, i, e, time.time(), time.time(), 0.0, origin_wall)
            for i, e in enumerate(events)]


# ---- pure parts ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)), (":0", ("127.0.0.1", 0)), ("8080", ("127.0.0.1", 8080)),
    ("0.0.0.0:80", ("0.0.0.0", 80)), ("[::1]:9000", ("::1", 9000)), ("localhost:1", ("localhost", 1)),
])
def test_parse_http_address(text: str, expected: tuple[str, int]) -> None:
    assert parse_http_address(text) == expected


@pytest.mark.parametrize("text", ["127.0.0.1:http", "127.0.0.1:70000", "[::1]", "", "host:"])
def test_parse_http_address_rejects(text: str) -> None:
    with pytest.raises(UserError, match="--http"):
        parse_http_address(text)


def test_live_state_follows_a_workout() -> None:
    session = SessionInfo.new("test")
    state = LiveState()
    state.open_session(session)
    envs = envelopes(session, "left", PLAN, 1000.0)
    counts = []
    for env in envs:
        card = state.apply_event(env)
        if isinstance(env.event, RepAnnounced):
            counts.append(card.to_dict()["rep_count"])
        if isinstance(env.event, RepCompleted):  # the completed rep replaced its announcement, same index
            assert [r["index"] for r in card.reps] == list(range(1, env.event.rep.index + 1))
            assert card.reps[-1]["complete"] and card.reps[-1]["eccentric_s"] == env.event.rep.eccentric_s
    assert counts == [1, 2, 3, 4, 1, 2, 3]
    d = state.snapshot()["sensors"][0]
    assert (d["in_set"], d["set_index"], d["exercise"], d["total_reps"]) == (False, 2, "seated_row", 7)
    assert [(s["set_index"], s["exercise"], s["rep_count"], s["partial_reps"]) for s in d["sets"]] == [
        (1, "pullup", 4, [4]), (2, "seated_row", 3, [])]
    last_summary = [e.event.summary for e in envs if isinstance(e.event, SetEnded)][-1]
    assert d["time_under_tension_s"] == pytest.approx(last_summary.time_under_tension_s, abs=1e-3)
    assert d["last_set_ended_at"] == pytest.approx(1000.0 + last_summary.end)
    json.dumps(d, allow_nan=False)  # announced reps carry NaN phases: the card must still be valid JSON


def test_live_state_joins_mid_set_and_tracks_status() -> None:
    session = SessionInfo.new("test")
    state = LiveState()
    envs = [e for e in envelopes(session, "right", PLAN[:1], 0.0) if not isinstance(e.event, SetStarted)]
    card = state.apply_event(envs[2])  # first event seen is rep 2's announcement: the set is taken as running
    assert card.in_set and card.set_index == 1 and [r["index"] for r in card.reps] == [2]
    state.apply_status(SensorStatus("right", "dropout", "Lost the sensor - reconnecting...", 5.0, 3, 0, 80))
    state.apply_status(SensorStatus("right", "online", "Back", 6.0, 3))
    d = state.card("right").to_dict()
    assert (d["state"], d["message"], d["battery_pct"], d["dropped_packets"]) == ("online", "Back", 80, 3)


def test_tension_ignores_missing_phases() -> None:
    assert tension_s({"concentric_s": 1.0, "pause_top_s": None, "eccentric_s": math.nan, "pause_bottom_s": 2.0}) == 1.0


# ---- HTTP ---------------------------------------------------------------------------------------------------
async def request(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(raw)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 30)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


async def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    return await request(port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())


@pytest.fixture
async def server(tmp_path: Path):
    srv = DashboardServer("127.0.0.1", 0, tmp_path / "history.sqlite3")
    await srv.start()
    yield srv
    await srv.stop()


async def test_pages_and_static_files(server: DashboardServer) -> None:
    for path, marker in [("/", b'src="/static/live.js"'), ("/history", b"history.js"), ("/history/", b"history.js"),
                         ("/history/abc", b"session.js"), ("/trends?exercise=pullup", b"uPlot.iife.min.js")]:
        status, headers, body = await get(server.port, path)
        assert status == 200 and headers["content-type"].startswith("text/html") and marker in body, path
        assert int(headers["content-length"]) == len(body)
    status, headers, body = await get(server.port, "/static/vendor/uplot/uPlot.iife.min.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and b"uPlot" in body
    status, headers, body = await get(server.port, "/static/app.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    status, headers, body = await request(server.port, b"HEAD / HTTP/1.1\r\n\r\n")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 100


@pytest.mark.parametrize("raw,code", [
    (b"GET /nope HTTP/1.1\r\n\r\n", 404),
    (b"GET /static/../server.py HTTP/1.1\r\n\r\n", 404),
    (b"GET /static/%2e%2e/server.py HTTP/1.1\r\n\r\n", 404),
    (b"GET /static/../../../../etc/passwd HTTP/1.1\r\n\r\n", 404),
    (b"POST /api/sessions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 413),
    (b"DELETE / HTTP/1.1\r\n\r\n", 405),
    (b"hello\r\n\r\n", 400),
    (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 100 + b"\r\n", 400),
    (b"GET / HTTP/1.1\r\nbroken header\r\n\r\n", 400),
    (b"GET /api/trends?days=many HTTP/1.1\r\n\r\n", 400),
    (b"GET /api/sessions?limit=0 HTTP/1.1\r\n\r\n", 400),
])
async def test_bad_requests_get_a_clear_status(server: DashboardServer, raw: bytes, code: int) -> None:
    status, _, body = await request(server.port, raw)
    assert status == code
    if code != 405:
        assert json.loads(body)["error"]
    # the server is still fine afterwards
    assert (await get(server.port, "/"))[0] == 200


async def test_port_in_use_is_a_user_error(server: DashboardServer) -> None:
    other = DashboardServer("127.0.0.1", server.port)
    with pytest.raises(UserError, match=f"127.0.0.1:{server.port}"):
        await other.start()


# ---- server-sent events ---------------------------------------------------------------------------------------
class SseClient:
    """A raw /events reader: parses ``data:`` messages."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> "SseClient":
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /events HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        assert b" 200 " in head.split(b"\r\n")[0] and b"text/event-stream" in head
        return cls(reader, writer)

    async def message(self) -> dict:
        while True:
            block = await asyncio.wait_for(self.reader.readuntil(b"\n\n"), 30)
            data = [line[6:] for line in block.decode().split("\n") if line.startswith("data: ")]
            if data:
                return json.loads("\n".join(data))

    def close(self) -> None:
        self.writer.close()


async def test_events_stream_snapshot_then_push(tmp_path: Path) -> None:
    sink = WebSink("127.0.0.1", 0, tmp_path / "h.sqlite3", announce=False)
    session = SessionInfo.new("test")
    await sink.open(session)
    try:
        first = await SseClient.connect(sink.server.port)
        snap = await first.message()
        assert snap["type"] == "snapshot" and snap["session"]["session_id"] == session.session_id
        assert snap["sensors"] == []
        await sink.handle_status(SensorStatus("left", "online", "Connected", time.time()))
        envs = envelopes(session, "left", PLAN, time.time())
        for env in envs[:5]:  # set 1 started + reps 1, 2 announced/completed
            await sink.handle(env)
        status = await first.message()
        assert status["type"] == "status" and status["card"]["state"] == "online"
        pushed = [await first.message() for _ in range(5)]
        assert [m["event"]["kind"] for m in pushed] == [e.event.kind for e in envs[:5]]
        assert [m["event"]["seq"] for m in pushed] == [0, 1, 2, 3, 4]
        assert pushed[-1]["card"]["rep_count"] == 2
        assert all(m["event"]["emitted_at"] == e.emitted_at for m, e in zip(pushed, envs))

        # a page opened mid-set gets the current set at once
        late = await SseClient.connect(sink.server.port)
        snap = await late.message()
        (card,) = snap["sensors"]
        assert card["in_set"] and card["rep_count"] == 2 and card["exercise"] == "pullup"
        for env in envs[5:]:
            await sink.handle(env)
        rest = [await late.message() for _ in envs[5:]]
        assert rest[-1]["card"]["sets"][-1]["rep_count"] == 3 and rest[-1]["card"]["total_reps"] == 7
        assert sink.server.client_count == 2
    finally:
        await sink.close()
    end = await late.message()
    assert end["type"] == "ended"
    assert await asyncio.wait_for(late.reader.read(), 10) == b""  # stream closed by the server
    first.close()
    late.close()


async def test_slow_page_is_dropped_not_the_server(tmp_path: Path) -> None:
    sink = WebSink("127.0.0.1", 0, None, announce=False)
    session = SessionInfo.new("test")
    await sink.open(session)
    try:
        stuck = await SseClient.connect(sink.server.port)  # never reads again
        envs = envelopes(session, "left", [PlannedSet("pullup", 30)], time.time())
        deadline = time.monotonic() + 60
        while sink.server.client_count and time.monotonic() < deadline:
            for env in envs:
                await sink.handle(env)
            await asyncio.sleep(0)
        assert sink.server.client_count == 0
        fresh = await SseClient.connect(sink.server.port)
        assert (await fresh.message())["sensors"][0]["total_reps"] == 30
        fresh.close()
        stuck.close()
    finally:
        await sink.close()


async def test_stay_keeps_serving_until_cancelled(tmp_path: Path) -> None:
    sink = WebSink("127.0.0.1", 0, None, stay=True, announce=False)
    await sink.open(SessionInfo.new("test"))
    closing = asyncio.create_task(sink.close())
    await asyncio.sleep(0.2)
    status, _, body = await get(sink.server.port, "/api/live")
    assert status == 200 and json.loads(body)["ended"] is True
    assert not closing.done()
    port = sink.server.port
    closing.cancel()
    await asyncio.wait_for(closing, 10)  # close() ends normally: the pipeline goes on closing other sinks
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


# ---- history API ----------------------------------------------------------------------------------------------
async def store_session(path: Path, started_at: float, plan: list[PlannedSet], sensor: str = "left") -> str:
    session = SessionInfo.new("test workout", started_at=started_at)
    sink = StoreSink(path)
    await sink.open(session)
    for env in envelopes(session, sensor, plan, started_at):
        await sink.handle(env)
    await sink.close()
    return session.session_id


async def test_history_api_reads_the_store(tmp_path: Path, server: DashboardServer) -> None:
    status, _, body = await get(server.port, "/api/sessions")
    assert status == 200 and json.loads(body) == []  # no store file yet
    now = time.time()
    ids = [await store_session(server.store_path, now - weeks * 7 * 86400, plan)
           for weeks, plan in [(2, PLAN), (1, PLAN[:1]), (0, [PlannedSet("pullup", 6)])]]
    sessions = json.loads((await get(server.port, "/api/sessions"))[2])
    assert [s["session_id"] for s in sessions] == ids[::-1]
    assert [(s["set_count"], s["rep_count"]) for s in sessions] == [(1, 6), (1, 4), (2, 7)]
    status, _, body = await get(server.port, f"/api/sessions/{ids[0]}")
    detail = json.loads(body)
    assert status == 200 and [(s["exercise"], s["rep_count"]) for s in detail["sets"]] == [("pullup", 4), ("seated_row", 3)]
    assert [r["partial"] for r in detail["sets"][0]["reps"]] == [False, False, False, True]
    assert detail["sets"][0]["reps"][1]["eccentric_s"] == pytest.approx(1.6)
    assert (await get(server.port, "/api/sessions/nope"))[0] == 404

    trends = json.loads((await get(server.port, "/api/trends?exercise=pullup&days=90"))[2])
    assert trends["exercises"] == ["pullup", "seated_row"]
    assert [w["reps"] for w in trends["weeks"]] == [4, 4, 6]
    assert [w["partial_reps"] for w in trends["weeks"]] == [1, 1, 0]
    assert all(w["sets"] == 1 for w in trends["weeks"])
    recent = json.loads((await get(server.port, "/api/trends?exercise=pullup&days=3"))[2])
    assert [w["reps"] for w in recent["weeks"]] == [6]
    everything = json.loads((await get(server.port, "/api/trends"))[2])
    assert sum(w["reps"] for w in everything["weeks"]) == 17


async def test_history_api_on_a_file_that_is_not_a_history(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("shopping list\n" * 100)
    srv = DashboardServer("127.0.0.1", 0, bad)
    await srv.start()
    try:
        status, _, body = await get(srv.port, "/api/sessions")
        message = json.loads(body)["error"]
        assert status == 503 and str(bad) in message and "\n" not in message
        assert (await get(srv.port, "/"))[0] == 200  # the live page still works
    finally:
        await srv.stop()
