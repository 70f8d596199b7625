"""Shared fixtures: real small objects, no mocks (fakes only at the network seam)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.duckdb")
