"""The local history: a SQLite file holding sessions, sets and reps with tempo.

Writes come from :class:`repcounter.sinks.store.StoreSink` (one transaction per event, WAL journal,
``synchronous=NORMAL``: a killed process keeps every committed event). Reads (``sessions``, ``session``,
``trends``, ``exercises``) may run in other threads at the same time: each thread gets its own connection.

All stored times are wall-clock Unix seconds; durations are seconds; range of motion is degrees.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import sqlite3
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

from repcounter.engine.events import BACK_EXERCISES, Rep, SetSummary
from repcounter.errors import UserError

LIVE_WINDOW_S = 120.0
"""Without file locks (non-POSIX): a session not closed and not heard from for this long is interrupted."""

try:
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]


class SessionLock:
    """An exclusive lock file held by the process writing a session; the OS drops it if that process dies.

    Readers call :func:`session_is_live` to tell a running session from one whose writer was killed.
    """

    def __init__(self, db_path: Path, session_id: str) -> None:
        self.path = lock_path(db_path, session_id)
        self._fh = None
        if _fcntl is None:
            return
        for _attempt in range(5):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fh = self.path.open("a+")
                _fcntl.flock(fh.fileno(), _fcntl.LOCK_EX | _fcntl.LOCK_NB)
                # a cleaner may have removed the file between open and lock: then lock a fresh one
                if os.path.exists(self.path) and os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino:
                    self._fh = fh
                    return
                fh.close()
            except OSError:
                return

    def release(self) -> None:
        """Unlock and remove the lock file."""
        if self._fh is not None:
            try:
                self.path.unlink(missing_ok=True)
                self._fh.close()
            except OSError:
                pass
            self._fh = None


def lock_path(db_path: Path, session_id: str) -> Path:
    """Where the writer of ``session_id`` keeps its lock file."""
    return db_path.parent / f"{db_path.name}.live" / f"{session_id}.lock"


def clean_stale_locks(db_path: Path) -> int:
    """Remove lock files whose writer is gone (killed sessions); returns how many."""
    folder = db_path.parent / f"{db_path.name}.live"
    if _fcntl is None or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.lock"):
        try:
            with path.open("a+") as fh:
                try:
                    _fcntl.flock(fh.fileno(), _fcntl.LOCK_EX | _fcntl.LOCK_NB)
                except OSError:
                    continue  # a live writer holds it
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


def session_is_live(db_path: Path, session_id: str, last_seen_at: float | None, now: float) -> bool:
    """True if a process is still writing the session (its lock file is held)."""
    if _fcntl is None:
        return last_seen_at is not None and now - last_seen_at < LIVE_WINDOW_S
    path = lock_path(db_path, session_id)
    try:
        with path.open("r") as fh:
            try:
                _fcntl.flock(fh.fileno(), _fcntl.LOCK_SH | _fcntl.LOCK_NB)
            except OSError:
                return True  # held by the writer
            _fcntl.flock(fh.fileno(), _fcntl.LOCK_UN)
            return False
    except OSError:
        return False

MIGRATIONS: tuple[str, ...] = (
    # 1: first schema
    """
    CREATE TABLE sessions (
        session_id     TEXT PRIMARY KEY,
        started_at     REAL NOT NULL,
        source         TEXT NOT NULL DEFAULT '',
        exercise_arg   TEXT NOT NULL DEFAULT 'auto',
        recording_path TEXT,
        ended_at       REAL,
        last_seen_at   REAL
    );
    CREATE TABLE session_sensors (
        session_id     TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
        sensor_id      TEXT NOT NULL,
        recording_path TEXT,
        PRIMARY KEY (session_id, sensor_id)
    );
    CREATE TABLE sets (
        session_id           TEXT NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
        sensor_id            TEXT NOT NULL,
        set_index            INTEGER NOT NULL,
        exercise             TEXT NOT NULL,
        exercise_confidence  REAL,
        start_at             REAL,
        end_at               REAL,
        ended                INTEGER NOT NULL DEFAULT 0,
        time_under_tension_s REAL,
        tempo                TEXT,
        mean_concentric_s    REAL,
        mean_pause_top_s     REAL,
        mean_eccentric_s     REAL,
        mean_pause_bottom_s  REAL,
        slowdown_pct         REAL,
        mean_rom_deg         REAL,
        partial_reps         TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (session_id, sensor_id, set_index)
    );
    CREATE INDEX sets_by_start ON sets(start_at);
    CREATE TABLE reps (
        session_id        TEXT NOT NULL,
        sensor_id         TEXT NOT NULL,
        set_index         INTEGER NOT NULL,
        rep_index         INTEGER NOT NULL,
        start_at          REAL,
        concentric_end_at REAL,
        end_at            REAL,
        concentric_s      REAL,
        pause_top_s       REAL,
        eccentric_s       REAL,
        pause_bottom_s    REAL,
        rom_deg           REAL,
        peak_speed_dps    REAL,
        confidence        REAL,
        partial           INTEGER NOT NULL DEFAULT 0,
        completed         INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, sensor_id, set_index, rep_index),
        FOREIGN KEY (session_id, sensor_id, set_index)
            REFERENCES sets(session_id, sensor_id, set_index) ON DELETE CASCADE
    );
    """,
)
"""Schema migrations; ``PRAGMA user_version`` is the number applied."""

SCHEMA_VERSION = len(MIGRATIONS)

_SET_SUMMARY_FIELDS = ("time_under_tension_s", "tempo", "mean_concentric_s", "mean_pause_top_s",
                       "mean_eccentric_s", "mean_pause_bottom_s", "slowdown_pct", "mean_rom_deg")
_REP_FIELDS = ("concentric_s", "pause_top_s", "eccentric_s", "pause_bottom_s", "rom_deg", "peak_speed_dps",
               "confidence")


def _num(value: float | None) -> float | None:
    """NaN/inf -> None (stored as NULL)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class HistoryStore:
    """Open (or create) the history database at ``path``.

    Safe for one writer and readers in other threads (a connection per thread, WAL journal). A write waits
    up to ``busy_timeout_s`` for another process's write to finish.
    Raises :class:`UserError` (one line) if the file is not a repcounter history.
    """

    def __init__(self, path: str | Path, busy_timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = float(busy_timeout_s)
        if self.path.is_dir():
            raise UserError(f"{self.path}: is a directory, not a history database")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UserError(f"{self.path}: {self.path.parent} is a file, not a folder") from None
        except OSError as exc:
            raise UserError(f"{self.path}: cannot create its folder ({exc.strerror or exc})") from None
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate(self._conn())

    # ---------------------------------------------------------------- connections and schema
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout_s, check_same_thread=False,
                                       isolation_level=None)
                conn.row_factory = sqlite3.Row
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.DatabaseError as exc:
                raise UserError(f"{self.path}: cannot open history database ({exc})") from None
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise UserError(f"{self.path}: history database schema {version} is newer than this "
                                f"repcounter understands ({SCHEMA_VERSION}); upgrade repcounter")
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                if tables:
                    raise UserError(f"{self.path}: is an SQLite file but not a repcounter history")
            for number in range(version, SCHEMA_VERSION):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # re-check inside the write lock: another process may have migrated meanwhile
                    current = conn.execute("PRAGMA user_version").fetchone()[0]
                    if current <= number:
                        for statement in MIGRATIONS[number].split(";"):
                            if statement.strip():
                                conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {number + 1}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{self.path}: not a history database ({exc})") from None
        self.journal_mode = str(mode)

    def _write(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Run statements in one committed transaction."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                conn.execute(sql, params)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close every connection this store opened (any thread)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- writes (used by StoreSink)
    def begin_session(self, session_id: str, started_at: float, source: str, exercise: str = "auto",
                      recording_path: str | None = None) -> None:
        """Record a new session (idempotent)."""
        self._write([(
            "INSERT INTO sessions(session_id, started_at, source, exercise_arg, recording_path, last_seen_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(session_id) DO UPDATE SET last_seen_at=excluded.last_seen_at",
            (session_id, float(started_at), source, exercise, recording_path, time.time()),
        )])

    def touch_session(self, session_id: str, at: float | None = None) -> None:
        """Mark the session alive at ``at`` (Unix s; now by default)."""
        self._write([("UPDATE sessions SET last_seen_at=? WHERE session_id=?",
                      (time.time() if at is None else at, session_id))])

    def end_session(self, session_id: str, at: float | None = None) -> None:
        """Mark the session closed normally."""
        now = time.time() if at is None else at
        self._write([("UPDATE sessions SET ended_at=?, last_seen_at=? WHERE session_id=?",
                      (now, now, session_id))])

    def add_sensor(self, session_id: str, sensor_id: str, recording_path: str | None = None) -> None:
        """Note that ``sensor_id`` took part (with its raw recording file, if one is kept)."""
        self._write([(
            "INSERT INTO session_sensors(session_id, sensor_id, recording_path) VALUES (?,?,?) "
            "ON CONFLICT(session_id, sensor_id) DO UPDATE SET "
            "recording_path=coalesce(excluded.recording_path, recording_path)",
            (session_id, sensor_id, recording_path),
        )])

    @staticmethod
    def _set_row(session_id: str, sensor_id: str, set_index: int, exercise: str,
                 start_at: float | None) -> tuple[str, tuple[Any, ...]]:
        return (
            "INSERT INTO sets(session_id, sensor_id, set_index, exercise, start_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(session_id, sensor_id, set_index) DO UPDATE SET exercise="
            "CASE WHEN sets.ended THEN sets.exercise ELSE excluded.exercise END, "
            "start_at=coalesce(sets.start_at, excluded.start_at)",
            (session_id, sensor_id, int(set_index), exercise, _num(start_at)),
        )

    def start_set(self, session_id: str, sensor_id: str, set_index: int, exercise: str, start_at: float) -> None:
        """A set began at ``start_at`` (Unix s)."""
        self._write([self._set_row(session_id, sensor_id, set_index, exercise, start_at)])

    @staticmethod
    def _rep_row(session_id: str, sensor_id: str, set_index: int, rep: Rep, wall: Callable[[float], float],
                 completed: bool) -> tuple[str, tuple[Any, ...]]:
        values = [_num(getattr(rep, name)) for name in _REP_FIELDS]
        cols = ", ".join(_REP_FIELDS)
        updates = ", ".join(f"{c}=excluded.{c}" for c in _REP_FIELDS)
        return (
            f"INSERT INTO reps(session_id, sensor_id, set_index, rep_index, start_at, concentric_end_at, end_at, "
            f"{cols}, partial, completed) VALUES ({','.join('?' * (9 + len(_REP_FIELDS)))}) "
            f"ON CONFLICT(session_id, sensor_id, set_index, rep_index) DO UPDATE SET start_at=excluded.start_at, "
            f"concentric_end_at=excluded.concentric_end_at, end_at=excluded.end_at, {updates}, "
            f"partial=excluded.partial, completed=max(reps.completed, excluded.completed)",
            (session_id, sensor_id, int(set_index), int(rep.index), _num(wall(rep.start)),
             _num(wall(rep.concentric_end)), _num(wall(rep.end)), *values, int(bool(rep.partial)),
             int(bool(completed))),
        )

    def upsert_rep(self, session_id: str, sensor_id: str, set_index: int, exercise: str, rep: Rep,
                   wall: Callable[[float], float], completed: bool) -> None:
        """Store a rep when announced (``completed=False``) and again when its tempo is complete.

        ``wall`` maps the engine's signal times (s) to Unix s.
        """
        self._write([
            self._set_row(session_id, sensor_id, set_index, exercise, wall(rep.start)),
            self._rep_row(session_id, sensor_id, set_index, rep, wall, completed),
        ])

    def end_set(self, session_id: str, sensor_id: str, summary: SetSummary, wall: Callable[[float], float]) -> None:
        """Store a finished set and its final reps (the summary is the engine's last word on them)."""
        s = summary
        statements = [self._set_row(session_id, sensor_id, s.set_index, s.exercise, wall(s.start))]
        statements.append((
            "UPDATE sets SET exercise=?, exercise_confidence=?, start_at=?, end_at=?, ended=1, "
            + ", ".join(f"{f}=?" for f in _SET_SUMMARY_FIELDS) + ", partial_reps=? "
            "WHERE session_id=? AND sensor_id=? AND set_index=?",
            (s.exercise, _num(s.exercise_confidence), _num(wall(s.start)), _num(wall(s.end)),
             _num(s.time_under_tension_s), s.tempo, _num(s.mean_concentric_s), _num(s.mean_pause_top_s),
             _num(s.mean_eccentric_s), _num(s.mean_pause_bottom_s), _num(s.slowdown_pct), _num(s.mean_rom_deg),
             json.dumps([int(i) for i in s.partial_reps]), session_id, sensor_id, int(s.set_index)),
        ))
        keep = [int(r.index) for r in s.reps]
        statements.append((
            f"DELETE FROM reps WHERE session_id=? AND sensor_id=? AND set_index=? "
            f"AND rep_index NOT IN ({','.join('?' * len(keep)) or 'NULL'})",
            (session_id, sensor_id, int(s.set_index), *keep),
        ))
        flagged = set(int(i) for i in s.partial_reps)
        for rep in s.reps:
            if rep.index in flagged and not rep.partial:
                rep = replace(rep, partial=True)
            statements.append(self._rep_row(session_id, sensor_id, s.set_index, rep, wall, True))
        self._write(statements)

    def delete_session(self, session_id: str) -> bool:
        """Remove a session and everything in it; True if it existed."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("reps", "sets", "session_sensors"):
                conn.execute(f"DELETE FROM {table} WHERE session_id=?", (session_id,))
            cur = conn.execute("DELETE FROM sessions WHERE session_id=?", (session_id,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return cur.rowcount > 0

    # ---------------------------------------------------------------- reads
    def _session_status(self, row: sqlite3.Row, now: float) -> str:
        if row["ended_at"] is not None:
            return "done"
        live = session_is_live(self.path, row["session_id"], row["last_seen_at"] or row["started_at"], now)
        return "live" if live else "interrupted"

    def _session_dicts(self, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
        conn = self._conn()
        now = time.time()
        out = []
        for row in rows:
            sid = row["session_id"]
            sensors = [r[0] for r in conn.execute(
                "SELECT sensor_id FROM session_sensors WHERE session_id=? UNION "
                "SELECT DISTINCT sensor_id FROM sets WHERE session_id=? ORDER BY 1", (sid, sid))]
            set_count = conn.execute("SELECT count(*) FROM sets WHERE session_id=?", (sid,)).fetchone()[0]
            rep_count = conn.execute("SELECT count(*) FROM reps WHERE session_id=?", (sid,)).fetchone()[0]
            exercises = [r[0] for r in conn.execute(
                "SELECT exercise FROM sets WHERE session_id=? GROUP BY exercise ORDER BY min(start_at)", (sid,))]
            last_set_end = conn.execute("SELECT max(coalesce(end_at, start_at)) FROM sets WHERE session_id=?",
                                        (sid,)).fetchone()[0]
            last_rep_end = conn.execute("SELECT max(end_at) FROM reps WHERE session_id=?", (sid,)).fetchone()[0]
            activity = [x for x in (last_set_end, last_rep_end) if x is not None]
            end = max(activity) if activity else (row["ended_at"] or row["last_seen_at"] or row["started_at"])
            out.append({
                "session_id": sid,
                "started_at": row["started_at"],
                "ended_at": row["ended_at"],
                "source": row["source"],
                "exercise_arg": row["exercise_arg"],
                "recording_path": row["recording_path"],
                "sensor_ids": sensors,
                "set_count": set_count,
                "rep_count": rep_count,
                "exercises": exercises,
                "duration_s": max(0.0, end - row["started_at"]),
                "status": self._session_status(row, now),
            })
        return out

    def sessions(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest ``limit`` sessions, newest first.

        Each: session_id, started_at (Unix s), ended_at, source, sensor_ids, set_count, rep_count, exercises,
        duration_s, recording_path, status (``done``, ``live`` or ``interrupted``).
        """
        rows = self._conn().execute("SELECT * FROM sessions ORDER BY started_at DESC LIMIT ?",
                                    (int(limit),)).fetchall()
        return self._session_dicts(rows)

    def session(self, session_id: str) -> dict[str, Any] | None:
        """One session with its ``sets`` (each with ``reps``), or None if unknown."""
        conn = self._conn()
        row = conn.execute("SELECT * FROM sessions WHERE session_id=?", (session_id,)).fetchone()
        if row is None:
            return None
        info = self._session_dicts([row])[0]
        info["recordings"] = {r["sensor_id"]: r["recording_path"] for r in conn.execute(
            "SELECT sensor_id, recording_path FROM session_sensors WHERE session_id=? "
            "AND recording_path IS NOT NULL", (session_id,))}
        sets = conn.execute("SELECT * FROM sets WHERE session_id=? ORDER BY start_at, sensor_id, set_index",
                            (session_id,)).fetchall()
        info["sets"] = [self._set_dict(s, info["status"]) for s in sets]
        return info

    def _set_dict(self, row: sqlite3.Row, session_status: str) -> dict[str, Any]:
        reps = [{
            "index": r["rep_index"], "start_at": r["start_at"], "concentric_end_at": r["concentric_end_at"],
            "end_at": r["end_at"], "concentric_s": r["concentric_s"], "pause_top_s": r["pause_top_s"],
            "eccentric_s": r["eccentric_s"], "pause_bottom_s": r["pause_bottom_s"], "rom_deg": r["rom_deg"],
            "peak_speed_dps": r["peak_speed_dps"], "confidence": r["confidence"], "partial": bool(r["partial"]),
            "completed": bool(r["completed"]),
        } for r in self._conn().execute(
            "SELECT * FROM reps WHERE session_id=? AND sensor_id=? AND set_index=? ORDER BY rep_index",
            (row["session_id"], row["sensor_id"], row["set_index"]))]
        d: dict[str, Any] = {
            "sensor_id": row["sensor_id"], "set_index": row["set_index"], "exercise": row["exercise"],
            "exercise_confidence": row["exercise_confidence"], "start_at": row["start_at"],
            "end_at": row["end_at"], "rep_count": len(reps),
        }
        if row["ended"]:
            d["status"] = "done"
            for name in _SET_SUMMARY_FIELDS:
                d[name] = row[name]
            d["partial_reps"] = json.loads(row["partial_reps"] or "[]")
        else:
            d["status"] = "in_progress" if session_status == "live" else "interrupted"
            d.update(summarize_reps(reps))
            if d["end_at"] is None and reps:
                d["end_at"] = max((r["end_at"] or r["concentric_end_at"] or 0.0) for r in reps)
        d["reps"] = reps
        return d

    def trends(self, exercise: str | None = None, days: int = 90) -> list[dict[str, Any]]:
        """One row per set with at least one rep in the last ``days`` days, oldest first.

        Each: session_id, date (ISO, local), started_at (Unix s), sensor_id, exercise, rep_count,
        time_under_tension_s, mean_concentric_s, mean_eccentric_s, slowdown_pct, partial_count, mean_rom_deg,
        status.
        """
        since = time.time() - float(days) * 86400.0
        sql = ("SELECT s.session_id, s.sensor_id, s.set_index, coalesce(s.start_at, ses.started_at) AS at "
               "FROM sets s JOIN sessions ses USING(session_id) WHERE coalesce(s.start_at, ses.started_at) >= ?")
        params: list[Any] = [since]
        if exercise:
            sql += " AND s.exercise = ?"
            params.append(exercise)
        sql += " ORDER BY at, s.sensor_id, s.set_index"
        conn = self._conn()
        out = []
        now = time.time()
        statuses: dict[str, str] = {}
        for key in conn.execute(sql, params).fetchall():
            sid = key["session_id"]
            if sid not in statuses:
                srow = conn.execute("SELECT * FROM sessions WHERE session_id=?", (sid,)).fetchone()
                statuses[sid] = self._session_status(srow, now)
            row = conn.execute("SELECT * FROM sets WHERE session_id=? AND sensor_id=? AND set_index=?",
                               (sid, key["sensor_id"], key["set_index"])).fetchone()
            s = self._set_dict(row, statuses[sid])
            if s["rep_count"] == 0:
                continue
            out.append({
                "session_id": sid,
                "date": _dt.datetime.fromtimestamp(key["at"]).date().isoformat(),
                "started_at": key["at"],
                "sensor_id": s["sensor_id"],
                "set_index": s["set_index"],
                "exercise": s["exercise"],
                "rep_count": s["rep_count"],
                "time_under_tension_s": s["time_under_tension_s"],
                "mean_concentric_s": s["mean_concentric_s"],
                "mean_eccentric_s": s["mean_eccentric_s"],
                "slowdown_pct": s["slowdown_pct"],
                "partial_count": len(s["partial_reps"]),
                "mean_rom_deg": s["mean_rom_deg"],
                "status": s["status"],
            })
        return out

    def exercises(self) -> list[str]:
        """Exercises with at least one stored set (back exercises first, in their usual order)."""
        names = [r[0] for r in self._conn().execute("SELECT DISTINCT exercise FROM sets")]
        order = {name: i for i, name in enumerate(BACK_EXERCISES)}
        return sorted(names, key=lambda n: (order.get(n, len(order)), n))

    def sessions_for_recording(self, recording_path: str) -> list[str]:
        """Ids of sessions made from the recording file ``recording_path`` (for imports)."""
        return [r[0] for r in self._conn().execute(
            "SELECT session_id FROM sessions WHERE recording_path=? ORDER BY started_at", (recording_path,))]

    def resolve(self, ref: str) -> str:
        """A session id from ``last``, a full id or a unique prefix; :class:`UserError` otherwise."""
        conn = self._conn()
        ref = ref.strip()
        if ref in ("last", "latest"):
            row = conn.execute("SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1").fetchone()
            if row is None:
                raise UserError(f"{self.path}: no sessions in the history yet")
            return row[0]
        if not ref:
            raise UserError("empty session id")
        like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = [r[0] for r in conn.execute(
            "SELECT session_id FROM sessions WHERE session_id LIKE ? ESCAPE '\\' ORDER BY started_at LIMIT 6",
            (like,))]
        if ref in rows:
            return ref
        if not rows:
            raise UserError(f"no session {ref!r} in {self.path} (see `repcounter history`)")
        if len(rows) > 1:
            shown = ", ".join(rows[:5]) + (", ..." if len(rows) > 5 else "")
            raise UserError(f"session {ref!r} is ambiguous: {shown}")
        return rows[0]


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def summarize_reps(reps: list[dict[str, Any]]) -> dict[str, Any]:
    """Set figures computed from stored reps, for a set that never got its summary (interrupted).

    Partial reps cannot be judged without the set's end, so ``partial_reps`` lists only reps already flagged.
    """
    full = [r for r in reps if r["completed"]]
    tut = 0.0
    for r in reps:
        if r["start_at"] is None:
            continue
        end = r["end_at"] if r["completed"] else r["concentric_end_at"]
        tut += max(0.0, (end or r["start_at"]) - r["start_at"] - (r["pause_bottom_s"] or 0.0))
    conc = [r["concentric_s"] for r in reps]
    slowdown = None
    if len(reps) >= 4:
        k = max(1, len(reps) // 3)
        first, last = _mean(conc[:k]), _mean(conc[-k:])
        if first and last is not None:
            slowdown = 100.0 * (last - first) / first
    means = {
        "mean_concentric_s": _mean(conc),
        "mean_pause_top_s": _mean([r["pause_top_s"] for r in full]),
        "mean_eccentric_s": _mean([r["eccentric_s"] for r in full]),
        "mean_pause_bottom_s": _mean([r["pause_bottom_s"] for r in full]),
    }
    tempo = None
    if all(means[k] is not None for k in means):
        tempo = "-".join(str(int(round(means[k]))) for k in
                         ("mean_eccentric_s", "mean_pause_bottom_s", "mean_concentric_s", "mean_pause_top_s"))
    non_partial = [r["rom_deg"] for r in reps if not r["partial"]]
    return {
        "time_under_tension_s": tut if reps else None,
        "tempo": tempo,
        **means,
        "slowdown_pct": slowdown,
        "mean_rom_deg": _mean(non_partial),
        "partial_reps": [r["index"] for r in reps if r["partial"]],
    }
