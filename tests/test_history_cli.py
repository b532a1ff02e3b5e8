"""`repcounter history`, `history show`, `history --plot`, `export` and `import` on a real store."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from repcounter.cli import main
from repcounter.history.db import HistoryStore
from repcounter.recording import write_recording

from store_harness import DEFAULT_WORKOUT, run_scripted


@pytest.fixture
def filled_store(tmp_path: Path) -> tuple[Path, list[str]]:
    db = tmp_path / "h.sqlite3"
    ids = [asyncio.run(run_scripted(str(db), speed=0.0)).session.session_id for _ in range(2)]
    return db, ids


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_lists_sessions_newest_first(filled_store, capsys) -> None:  # type: ignore[no-untyped-def]
    db, ids = filled_store
    code, out, _ = run_cli(capsys, "history", "--store", str(db))
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:5] == ["SESSION", "STARTED", "LENGTH", "SETS", "REPS"]
    assert [line.split()[0] for line in lines[1:]] == ids[::-1]
    total = sum(n for _, n in DEFAULT_WORKOUT)
    assert all(line.split()[4:6] == ["3", str(total)] for line in lines[1:])
    assert "pull-up, lat pulldown, seated cable row" in lines[1]
    code, out, _ = run_cli(capsys, "history", "--store", str(db), "--json")
    assert [s["session_id"] for s in json.loads(out)] == ids[::-1]


def test_history_empty_store_says_how_to_start(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli(capsys, "history")
    assert code == 0 and "No sessions yet" in out and "repcounter demo" in out


def test_history_show_sets_reps_and_tempo(filled_store, capsys) -> None:  # type: ignore[no-untyped-def]
    db, ids = filled_store
    code, out, _ = run_cli(capsys, "history", "show", "last", "--store", str(db))
    assert code == 0
    assert out.startswith(f"Session {ids[1]}")
    assert "Set 1 (left-wrist)" in out and "6 reps of pull-up" in out and "10 reps of seated cable row" in out
    assert "partial: 10" in out
    rep_rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit() and "deg" in line]
    assert len(rep_rows) == sum(n for _, n in DEFAULT_WORKOUT)
    store = HistoryStore(db)
    detail = store.session(ids[1])
    store.close()
    first = detail["sets"][0]["reps"][5]
    assert rep_rows[5][:5] == ["6", f"{first['concentric_s']:.1f}s", f"{first['pause_top_s']:.1f}s",
                               f"{first['eccentric_s']:.1f}s", f"{first['pause_bottom_s']:.1f}s"]
    # unique prefix works, an ambiguous one is one line on stderr with exit code 2
    prefix = next(ids[0][:n] for n in range(1, 40) if ids[0][:n] != ids[1][:n])
    code, out, _ = run_cli(capsys, "history", "show", prefix, "--store", str(db))
    assert code == 0 and out.startswith(f"Session {ids[0]}")
    code, out, err = run_cli(capsys, "history", "show", prefix[:-1], "--store", str(db))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "ambiguous" in err
    code, _, err = run_cli(capsys, "history", "show", "--store", str(db))
    assert code == 2 and "needs a session" in err


def test_history_plot_writes_png(filled_store, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, _ = filled_store
    out_png = tmp_path / "trends.png"
    code, out, _ = run_cli(capsys, "history", "--store", str(db), "--plot", str(out_png))
    assert code == 0 and "6 sets" in out
    data = out_png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    code, out, _ = run_cli(capsys, "history", "--store", str(db), "--plot", str(out_png), "--exercise", "pull-up")
    assert code == 0 and "2 sets" in out
    code, _, err = run_cli(capsys, "history", "--store", str(db), "--plot", str(out_png), "--exercise", "chinup")
    assert code == 2 and "nothing to plot" in err
    code, _, err = run_cli(capsys, "history", "--store", str(db), "--plot", str(tmp_path / "no" / "x.png"))
    assert code == 2 and "does not exist" in err


def test_export_csv_and_json(filled_store, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, ids = filled_store
    code, out, _ = run_cli(capsys, "export", ids[0], "--format", "json", "--store", str(db))
    assert code == 0
    data = json.loads(out)
    assert data["session_id"] == ids[0]
    assert [s["rep_count"] for s in data["sets"]] == [n for _, n in DEFAULT_WORKOUT]
    target = tmp_path / "out.csv"
    code, out, err = run_cli(capsys, "export", ids[0], "--format", "csv", "-o", str(target), "--store", str(db))
    assert code == 0 and out == "" and str(target) in err
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == sum(n for _, n in DEFAULT_WORKOUT)
    assert {r["session_id"] for r in rows} == {ids[0]}
    by_set = {}
    for r in rows:
        by_set.setdefault(int(r["set_index"]), []).append(r)
    for (exercise, n), s in zip(DEFAULT_WORKOUT, data["sets"]):
        got = by_set[s["set_index"]]
        assert [int(r["rep_index"]) for r in got] == list(range(1, n + 1))
        assert {r["exercise"] for r in got} == {exercise}
        for r, rep in zip(got, s["reps"]):
            assert float(r["eccentric_s"]) == pytest.approx(rep["eccentric_s"], abs=1e-3)
            assert int(r["partial"]) == int(rep["partial"])
    code, _, err = run_cli(capsys, "export", "nope", "--store", str(db))
    assert code == 2 and "no session 'nope'" in err


def _write_quiet_recording(path: Path, meta: dict[str, str] | None = None) -> None:
    t = np.arange(0, 20, 0.02)
    samples = np.zeros((len(t), 7))
    samples[:, 0] = t
    samples[:, 3] = 1.0
    write_recording(path, samples, meta)


def test_import_stores_a_session_and_refuses_duplicates(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    rec = tmp_path / "quiet.csv"
    _write_quiet_recording(rec, {"started_at": "1760000000"})
    db = tmp_path / "h.sqlite3"
    code, out, _ = run_cli(capsys, "import", str(rec), "--store", str(db))
    assert code == 0 and "Imported" in out
    store = HistoryStore(db)
    [row] = store.sessions()
    assert row["started_at"] == 1760000000.0 and row["recording_path"] == str(rec.resolve())
    assert row["status"] == "done" and row["sensor_ids"] == ["quiet"]
    store.close()
    code, _, err = run_cli(capsys, "import", str(rec), "--store", str(db))
    assert code == 2 and "already imported" in err and "--replace" in err
    code, _, _ = run_cli(capsys, "import", str(rec), "--store", str(db), "--replace", "--started-at", "2026-01-02T10:00")
    assert code == 0
    store = HistoryStore(db)
    [row2] = store.sessions()
    assert row2["session_id"] != row["session_id"]
    import datetime as dt

    assert row2["started_at"] == dt.datetime(2026, 1, 2, 10, 0).timestamp()
    store.close()


def test_import_bad_file_is_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("t,ax,ay,az,gx,gy,gz\n0,0,0,1,,,\n0.02,0,zero,1,,,\n")
    db = tmp_path / "h.sqlite3"
    code, out, err = run_cli(capsys, "import", str(bad), "--store", str(db))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and f"{bad}:3" in err and "ay" in err
    code, _, err = run_cli(capsys, "import", str(tmp_path / "missing.csv"), "--store", str(db))
    assert code == 2 and "no such file" in err
    code, _, err = run_cli(capsys, "import", str(bad), "--exercise", "squat", "--store", str(db))
    assert code == 2 and "unknown exercise" in err
    store = HistoryStore(db)
    assert store.sessions() == []
    store.close()


def test_import_stores_exactly_what_the_live_path_emits(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`import` of a simulated recording stores the same sets and reps as a replay's events."""
    from repcounter.engine.events import SetEnded
    from repcounter.pipeline import Pipeline
    from repcounter.sources.replay import ReplaySource
    from repcounter.sources.simulator import SetPlan, simulate_session

    from store_harness import CollectSink

    plan = [SetPlan("pullup", 7, (2.0, 0.5, 1.0, 0.0), rest_after_s=40.0, fatigue=0.3),
            SetPlan("bent_over_row", 9, (2.0, 0.0, 1.0, 1.0), rest_after_s=40.0, partial_reps=(9,))]
    sim = simulate_session(plan, 50.0, seed=5)
    rec = tmp_path / "session.csv"
    write_recording(rec, sim.samples)

    collect = CollectSink()
    asyncio.run(Pipeline(ReplaySource(str(rec), speed=0.0), [collect]).run())
    live_sets = [e.event.summary for e in collect.envelopes if isinstance(e.event, SetEnded)]
    assert live_sets, "the engine found no set in a simulated recording"

    db = tmp_path / "h.sqlite3"
    code, out, _ = run_cli(capsys, "import", str(rec), "--store", str(db), "--started-at", "2026-02-03T07:00")
    assert code == 0
    with HistoryStore(db) as store:
        [row] = store.sessions()
        detail = store.session(row["session_id"])
    assert [s["rep_count"] for s in detail["sets"]] == [s.rep_count for s in live_sets]
    assert [s["exercise"] for s in detail["sets"]] == [s.exercise for s in live_sets]
    assert [s["tempo"] for s in detail["sets"]] == [s.tempo for s in live_sets]
    import datetime as dt

    t0 = dt.datetime(2026, 2, 3, 7, 0).timestamp() - float(sim.samples[0, 0])
    for stored, live in zip(detail["sets"], live_sets):
        assert stored["start_at"] == pytest.approx(t0 + live.start, abs=1e-3)
        for r, lr in zip(stored["reps"], live.reps):
            assert r["start_at"] == pytest.approx(t0 + lr.start, abs=1e-3)
            assert r["concentric_s"] == pytest.approx(lr.concentric_s, abs=1e-9)
    assert f"{row['rep_count']} reps" in out and f"{len(live_sets)} sets" in out
