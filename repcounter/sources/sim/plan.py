"""What to simulate: set plans and the demo's back workout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from repcounter.sources.sim.kinematics import canonical_exercise

Tempo = tuple[float, float, float, float]
"""Tempo in seconds: eccentric, pause at the bottom, concentric, pause at the top (as in ``3-1-1-0``)."""


def parse_tempo(text: str) -> Tempo:
    """Parse ``3-1-1-0`` (eccentric-bottom pause-concentric-top pause, s; decimals allowed)."""
    parts = text.strip().split("-")
    if len(parts) != 4:
        raise ValueError(f"tempo {text!r} must have four numbers like 3-1-1-0 (eccentric-pause-concentric-pause, s)")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"tempo {text!r} must have four numbers like 3-1-1-0") from None
    check_tempo(values)  # type: ignore[arg-type]
    return values  # type: ignore[return-value]


def check_tempo(tempo: Tempo) -> None:
    """Raise ValueError unless the tempo has 4 values, lowering and pulling 0.3-20 s, pauses 0-20 s."""
    if len(tempo) != 4:
        raise ValueError("tempo needs 4 values: eccentric, bottom pause, concentric, top pause (s)")
    ecc, bottom, conc, top = (float(x) for x in tempo)
    if not all(np.isfinite([ecc, bottom, conc, top])):
        raise ValueError("tempo values must be finite numbers")
    if not (0.3 <= ecc <= 20 and 0.3 <= conc <= 20):
        raise ValueError("tempo: eccentric and concentric must be 0.3-20 s")
    if not (0 <= bottom <= 20 and 0 <= top <= 20):
        raise ValueError("tempo: pauses must be 0-20 s")


def format_tempo(tempo: Tempo) -> str:
    """``(3, 1, 1, 0)`` -> ``"3-1-1-0"``."""
    return "-".join(f"{float(x):g}" for x in tempo)


@dataclass(frozen=True)
class SetPlan:
    """One planned set.

    Attributes:
        exercise: pullup, chinup, lat_pulldown, seated_row, bent_over_row, or the negatives curl, press.
        reps: number of reps (partial reps included).
        tempo: (eccentric, bottom pause, concentric, top pause) s.
        rest_after_s: time from the end of this set's last rep to the first rep of the next set, s
            (includes walking away, resting and setting up again).
        fatigue: fractional slowdown of the concentric by the last rep (0.3 = 30 % slower).
        partial_reps: 1-based indices of reps done with reduced range (40-60 %).
        load_kg: weight used, None for body weight.
    """

    exercise: str
    reps: int
    tempo: Tempo = (2.0, 1.0, 1.0, 0.0)
    rest_after_s: float = 90.0
    fatigue: float = 0.0
    partial_reps: tuple[int, ...] = ()
    load_kg: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "exercise", canonical_exercise(self.exercise))
        object.__setattr__(self, "tempo", tuple(float(x) for x in self.tempo))
        object.__setattr__(self, "partial_reps", tuple(int(i) for i in self.partial_reps))
        if not isinstance(self.reps, (int, np.integer)) or not 1 <= self.reps <= 200:
            raise ValueError(f"reps must be a whole number 1-200, got {self.reps!r}")
        check_tempo(self.tempo)
        if not (0.0 <= self.rest_after_s <= 3600.0):
            raise ValueError("rest_after_s must be 0-3600 s")
        if not (0.0 <= self.fatigue <= 2.0):
            raise ValueError("fatigue must be 0-2 (fractional slowdown of the concentric)")
        bad = [i for i in self.partial_reps if not 1 <= i <= self.reps]
        if bad:
            raise ValueError(f"partial_reps {bad} outside 1..{self.reps}")
        if self.load_kg is not None and not (0.0 <= self.load_kg <= 1000.0):
            raise ValueError("load_kg must be 0-1000 or None")


def back_workout_plan(seed: int = 0, rest_s: float | tuple[float, float] = (60.0, 120.0),
                      sets_per_exercise: tuple[int, int] = (2, 3)) -> list[SetPlan]:
    """The demo workout: light lat-pulldown warm-up, then pull-ups, lat pulldowns, seated cable rows and
    bent-over rows, 2-3 sets each. Rest between sets is drawn from ``rest_s`` (s; a number for a fixed
    rest, e.g. 15 for a short demo). Tempo slows with fatigue, now and then a partial rep."""
    rng = np.random.default_rng(seed)

    def rest() -> float:
        if isinstance(rest_s, (int, float)):
            return float(rest_s)
        return float(rng.uniform(*rest_s))

    plan = [SetPlan("lat_pulldown", int(rng.integers(12, 16)), (2.0, 0.5, 1.0, 0.0), rest(), 0.05, (),
                    float(rng.choice([20.0, 25.0, 30.0])))]
    blocks = [
        ("pullup", (5, 10), [(2.0, 0.5, 1.0, 0.0), (3.0, 1.0, 1.0, 0.0), (2.0, 0.0, 1.0, 1.0)], None),
        ("lat_pulldown", (8, 12), [(3.0, 1.0, 1.0, 0.0), (2.0, 0.0, 1.0, 1.0), (1.5, 0.0, 0.8, 0.3)], (45.0, 65.0)),
        ("seated_row", (8, 12), [(2.0, 0.0, 1.0, 1.0), (3.0, 0.0, 1.0, 1.0), (1.5, 0.0, 0.8, 0.5)], (40.0, 60.0)),
        ("bent_over_row", (6, 10), [(2.0, 0.0, 1.0, 0.0), (2.0, 1.0, 1.0, 0.0), (1.2, 0.0, 0.7, 0.2)], (40.0, 70.0)),
    ]
    for name, (lo, hi), tempos, load in blocks:
        tempo = tempos[int(rng.integers(0, len(tempos)))]
        n_sets = int(rng.integers(sets_per_exercise[0], sets_per_exercise[1] + 1))
        kg = None if load is None else float(np.round(rng.uniform(*load) / 2.5) * 2.5)
        for k in range(n_sets):
            reps = max(3, int(rng.integers(lo, hi + 1)) - k)
            fatigue = float(rng.uniform(0.15, 0.45))
            partial: tuple[int, ...] = ()
            if rng.random() < 0.35:  # the last rep fails to reach the top
                partial = (reps,)
            elif rng.random() < 0.15:
                partial = (int(rng.integers(2, reps + 1)),)
            plan.append(SetPlan(name, reps, tempo, rest(), fatigue, partial, kg))
    return plan
