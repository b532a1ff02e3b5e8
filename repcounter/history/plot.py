"""Trend figure from the history: reps, time under tension, tempo, slow-down and partial reps per set."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from repcounter.errors import UserError


def plot_trends(rows: list[dict[str, Any]], out: str | Path, title: str = "Training trends") -> Path:
    """Draw ``HistoryStore.trends()`` rows (one per set) into a PNG at ``out``; returns the path."""
    if not rows:
        raise UserError("no sets with reps in that period: nothing to plot")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from repcounter.sinks.console import exercise_name

    out = Path(out)
    if out.parent and not out.parent.exists():
        raise UserError(f"{out}: folder {out.parent} does not exist")
    exercises = sorted({r["exercise"] for r in rows}, key=lambda e: min(r["started_at"] for r in rows if r["exercise"] == e))
    colors = {e: f"C{i % 10}" for i, e in enumerate(exercises)}
    panels = [
        ("rep_count", "reps per set", None),
        ("time_under_tension_s", "time under tension (s)", None),
        ("mean_concentric_s", "pull / lowering (s)", "mean_eccentric_s"),
        ("slowdown_pct", "slow-down in set (%)", None),
        ("partial_count", "partial reps (per session)", None),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 11), sharex=True)
    for ax, (key, label, second) in zip(axes, panels):
        for ex in exercises:
            for field, style in ((key, "o-"), (second, "s--")):
                if field is None:
                    continue
                pts = [r for r in rows if r["exercise"] == ex and r.get(field) is not None]
                if not pts:
                    continue
                # every set as a dot, and a line through each session's mean
                ax.plot([_dt.datetime.fromtimestamp(r["started_at"]) for r in pts], [r[field] for r in pts],
                        style[0], color=colors[ex], ms=3, alpha=0.45)
                sessions: dict[str, list[dict[str, Any]]] = {}
                for r in pts:
                    sessions.setdefault(r["session_id"], []).append(r)
                xs = [_dt.datetime.fromtimestamp(sum(r["started_at"] for r in g) / len(g)) for g in sessions.values()]
                # partial reps add up over a session; the other figures are averaged
                ys = [sum(r[field] for r in g) / (1 if field == "partial_count" else len(g)) for g in sessions.values()]
                ax.plot(xs, ys, style[1:] or "-", color=colors[ex], lw=1.5,
                        label=exercise_name(ex) if ax is axes[0] and field == key else None)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    locator = mdates.AutoDateLocator()
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[2].set_title("dots: sets; lines: session means; solid: pull (concentric), dashed: lowering (eccentric)",
                      fontsize=8, loc="left")
    axes[0].legend(loc="upper left", fontsize=8, ncol=3)
    axes[0].set_title(title)
    fig.tight_layout()
    try:
        fig.savefig(out, dpi=90)
    except OSError as exc:
        raise UserError(f"{out}: cannot write the figure ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)
    return out
