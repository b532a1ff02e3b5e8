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
        ("partial_count", "partial reps", None),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 11), sharex=True)
    for ax, (key, label, second) in zip(axes, panels):
        for ex in exercises:
            pts = [r for r in rows if r["exercise"] == ex and r.get(key) is not None]
            if not pts:
                continue
            xs = [_dt.datetime.fromtimestamp(r["started_at"]) for r in pts]
            ax.plot(xs, [r[key] for r in pts], "o-", color=colors[ex], ms=4, lw=1,
                    label=exercise_name(ex) if ax is axes[0] else None)
            if second:
                pts2 = [r for r in rows if r["exercise"] == ex and r.get(second) is not None]
                ax.plot([_dt.datetime.fromtimestamp(r["started_at"]) for r in pts2], [r[second] for r in pts2],
                        "s--", color=colors[ex], ms=3, lw=0.8, alpha=0.7)
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[2].text(0.01, 0.95, "solid: pull (concentric), dashed: lowering (eccentric)", transform=axes[2].transAxes,
                 fontsize=8, va="top")
    axes[0].legend(loc="upper left", fontsize=8, ncol=3)
    axes[0].set_title(title)
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d\n%H:%M"))
    fig.tight_layout()
    try:
        fig.savefig(out, dpi=90)
    except OSError as exc:
        raise UserError(f"{out}: cannot write the figure ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)
    return out
