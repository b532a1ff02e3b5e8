"""Where repcounter keeps its files: ``$REPCOUNTER_HOME`` or the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The data directory (created on demand): ``$REPCOUNTER_HOME`` or e.g. ``~/.local/share/repcounter``."""
    env = os.environ.get("REPCOUNTER_HOME")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("repcounter", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    """The local history database (SQLite)."""
    return data_dir() / "history.sqlite3"


def default_queue_dir() -> Path:
    """Where the MQTT sink queues events while the broker is away."""
    return data_dir() / "mqtt-queue"
