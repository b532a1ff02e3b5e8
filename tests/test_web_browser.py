"""The dashboard in a real headless Chromium: live page pushed over SSE, history pages from the store.

Screenshots go to test-artifacts/web-*.png. Push latency (engine emit -> page, measured per announced rep
in the page, see live.js) is printed; the median must be under the 0.5 s target and no rep over 2 s (the
full figures come from ``python -m tests.web_latency_bench``).
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import Browser, available
from tests.web_harness import PipelineThread, PlannedSet, percentile, scripted_workout, take_ctrl_c

pytestmark = [pytest.mark.services, pytest.mark.skipif(not available(), reason="chromium/chromedriver not installed")]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PLAN = [PlannedSet("lat_pulldown", 6, partial=(6,)), PlannedSet("seated_row", 5, tempo=(0.8, 0.2, 1.4, 0.4))]
COUNT = '(document.querySelector(\'[data-role="count"]\') || {}).textContent'


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as res:
        return json.load(res)


@pytest.fixture
def browser(tmp_path: Path):
    with Browser(tmp_path / "browser") as b:
        yield b


def test_live_page_then_history(tmp_path: Path, browser: Browser) -> None:
    from repcounter.sinks.store import StoreSink

    store = tmp_path / "history.sqlite3"
    events, duration = scripted_workout(PLAN)
    run = PipelineThread({"left-wrist": events}, duration + 2.0, speed=4.0, store_path=store,
                         extra_sinks=[StoreSink(store)], stay=True)
    run.start()
    try:
        assert run.ready.wait(30) and run.error is None, run.error
        browser.get(run.url)
        browser.wait_for("document.getElementById('conn').textContent === 'live'")
        assert browser.text(".empty") == "Waiting for the sensor…"
        run.go()

        seen: list[str] = []   # every distinct rep count the page showed, in order
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            value = browser.evaluate(COUNT)
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
                if value == "3" and "3" not in seen[:-1]:
                    browser.screenshot(ARTIFACTS / "web-live-midset.png")
            if browser.evaluate("document.querySelectorAll('[data-role=\"sets\"] tbody tr').length") == 2:
                break
            time.sleep(0.03)
        seen.append(browser.evaluate(COUNT))
        counts = [int(v) for v in seen if v is not None]
        # the count rose rep by rep through set 1 (polling may skip a value under load, not most of them)
        set1 = [c for c in counts[: counts.index(6) + 1]] if 6 in counts else counts
        assert 6 in counts and len(set(set1) & {1, 2, 3, 4, 5}) >= 3, counts
        rows = browser.execute("return [...document.querySelectorAll('[data-role=\"sets\"] tbody tr')]"
                               ".map(r => [...r.cells].map(c => c.textContent));")
        assert [(r[0], r[1], r[2]) for r in rows] == [("2", "Seated cable row", "5"), ("1", "Lat pulldown", "6")]
        assert rows[1][5] == "1"  # one partial rep in set 1
        assert browser.text('[data-role="exercise"]') == "Seated cable row"
        assert browser.text('[data-role="count"]') == "5"
        assert browser.text('[data-role="lastset"]').startswith("Set 2 done: 5 reps Seated cable row · tempo 2-0-1-0")
        assert browser.evaluate("document.querySelectorAll('.bar').length") == 5
        # every bar shows all four phases once the set is over
        assert browser.evaluate("[...document.querySelectorAll('.bar')].every(b => b.querySelectorAll('.seg').length === 4)")

        lat = browser.evaluate("window.repcounterLatency")
        assert len(lat) == 11, lat
        frame = [r["frame_s"] for r in lat if r.get("frame_s") is not None]
        dom = [r["dom_s"] for r in lat]
        print(f"\npush latency emit->DOM   p50 {percentile(dom, 50) * 1000:.1f} ms  p99 {percentile(dom, 99) * 1000:.1f} ms"
              f"\npush latency emit->frame p50 {percentile(frame, 50) * 1000:.1f} ms  p99 {percentile(frame, 99) * 1000:.1f} ms"
              f"  (n={len(frame)})")
        # target: < 0.5 s; asserted loosely so a loaded CI machine does not flake (figures: web_latency_bench)
        assert len(frame) == 11 and percentile(frame, 50) < 0.5 and max(frame) < 2.0

        browser.wait_for("document.getElementById('banner').hidden === false")  # session over
        browser.screenshot(ARTIFACTS / "web-live-desktop.png")
        browser.set_size(412, 915)
        browser.screenshot(ARTIFACTS / "web-live-phone.png", full_page=True)
        browser.set_size(1280, 900)

        # history: what the store sink wrote, through the same server
        sid = run.session.session_id
        browser.get(run.url + "history")
        browser.wait_for(f"document.querySelector('[data-session=\"{sid}\"]')")
        assert browser.text(f'[data-session="{sid}"] [data-role="reps"]') == "11"
        assert browser.text(f'[data-session="{sid}"] [data-role="sets"]') == "2"
        browser.screenshot(ARTIFACTS / "web-history.png")
        browser.execute(f"document.querySelector('[data-session=\"{sid}\"]').click()")
        browser.wait_for("document.querySelectorAll('.set-card').length === 2")
        assert browser.evaluate("location.pathname") == f"/history/{sid}"
        assert browser.text('[data-role="reps"]') == "11"
        assert browser.evaluate("document.querySelectorAll('.set-card[data-set=\"1\"] tbody tr').length") == 6
        assert browser.evaluate("document.querySelectorAll('.set-card[data-set=\"1\"] tr.partial').length") == 1
        browser.screenshot(ARTIFACTS / "web-session.png", full_page=True)

        browser.get(run.url + "trends?exercise=lat_pulldown")
        browser.wait_for("window.repcounterChartsReady === 5")
        assert browser.evaluate("document.querySelectorAll('.chart canvas').length") == 5
        week = browser.execute("return [...document.querySelectorAll('[data-role=\"weeks\"] tbody tr')]"
                               ".map(r => [...r.cells].map(c => c.textContent));")
        assert len(week) == 1 and week[0][1:3] == ["1", "6"] and week[0][7] == "1"
        browser.screenshot(ARTIFACTS / "web-trends.png", full_page=True)
        assert browser.console_errors() == []
        api = _get_json(run.url + "api/trends?exercise=seated_row")
        assert [s["rep_count"] for s in api["sets"]] == [5]
    finally:
        run.stop()
    assert run.error is None, run.error
    assert run.result is not None and run.result.total_reps == 11


def _wait_for_line(path: Path, prefix: str, proc, timeout_s: float = 60.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith(prefix):
                return line[len(prefix):].strip()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"no {prefix!r} line from the demo; stderr:\n{path.read_text(errors='replace')}")


def test_demo_command_live_page_and_history(tmp_path: Path, browser: Browser) -> None:
    """`repcounter demo` in a subprocess (real simulator, engine, store and dashboard) seen from the browser."""
    import signal
    import subprocess
    import sys

    from repcounter.history.db import HistoryStore

    store = tmp_path / "history.sqlite3"
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    cmd = [sys.executable, "-m", "repcounter", "demo", "--speed", "8", "--sets", "3", "--rest", "8", "--seed", "7",
           "--http", "127.0.0.1:0", "--http-stay", "--store", str(store)]
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                cwd=Path(__file__).resolve().parent.parent, preexec_fn=take_ctrl_c)
    try:
        url = _wait_for_line(err, "Live dashboard:", proc)
        browser.get(url)
        seen: list[int] = []
        shot = False
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            value = browser.evaluate(COUNT)
            if value is not None and (not seen or seen[-1] != int(value)):
                seen.append(int(value))
            if not shot and browser.evaluate("!!document.querySelector('.card.inset')") and seen and seen[-1] >= 3:
                browser.screenshot(ARTIFACTS / "web-demo-live.png")
                shot = True
            if browser.evaluate("document.getElementById('banner').hidden === false"):
                break
            time.sleep(0.03)
        assert browser.evaluate("document.getElementById('banner').hidden === false"), "session never ended"
        rises = sum(1 for a, b in zip(seen, seen[1:]) if b == a + 1)
        assert rises >= 5, seen  # the count went up rep by rep
        page_sets = browser.execute("return [...document.querySelectorAll('[data-role=\"sets\"] tbody tr')]"
                                    ".map(r => [r.cells[0].textContent, r.cells[2].textContent]);")
        browser.screenshot(ARTIFACTS / "web-demo-end.png", full_page=True)
        lat = browser.evaluate("window.repcounterLatency")
        frame = [r["frame_s"] for r in lat if r.get("frame_s") is not None]
        print(f"\ndemo push latency emit->frame p50 {percentile(frame, 50) * 1000:.1f} ms "
              f"p99 {percentile(frame, 99) * 1000:.1f} ms max {max(frame) * 1000:.1f} ms (n={len(frame)})")
        assert len(frame) >= 5 and percentile(frame, 50) < 0.5 and max(frame) < 2.0

        # the session as stored (the process still serves the pages: --http-stay)
        summary = _wait_for_line(out, "  Saved as session ", proc)
        sid = summary.split()[0].rstrip(":")
        with HistoryStore(store) as hs:
            stored = hs.session(sid)
        assert stored is not None
        assert sorted((str(s["set_index"]), str(s["rep_count"])) for s in stored["sets"]) == sorted(map(tuple, page_sets))
        assert sum(s["rep_count"] for s in stored["sets"]) > 0
        browser.get(url + "history")
        browser.wait_for(f"document.querySelector('[data-session=\"{sid}\"]')")
        total = str(sum(s["rep_count"] for s in stored["sets"]))
        assert browser.text(f'[data-session="{sid}"] [data-role="reps"]') == total
        browser.get(url + f"history/{sid}")
        browser.wait_for(f"document.querySelectorAll('.set-card').length === {len(stored['sets'])}")
        assert browser.text('[data-role="reps"]') == total
        browser.screenshot(ARTIFACTS / "web-demo-session.png", full_page=True)
        assert browser.console_errors() == []

        proc.send_signal(signal.SIGINT)  # Ctrl-C ends the lingering dashboard
        assert proc.wait(30) == 0, err.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_two_sensors_and_dashboard_restart(tmp_path: Path, browser: Browser) -> None:
    """One card per sensor; when the dashboard process restarts the open page reconnects and catches up."""
    from repcounter.sinks.base import EventEnvelope, SessionInfo
    from repcounter.web.server import WebSink
    from tests.browser import free_port
    from tests.web_harness import LoopThread

    port = free_port()
    session = SessionInfo.new("two wrists")
    scripts = {"left": scripted_workout([PlannedSet("bent_over_row", 4)])[0],
               "right": scripted_workout([PlannedSet("bent_over_row", 3, partial=(3,))])[0]}
    loop = LoopThread()
    loop.start()
    try:
        def feed(sink: WebSink, sensor: str, upto: int) -> None:
            async def go() -> None:
                for seq, ev in enumerate(scripts[sensor][:upto]):
                    await sink.handle(EventEnvelope(sensor, session.session_id, seq, ev, time.time(), time.time()))
            loop.call(go())

        first = WebSink("127.0.0.1", port, None, announce=False)
        loop.call(first.open(session))
        browser.get(first.url)
        browser.wait_for("document.getElementById('conn').textContent === 'live'")
        feed(first, "left", 5)   # set started, reps 1-2
        feed(first, "right", 3)  # set started, rep 1 announced and completed
        browser.wait_for("document.querySelectorAll('.card').length === 2")
        counts = browser.execute("return [...document.querySelectorAll('.card')].map(c => "
                                 "[c.dataset.sensor, c.querySelector('[data-role=\"count\"]').textContent]);")
        assert counts == [["left", "2"], ["right", "1"]]

        # the dashboard goes away (process restart) ...
        loop.call(first.server.stop())
        browser.wait_for("document.getElementById('conn').textContent === 'reconnecting…'", 30)
        # ... and comes back on the same port with the state of a continuing session
        second = WebSink("127.0.0.1", port, None, announce=False)
        loop.call(second.open(session))
        feed(second, "left", len(scripts["left"]))
        feed(second, "right", len(scripts["right"]))
        browser.wait_for("document.getElementById('conn').textContent === 'live'", 30)
        browser.wait_for("document.querySelectorAll('[data-role=\"sets\"]').length === 2", 30)
        rows = browser.execute("return [...document.querySelectorAll('.card')].map(c => [c.dataset.sensor, "
                               "[...c.querySelectorAll('[data-role=\"sets\"] tbody tr')].map(r => r.cells[2].textContent)]);")
        assert rows == [["left", ["4"]], ["right", ["3"]]]
        assert browser.evaluate("document.querySelectorAll('.card[data-sensor=\"right\"] .bar.partial').length") == 1
        browser.screenshot(ARTIFACTS / "web-two-sensors.png")
        errors = browser.console_errors()  # only the refused /events reconnects while the server was away
        assert all("/events" in e for e in errors), errors
        loop.call(second.close())
    finally:
        loop.stop()
