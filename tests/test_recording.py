"""The recording format reader: good files parse, bad files give one clear error naming file and line."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from repcounter.errors import RecordingError
from repcounter.recording import RecordingWriter, parse_recording, read_recording


def test_parses_acc_only_and_gyro_rows() -> None:
    rec = parse_recording(io.StringIO("# device: test\nt,ax,ay,az,gx,gy,gz\n0,0,0,1,,,\n0.02,0.1,0,-1,5,6,7\n"))
    assert rec.samples.shape == (2, 7)
    assert math.isnan(rec.samples[0, 4]) and rec.samples[1, 6] == 7.0
    assert rec.meta == {"device": "test"}
    assert rec.sample_rate_hz == pytest.approx(50.0)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("t,ax,ay\n0,1,2\n", 1, "missing column"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0,1,,,\n0.1,abc,0,1,,,\n", 3, "'ax' is not a number"),
        ("t,ax,ay,az,gx,gy,gz\n1,0,0,1,,,\n0.5,0,0,1,,,\n", 3, "time goes backwards"),
        ("", None, "empty"),
        ("t,ax,ay,az,gx,gy,gz\n", None, "no samples"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,0\n", 2, "expected 7 fields"),
    ],
)
def test_bad_input_names_line_and_problem(text: str, line: int | None, words: str) -> None:
    with pytest.raises(RecordingError) as err:
        parse_recording(io.StringIO(text), "x.csv")
    assert err.value.line == line
    assert words in str(err.value)
    assert str(err.value).startswith("x.csv")


def test_binary_file_is_refused(tmp_path) -> None:
    p = tmp_path / "b.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(RecordingError, match="b.csv"):
        read_recording(p)


def test_writer_round_trip(tmp_path) -> None:
    samples = np.array([[0.0, 0.1, -0.2, 0.98, 1.5, np.nan, np.nan], [0.01, 0.1, -0.2, 0.97, np.nan, np.nan, np.nan]])
    samples[0, 5:] = [2.0, 3.0]
    with RecordingWriter(tmp_path / "r.csv", {"sensor": "s1"}) as w:
        w.write(samples)
    back = read_recording(tmp_path / "r.csv")
    np.testing.assert_allclose(back.samples, samples, atol=1e-3)
    assert back.meta["sensor"] == "s1"
