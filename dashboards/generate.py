#!/usr/bin/env python3
"""Write the Grafana dashboards in ``dashboards/json/`` (run after editing; tests check the files match).

Two dashboards, InfluxQL only (InfluxDB 1.8, 2.x through a DBRP mapping, 3.x), on the schema the bridge
writes (docs/influxdb.md): measurements ``live``, ``reps``, ``sets`` and ``sensor_status``.

* ``live-session.json`` "Live session": one row per selected sensor (row repeated by ``$sensor``): the big
  current rep count, exercise and set number, the last rep's tempo as four phase bars (pull / top / lower /
  bottom, s), the reps of the last 3 minutes (the current set) as a timeline of stacked phase bars, time under tension,
  and the list of sets. Auto-refresh 1 s (needs ``min_refresh_interval`` = 1s in Grafana).
* ``tempo-history.json`` "Tempo history": per exercise over days and weeks: reps and sets per day, time
  under tension, pull/lowering time per rep, slow-down within sets, partial reps, and a set table; with
  ``$sensor`` and ``$exercise`` variables (``SHOW TAG VALUES``).

Usage: ``python dashboards/generate.py`` (writes the files) or ``--check`` (exit 1 if they differ).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "json"

DS: dict[str, str] = {"type": "influxdb", "uid": "repcounter-influxdb"}
"""The provisioned datasource (dashboards/provisioning/datasources/influxdb.yaml)."""

SCHEMA_VERSION = 39
SENSOR = '"sensor" =~ /^$sensor$/'
EXERCISE = '"exercise" =~ /^$exercise$/'
PHASES = ('"concentric_s" AS "Pull", "pause_top_s" AS "Top", "eccentric_s" AS "Lower", '
          '"pause_bottom_s" AS "Bottom"')
LIVE_PHASES = ('"last_concentric_s" AS "Pull", "last_pause_top_s" AS "Top", "last_eccentric_s" AS "Lower", '
               '"last_pause_bottom_s" AS "Bottom"')
PHASE_COLORS = {"Pull": "blue", "Top": "yellow", "Lower": "green", "Bottom": "purple"}


def target(ref: str, query: str, fmt: str = "time_series", alias: str | None = None) -> dict[str, Any]:
    """An InfluxQL raw-query target."""
    t: dict[str, Any] = {"refId": ref, "datasource": DS, "query": query, "rawQuery": True, "resultFormat": fmt}
    if alias:
        t["alias"] = alias
    return t


def thresholds(*steps: tuple[float | None, str]) -> dict[str, Any]:
    return {"mode": "absolute", "steps": [{"value": v, "color": c} for v, c in steps]}


def field_config(unit: str = "none", decimals: int | None = None, custom: dict[str, Any] | None = None,
                 overrides: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {"unit": unit, "color": {"mode": "thresholds"},
                                "thresholds": thresholds((None, "green"))}
    if decimals is not None:
        defaults["decimals"] = decimals
    if custom is not None:
        defaults["custom"] = custom
    defaults.update(extra)
    return {"defaults": defaults, "overrides": overrides or []}


def color_overrides(colors: dict[str, str]) -> list[dict[str, Any]]:
    """Fixed colours per field name (the four tempo phases)."""
    return [{"matcher": {"id": "byName", "options": name},
             "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]}
            for name, color in colors.items()]


def stat(pid: int, title: str, grid: tuple[int, int, int, int], targets: list[dict[str, Any]],
         unit: str = "none", decimals: int | None = None, fields: str = "", color_mode: str = "value",
         description: str = "") -> dict[str, Any]:
    x, y, w, h = grid
    return {
        "id": pid, "type": "stat", "title": title, "description": description, "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "targets": targets,
        "fieldConfig": field_config(unit, decimals, noValue="–"),
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": fields, "values": False},
            "orientation": "auto", "textMode": "value_and_name" if len(targets) > 1 else "value",
            "colorMode": color_mode, "graphMode": "none", "justifyMode": "center", "wideLayout": True,
            "showPercentChange": False,
        },
    }


def timeseries(pid: int, title: str, grid: tuple[int, int, int, int], targets: list[dict[str, Any]],
               unit: str = "none", bars: bool = False, stack: bool = False, interval: str | None = None,
               time_from: str | None = None, overrides: list[dict[str, Any]] | None = None,
               description: str = "", decimals: int | None = None) -> dict[str, Any]:
    x, y, w, h = grid
    custom: dict[str, Any] = {
        "drawStyle": "bars" if bars else "line", "lineWidth": 2, "fillOpacity": 80 if bars else 10,
        "pointSize": 6, "showPoints": "always" if not bars else "never", "spanNulls": True,
        "stacking": {"mode": "normal" if stack else "none", "group": "A"},
        "axisPlacement": "auto", "barAlignment": 1 if bars else 0,
    }
    panel: dict[str, Any] = {
        "id": pid, "type": "timeseries", "title": title, "description": description, "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
        "fieldConfig": field_config(unit, decimals, custom=custom, overrides=overrides,
                                    color={"mode": "palette-classic"}),
        "options": {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom", "calcs": []},
                    "tooltip": {"mode": "multi", "sort": "none"}},
    }
    if interval:
        panel["interval"] = interval
    if time_from:
        panel["timeFrom"] = time_from
    return panel


def table(pid: int, title: str, grid: tuple[int, int, int, int], targets: list[dict[str, Any]],
          overrides: list[dict[str, Any]] | None = None, description: str = "") -> dict[str, Any]:
    x, y, w, h = grid
    return {
        "id": pid, "type": "table", "title": title, "description": description, "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
        "fieldConfig": field_config("none", None, custom={"align": "auto", "cellOptions": {"type": "auto"},
                                                          "inspect": False}, overrides=overrides),
        "options": {"showHeader": True, "cellHeight": "md", "frameIndex": 0,
                    "sortBy": [{"displayName": "Time", "desc": True}]},
    }


def unit_override(name: str, unit: str, decimals: int | None = None) -> dict[str, Any]:
    props: list[dict[str, Any]] = [{"id": "unit", "value": unit}]
    if decimals is not None:
        props.append({"id": "decimals", "value": decimals})
    return {"matcher": {"id": "byName", "options": name}, "properties": props}


def query_variable(name: str, label: str, query: str, multi: bool = True, hide: int = 0) -> dict[str, Any]:
    return {
        "type": "query", "name": name, "label": label, "datasource": DS, "query": query,
        "refresh": 2, "multi": multi, "includeAll": multi, "sort": 1, "hide": hide,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]} if multi else {},
        "options": [], "regex": "",
    }


def dashboard(uid: str, title: str, panels: list[dict[str, Any]], variables: list[dict[str, Any]],
              time_from: str, refresh: str, description: str, tags: list[str]) -> dict[str, Any]:
    return {
        "uid": uid, "title": title, "description": description, "tags": tags,
        "schemaVersion": SCHEMA_VERSION, "version": 1, "editable": True, "graphTooltip": 1,
        "timezone": "browser", "refresh": refresh, "liveNow": False,
        "time": {"from": time_from, "to": "now"},
        "timepicker": {"refresh_intervals": ["1s", "2s", "5s", "10s", "30s", "1m", "5m"]},
        "templating": {"list": variables},
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
            "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard",
        }]},
        "links": [],
        "panels": panels,
    }


# ------------------------------------------------------------------------------------------ live session

def live_session() -> dict[str, Any]:
    """The coach's view during a session: one repeated row per sensor."""
    w = f"WHERE {SENSOR} AND $timeFilter"
    panels: list[dict[str, Any]] = [
        {"id": 1, "type": "row", "title": "Sensor $sensor", "repeat": "sensor", "collapsed": False,
         "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []},
        stat(2, "Reps", (0, 1, 5, 9),
             [target("A", f'SELECT last("rep_count") AS "Reps" FROM "live" {w}')],
             color_mode="background",
             description="Reps counted in the current (or last) set: the newest live state of this sensor."),
        stat(3, "Exercise", (5, 1, 5, 3),
             [target("A", f'SELECT last("exercise") AS "Exercise" FROM "live" {w}')], fields="/.*/",
             description="Exercise the engine recognised for the current set."),
        stat(4, "Set", (5, 4, 5, 3),
             [target("A", f'SELECT last("set_index") AS "Set" FROM "live" {w}')],
             description="Number of the current set in this session."),
        stat(5, "Sensor", (5, 7, 5, 3),
             [target("A", f'SELECT last("state") AS "State" FROM "sensor_status" {w}'),
              target("B", f'SELECT last("battery_pct") AS "Battery" FROM "sensor_status" {w}')],
             fields="/.*/", description="Connection state and battery of the wrist sensor."),
        {
            "id": 6, "type": "bargauge", "title": "Last rep tempo", "datasource": DS,
            "description": "The newest rep's phases in seconds (from the newest live state): pull (concentric), "
                           "pause at the top, lowering (eccentric), pause at the bottom. The pull shows as soon as "
                           "the rep is counted; the other phases when the rep completes.",
            "gridPos": {"x": 10, "y": 1, "w": 7, "h": 9},
            "targets": [target("A", f'SELECT {LIVE_PHASES} FROM "live" {w} ORDER BY time DESC LIMIT 1')],
            "fieldConfig": field_config("s", 1, overrides=color_overrides(PHASE_COLORS), min=0, max=4,
                                        noValue="–"),
            "options": {
                "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                "orientation": "horizontal", "displayMode": "basic", "valueMode": "color",
                "namePlacement": "left", "showUnfilled": True, "sizing": "auto", "minVizWidth": 8,
                "minVizHeight": 16, "maxVizHeight": 300,
                "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom", "calcs": []},
            },
        },
        stat(7, "Time under tension", (17, 1, 7, 9),
             [target("A", f'SELECT last("time_under_tension_s") AS "Last set" FROM "sets" {w}'),
              target("B", f'SELECT sum("time_under_tension_s") AS "All sets in view" FROM "sets" {w}')],
             unit="s", decimals=1,
             description="Time under tension (rep time without the pause at the bottom) of the last finished "
                         "set, and summed over the finished sets in the time range."),
        timeseries(8, "Reps of the current set (last 3 min)", (0, 10, 12, 9),
                   [target("A", f'SELECT {PHASES} FROM "reps" {w} AND "completed" = true')],
                   unit="s", bars=True, stack=True, time_from="3m", decimals=1,
                   overrides=color_overrides(PHASE_COLORS),
                   description="Each completed rep is a bar at its start time, split into its phases (s). The current set "
                               "is the rightmost group; the window is the last 3 minutes, so after a rest shorter than "
                               "that the previous set shows at the left."),
        table(9, "Set list", (12, 10, 12, 9),
              [target("A", 'SELECT "exercise" AS "Exercise", "set_index" AS "Set", "rep_count" AS "Reps", '
                           '"partial_reps" AS "Partial", "tempo" AS "Tempo", '
                           '"time_under_tension_s" AS "TUT", "mean_concentric_s" AS "Pull", '
                           '"mean_eccentric_s" AS "Lower", "slowdown_pct" AS "Slow-down" '
                           f'FROM "sets" {w} ORDER BY time DESC', fmt="table")],
              overrides=[unit_override("TUT", "s", 1), unit_override("Pull", "s", 1),
                         unit_override("Lower", "s", 1), unit_override("Slow-down", "percent", 0)],
              description="Finished sets in the time range, newest first. Tempo: lowering-bottom-pull-top, s."),
    ]
    variables = [query_variable("sensor", "Sensor", 'SHOW TAG VALUES FROM "live" WITH KEY = "sensor"')]
    return dashboard("repcounter-live", "Live session", panels, variables, "now-3h", "1s",
                     "Current rep count, tempo and sets per wrist sensor, refreshed every second.",
                     ["repcounter", "live"])


# ----------------------------------------------------------------------------------------- tempo history

def tempo_history() -> dict[str, Any]:
    """The lifter's review over days and weeks, per exercise."""
    w = f"WHERE {SENSOR} AND {EXERCISE} AND $timeFilter"
    per_day = 'GROUP BY time($__interval), "exercise" fill(none)'
    day = "1d"
    panels: list[dict[str, Any]] = [
        stat(1, "Reps", (0, 0, 6, 4), [target("A", f'SELECT sum("rep_count") AS "Reps" FROM "sets" {w}')],
             description="All reps in the time range."),
        stat(2, "Sets", (6, 0, 6, 4), [target("A", f'SELECT count("rep_count") AS "Sets" FROM "sets" {w}')],
             description="All sets in the time range."),
        stat(3, "Time under tension", (12, 0, 6, 4),
             [target("A", f'SELECT sum("time_under_tension_s") AS "TUT" FROM "sets" {w}')], unit="s",
             decimals=0, description="Summed time under tension in the time range."),
        stat(4, "Partial reps", (18, 0, 6, 4),
             [target("A", f'SELECT sum("partial_reps") AS "Partial" FROM "sets" {w}')],
             description="Reps with a range of motion well below their set's norm."),
        timeseries(5, "Reps per day", (0, 4, 12, 8),
                   [target("A", f'SELECT sum("rep_count") FROM "sets" {w} {per_day}', alias="$tag_exercise")],
                   bars=True, stack=True, interval=day),
        timeseries(6, "Sets per day", (12, 4, 12, 8),
                   [target("A", f'SELECT count("rep_count") FROM "sets" {w} {per_day}', alias="$tag_exercise")],
                   bars=True, stack=True, interval=day),
        timeseries(7, "Time under tension per day", (0, 12, 12, 8),
                   [target("A", f'SELECT sum("time_under_tension_s") FROM "sets" {w} {per_day}',
                           alias="$tag_exercise")],
                   unit="s", bars=True, stack=True, interval=day),
        timeseries(8, "Pull and lowering time per rep", (12, 12, 12, 8),
                   [target("A", f'SELECT mean("concentric_s") AS "pull", mean("eccentric_s") AS "lower" '
                                f'FROM "reps" {w} {per_day}', alias="$tag_exercise $col")],
                   unit="s", interval=day, decimals=2,
                   description="Mean concentric (pull) and eccentric (lowering) time per rep, per day."),
        timeseries(9, "Slow-down within sets", (0, 20, 12, 8),
                   [target("A", f'SELECT mean("slowdown_pct") FROM "sets" {w} {per_day}', alias="$tag_exercise")],
                   unit="percent", interval=day, decimals=0,
                   description="How much longer the last reps' pull takes than the first reps' (mean per day)."),
        timeseries(10, "Partial reps per day", (12, 20, 12, 8),
                   [target("A", f'SELECT sum("partial_reps") FROM "sets" {w} {per_day}', alias="$tag_exercise")],
                   bars=True, stack=True, interval=day),
        table(11, "Set list", (0, 28, 24, 10),
              [target("A", 'SELECT "exercise" AS "Exercise", "sensor" AS "Sensor", "set_index" AS "Set", '
                           '"rep_count" AS "Reps", "partial_reps" AS "Partial", "tempo" AS "Tempo", '
                           '"time_under_tension_s" AS "TUT", "mean_concentric_s" AS "Pull", '
                           '"mean_eccentric_s" AS "Lower", "slowdown_pct" AS "Slow-down", '
                           f'"mean_rom_deg" AS "ROM" FROM "sets" {w} ORDER BY time DESC', fmt="table")],
              overrides=[unit_override("TUT", "s", 1), unit_override("Pull", "s", 1),
                         unit_override("Lower", "s", 1), unit_override("Slow-down", "percent", 0),
                         unit_override("ROM", "degree", 0)],
              description="Every set in the time range, newest first."),
    ]
    variables = [
        query_variable("sensor", "Sensor", 'SHOW TAG VALUES FROM "sets" WITH KEY = "sensor"'),
        query_variable("exercise", "Exercise",
                       f'SHOW TAG VALUES FROM "sets" WITH KEY = "exercise" WHERE {SENSOR}'),
    ]
    return dashboard("repcounter-tempo-history", "Tempo history", panels, variables, "now-30d", "1m",
                     "Reps, sets, time under tension and tempo per exercise over days and weeks.",
                     ["repcounter", "history"])


DASHBOARDS = {"live-session.json": live_session, "tempo-history.json": tempo_history}


def render(build: Any) -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, build in DASHBOARDS.items():
        path = OUT / name
        text = render(build)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print("out of date (run python dashboards/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
