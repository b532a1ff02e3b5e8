"""Per-rep tempo and the set summary (time under tension, tempo notation, slowdown, partial reps)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from repcounter.engine.events import Rep, SetSummary
from repcounter.engine.reps import Swing

NAN = math.nan

PARTIAL_FRACTION: float = 0.6
"""A rep whose range of motion is below this fraction of the set's median is flagged partial."""


def announced_rep(index: int, conc: Swing, confidence: float) -> Rep:
    """A rep at the end of its concentric phase: later phases unknown (NaN)."""
    return Rep(index=index, start=conc.move_start, concentric_end=conc.move_end, end=conc.move_end,
               concentric_s=conc.move_s, pause_top_s=NAN, eccentric_s=NAN, pause_bottom_s=NAN,
               rom_deg=conc.rom_deg, peak_speed_dps=conc.peak_speed_dps, confidence=confidence)


def completed_rep(rep: Rep, ecc: Swing | None, next_start: float | None) -> Rep:
    """Fill in top pause, lowering and bottom pause.

    Args:
        rep: the announced rep.
        ecc: the lowering half-swing, or None if none was seen (rep ends at the top).
        next_start: start of the next rep's pull, s; None for the set's last rep (no bottom pause).
    """
    if ecc is None:
        end = rep.concentric_end
        return replace(rep, end=end, pause_top_s=0.0, eccentric_s=0.0, pause_bottom_s=0.0)
    ecc_end = max(ecc.move_end, rep.concentric_end)
    if next_start is not None and next_start < ecc_end:
        # The fitted lowering ran into the next pull: the next rep starts where this one ends.
        ecc_end = max(next_start, rep.concentric_end)
    ecc_start = min(max(ecc.move_start, rep.concentric_end), ecc_end)
    pause_top = ecc_start - rep.concentric_end
    eccentric = ecc_end - ecc_start
    if next_start is None or next_start <= ecc_end:
        pause_bottom, end = 0.0, ecc_end
    else:
        pause_bottom, end = next_start - ecc_end, next_start
    return replace(rep, end=end, pause_top_s=pause_top, eccentric_s=max(0.0, eccentric),
                   pause_bottom_s=pause_bottom)


def _mean(values: list[float]) -> float:
    v = [x for x in values if x == x]
    return float(np.mean(v)) if v else NAN


def summarize(set_index: int, exercise: str, exercise_confidence: float, reps: list[Rep],
              amplitudes: list[float], cut: Sequence[int] = ()) -> SetSummary:
    """Build the set summary; ``amplitudes`` (one per rep, any unit) decide which reps are partial, and so are
    the reps ``cut`` (indices) by the stream's start or end (only partly seen)."""
    med = float(np.median(amplitudes)) if amplitudes else 0.0
    partial = tuple(r.index for r, a in zip(reps, amplitudes)
                    if (med > 0 and a < PARTIAL_FRACTION * med) or r.index in cut)
    reps = [replace(r, partial=r.index in partial) for r in reps]
    full = [r for r in reps if not r.partial] or reps
    conc = _mean([r.concentric_s for r in reps])
    top = _mean([r.pause_top_s for r in reps])
    ecc = _mean([r.eccentric_s for r in reps])
    bottom = _mean([r.pause_bottom_s for r in reps[:-1]]) if len(reps) > 1 else 0.0
    tut = float(sum((r.end - r.start) - (r.pause_bottom_s if r.pause_bottom_s == r.pause_bottom_s else 0.0)
                    for r in reps))
    slowdown = NAN
    if len(full) >= 4:
        n = max(1, len(full) // 3)
        first = float(np.mean([r.concentric_s for r in full[:n]]))
        last = float(np.mean([r.concentric_s for r in full[-n:]]))
        slowdown = 100.0 * (last / first - 1.0) if first > 0 else NAN
    return SetSummary(
        set_index=set_index, exercise=exercise, exercise_confidence=exercise_confidence,
        start=reps[0].start if reps else NAN, end=reps[-1].end if reps else NAN, reps=tuple(reps),
        time_under_tension_s=tut, tempo=tempo_notation(ecc, bottom, conc, top),
        mean_concentric_s=conc, mean_pause_top_s=top, mean_eccentric_s=ecc, mean_pause_bottom_s=bottom,
        slowdown_pct=slowdown, mean_rom_deg=_mean([r.rom_deg for r in full]), partial_reps=partial,
    )


def tempo_notation(eccentric_s: float, bottom_s: float, concentric_s: float, top_s: float) -> str:
    """4-digit tempo eccentric-bottom-concentric-top in whole seconds, e.g. ``3-1-1-0`` (``x`` if unknown)."""
    parts = []
    for v in (eccentric_s, bottom_s, concentric_s, top_s):
        parts.append("x" if v != v else str(int(math.floor(v + 0.5))))
    return "-".join(parts)
