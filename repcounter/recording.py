"""The recording format: CSV with header ``t,ax,ay,az,gx,gy,gz``.

``t`` is seconds (any origin, non-decreasing), ``ax..az`` acceleration in g, ``gx..gz`` angular rate in
deg/s. Gyro columns may be empty (accelerometer-only sensors). Lines starting with ``#`` before the header
are comments (``# key: value`` metadata). See docs/recording-format.md.

In memory a recording is a float64 array of shape (n, 7) with columns t, ax, ay, az, gx, gy, gz; a missing
gyro reads as NaN.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable

import numpy as np

from repcounter.errors import RecordingError

COLUMNS: tuple[str, ...] = ("t", "ax", "ay", "az", "gx", "gy", "gz")
"""Column names, in order."""

T, AX, AY, AZ, GX, GY, GZ = range(7)
"""Column indices into a samples array."""


@dataclass
class Recording:
    """A whole recording in memory.

    Attributes:
        samples: (n, 7) float64 array, columns :data:`COLUMNS`; NaN gyro where the sensor has none.
        path: where it was read from (for messages).
        meta: ``# key: value`` comment lines from the file head.
    """

    samples: np.ndarray
    path: str = "<memory>"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        """Seconds from first to last sample (0 for fewer than two)."""
        return float(self.samples[-1, T] - self.samples[0, T]) if len(self.samples) > 1 else 0.0

    @property
    def has_gyro(self) -> bool:
        """True if any gyro value is present."""
        return bool(np.isfinite(self.samples[:, GX:]).any())

    @property
    def sample_rate_hz(self) -> float:
        """Median sample rate in Hz (0 for fewer than two samples)."""
        if len(self.samples) < 2:
            return 0.0
        dt = np.diff(self.samples[:, T])
        dt = dt[dt > 0]
        return float(1.0 / np.median(dt)) if len(dt) else 0.0


def empty_samples() -> np.ndarray:
    """An empty (0, 7) samples array."""
    return np.empty((0, 7), dtype=np.float64)


def _parse_float(text: str, path: str, line: int, name: str, allow_empty: bool) -> float:
    text = text.strip()
    if text == "":
        if allow_empty:
            return math.nan
        raise RecordingError(path, line, f"column '{name}' is empty")
    try:
        value = float(text)
    except ValueError:
        raise RecordingError(path, line, f"column '{name}' is not a number: {text[:40]!r}") from None
    if not math.isfinite(value):
        raise RecordingError(path, line, f"column '{name}' is not a finite number: {text[:40]!r}")
    return value


def parse_recording(stream: IO[str], path: str = "<stream>") -> Recording:
    """Parse recording text; raise :class:`RecordingError` naming the line and problem."""
    meta: dict[str, str] = {}
    line_no = 0
    header: list[str] | None = None
    reader_lines: list[tuple[int, str]] = []
    for raw in stream:
        line_no += 1
        if "\x00" in raw:
            raise RecordingError(path, line_no, "binary data, not a CSV text file")
        if header is None:
            stripped = raw.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                key, sep, value = stripped[1:].partition(":")
                if sep:
                    meta[key.strip()] = value.strip()
                continue
            header = [h.strip().lower() for h in next(csv.reader([stripped]))]
            header_line = line_no
            missing = [c for c in COLUMNS[:4] if c not in header]
            if missing:
                raise RecordingError(
                    path,
                    header_line,
                    f"header is missing column(s) {', '.join(missing)}; expected 't,ax,ay,az,gx,gy,gz'",
                )
            continue
        if raw.strip():
            reader_lines.append((line_no, raw))
    if header is None:
        raise RecordingError(path, None, "file is empty: no header 't,ax,ay,az,gx,gy,gz'")
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows = np.full((len(reader_lines), 7), np.nan, dtype=np.float64)
    previous_t = -math.inf
    for i, (number, row) in enumerate(zip((n for n, _ in reader_lines), csv.reader(r for _, r in reader_lines))):
        if len(row) < len(header):
            raise RecordingError(
                path, number, f"expected {len(header)} fields, found {len(row)}"
            )
        for col, name in enumerate(COLUMNS):
            if name not in index:
                continue
            rows[i, col] = _parse_float(row[index[name]], path, number, name, allow_empty=col >= GX)
        if rows[i, T] < previous_t:
            raise RecordingError(
                path, number, f"time goes backwards: t={rows[i, T]:g} s after t={previous_t:g} s"
            )
        previous_t = rows[i, T]
    if len(rows) == 0:
        raise RecordingError(path, None, "no samples after the header")
    return Recording(samples=rows, path=path, meta=meta)


def read_recording(path: str | os.PathLike[str]) -> Recording:
    """Read a recording CSV file; every problem is a :class:`RecordingError` (file, line, problem)."""
    p = Path(path)
    try:
        with p.open("r", encoding="utf-8", newline="") as fh:
            return parse_recording(fh, str(p))
    except FileNotFoundError:
        raise RecordingError(str(p), None, "no such file") from None
    except IsADirectoryError:
        raise RecordingError(str(p), None, "is a directory, not a recording file") from None
    except UnicodeDecodeError as exc:
        raise RecordingError(str(p), None, f"not a text CSV file ({exc.reason})") from None
    except PermissionError:
        raise RecordingError(str(p), None, "permission denied") from None


def format_rows(samples: np.ndarray) -> str:
    """Format samples as CSV rows (no header); NaN gyro becomes empty fields."""
    out = io.StringIO()
    for row in samples:
        acc = f"{row[T]:.4f},{row[AX]:.5f},{row[AY]:.5f},{row[AZ]:.5f}"
        if math.isnan(row[GX]):
            out.write(acc + ",,,\n")
        else:
            out.write(f"{acc},{row[GX]:.3f},{row[GY]:.3f},{row[GZ]:.3f}\n")
    return out.getvalue()


class RecordingWriter:
    """Append samples to a recording CSV as they arrive; flushed per call so a crash loses little."""

    def __init__(self, path: str | os.PathLike[str], meta: dict[str, str] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("w", encoding="utf-8", newline="")
        for key, value in (meta or {}).items():
            self._fh.write(f"# {key}: {value}\n")
        self._fh.write(",".join(COLUMNS) + "\n")
        self._fh.flush()

    def write(self, samples: np.ndarray) -> None:
        """Append (n, 7) samples."""
        if len(samples):
            self._fh.write(format_rows(samples))
            self._fh.flush()

    def close(self) -> None:
        """Close the file."""
        if not self._fh.closed:
            self._fh.close()

    def __enter__(self) -> "RecordingWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_recording(path: str | os.PathLike[str], samples: np.ndarray, meta: dict[str, str] | None = None) -> None:
    """Write a whole recording to ``path``."""
    with RecordingWriter(path, meta) as writer:
        writer.write(samples)


def iter_chunks(samples: np.ndarray, size: int) -> Iterable[np.ndarray]:
    """Yield consecutive slices of at most ``size`` samples."""
    for start in range(0, len(samples), max(1, size)):
        yield samples[start : start + size]
