"""An on-disk FIFO of MQTT messages (SQLite): what is not yet acknowledged by the broker survives restarts."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from repcounter.messages import OutMessage


class DiskQueue:
    """Ordered, crash-safe message queue in one SQLite file (WAL mode).

    ``push`` appends, ``peek_after`` reads in order, ``ack`` deletes what the broker acknowledged. Safe to use
    from several threads. Messages left from an earlier run are sent first when the sink starts again.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL,"
                         " payload BLOB NOT NULL, qos INTEGER NOT NULL, retain INTEGER NOT NULL)")

    def push(self, msg: OutMessage) -> int:
        """Append a message; returns its queue id (increasing)."""
        with self._lock:
            cur = self._db.execute("INSERT INTO queue (topic, payload, qos, retain) VALUES (?, ?, ?, ?)",
                                   (msg.topic, msg.payload, msg.qos, int(msg.retain)))
            return int(cur.lastrowid)

    def peek_after(self, after_id: int, limit: int) -> list[tuple[int, OutMessage]]:
        """Up to ``limit`` messages with id > ``after_id``, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT id, topic, payload, qos, retain FROM queue WHERE id > ? ORDER BY id LIMIT ?",
                                    (after_id, limit)).fetchall()
        return [(r[0], OutMessage(r[1], bytes(r[2]), r[3], bool(r[4]))) for r in rows]

    def ack(self, ids: list[int]) -> None:
        """Forget delivered messages."""
        if not ids:
            return
        with self._lock:
            self._db.executemany("DELETE FROM queue WHERE id = ?", [(i,) for i in ids])

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM queue").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class OwnedQueue(DiskQueue):
    """A :class:`DiskQueue` owned by one process (an exclusive lock beside it), adopting orphans on open.

    Two gateways on one host (one per sensor, say) must not drain each other's queues, so each process gets
    its own ``<stem>-<id>.sqlite3``. Queues whose owner died (their lock is free) are adopted: their messages
    are copied in front of this run's, in order, and the orphan files removed. An empty queue is removed on
    :meth:`close`.
    """

    def __init__(self, directory: Path, stem: str) -> None:
        import fcntl
        import os
        import uuid

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{stem}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._lock_path = directory / f"{name}.lock"
        self._lock_file = open(self._lock_path, "w")
        fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        super().__init__(directory / f"{name}.sqlite3")
        self.adopted = 0
        for orphan in sorted(directory.glob(f"{stem}*.sqlite3"), key=lambda p: p.stat().st_mtime):
            if orphan == self.path:
                continue
            lock = orphan.with_suffix(".lock")
            handle = open(lock, "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue  # a live process owns it
            try:
                old = DiskQueue(orphan)
                rows = old.peek_after(0, 10**9)
                for _, msg in rows:
                    self.push(msg)
                old.close()
                self.adopted += len(rows)
                for suffix in ("", "-wal", "-shm"):
                    Path(str(orphan) + suffix).unlink(missing_ok=True)
                lock.unlink(missing_ok=True)
            finally:
                handle.close()

    def close(self) -> None:
        empty = len(self) == 0
        super().close()
        if empty:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self._lock_path.unlink(missing_ok=True)
        self._lock_file.close()
