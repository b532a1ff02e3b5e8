"""The local history store: what goes in through the live path comes back out, survives a kill -9, and
bad database files give one clear line."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.errors import UserError
from repcounter.history.db import SCHEMA_VERSION, HistoryStore
from repcounter.sinks.base import SessionInfo
from repcounter.sinks.store import StoreSink

from store_harness import (
    DEFAULT_WORKOUT, CollectSink, make_rep, run_scripted, scripted_workout,
)

HARNESS = Path(__file__).resolve().parent / "store_harness.py"


def _close(a: float | None, b: float, tol: float = 1e-6) -> bool:
    return a is not None and math.isclose(a, b, abs_tol=tol)


async def test_live_path_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    collect = CollectSink()
    result = await run_scripted(str(db), speed=0.0, extra_sinks=[collect])
    ended = [e for e in collect.envelopes if isinstance(e.event, SetEnded)]
    assert [e.event.summary.rep_count for e in ended] == [n for _, n in DEFAULT_WORKOUT]

    store = HistoryStore(db)
    [row] = store.sessions()
    assert row["session_id"] == result.session.session_id
    assert row["set_count"] == len(DEFAULT_WORKOUT)
    assert row["rep_count"] == sum(n for _, n in DEFAULT_WORKOUT)
    assert row["exercises"] == [ex for ex, _ in DEFAULT_WORKOUT]
    assert row["sensor_ids"] == ["left-wrist"]
    assert row["status"] == "done"

    detail = store.session(row["session_id"])
    assert detail is not None
    for stored, env in zip(detail["sets"], ended):
        summary = env.event.summary
        assert stored["status"] == "done"
        assert stored["exercise"] == summary.exercise
        assert stored["tempo"] == summary.tempo
        assert _close(stored["start_at"], env.to_wall(summary.start))
        assert _close(stored["end_at"], env.to_wall(summary.end))
        assert _close(stored["slowdown_pct"], summary.slowdown_pct)
        assert stored["partial_reps"] == list(summary.partial_reps)
        assert [r["index"] for r in stored["reps"]] == [r.index for r in summary.reps]
        for got, rep in zip(stored["reps"], summary.reps):
            assert _close(got["start_at"], env.to_wall(rep.start))
            assert _close(got["end_at"], env.to_wall(rep.end))
            assert _close(got["eccentric_s"], rep.eccentric_s)
            assert got["partial"] == (rep.index in summary.partial_reps)
            assert got["completed"]
    # the raw samples were kept and referenced
    raw = Path(detail["recordings"]["left-wrist"])
    assert raw.exists() and raw.read_text().count("\n") > 100

    trends = store.trends()
    assert [t["rep_count"] for t in trends] == [n for _, n in DEFAULT_WORKOUT]
    assert [t["partial_count"] for t in trends] == [0, 0, 1]
    assert [t["started_at"] for t in trends] == sorted(t["started_at"] for t in trends)
    assert [t["exercise"] for t in store.trends("seated_row")] == ["seated_row"]
    assert store.exercises() == ["pullup", "lat_pulldown", "seated_row"]
    store.close()


async def test_reps_stored_when_announced_and_summary_has_last_word(tmp_path: Path) -> None:
    """A rep is readable right after RepAnnounced, gets its tempo at RepCompleted, and SetEnded's reps win."""
    db = tmp_path / "h.sqlite3"
    session = SessionInfo.new("unit", started_at=1_750_000_000.0)
    sink = StoreSink(db)
    await sink.open(session)
    reader = HistoryStore(db)
    from repcounter.sinks.base import EventEnvelope

    seq = iter(range(100))

    def env(ev):  # type: ignore[no-untyped-def]
        return EventEnvelope("w", session.session_id, next(seq), ev, 0.0, 0.0, 10.0, 1_750_000_100.0)

    await sink.handle(env(SetStarted(3.0, 1, 2.0, "auto_guess")))
    await sink.handle(env(RepAnnounced(3.1, 1, make_rep(1, 2.0, done=False), "pullup")))
    s = reader.session(session.session_id)["sets"][0]
    assert s["status"] == "in_progress" and s["rep_count"] == 1 and s["exercise"] == "pullup"
    assert s["reps"][0]["eccentric_s"] is None and not s["reps"][0]["completed"]
    assert _close(s["reps"][0]["start_at"], 1_750_000_100.0 - 8.0)

    await sink.handle(env(RepCompleted(6.0, 1, make_rep(1, 2.0, ecc=2.5), "pullup")))
    await sink.handle(env(RepAnnounced(7.0, 1, make_rep(2, 6.0, done=False), "pullup")))
    s = reader.session(session.session_id)["sets"][0]
    assert _close(s["reps"][0]["eccentric_s"], 2.5) and s["reps"][0]["completed"]
    assert s["rep_count"] == 2

    # the engine's summary drops rep 2 (it was not a real rep): the stored set follows the summary
    events = scripted_workout([("pullup", 1)], t0=2.0)
    summary = [e for e in events if isinstance(e, SetEnded)][0]
    await sink.handle(env(summary))
    s = reader.session(session.session_id)["sets"][0]
    assert s["status"] == "done" and s["rep_count"] == 1 and [r["index"] for r in s["reps"]] == [1]
    await sink.close()
    assert reader.sessions()[0]["status"] == "done"
    reader.close()


async def test_readers_in_other_threads_while_writing(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    HistoryStore(db).close()
    reader = HistoryStore(db)
    seen_by: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    stop = threading.Event()

    def poll(seen: list[int]) -> None:
        while True:
            last_round = stop.is_set()  # one more read after the writer has finished
            try:
                rows = reader.sessions()
                if rows:
                    seen.append(rows[0]["rep_count"])
                    reader.trends()
                    reader.session(rows[0]["session_id"])
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test
                errors.append(exc)
                return
            if last_round:
                return
            time.sleep(0.005)

    threads = [threading.Thread(target=poll, args=(seen,)) for seen in seen_by]
    for t in threads:
        t.start()
    try:
        await run_scripted(str(db), speed=40.0)
    finally:
        stop.set()
        for t in threads:
            t.join(10)
    reader.close()
    assert not errors, errors
    for seen in seen_by:
        assert seen == sorted(seen), "rep counts seen by a reader never go backwards"
        assert len(set(seen)) > 5, f"the reader saw the count rise while the session ran: {sorted(set(seen))}"
        assert seen[-1] == sum(n for _, n in DEFAULT_WORKOUT)


def test_killed_mid_set_keeps_what_was_recorded(tmp_path: Path) -> None:
    """SIGKILL the writer in the middle of a set: every event it reported is in the store afterwards."""
    db = tmp_path / "h.sqlite3"
    proc = subprocess.Popen([sys.executable, str(HARNESS), str(db), "8"], stdout=subprocess.PIPE, text=True,
                            cwd=tmp_path)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "harness ended early"
            lines.append(line.split())
            if lines[-1][:2] == ["rep_announced", "2"] and lines[-1][2] == "3":
                break  # set 2, rep 3 announced but not completed
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = HistoryStore(db)
    [row] = store.sessions()
    assert row["status"] == "interrupted"
    detail = store.session(row["session_id"])
    sets = {s["set_index"]: s for s in detail["sets"]}
    assert sets[1]["status"] == "done" and sets[1]["rep_count"] == DEFAULT_WORKOUT[0][1]
    assert sets[2]["status"] == "interrupted"
    announced = {(int(a), int(b)) for kind, a, b in lines if kind == "rep_announced"}
    completed = {(int(a), int(b)) for kind, a, b in lines if kind == "rep_completed"}
    stored = {(s["set_index"], r["index"]) for s in detail["sets"] for r in s["reps"]}
    stored_done = {(s["set_index"], r["index"]) for s in detail["sets"] for r in s["reps"] if r["completed"]}
    assert announced <= stored
    assert completed <= stored_done
    assert [r["index"] for r in sets[2]["reps"]][:3] == [1, 2, 3]
    assert sets[2]["mean_concentric_s"] is not None and sets[2]["time_under_tension_s"] > 0
    # the raw recording written before the kill is readable
    from repcounter.recording import read_recording

    rec = read_recording(detail["recordings"]["left-wrist"])
    assert len(rec.samples) > 100
    store.close()


def test_bad_database_files_give_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("this is not a database\n" * 50)
    with pytest.raises(UserError, match="notes.txt"):
        HistoryStore(text)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(UserError, match="not a repcounter history"):
        HistoryStore(other)
    newer = tmp_path / "newer.sqlite3"
    HistoryStore(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UserError, match="newer"):
        HistoryStore(newer)
    with pytest.raises(UserError, match="directory"):
        HistoryStore(tmp_path)
    with pytest.raises(UserError, match="not a folder"):
        HistoryStore(text / "h.sqlite3")
    for exc_path in (text, other, newer):
        try:
            HistoryStore(exc_path)
        except UserError as exc:
            assert "\n" not in str(exc)


async def test_reopen_keeps_data_and_resolves_ids(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    first = await run_scripted(str(db), speed=0.0)
    second = await run_scripted(str(db), speed=0.0)
    store = HistoryStore(db)
    assert store.journal_mode == "wal"
    ids = [s["session_id"] for s in store.sessions()]
    assert set(ids) == {first.session.session_id, second.session.session_id}
    assert store.resolve("last") == ids[0]
    assert store.resolve(first.session.session_id) == first.session.session_id
    unique = next(n for n in range(1, 30) if first.session.session_id[:n] != second.session.session_id[:n])
    assert store.resolve(first.session.session_id[:unique]) == first.session.session_id
    with pytest.raises(UserError, match="ambiguous"):
        store.resolve(first.session.session_id[: unique - 1])
    with pytest.raises(UserError, match="no session"):
        store.resolve("1999")
    assert store.delete_session(first.session.session_id)
    assert [s["session_id"] for s in store.sessions()] == [second.session.session_id]
    assert store.trends() and all(t["session_id"] == second.session.session_id for t in store.trends())
    store.close()


def test_trends_window_in_days(tmp_path: Path) -> None:
    """Sets older than the window are left out; newest last."""
    import asyncio

    db = tmp_path / "h.sqlite3"

    async def at(started: float) -> None:
        from repcounter.sinks.base import EventEnvelope

        session = SessionInfo.new("unit", started_at=started)
        sink = StoreSink(db, keep_raw=False)
        await sink.open(session)
        for i, ev in enumerate(scripted_workout([("chinup", 5)])):
            await sink.handle(EventEnvelope("w", session.session_id, i, ev, 0.0, 0.0, 0.0, started))
        await sink.close()

    now = time.time()
    asyncio.run(at(now - 40 * 86400))
    asyncio.run(at(now - 3 * 86400))
    store = HistoryStore(db)
    assert len(store.trends("chinup", days=90)) == 2
    recent = store.trends("chinup", days=10)
    assert len(recent) == 1 and recent[0]["started_at"] > now - 4 * 86400
    assert store.trends("pullup") == []
    store.close()


def test_replay_killed_mid_set_keeps_announced_reps(tmp_path: Path) -> None:
    """The real path: `repcounter replay --store` of a simulated recording, SIGKILLed in the middle of a set.

    Whatever a reader saw in the store before the kill, and every rep the process printed before it (but the
    last line, which it may print just before committing), is in the store afterwards."""
    import json

    from repcounter.recording import write_recording
    from repcounter.sources.simulator import SetPlan, simulate_session

    plan = [SetPlan("seated_row", 8, (2.0, 0.0, 1.0, 1.0), rest_after_s=25.0),
            SetPlan("lat_pulldown", 14, (2.0, 0.5, 1.0, 0.0), rest_after_s=30.0)]
    sim = simulate_session(plan, 50.0, seed=21)
    rec = tmp_path / "two_sets.csv"
    write_recording(rec, sim.samples)
    second_start = sim.truth["sets"][1]["start"]
    db = tmp_path / "h.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "repcounter", "replay", str(rec), "--speed", "6", "--events-json",
                             "--store", str(db)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen_before_kill: set[tuple[int, int]] = set()
    try:
        deadline = time.monotonic() + 150
        reader = None
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            if reader is None:
                if not db.exists():
                    continue
                reader = HistoryStore(db)
            rows = reader.sessions()
            if not rows:
                continue
            detail = reader.session(rows[0]["session_id"])
            open_sets = [s for s in detail["sets"] if s["status"] == "in_progress"
                         and s["start_at"] is not None and s["rep_count"] >= 3]
            late = [s for s in open_sets if s["reps"][0]["start_at"] - detail["started_at"] > second_start - 30]
            if late:
                seen_before_kill = {(s["set_index"], r["index"]) for s in detail["sets"] for r in s["reps"]}
                break
        assert proc.poll() is None, "replay ended before the second set was under way"
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        if reader is not None:
            reader.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    printed = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    announced = [(e["set_index"], e["rep"]["index"]) for e in printed[:-1] if e["kind"] == "rep_announced"]
    assert len(seen_before_kill) >= 3 and announced

    store = HistoryStore(db)
    [row] = store.sessions()
    assert row["status"] == "interrupted"
    detail = store.session(row["session_id"])
    stored = {(s["set_index"], r["index"]) for s in detail["sets"] for r in s["reps"]}
    assert seen_before_kill <= stored
    assert set(announced) <= stored
    assert any(s["status"] == "interrupted" and s["rep_count"] >= 3 for s in detail["sets"])
    assert detail["recording_path"] == str(rec)
    store.close()


async def test_writes_held_back_while_the_file_is_locked_are_saved_later(tmp_path: Path) -> None:
    """Another process holds the write lock for a while: the sink keeps the events and saves them, in order."""
    from repcounter.sinks.base import EventEnvelope

    db = tmp_path / "h.sqlite3"
    session = SessionInfo.new("unit", started_at=1_750_000_000.0)
    sink = StoreSink(db, keep_raw=False, busy_timeout_s=0.1)
    await sink.open(session)
    events = scripted_workout([("pullup", 5), ("chinup", 4)])
    envs = [EventEnvelope("w", session.session_id, i, ev, 0.0, 0.0, 0.0, session.started_at)
            for i, ev in enumerate(events)]
    blocker = sqlite3.connect(db, isolation_level=None)
    half = 13  # the lock covers set 1's end and set 2's start
    assert isinstance(envs[11].event, SetEnded) and isinstance(envs[12].event, SetStarted)
    for env in envs[:3]:
        await sink.handle(env)
    blocker.execute("BEGIN IMMEDIATE")  # like another process in the middle of a long write
    blocker.execute("UPDATE sessions SET source='x' WHERE 0")
    for env in envs[3:half]:
        await sink.handle(env)
    reader = HistoryStore(db)
    assert reader.sessions()[0]["rep_count"] <= 2, "nothing written while the lock is held"
    blocker.execute("COMMIT")
    blocker.close()
    for env in envs[half:]:
        await sink.handle(env)
    await sink.close()
    detail = reader.session(session.session_id)
    assert [s["rep_count"] for s in detail["sets"]] == [5, 4]
    assert all(s["status"] == "done" for s in detail["sets"]) and detail["status"] == "done"
    assert all(r["completed"] for s in detail["sets"] for r in s["reps"])
    reader.close()
