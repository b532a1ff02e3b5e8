"""Shared fixtures. Every test gets its own REPCOUNTER_HOME so nothing touches the user's data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "repcounter-home"
    monkeypatch.setenv("REPCOUNTER_HOME", str(home))
    return home
