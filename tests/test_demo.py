"""`repcounter demo`: the simulated workout goes through the live path into the terminal, the history and the
dashboard, and the closing summary compares against the simulator's own truth."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from repcounter.cli import main
from repcounter.commands.demo import compare_to_truth
from repcounter.engine.events import SetSummary
from repcounter.history.db import HistoryStore
from repcounter.recording import read_recording

REPO = Path(__file__).resolve().parent.parent


def _truth(seed: int, rest: float, sets: int) -> dict:
    """The simulator's truth for the demo's workout, generated independently of the demo command."""
    from repcounter.sources.simulator import back_workout_plan, simulate_session

    session = simulate_session(back_workout_plan(seed, rest_s=rest)[:sets], 50.0, seed)
    return {"truth": session.truth, "n": len(session.samples)}


def test_demo_runs_through_terminal_and_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    code = main(["demo", "--speed", "0", "--seed", "7", "--sets", "2", "--rest", "15", "--no-http",
                 "--store", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    expected = _truth(7, 15.0, 2)
    truth_sets = expected["truth"]["sets"]
    intro = out.splitlines()[0]
    assert f"{len(truth_sets)} sets, {sum(len(s['reps']) for s in truth_sets)} reps" in intro

    # the summary table lists the simulator's sets and their true rep counts
    summary = out[out.index("Session summary"):]
    rows = re.findall(r"^\s+(\d+)\s+(.+?)\s+(\d+)\s+(\d+)\s+(\d+)/(\d+)\s.*\s(ok|MISS)$", summary, re.M)
    assert [int(r[2]) for r in rows] == [len(s["reps"]) for s in truth_sets]
    assert [int(r[4]) for r in rows] == [sum(r["partial"] for r in s["reps"]) for s in truth_sets]

    # what the terminal announced is what the history holds
    done = [int(n) for n in re.findall(r"Set \d+ done: (\d+) reps", out)]
    announced = len(re.findall(r"^\[demo-wrist\]\s+rep\s+\d+", out, re.M))
    store = HistoryStore(db)
    [session] = store.sessions()
    assert session["source"] == "demo" and session["status"] == "done"
    assert session["set_count"] == len(done)
    assert session["rep_count"] == sum(done)
    assert f"Total: {sum(done)} reps counted of {sum(len(s['reps']) for s in truth_sets)} simulated" in out
    assert announced >= sum(done)
    assert all(r[2] == r[3] for r in rows if r[6] == "ok")
    exact = sum(1 for r in rows if r[6] == "ok")
    assert re.search(rf"exact count in {exact}/{len(truth_sets)} sets", summary)
    detail = store.session(session["session_id"])
    assert [s["rep_count"] for s in detail["sets"]] == done
    # the raw stream was kept: every simulated sample
    raw = read_recording(detail["recordings"]["demo-wrist"])
    assert len(raw.samples) == expected["n"]
    store.close()
    assert f"Saved as session {session['session_id']}" in out


def _summary(start: float, end: float, reps: int, exercise: str = "pullup", partial: tuple[int, ...] = ()) -> SetSummary:
    from store_harness import make_rep

    rs = tuple(make_rep(i + 1, start + i) for i in range(reps))
    return SetSummary(1, exercise, 0.9, start, end, rs, 1.0, "2-0-1-0", 1, 0, 2, 0, 0, 80, partial)


def test_compare_to_truth_pairs_sets_by_time() -> None:
    truth = [
        {"exercise": "pullup", "start": 10.0, "end": 40.0, "reps": [{"partial": False}] * 6},
        {"exercise": "seated_row", "start": 100.0, "end": 150.0, "reps": [{"partial": i == 9} for i in range(10)]},
        {"exercise": "chinup", "start": 200.0, "end": 230.0, "reps": [{"partial": False}] * 5},
    ]
    detected = [
        _summary(11.0, 39.0, 6),                                  # right
        _summary(101.0, 120.0, 4, "seated_row"),                   # one set split in two
        _summary(122.0, 149.0, 6, "seated_row", (6,)),
        _summary(300.0, 320.0, 3, "other"),                        # nothing was simulated here
    ]
    rows, extra = compare_to_truth(truth, detected)
    assert [r["found"] for r in rows] == [6, 10, 0]
    assert [r["sets_found"] for r in rows] == [1, 2, 0]
    assert rows[1]["partial"] == 1 and rows[1]["found_partial"] == 1
    assert rows[0]["found_exercise"] == "pullup" and rows[2]["found_exercise"] == "-"
    assert [d.start for d in extra] == [300.0]


def test_demo_bad_options_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, needle in ((["--speed", "-1"], "--speed"), (["--sets", "0"], "--sets"), (["--rest", "-5"], "--rest"),
                         (["--rate", "1"], "--rate")):
        code = main(["demo", "--no-http", *argv])
        _, err = capsys.readouterr()
        assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read()


def _watch_demo(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> dict:
    """Run a demo process; note when the dashboard came up and the first rep was shown; poll the dashboard."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: dict = {"lines": [], "api": []}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen["lines"].append(line)
            m = re.search(r"Live dashboard: (http://\S+)", line)
            if m:
                seen["url"] = m.group(1).rstrip("/")
                seen["t_dashboard"] = time.monotonic() - t0
                status, body = _get(seen["url"] + "/")
                seen["page"] = (status, body[:2000])
            if re.search(r"^\[\S+\]\s+rep\s+\d+", line) and "t_first_rep" not in seen:
                seen["t_first_rep"] = time.monotonic() - t0
                if "url" in seen:
                    seen["api"].append(json.loads(_get(seen["url"] + "/api/sessions")[1]))
            if time.monotonic() - t0 > timeout:
                break
        proc.wait(timeout=max(10.0, timeout - (time.monotonic() - t0)))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    seen["rc"] = proc.returncode
    seen["t_total"] = time.monotonic() - t0
    return seen


def test_demo_serves_the_dashboard_while_it_runs(tmp_path: Path) -> None:
    env = dict(os.environ, REPCOUNTER_HOME=str(tmp_path / "home"))
    seen = _watch_demo([sys.executable, "-m", "repcounter", "demo", "--speed", "8", "--sets", "1", "--seed", "11",
                        "--rest", "10", "--http", "127.0.0.1:0"], tmp_path, env, timeout=150)
    text = "".join(seen["lines"])
    assert seen["rc"] == 0, text
    assert seen["page"][0] == 200 and b"<html" in seen["page"][1].lower()
    assert "t_first_rep" in seen, text
    [sessions] = seen["api"]
    assert sessions and sessions[0]["source"] == "demo" and sessions[0]["status"] == "live"
    with HistoryStore(tmp_path / "home" / "history.sqlite3") as store:
        [row] = store.sessions()
        assert row["status"] == "done" and row["session_id"] == sessions[0]["session_id"]
    print(f"\ndashboard up after {seen['t_dashboard']:.1f} s, first rep shown after {seen['t_first_rep']:.1f} s, "
          f"demo done after {seen['t_total']:.1f} s")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_readme_first_command_from_a_clean_clone(tmp_path: Path) -> None:
    """git clone, then the README's first command (`scripts/demo`, shortened): it installs and runs.

    Uses the committed tree only; pip may reuse its wheel cache. Prints how long each step took.
    """
    readme = (REPO / "README.md").read_text()
    assert "scripts/demo --speed 10" in readme.split("```sh", 1)[1].split("```", 1)[0]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["REPCOUNTER_HOME"] = str(tmp_path / "home")
    env["PYTHON"] = shutil.which("python3") or sys.executable
    try:
        seen = _watch_demo(["scripts/demo", "--speed", "10", "--sets", "2", "--seed", "5", "--http", "127.0.0.1:0"],
                           clone, env, timeout=900)
        installed = (clone / ".venv" / "bin" / "repcounter").exists()
    finally:
        shutil.rmtree(clone, ignore_errors=True)  # ~400 MB of .venv
    text = "".join(seen["lines"])
    assert seen["rc"] == 0, text
    assert installed
    assert seen["page"][0] == 200
    assert "t_first_rep" in seen and "Session summary" in text
    print(f"\nclean clone: dashboard after {seen['t_dashboard']:.0f} s, first counted rep after "
          f"{seen['t_first_rep']:.0f} s (install included), finished after {seen['t_total']:.0f} s")


def test_demo_runs_without_the_dashboard_module(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "repcounter.web.server", None)  # import fails like a missing module
    code = main(["demo", "--speed", "0", "--seed", "3", "--sets", "1", "--http", "127.0.0.1:0",
                 "--store", str(tmp_path / "h.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 0
    assert "warning: the web dashboard is not available" in err and "running without it" in err
    assert "Live dashboard" not in out + err and "Session summary" in out
