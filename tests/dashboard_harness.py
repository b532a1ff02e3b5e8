"""Grafana, emulated just far enough to run a dashboard's InfluxQL and read what a person would see.

What Grafana does with an InfluxQL raw query, reproduced here (Grafana 12, backend InfluxQL path,
``pkg/tsdb/influxdb/models/query.go`` and the influxdb datasource's ``interpolateQueryExpr``):

* template variables: a single value is used as is; a multi/"All" variable in a regex (``=~ /^$v$/``) becomes
  ``(a|b|c)`` with each value regex-escaped (``All`` without a custom all value = every option);
* ``$timeFilter`` -> ``time >= <from>ms and time <= <to>ms``; a panel's ``timeFrom`` ("5m") moves ``from`` to
  ``to - 5m``;
* ``$__interval`` / ``$interval`` -> the panel's minimum interval (``interval``) or the datasource's
  ``timeInterval`` (1s), whichever is larger, or range / max data points when that is larger.

A "view" of a panel is what its visualisation shows: for stat and bar gauge the ``lastNotNull`` of every
field; for time series the points of every series; for a table the rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DASHBOARDS = REPO / "dashboards" / "json"

_DURATION = re.compile(r"^(\d+)(ms|s|m|h|d|w)$")
_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}


def duration_ms(text: str) -> int:
    """``"5m"`` -> 300000."""
    m = _DURATION.match(text.strip())
    if not m:
        raise ValueError(f"not a Grafana duration: {text!r}")
    return int(m.group(1)) * _UNIT_MS[m.group(2)]


def format_interval(ms: int) -> str:
    """Like Grafana's ``gtime.FormatInterval``: the largest whole unit."""
    for unit in ("w", "d", "h", "m", "s"):
        if ms >= _UNIT_MS[unit] and ms % _UNIT_MS[unit] == 0 and unit != "w":
            return f"{ms // _UNIT_MS[unit]}{unit}"
    return f"{ms}ms"


def load(name: str) -> dict[str, Any]:
    """A dashboard JSON from dashboards/json/."""
    return json.loads((DASHBOARDS / name).read_text())


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every non-row panel (top level and inside collapsed rows)."""
    out: list[dict[str, Any]] = []
    for p in dashboard.get("panels", []):
        if p.get("type") == "row":
            out.extend(p.get("panels", []))
        else:
            out.append(p)
    return out


def panel(dashboard: dict[str, Any], title: str) -> dict[str, Any]:
    matches = [p for p in panels(dashboard) if p.get("title") == title]
    if len(matches) != 1:
        raise KeyError(f"{len(matches)} panels titled {title!r}")
    return matches[0]


def _escape_regex(value: str) -> str:
    return re.sub(r"[\\^$*+?.()|{}\[\]/]", lambda m: "\\" + m.group(0), value)


@dataclass
class Frame:
    """One series of a query result."""

    name: str
    tags: dict[str, str]
    columns: list[str]
    rows: list[list[Any]]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]


@dataclass
class Grafana:
    """Runs panel queries against a real influxd like Grafana would.

    Args:
        influxd: the ``services.Influxd`` holding the data.
        db: the database (what the datasource's ``dbName`` / DBRP mapping names).
        now_ms: "now" in Unix ms (the dashboard's ``to``).
        range_from: the dashboard's ``time.from`` (e.g. ``now-3h``).
        variables: selected values per variable name (``["$__all"]`` for All).
        max_data_points: the panel width in points.
    """

    influxd: Any
    db: str
    now_ms: int
    range_from: str = "now-3h"
    variables: dict[str, list[str]] = field(default_factory=dict)
    max_data_points: int = 1000
    datasource_interval: str = "1s"
    queries: list[str] = field(default_factory=list)

    # ----------------------------------------------------------------- variables
    def variable_options(self, var: dict[str, Any]) -> list[str]:
        """Run a query variable's query (``SHOW TAG VALUES``) and return its options."""
        q = self.interpolate(var["query"], None)
        values: list[str] = []
        for frame in self.run(q):
            col = "value" if "value" in frame.columns else frame.columns[-1]
            values.extend(str(v) for v in frame.column(col))
        return sorted(set(values))

    def resolve_variables(self, dashboard: dict[str, Any]) -> dict[str, list[str]]:
        """Selected values of every variable, with ``$__all`` expanded, in dashboard order (chained)."""
        resolved: dict[str, list[str]] = {}
        for var in dashboard.get("templating", {}).get("list", []):
            name = var["name"]
            saved = dict(self.variables)
            self.variables = {**saved, **resolved}
            options = self.variable_options(var)
            self.variables = saved
            chosen = self.variables.get(name, ["$__all"])
            resolved[name] = options if chosen == ["$__all"] else list(chosen)
        return resolved

    # ----------------------------------------------------------------- queries
    def time_range(self, pnl: dict[str, Any] | None) -> tuple[int, int]:
        to = self.now_ms
        rel = pnl.get("timeFrom") if pnl else None
        if rel:
            return to - duration_ms(rel), to
        frm = self.range_from
        assert frm.startswith("now-"), frm
        return to - duration_ms(frm[4:]), to

    def interval_ms(self, pnl: dict[str, Any] | None) -> int:
        lo, hi = self.time_range(pnl)
        floor = max(duration_ms(self.datasource_interval), duration_ms(pnl["interval"]) if pnl and pnl.get("interval") else 0)
        return max(floor, (hi - lo) // self.max_data_points)

    def interpolate(self, query: str, pnl: dict[str, Any] | None, scoped: dict[str, str] | None = None) -> str:
        """The query as Grafana sends it to InfluxDB."""
        lo, hi = self.time_range(pnl)
        values = {**{k: v for k, v in self.variables.items()}, **{k: [v] for k, v in (scoped or {}).items()}}

        def var(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(2)
            if name not in values:
                return m.group(0)
            vals = values[name]
            if len(vals) == 1:
                return _escape_regex(vals[0])
            return "(" + "|".join(_escape_regex(v) for v in vals) + ")"

        q = query.replace("$timeFilter", f"time >= {lo}ms and time <= {hi}ms")
        interval = format_interval(self.interval_ms(pnl))
        q = q.replace("$__interval_ms", str(self.interval_ms(pnl))).replace("$__interval", interval)
        q = q.replace("$interval", interval)
        q = re.sub(r"\$\{(\w+)\}|\$(?!__|timeFilter|tag_|col\b)(\w+)", var, q)
        return q

    def run(self, query: str) -> list[Frame]:
        """Run InfluxQL (ms timestamps, like Grafana's ``epoch=ms``); raise on an error."""
        self.queries.append(query)
        body = self.influxd.query(query, self.db, epoch="ms")
        frames: list[Frame] = []
        for result in body.get("results", []):
            if "error" in result:
                raise RuntimeError(f"{result['error']} in query: {query}")
            for s in result.get("series", []) or []:
                frames.append(Frame(s.get("name", ""), s.get("tags", {}) or {}, s["columns"], s["values"]))
        return frames

    def panel_frames(self, pnl: dict[str, Any], scoped: dict[str, str] | None = None) -> dict[str, list[Frame]]:
        """Frames per refId of every (not hidden) target of a panel."""
        out: dict[str, list[Frame]] = {}
        for t in pnl.get("targets", []):
            if t.get("hide"):
                continue
            assert t.get("rawQuery") and t.get("query"), f"panel {pnl.get('title')!r}: only raw InfluxQL queries"
            out[t["refId"]] = self.run(self.interpolate(t["query"], pnl, scoped))
        return out

    # ----------------------------------------------------------------- what a person sees
    def values(self, pnl: dict[str, Any], scoped: dict[str, str] | None = None) -> dict[str, Any]:
        """Stat / bar gauge: ``lastNotNull`` of every value field, by field (column) name."""
        calcs = pnl["options"]["reduceOptions"]["calcs"]
        assert calcs == ["lastNotNull"], calcs
        shown: dict[str, Any] = {}
        for frames in self.panel_frames(pnl, scoped).values():
            for f in frames:
                for i, col in enumerate(f.columns):
                    if col == "time":
                        continue
                    vals = [r[i] for r in f.rows if r[i] is not None]
                    shown[col] = vals[-1] if vals else None
        return shown

    def series(self, pnl: dict[str, Any], scoped: dict[str, str] | None = None) -> dict[str, list[tuple[int, Any]]]:
        """Time series: points per displayed series name (alias with ``$tag_x``/``$col``, else column)."""
        out: dict[str, list[tuple[int, Any]]] = {}
        for t in pnl["targets"]:
            for f in self.panel_frames({**pnl, "targets": [t]}, scoped)[t["refId"]]:
                for i, col in enumerate(f.columns):
                    if col == "time":
                        continue
                    alias = t.get("alias")
                    if alias:
                        name = re.sub(r"\$tag_(\w+)", lambda m: f.tags.get(m.group(1), ""), alias).replace("$col", col)
                    else:
                        name = col
                    out.setdefault(name, []).extend((r[0], r[i]) for r in f.rows if r[i] is not None)
        return out

    def table(self, pnl: dict[str, Any], scoped: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Table: rows as dicts (column -> value), in query order."""
        rows: list[dict[str, Any]] = []
        for frames in self.panel_frames(pnl, scoped).values():
            for f in frames:
                rows.extend({**f.tags, **dict(zip(f.columns, r))} for r in f.rows)
        return rows
