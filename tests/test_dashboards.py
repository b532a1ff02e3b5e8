"""Grafana dashboards: schema check with Grafana's own types, and every panel's query against real data.

The data path is the real one: engine events -> :class:`repcounter.sinks.mqtt.MqttSink` -> a real mosquitto
-> :class:`repcounter.bridge.service.Bridge` -> a real influxd 1.x. Then each panel's InfluxQL runs with the
Grafana macros substituted as Grafana does (tests/dashboard_harness.py) and the test checks what a person
would read on the panel against the events that were sent.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dashboard_harness import REPO, Grafana, load, panel, panels
from repcounter.engine.events import Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted, SetSummary
from repcounter.sinks.base import EventEnvelope, SessionInfo
from repcounter.sources.base import SensorStatus
from services import influxd, mosquitto, unique_db, wait_for  # noqa: F401 - fixtures

SCHEMA_DIR = REPO / "tests" / "grafana_schema"
LIVE = "live-session.json"
HISTORY = "tempo-history.json"
DAY = 86_400.0


# ============================================================================== generated files

def test_dashboard_files_are_generated_from_generate_py() -> None:
    r = subprocess.run(["python3", str(REPO / "dashboards" / "generate.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def _yaml(path: Path) -> Any:
    """Parse YAML with Debian's python3-yaml (a docker-compose dependency; the project does not need PyYAML)."""
    r = subprocess.run(["/usr/bin/python3", "-c", "import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
                       input=path.read_text(), capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"no python3-yaml: {r.stderr.strip()[-200:]}")
    return json.loads(r.stdout)


def test_provisioning_points_at_the_dashboards_and_datasource() -> None:
    ds = _yaml(REPO / "dashboards/provisioning/datasources/influxdb.yaml")
    prov = _yaml(REPO / "dashboards/provisioning/dashboards/repcounter.yaml")
    assert ds["apiVersion"] == 1 and prov["apiVersion"] == 1
    [source] = ds["datasources"]
    assert source["type"] == "influxdb" and source["access"] == "proxy"
    assert source["jsonData"]["version"] == "InfluxQL" and source["jsonData"]["dbName"] == "${INFLUX_BUCKET}"
    assert source["jsonData"]["timeInterval"] == "1s"
    assert source["jsonData"]["httpHeaderName1"] == "Authorization"
    assert source["secureJsonData"]["httpHeaderValue1"].startswith("Token $__file{/var/lib/repcounter-tokens/")
    for name in (LIVE, HISTORY):
        dash = load(name)
        refs = {json.dumps(p["datasource"], sort_keys=True) for p in panels(dash)}
        refs |= {json.dumps(t["datasource"], sort_keys=True) for p in panels(dash) for t in p["targets"]}
        refs |= {json.dumps(v["datasource"], sort_keys=True) for v in dash["templating"]["list"]}
        assert refs == {json.dumps({"type": "influxdb", "uid": source["uid"]}, sort_keys=True)}, name
    [provider] = prov["providers"]
    assert provider["type"] == "file" and provider["options"]["path"] == "/etc/grafana/dashboards/repcounter"


# ============================================================================== Grafana schema (tsc)

def _npm_install() -> Path:
    """tests/grafana_schema/node_modules from the committed package-lock.json (npm ci, once)."""
    if not shutil.which("npm") or not shutil.which("node"):
        pytest.skip("node/npm not installed")
    tsc = SCHEMA_DIR / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SCHEMA_DIR,
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
    return tsc


def _tsc(tmp: Path, dashboards: dict[str, dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    tsc = _npm_install()
    gen = SCHEMA_DIR / "check.mjs"
    work = tmp / "tsc"
    work.mkdir(exist_ok=True)
    (work / "node_modules").symlink_to(SCHEMA_DIR / "node_modules")
    for name, dash in dashboards.items():
        (work / name).write_text(json.dumps(dash))
    r = subprocess.run(["node", str(gen), str(work), *dashboards], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return subprocess.run([str(tsc), "-p", str(work / "tsconfig.json")], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tsc_result(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    return _tsc(tmp_path_factory.mktemp("schema"), {LIVE: load(LIVE), HISTORY: load(HISTORY)})


def test_dashboards_match_grafana_schema(tsc_result: subprocess.CompletedProcess[str]) -> None:
    assert tsc_result.returncode == 0, tsc_result.stdout[-4000:]


def test_schema_check_catches_mistakes(tmp_path: Path) -> None:
    broken = load(LIVE)
    stats = [p for p in broken["panels"] if p["type"] == "stat"]
    stats[0]["options"]["colourMode"] = "background"          # misspelt option
    stats[1]["options"]["reduceOptions"]["calcs"] = "last"    # not a list
    bar = next(p for p in broken["panels"] if p["type"] == "bargauge")
    bar["options"]["displayMode"] = "bars"                    # not a display mode
    broken["templating"]["list"][0]["refresh"] = 7             # not a refresh mode
    other = load(HISTORY)
    del other["schemaVersion"]                                 # required
    r = _tsc(tmp_path, {LIVE: broken, HISTORY: other})
    assert r.returncode != 0
    out = r.stdout
    for needle in ("'\"colourMode\"' does not exist", "not assignable to type 'string[]'", "'\"bars\"' is not assignable",
                   "'7' is not assignable to type 'VariableRefresh", "'schemaVersion' is missing"):
        assert needle in out, (needle, out[-3000:])


# ============================================================================== scenario

def rep(index: int, start: float, conc: float, top: float, ecc: float, bottom: float, partial: bool = False,
        rom: float = 95.0) -> Rep:
    c_end = start + conc
    return Rep(index=index, start=start, concentric_end=c_end, end=c_end + top + ecc + bottom, concentric_s=conc,
               pause_top_s=top, eccentric_s=ecc, pause_bottom_s=bottom, rom_deg=rom * (0.5 if partial else 1.0),
               peak_speed_dps=120.0, confidence=0.9, partial=partial)


def make_set(set_index: int, exercise: str, start: float, n: int, partial: tuple[int, ...] = (),
             slow: float = 0.05) -> list[Rep]:
    """``n`` reps from signal time ``start``: pull slows down by ``slow`` s per rep, fixed other phases."""
    reps, t = [], start
    for i in range(1, n + 1):
        r = rep(i, t, round(1.0 + slow * (i - 1), 3), 0.3, 2.0, 0.5, partial=i in partial)
        reps.append(r)
        t = r.end
    return reps


def summary(set_index: int, exercise: str, reps: list[Rep]) -> SetSummary:
    mean = lambda k: sum(getattr(r, k) for r in reps) / len(reps)  # noqa: E731
    first, last = reps[0].concentric_s, reps[-1].concentric_s
    return SetSummary(set_index=set_index, exercise=exercise, exercise_confidence=0.8, start=reps[0].start,
                      end=reps[-1].end, reps=tuple(reps),
                      time_under_tension_s=sum(r.duration_s - r.pause_bottom_s for r in reps), tempo="2-0-1-0",
                      mean_concentric_s=mean("concentric_s"), mean_pause_top_s=mean("pause_top_s"),
                      mean_eccentric_s=mean("eccentric_s"), mean_pause_bottom_s=mean("pause_bottom_s"),
                      slowdown_pct=100.0 * (last - first) / first, mean_rom_deg=mean("rom_deg"),
                      partial_reps=tuple(r.index for r in reps if r.partial))


def announced(r: Rep) -> Rep:
    """The rep as announced at the top of the pull (later phases unknown)."""
    nan = float("nan")
    return Rep(r.index, r.start, r.concentric_end, r.concentric_end, r.concentric_s, nan, nan, nan, r.rom_deg,
               r.peak_speed_dps, r.confidence, False)


def set_events(set_index: int, exercise: str, reps: list[Rep], end: bool = True,
               upto: int | None = None, announce_next: bool = False) -> list[Any]:
    """Engine events of one set in emission order (optionally stopping after rep ``upto``)."""
    evs: list[Any] = [SetStarted(t=reps[0].concentric_end, set_index=set_index, start=reps[0].start,
                                 exercise=exercise)]
    shown = reps if upto is None else reps[:upto]
    for r in shown:
        evs.append(RepAnnounced(t=r.concentric_end + 0.01, set_index=set_index, rep=announced(r), exercise=exercise))
        evs.append(RepCompleted(t=r.end + 0.02, set_index=set_index, rep=r, exercise=exercise))
    if announce_next and upto is not None and upto < len(reps):
        r = reps[upto]
        evs.append(RepAnnounced(t=r.concentric_end + 0.01, set_index=set_index, rep=announced(r), exercise=exercise))
    if end and upto is None:
        evs.append(SetEnded(t=reps[-1].end + 3.0, summary=summary(set_index, exercise, reps)))
    return evs


@dataclass
class Stack:
    """A running bridge writing one topic prefix into one database."""

    influxd: Any
    mosquitto: Any
    db: str
    prefix: str
    bridge: Any
    sink: Any = None

    async def open_sink(self, session: SessionInfo, tmp: Path) -> None:
        from repcounter.mqtt_url import parse_broker_url
        from repcounter.sinks.mqtt import MqttSink

        self.sink = MqttSink(parse_broker_url(self.mosquitto.url), prefix=self.prefix, queue_dir=tmp / "q",
                             gateway_id="gym-pi")
        await self.sink.open(session)

    async def send(self, session: SessionInfo, sensor: str, origin_wall: float, events: list[Any],
                   seq0: int = 0) -> int:
        for i, ev in enumerate(events):
            env = EventEnvelope(sensor, session.session_id, seq0 + i, ev, emitted_at=origin_wall + ev.t,
                                received_at=origin_wall + ev.t, origin_t=0.0, origin_wall=origin_wall)
            await self.sink.handle(env)
        return seq0 + len(events)

    def stored(self, measurement: str, field: str) -> int:
        return self.influxd.count(measurement, field, self.db)

    def wait_stored(self, expect: dict[tuple[str, str], int], timeout: float = 60.0) -> None:
        def done() -> bool:
            return all(self.stored(m, f) >= n for (m, f), n in expect.items())
        wait_for(done, timeout=timeout, interval=0.2, what=f"points in influxd {expect} "
                 f"(have {[(k, self.stored(*k)) for k in expect]}, bridge {self.bridge.stats.as_dict()})")


_prefix_counter = 0


@pytest.fixture
def stack(influxd, mosquitto):  # noqa: F811 - fixtures
    from repcounter.bridge.service import Bridge
    from repcounter.bridge.writers import InfluxTarget, make_writer
    from repcounter.mqtt_url import parse_broker_url

    global _prefix_counter
    _prefix_counter += 1
    db = unique_db("dash")
    influxd.create_database(db)
    prefix = f"dash{os.getpid()}x{_prefix_counter}"
    writer = make_writer(InfluxTarget(influxd.url, version=1, db=db))
    bridge = Bridge(parse_broker_url(mosquitto.url), writer, prefix=prefix, share_group="dash",
                    client_id=f"bridge-{prefix}", linger_s=0.02).start()
    st = Stack(influxd, mosquitto, db, prefix, bridge)
    yield st
    bridge.stop()


def ms(t: float) -> int:
    return int(round(t * 1000))


def approx(a: float | None, b: float, tol: float = 1e-6) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=tol, abs_tol=tol)


# ============================================================================== Live session

async def test_live_session_panels_show_the_session(stack: Stack, tmp_path: Path) -> None:
    dash = load(LIVE)
    assert dash["refresh"] == "1s"
    origin = math.floor(time.time() / DAY) * DAY - DAY + 10 * 3600   # yesterday 10:00 UTC
    session = SessionInfo("20260101T100000-abcdef", origin, "test")
    await stack.open_sink(session, tmp_path)

    # wrist-L: two pull-up sets, a 4-minute rest, then seated rows (the current set).
    s1 = make_set(1, "pullup", 10.0, 8)
    s2 = make_set(2, "pullup", s1[-1].end + 180, 6, partial=(6,))
    s3 = make_set(3, "seated_row", s2[-1].end + 240, 10)
    # wrist-R: lat pulldowns in the same session.
    r1 = make_set(1, "lat_pulldown", 20.0, 12, slow=0.1)
    r2 = make_set(2, "lat_pulldown", r1[-1].end + 150, 11, slow=0.1)

    evs_l = set_events(1, "pullup", s1) + set_events(2, "pullup", s2) + \
        set_events(3, "seated_row", s3, upto=7, announce_next=True)
    evs_r = set_events(1, "lat_pulldown", r1) + set_events(2, "lat_pulldown", r2)
    seq_l = await stack.send(session, "wrist-L", origin, evs_l)
    await stack.send(session, "wrist-R", origin, evs_r)
    await stack.sink.handle_status(SensorStatus("wrist-L", "online", "ok", origin + 5, battery_pct=81))
    await stack.sink.handle_status(SensorStatus("wrist-R", "online", "ok", origin + 6, battery_pct=54))
    stack.wait_stored({("reps", "rep_index"): 8 + 6 + 7 + 12 + 11, ("sets", "rep_count"): 4,
                       ("live", "rep_count"): len(evs_l) + len(evs_r), ("sensor_status", "state"): 2})

    # Mid-set: the coach looks at the dashboard right after rep 8 of the seated rows was counted.
    now = origin + s3[7].concentric_end + 0.5
    g = Grafana(stack.influxd, stack.db, ms(now), dash["time"]["from"], {"sensor": ["$__all"]})
    sensors = g.resolve_variables(dash)["sensor"]
    assert sensors == ["wrist-L", "wrist-R"]
    row = dash["panels"][0]
    assert row["type"] == "row" and row["repeat"] == "sensor"

    def view(title: str, sensor: str) -> Any:
        p = panel(dash, title)
        return {"stat": g.values, "bargauge": g.values, "table": g.table, "timeseries": g.series}[p["type"]](
            p, {"sensor": sensor})

    assert view("Reps", "wrist-L") == {"Reps": 8}
    assert view("Exercise", "wrist-L") == {"Exercise": "seated_row"}
    assert view("Set", "wrist-L") == {"Set": 3}
    assert view("Sensor", "wrist-L") == {"State": "online", "Battery": 81}
    tempo = view("Last rep tempo", "wrist-L")
    assert approx(tempo["Pull"], s3[7].concentric_s)              # the pull of rep 8 shows at once ...
    assert tempo["Top"] is None and tempo["Lower"] is None and tempo["Bottom"] is None  # ... the rest is pending
    tut = view("Time under tension", "wrist-L")
    tut_1, tut_2 = (sum(r.duration_s - r.pause_bottom_s for r in s) for s in (s1, s2))
    assert approx(tut["Last set"], tut_2) and approx(tut["All sets in view"], tut_1 + tut_2)
    timeline = view("Reps of the current set (last 3 min)", "wrist-L")
    assert set(timeline) == {"Pull", "Top", "Lower", "Bottom"}
    assert [t for t, _ in timeline["Pull"]] == [ms(origin + r.start) for r in s3[:7]]   # only this set's reps
    assert [v for _, v in timeline["Lower"]] == pytest.approx([r.eccentric_s for r in s3[:7]])
    sets = view("Set list", "wrist-L")
    assert [(r["Set"], r["Reps"], r["Partial"], r["Exercise"]) for r in sets] == [(2, 6, 1, "pullup"),
                                                                                  (1, 8, 0, "pullup")]
    assert approx(sets[0]["TUT"], tut_2) and approx(sets[0]["Slow-down"], 100 * 0.25 / 1.0)

    # The other sensor's row shows its own lifter, not a mix.
    assert view("Reps", "wrist-R") == {"Reps": 11}
    assert view("Exercise", "wrist-R") == {"Exercise": "lat_pulldown"}
    assert [(r["Set"], r["Reps"]) for r in view("Set list", "wrist-R")] == [(2, 11), (1, 12)]
    assert view("Sensor", "wrist-R")["Battery"] == 54

    # Rep 8 completes, then the set ends: the count equals the last set's rep count.
    rest = [RepCompleted(t=s3[7].end + 0.02, set_index=3, rep=s3[7], exercise="seated_row")]
    rest += set_events(3, "seated_row", s3)[1 + 2 * 8:]
    await stack.send(session, "wrist-L", origin, rest, seq_l)
    stack.wait_stored({("reps", "rep_index"): 8 + 6 + 10 + 12 + 11, ("sets", "rep_count"): 5,
                       ("live", "rep_count"): len(evs_l) + len(evs_r) + len(rest)})
    g.now_ms = ms(origin + s3[-1].end + 5)
    assert view("Reps", "wrist-L") == {"Reps": 10}
    tempo = view("Last rep tempo", "wrist-L")
    assert [tempo[k] for k in ("Pull", "Top", "Lower", "Bottom")] == pytest.approx(
        [s3[-1].concentric_s, 0.3, 2.0, 0.5])
    sets = view("Set list", "wrist-L")
    assert [(r["Set"], r["Reps"], r["Exercise"]) for r in sets] == [(3, 10, "seated_row"), (2, 6, "pullup"),
                                                                     (1, 8, "pullup")]
    assert sets[0]["Tempo"] == "2-0-1-0"
    await stack.sink.close()
    # Every panel's query ran without an InfluxQL error, with no macro or variable left unreplaced.
    assert g.queries and not [q for q in g.queries if re.search(r"\$\w|\$\{", q)]


# ============================================================================== Tempo history

async def test_tempo_history_panels_over_weeks(stack: Stack, tmp_path: Path) -> None:
    dash = load(HISTORY)
    today = math.floor(time.time() / DAY) * DAY - DAY      # yesterday 00:00 UTC: whole days, all in the past
    days = [today - 14 * DAY, today - 7 * DAY, today]
    plan = {  # day -> sensor -> [(exercise, reps, partial)]
        0: {"wrist-L": [("pullup", 8, ()), ("pullup", 7, (7,))]},
        1: {"wrist-L": [("pullup", 9, ()), ("seated_row", 12, (11, 12))], "wrist-R": [("chinup", 5, ())]},
        2: {"wrist-L": [("pullup", 10, ()), ("pullup", 9, ()), ("seated_row", 12, ())]},
    }
    expected_sets: list[dict[str, Any]] = []
    await stack.open_sink(SessionInfo("hist-open", days[0], "test"), tmp_path)
    total_reps = 0
    for d, per_sensor in plan.items():
        origin = days[d] + 9 * 3600
        session = SessionInfo(f"2026-day{d}", origin, "test")
        for sensor, sets in per_sensor.items():
            t, evs = 30.0, []
            for i, (exercise, n, partial) in enumerate(sets, start=1):
                reps = make_set(i, exercise, t, n, partial=partial)
                evs += set_events(i, exercise, reps)
                expected_sets.append({"day": d, "sensor": sensor, "exercise": exercise, "set": i, "reps": n,
                                      "partial": len(partial), "tut": sum(r.duration_s - r.pause_bottom_s for r in reps),
                                      "conc": [r.concentric_s for r in reps], "ecc": [r.eccentric_s for r in reps],
                                      "slow": 100 * (reps[-1].concentric_s - reps[0].concentric_s) / reps[0].concentric_s})
                total_reps += n
                t = reps[-1].end + 120
            await stack.send(session, sensor, origin, evs)
    stack.wait_stored({("reps", "rep_index"): total_reps, ("sets", "rep_count"): len(expected_sets)})
    await stack.sink.close()

    g = Grafana(stack.influxd, stack.db, ms(today + 23 * 3600), dash["time"]["from"],
                {"sensor": ["$__all"], "exercise": ["$__all"]})
    resolved = g.resolve_variables(dash)
    assert resolved == {"sensor": ["wrist-L", "wrist-R"], "exercise": ["chinup", "pullup", "seated_row"]}
    g.variables = resolved

    def pick(**kw: Any) -> list[dict[str, Any]]:
        return [s for s in expected_sets if all(s[k] in v for k, v in kw.items())]

    everything = pick()
    assert g.values(panel(dash, "Reps")) == {"Reps": sum(s["reps"] for s in everything)}
    assert g.values(panel(dash, "Sets")) == {"Sets": len(everything)}
    assert g.values(panel(dash, "Partial reps")) == {"Partial": 3}
    assert approx(g.values(panel(dash, "Time under tension"))["TUT"], sum(s["tut"] for s in everything))

    # Per day and exercise: GROUP BY time(1d) buckets start at UTC midnight.
    reps_day = g.series(panel(dash, "Reps per day"))
    assert set(reps_day) == {"chinup", "pullup", "seated_row"}
    for ex, points in reps_day.items():
        want = {ms(days[d]): sum(s["reps"] for s in pick(exercise=[ex], day=[d])) for d in plan}
        assert dict(points) == {k: v for k, v in want.items() if v}, ex
    sets_day = dict(g.series(panel(dash, "Sets per day"))["pullup"])
    assert sets_day == {ms(days[0]): 2, ms(days[1]): 1, ms(days[2]): 2}
    tut_day = dict(g.series(panel(dash, "Time under tension per day"))["seated_row"])
    assert tut_day == pytest.approx({ms(days[d]): sum(s["tut"] for s in pick(exercise=["seated_row"], day=[d]))
                                     for d in (1, 2)})
    tempo = g.series(panel(dash, "Pull and lowering time per rep"))
    pull_day2 = [c for s in pick(exercise=["pullup"], day=[2]) for c in s["conc"]]
    assert dict(tempo["pullup pull"])[ms(days[2])] == pytest.approx(sum(pull_day2) / len(pull_day2))
    assert dict(tempo["pullup lower"])[ms(days[2])] == pytest.approx(2.0)
    slow = dict(g.series(panel(dash, "Slow-down within sets"))["pullup"])
    want_slow = [s["slow"] for s in pick(exercise=["pullup"], day=[0])]
    assert slow[ms(days[0])] == pytest.approx(sum(want_slow) / len(want_slow))
    partial = g.series(panel(dash, "Partial reps per day"))
    assert dict(partial["pullup"]) == {ms(days[0]): 1, ms(days[1]): 0, ms(days[2]): 0}
    assert dict(partial["seated_row"]) == {ms(days[1]): 2, ms(days[2]): 0}
    table = g.table(panel(dash, "Set list"))
    assert len(table) == len(everything)
    assert [r["Reps"] for r in table if r["Sensor"] == "wrist-R"] == [5]

    # The variables narrow every panel: one exercise of one sensor.
    g.variables = {"sensor": ["wrist-L"], "exercise": ["seated_row"]}
    exercise_var = dash["templating"]["list"][1]
    assert g.variable_options(exercise_var) == ["pullup", "seated_row"]   # chained on $sensor
    assert g.resolve_variables(dash) == g.variables
    assert g.values(panel(dash, "Reps")) == {"Reps": 24}
    assert set(g.series(panel(dash, "Reps per day"))) == {"seated_row"}
    assert [(r["Set"], r["Reps"], r["Partial"]) for r in g.table(panel(dash, "Set list"))] == [(3, 12, 0), (2, 12, 2)]
    g.variables = {"sensor": ["wrist-L", "wrist-R"], "exercise": ["chinup", "pullup"]}
    assert g.values(panel(dash, "Sets")) == {"Sets": 6}
    assert not [q for q in g.queries if re.search(r"\$\w|\$\{", q)]


def test_every_panel_query_was_exercised() -> None:
    """Each panel of both dashboards is looked at by one of the tests above (by title)."""
    source = Path(__file__).read_text()
    for name in (LIVE, HISTORY):
        for p in panels(load(name)):
            assert f'"{p["title"]}"' in source, f"{name}: panel {p['title']!r} is not checked"


# ============================================================================== replayed session, end to end

def _repcounter(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-m", "repcounter", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_replayed_session_dashboards_agree_with_analyze(stack: Stack, tmp_path: Path) -> None:
    """simulate -> replay --mqtt (engine + MQTT sink) -> broker -> bridge -> influxd -> panels == analyze."""
    rec = tmp_path / "session.csv"
    r = _repcounter("simulate", "--exercise", "seated_row", "--reps", "8", "--sets", "3", "--rest", "45",
                    "--seed", "11", "-o", str(rec))
    assert r.returncode == 0, r.stderr
    a = _repcounter("analyze", str(rec), "--json")
    assert a.returncode == 0, a.stderr
    truth = json.loads(a.stdout)
    sets = truth["sets"]
    assert sets, "the engine found no set in the simulated session"
    r = _repcounter("replay", str(rec), "--speed", "0", "--sensor-id", "wrist-sim", "--quiet", "--no-store",
                    "--mqtt", stack.mosquitto.url, "--mqtt-prefix", stack.prefix, "--mqtt-queue", str(tmp_path / "q"))
    assert r.returncode == 0, r.stderr
    stack.wait_stored({("reps", "rep_index"): truth["total_reps"], ("sets", "rep_count"): len(sets)})
    last_live = stack.influxd.rows('SELECT last("rep_count") FROM "live"', stack.db)[0]["time"]
    now_ms = last_live // 1_000_000 + 1000

    live = load(LIVE)
    g = Grafana(stack.influxd, stack.db, now_ms, live["time"]["from"], {"sensor": ["$__all"]})
    assert g.resolve_variables(live)["sensor"] == ["wrist-sim"]
    scoped = {"sensor": "wrist-sim"}
    last = sets[-1]
    assert g.values(panel(live, "Reps"), scoped) == {"Reps": last["rep_count"]}
    assert g.values(panel(live, "Set"), scoped) == {"Set": last["set_index"]}
    assert g.values(panel(live, "Exercise"), scoped) == {"Exercise": last["exercise"]}
    tempo = g.values(panel(live, "Last rep tempo"), scoped)
    last_rep = last["reps"][-1]
    for name, key in (("Pull", "concentric_s"), ("Top", "pause_top_s"), ("Lower", "eccentric_s"),
                      ("Bottom", "pause_bottom_s")):
        assert tempo[name] == pytest.approx(last_rep[key]), name
    tut = g.values(panel(live, "Time under tension"), scoped)
    assert tut["Last set"] == pytest.approx(last["time_under_tension_s"])
    assert tut["All sets in view"] == pytest.approx(sum(s["time_under_tension_s"] for s in sets))
    rows = g.table(panel(live, "Set list"), scoped)
    assert [(r["Set"], r["Reps"], r["Exercise"], r["Tempo"], r["Partial"]) for r in rows] == [
        (s["set_index"], s["rep_count"], s["exercise"], s["tempo"], len(s["partial_reps"])) for s in reversed(sets)]

    history = load(HISTORY)
    h = Grafana(stack.influxd, stack.db, now_ms, history["time"]["from"], {"sensor": ["$__all"], "exercise": ["$__all"]})
    h.variables = h.resolve_variables(history)
    assert h.values(panel(history, "Reps")) == {"Reps": truth["total_reps"]}
    assert h.values(panel(history, "Sets")) == {"Sets": len(sets)}
    assert h.values(panel(history, "Partial reps")) == {"Partial": sum(len(s["partial_reps"]) for s in sets)}
