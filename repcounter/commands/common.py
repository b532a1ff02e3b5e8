"""Small helpers shared by commands."""

from __future__ import annotations

from repcounter.engine.events import EXERCISES, exercise_key
from repcounter.errors import UserError


def check_exercise(name: str) -> str:
    """Validate an ``--exercise`` value (``auto`` or a known name; ``pull-up`` style spelling accepted)."""
    key = exercise_key(name)
    if key != "auto" and key not in EXERCISES:
        raise UserError(f"unknown exercise {name!r}; choose auto or one of: {', '.join(EXERCISES)}")
    return key
