"""Local history: the SQLite store (:mod:`.db`), trend figures (:mod:`.plot`) and exports (:mod:`.export`)."""

from repcounter.history.db import HistoryStore

__all__ = ["HistoryStore"]
