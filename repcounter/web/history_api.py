"""The history pages' JSON: read the local SQLite store (``repcounter.history.db.HistoryStore``).

Each call opens the store, reads and closes it, so it runs safely in a worker thread next to the store sink
writing the same file. All results are cleaned of NaN/inf (None instead) so they are valid JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, TypeVar

from repcounter.engine.events import _clean
from repcounter.errors import UserError
from repcounter.web.trends import weekly

R = TypeVar("R")


class StoreUnavailable(Exception):
    """The history store module or file cannot be used (message says why)."""


def _with_store(path: Path, fn: Callable[[Any], R]) -> R:
    try:
        from repcounter.history.db import HistoryStore
    except ImportError as exc:  # the store module is part of the package; this is a broken install
        raise StoreUnavailable(f"history store not available: {exc}") from exc
    if not Path(path).exists():
        raise FileNotFoundError(str(path))
    try:
        store = HistoryStore(path)
    except UserError as exc:  # not a history database, newer schema, ...: say so on the page
        raise StoreUnavailable(str(exc)) from None
    try:
        return fn(store)
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def list_sessions(path: Path, limit: int = 100) -> list[dict[str, Any]]:
    """Sessions, newest first (empty if the store file does not exist yet)."""
    try:
        return _clean(_with_store(path, lambda s: s.sessions(limit=limit)))
    except FileNotFoundError:
        return []


def get_session(path: Path, session_id: str) -> dict[str, Any] | None:
    """One session with its sets and reps, or None if unknown."""
    try:
        return _clean(_with_store(path, lambda s: s.session(session_id)))
    except FileNotFoundError:
        return None


def get_trends(path: Path, exercise: str | None, days: int = 90) -> dict[str, Any]:
    """Per-set rows and weekly figures for ``exercise`` (all exercises if None) over the last ``days``."""
    def read(store: Any) -> tuple[list[dict[str, Any]], list[str]]:
        return store.trends(exercise=exercise, days=days), list(store.exercises())

    try:
        rows, exercises = _with_store(path, read)
    except FileNotFoundError:
        rows, exercises = [], []
    rows = _clean(rows)
    return {"exercise": exercise, "days": days, "exercises": exercises, "sets": rows, "weeks": weekly(rows)}
