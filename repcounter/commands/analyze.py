"""``repcounter analyze FILE``: sets, reps and tempo of a recording (table, ``--json`` or ``--plot``)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="count reps and measure tempo in a recording",
                       description="Find the sets in a recording, count reps and measure tempo.")
    p.add_argument("file", help="recording CSV (t,ax,ay,az,gx,gy,gz; s, g, deg/s)")
    p.add_argument("--exercise", default="auto", help="exercise name or auto (default)")
    p.add_argument("--json", action="store_true", help="print JSON (see docs/analyze-json.md)")
    p.add_argument("--plot", metavar="OUT.png", help="write a figure of the signal with reps and phases shaded")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from repcounter.commands.common import check_exercise
    from repcounter.engine import analyze_samples
    from repcounter.errors import UserError
    from repcounter.recording import read_recording

    exercise = check_exercise(args.exercise)
    rec = read_recording(args.file)
    if len(rec.samples) < 2:
        raise UserError(f"{args.file}: too few samples to analyze ({len(rec.samples)})")
    analysis = analyze_samples(rec.samples, exercise)
    if args.plot:
        try:
            _plot(rec.samples, analysis, args.plot, str(args.file))
        except OSError as exc:
            raise UserError(f"cannot write plot {args.plot}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps(analysis.to_dict(), indent=2))
    else:
        print(format_table(analysis))
    return 0


def format_table(analysis) -> str:  # type: ignore[no-untyped-def]
    """Readable text: one block per set, one line per rep."""
    lines: list[str] = []
    if not analysis.sets:
        return "no sets found"
    for s in analysis.sets:
        slow = "" if s.slowdown_pct != s.slowdown_pct else f", slowdown {s.slowdown_pct:+.0f}%"
        part = f", partial: {', '.join(map(str, s.partial_reps))}" if s.partial_reps else ""
        lines.append(f"Set {s.set_index}: {s.exercise}, {s.rep_count} reps, {s.start:.1f}-{s.end:.1f} s, "
                     f"tempo {s.tempo}, time under tension {s.time_under_tension_s:.1f} s{slow}{part}")
        lines.append("  rep  start s  pull s  top s  lower s  bottom s  ROM deg  conf")
        for r in s.reps:
            lines.append(f"  {r.index:3d}  {r.start:7.1f}  {_f(r.concentric_s, 6)}  {_f(r.pause_top_s)}  "
                         f"{_f(r.eccentric_s, 7)}  {_f(r.pause_bottom_s, 8)}  {r.rom_deg:7.0f}  {r.confidence:4.2f}"
                         + ("  partial" if r.partial else ""))
    lines.append(f"Total: {analysis.total_reps} reps in {len(analysis.sets)} set(s)")
    return "\n".join(lines)


def _f(v: float, width: int = 5) -> str:
    return f"{'-':>{width}}" if v != v else f"{v:{width}.2f}"


def _plot(samples, analysis, out: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """Acceleration (and gyro) with each rep's pull, top pause, lowering and bottom pause shaded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    t = samples[:, 0]
    has_gyro = bool(np.isfinite(samples[:, 4:]).any())
    fig, axes = plt.subplots(2 if has_gyro else 1, 1, figsize=(14, 6 if has_gyro else 3.6), sharex=True,
                             squeeze=False)
    ax0 = axes[0, 0]
    for c, name in zip(range(1, 4), ("ax", "ay", "az")):
        ax0.plot(t, samples[:, c], lw=0.7, label=name)
    ax0.set_ylabel("acceleration, g")
    if has_gyro:
        for c, name in zip(range(4, 7), ("gx", "gy", "gz")):
            axes[1, 0].plot(t, samples[:, c], lw=0.6, label=name)
        axes[1, 0].set_ylabel("angular rate, deg/s")
        axes[1, 0].legend(loc="upper right", fontsize=7)
    colors = {"pull": "tab:green", "top": "tab:olive", "lower": "tab:red", "bottom": "tab:gray"}
    for s in analysis.sets:
        for ax in axes[:, 0]:
            ax.axvline(s.start, color="k", lw=0.8)
            ax.axvline(s.end, color="k", lw=0.8)
        ax0.text(s.start, 1.02, f"set {s.set_index}: {s.exercise}, {s.rep_count} reps, tempo {s.tempo}",
                 transform=ax0.get_xaxis_transform(), fontsize=8)
        for r in s.reps:
            top_end = r.concentric_end + (r.pause_top_s if r.pause_top_s == r.pause_top_s else 0.0)
            ecc_end = top_end + (r.eccentric_s if r.eccentric_s == r.eccentric_s else 0.0)
            spans = [("pull", r.start, r.concentric_end), ("top", r.concentric_end, top_end),
                     ("lower", top_end, ecc_end), ("bottom", ecc_end, r.end)]
            for ax in axes[:, 0]:
                for name, a, b in spans:
                    if b > a:
                        ax.axvspan(a, b, color=colors[name], alpha=0.35 if not r.partial else 0.15, lw=0)
            ax0.text((r.start + r.end) / 2, 0.95, str(r.index) + ("p" if r.partial else ""),
                     transform=ax0.get_xaxis_transform(), ha="center", fontsize=7)
    from matplotlib.patches import Patch

    handles, _ = ax0.get_legend_handles_labels()
    handles += [Patch(color=c, alpha=0.35, label=n) for n, c in colors.items()]
    ax0.legend(handles=handles, loc="upper right", fontsize=7, ncol=2)
    axes[-1, 0].set_xlabel("time, s")
    fig.suptitle(f"{title}: {analysis.total_reps} reps", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
