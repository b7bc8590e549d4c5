"""Reports and the grid as CSV that spreadsheet programs open as they are.

UTF-8 with a byte-order mark (Excel reads UTF-8 without one as the local code page, mangling
names like "Sofía"), a header row, ISO 8601 times with the studio's offset, plain integers, money as exact decimals.
Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are
quoted with a leading apostrophe: room names come from the network.  Qt-free.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from .net.protocol import EarningsReport

BOM = "\ufeff"
REPORT_HEADER = (
    "room_id",
    "platform",
    "period_start",
    "period_end",
    "tokens_earned",
    "tips_earned",
    "online_seconds",
    "sessions",
    "peak_viewers",
    # Money (docs/PROTOCOL.md, "Money"): exact decimals as the server sent them, empty where
    # a token was earned without a rate.
    "earned_usd",
    "earned_local",
    "currency",
)


def safe_cell(value: object) -> object:
    """A text that a spreadsheet would evaluate, made inert."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def iso(timestamp: int, zone: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(timestamp, zone).isoformat()


def report_rows(report: EarningsReport) -> list[list[object]]:
    """One row per room per period, times in the report's time zone."""
    zone = ZoneInfo(report.timezone)
    return [
        [
            r.room_id,
            r.platform,
            iso(r.period_start, zone),
            iso(r.period_end, zone),
            r.tokens_earned,
            r.tips_earned,
            r.online_seconds,
            r.sessions,
            r.peak_viewers,
            r.earned_usd or "",
            r.earned_local or "",
            r.currency or report.currency or "",
        ]
        for r in report.rows
    ]


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return BOM + out.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write the whole file, or nothing: a half-written export is never left behind."""
    text = to_csv(header, rows)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)
