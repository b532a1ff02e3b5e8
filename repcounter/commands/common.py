"""Small helpers shared by commands."""

from __future__ import annotations

from repcounter.engine.events import EXERCISES
from repcounter.errors import UserError


def check_exercise(name: str) -> str:
    """Validate an ``--exercise`` value (``auto`` or a known name; ``pull-up`` style spelling accepted)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"pull_up": "pullup", "chin_up": "chinup", "pulldown": "lat_pulldown", "row": "seated_row",
               "cable_row": "seated_row", "barbell_row": "bent_over_row", "dumbbell_row": "bent_over_row"}
    key = aliases.get(key, key)
    if key != "auto" and key not in EXERCISES:
        raise UserError(f"unknown exercise {name!r}; choose auto or one of: {', '.join(EXERCISES)}")
    return key
