"""Each benchmark's smoke mode, for a second, so that ``make bench`` does not rot between runs.

These check that the benchmarks run and measure something; the figures themselves are for
docs/PERFORMANCE.md, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _smoke(module: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_latency() -> None:
    rows = [line for line in _smoke("latency").splitlines() if line.count("|") == 6][2:]
    assert [row.split(" | ")[0] for row in rows] == ["embedded", "redis"]
    for row in rows:
        assert row.endswith("100 / 100"), row


def test_ingest() -> None:
    output = _smoke("ingest")
    assert "no-op POST (baseline) |" in output
    assert "POST /api/tracking/telemetry |" in output


def test_reconnect() -> None:
    rows = [line for line in _smoke("reconnect").splitlines() if line.count("|") == 5][2:]
    assert [row.split(" | ")[0] for row in rows] == ["embedded", "redis"]
    for row in rows:
        assert row.endswith("| 0 | 0"), row  # nothing lost, nothing twice
