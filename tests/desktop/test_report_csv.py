"""Reports as CSV (godmode_desktop/report_csv.py): a BOM for spreadsheet programs, ISO times
in the studio's zone, formulas made inert, nothing half-written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from godmode_desktop.net.protocol import EarningsReport
from godmode_desktop.report_csv import REPORT_HEADER, report_rows, to_csv, write_csv


def _report() -> EarningsReport:
    row = {
        "platform": "chaturbate",
        "period_start": 1792620000,
        "period_end": 1792706400,
        "tokens_earned": 1500,
        "tips_earned": 12,
        "online_seconds": 3600,
        "sessions": 2,
        "peak_viewers": 90,
    }
    return EarningsReport.model_validate(
        {
            "from": 1792620000,
            "to": 1792706400,
            "timezone": "Europe/Madrid",
            "group": "day",
            "rows": [
                {**row, "room_id": "sofia_01", "earned_usd": "75.00", "earned_local": "307538"},
                {**row, "room_id": "-mia", "platform": "stripchat"},  # no rate: no money
            ],
            "currency": "COP",
            "totals": {k: v for k, v in row.items() if k.endswith(("earned", "s", "viewers"))},
            "complete": True,
        }
    )


def test_a_report_is_one_row_per_room_per_period_with_iso_local_times() -> None:
    text = to_csv(REPORT_HEADER, report_rows(_report()))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(REPORT_HEADER)
    assert rows[1] == [
        "sofia_01",
        "chaturbate",
        "2026-10-22T00:00:00+02:00",
        "2026-10-23T00:00:00+02:00",
        "1500",
        "12",
        "3600",
        "2",
        "90",
        "75.00",
        "307538",
        "COP",
    ]
    assert rows[2][0] == "'-mia", "a cell a spreadsheet would run as a formula is made inert"
    assert rows[2][-3:] == ["", "", "COP"], "no rate: the money is empty, not 0"


def test_the_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    write_csv(path, REPORT_HEADER, report_rows(_report()))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.read_bytes().count(b"\r\n") == 3

    class Broken:
        def __iter__(self) -> object:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv(path, REPORT_HEADER, Broken())  # type: ignore[arg-type]
    assert path.read_bytes().count(b"\r\n") == 3, "the old file is intact"
    assert list(tmp_path.iterdir()) == [path]
