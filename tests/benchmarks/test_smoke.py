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


def test_latency_scoped() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.latency", "--scoped", "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line for line in result.stdout.splitlines() if line.count("|") == 7][2:]
    assert [row.split(" | ")[1] for row in rows] == ["all managers", "half monitors"] * 2
    for row in rows:
        assert row.endswith("200 / 200"), row  # the monitors' filter lets their rooms through


def test_ingest() -> None:
    output = _smoke("ingest")
    assert "no-op POST (baseline) |" in output
    assert "POST /api/tracking/telemetry |" in output


def test_reconnect() -> None:
    rows = [line for line in _smoke("reconnect").splitlines() if line.count("|") == 5][2:]
    assert [row.split(" | ")[0] for row in rows] == ["embedded", "redis"]
    for row in rows:
        assert row.endswith("| 0 | 0"), row  # nothing lost, nothing twice


def test_fanout() -> None:
    output = _smoke("fanout")
    rows = [line for line in output.splitlines() if line.count("|") == 8][2:]
    assert [row.split(" | ")[0] for row in rows] == ["godmode", "starlette", "node"]
    for row in rows:
        assert "| 1,000 / 1,000 |" in row, row  # 10 samples x 100 dashboards, all delivered
    verdicts = [line for line in output.splitlines() if line.startswith("saturation: God Mode")]
    assert [line.split(" deliveries/s, ")[1].split()[0] for line in verdicts] == [
        "starlette",
        "node",
    ]


def test_slow_consumer() -> None:
    output = _smoke("slow_consumer")
    rows = [line for line in output.splitlines() if line.count("|") == 4][2:]
    assert len(rows) == 1
    assert rows[0].split(" | ")[3] == "0", rows[0]  # the readers lost nothing
    assert "median p99:" in output


def test_desktop_load() -> None:
    output = _smoke("desktop_load")
    rows = [line for line in output.splitlines() if line.count("|") == 7][2:]
    assert rows[0].startswith("idle window (baseline) |")
    updates = int(rows[1].split(" | ")[2].replace(",", ""))
    assert updates > 0
    assert "targets:" in output


def test_load() -> None:
    rows = [line for line in _smoke("load").splitlines() if line.count("|") == 7][2:]
    assert len(rows) == 1
    cells = rows[0].split(" | ")
    assert cells[0] == "1 node"
    assert cells[3] == "0"  # nothing lost
    assert cells[-2:] == ["0", "0"]  # nobody closed as slow, no POST refused


def test_soak() -> None:
    """The short soak: the drills in turn under load; its exit status is the exactly-once
    verdict, and the table shows each drill happened."""
    output = _smoke("soak")
    assert output.rstrip().endswith(
        "every sample answered 200 on every dashboard exactly once: yes"
    )
    rows = {
        line.split(" | ")[0]: line.split(" | ")
        for line in output.splitlines()
        if line.count("|") == 8
    }
    for role in ("on A", "on B", "via proxy to B", "paused on B"):
        assert rows[role][2:6] == ["0", "0", "0", "0"], rows[role]  # missing, twice, again, gaps
    assert "1006" in rows["on A"][-1]  # node A was killed under them
    assert "1012" in rows["on B"][-1]  # Redis went and came back: epoch changes
    assert "1006" in rows["via proxy to B"][-1]  # the network was cut
    assert "4429 × 2" in rows["paused on B"][-1]  # the ones that stopped reading were closed


def test_reports() -> None:
    output = _smoke("reports")
    rows = [line for line in output.splitlines() if line.count("|") == 8][2:]
    assert [row.split(" | ")[0] for row in rows] == ["| sqlite"] * 4 + ["| postgresql"] * 4
    timed = [row for row in rows if "ms |" in row and "baseline" not in row and "write" not in row]
    assert len(timed) == 4, rows  # two sizes of data on each database, every group timed


def test_storm() -> None:
    output = _smoke("storm")
    rows = [line for line in output.splitlines() if line.count("|") == 5][2:]
    assert [row.split(" | ")[0] for row in rows] == ["godmode", "starlette", "node"]
    for row in rows:
        assert row.endswith("| 0"), row  # every dashboard got its first message
    assert "target (all live within 3 s):" in output


def test_cost() -> None:
    rows = [line for line in _smoke("cost").splitlines() if line.count("|") == 7][2:]
    assert len(rows) == 1
    cells = rows[0].split(" | ")
    assert cells[:2] == ["godmode", "100"]
    assert cells[3] == "10,000 / 10,000", rows[0]  # 100 samples x 100 dashboards
    assert float(cells[4]) > 0  # CPU per 1,000 deliveries was measured


def test_collector() -> None:
    rows = [line for line in _smoke("collector").splitlines() if line.count("|") == 3][2:]
    assert [row.split(" | ")[0] for row in rows] == [
        "deque, an item a slot (baseline)",
        "chunks (chunked.py)",
    ]
    for row in rows:
        assert float(row.split(" | ")[1]) >= 0  # a pause was timed


def test_report_load() -> None:
    output = _smoke("report_load")
    rows = [line for line in output.splitlines() if line.startswith(("| alone", "| with"))]
    assert len(rows) == 2, output
    assert "done, median" in rows[1], "reports ran while the feed was followed"
    for row in rows:
        assert int(row.split(" | ")[1]) > 10, row  # deliveries timed
