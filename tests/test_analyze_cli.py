"""End-to-end tests of ``repcounter analyze`` run as a subprocess (real CLI, real files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "kaggle" / "cable_row_R14.csv"
LABELLED_REPS = 14


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "repcounter", "analyze", *args], capture_output=True, text=True,
                          timeout=120, cwd=REPO)


def test_json_shape_and_count() -> None:
    proc = analyze(str(SAMPLE), "--exercise", "seated_row", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert abs(doc["total_reps"] - LABELLED_REPS) <= 1
    assert doc["total_reps"] == sum(s["rep_count"] for s in doc["sets"])
    s = doc["sets"][0]
    for key in ("exercise", "start", "end", "rep_count", "time_under_tension_s", "tempo", "reps"):
        assert key in s
    assert s["exercise"] == "seated_row"
    assert len(s["tempo"].split("-")) == 4
    assert s["rep_count"] == len(s["reps"])
    prev_end = -1.0
    for i, r in enumerate(s["reps"], 1):
        assert r["index"] == i
        for key in ("start", "end", "concentric_s", "pause_top_s", "eccentric_s", "pause_bottom_s"):
            assert isinstance(r[key], (int, float)), key
        assert r["start"] >= prev_end - 1e-6 and r["end"] >= r["start"]
        prev_end = r["end"]
        parts = r["concentric_s"] + r["pause_top_s"] + r["eccentric_s"] + r["pause_bottom_s"]
        assert parts == pytest.approx(r["end"] - r["start"], abs=0.05)
    assert 0 < s["time_under_tension_s"] <= s["end"] - s["start"] + 1e-6


def test_table_default(tmp_path: Path) -> None:
    proc = analyze(str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "Set 1:" in proc.stdout and "tempo" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith("Total:")


def test_plot_writes_png(tmp_path: Path) -> None:
    out = tmp_path / "sets.png"
    proc = analyze(str(SAMPLE), "--plot", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_plot_unwritable_is_one_line(tmp_path: Path) -> None:
    proc = analyze(str(SAMPLE), "--plot", str(tmp_path / "missing-dir" / "x.png"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


BAD_FILES = {
    "missing_column": ("t,ax,ay,gx,gy,gz\n0,0,0,0,0,0\n", "az"),
    "not_numeric": ("t,ax,ay,az,gx,gy,gz\n0,0,0,1,,,\n0.1,0,zero,1,,,\n", ":3"),
    "time_backwards": ("t,ax,ay,az,gx,gy,gz\n0,0,0,1,,,\n1,0,0,1,,,\n0.5,0,0,1,,,\n", ":4"),
    "empty": ("", "bad.csv"),
    "not_csv": ("\x89PNG\r\n\x1a\n\x00\x00binary", "bad.csv"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_one_line_exit_2(tmp_path: Path, case: str) -> None:
    text, expect = BAD_FILES[case]
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="latin-1")
    proc = analyze(str(path))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bad.csv" in lines[0] and expect in lines[0]
    assert proc.stdout == ""


def test_missing_file_and_bad_exercise(tmp_path: Path) -> None:
    proc = analyze(str(tmp_path / "nope.csv"))
    assert proc.returncode == 2 and "nope.csv" in proc.stderr and "Traceback" not in proc.stderr
    proc = analyze(str(SAMPLE), "--exercise", "bicep_curl")
    assert proc.returncode == 2 and "bicep_curl" in proc.stderr and "Traceback" not in proc.stderr
