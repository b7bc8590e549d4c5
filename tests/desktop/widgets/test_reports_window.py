"""The Reports window in the real app against a real server holding a simulated week whose
truth is known: the table, the bar chart and the CSV say what the rooms earned, to the token;
the busy indicator shows while a report loads; a server error is said, not swallowed."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import qasync
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from godmode_common.platforms import DEFAULT_PLATFORMS
from godmode_desktop.net.protocol import EarningsReport, ReportCalendar
from godmode_desktop.report_ranges import Preset
from godmode_desktop.settings import AppSettings
from godmode_desktop.widgets.chart_axes import count_text
from godmode_desktop.widgets.reports_model import duration_text
from godmode_desktop.widgets.reports_window import ReportsWindow, period_label
from godmode_server.reports.earnings import periods_for
from godmode_server.simulation.week import StudioWeek, post, week_with_dst_change
from tests.helpers.desktop_app import live_app
from tests.helpers.servers import ServerProcess
from tests.helpers.waiting import until, wait_until

pytestmark = pytest.mark.slow

MADRID = ZoneInfo("Europe/Madrid")
USD_PER_TOKEN = "0.05"


def _euros(tokens: int) -> str:
    """Tokens at $0.05 and €0.9 a dollar, to the cent (half away from zero), as the app shows."""
    cents = (Decimal(tokens) * Decimal(USD_PER_TOKEN) * Decimal("0.9")).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    whole, part = divmod(int(cents * 100), 100)
    return f"{whole:,}.{part:02d} EUR"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, StudioWeek]]:
    """A server in Madrid's time zone holding a simulated week of three rooms."""
    env = {
        "GODMODE_TIMEZONE": "Europe/Madrid",
        "GODMODE_HISTORY_DAYS": "400",
        "GODMODE_CURRENCY": "EUR",
    }
    server = ServerProcess(tmp_path_factory.mktemp("reports-server"), env=env).start()
    for args in (
        *(("set", p, USD_PER_TOKEN) for p in DEFAULT_PLATFORMS),
        ("currency", "EUR", "0.9"),
    ):
        done = server.cli("rate", *args)
        assert done.returncode == 0, done.stderr
    start, end = week_with_dst_change(MADRID, int(time.time()))
    week = StudioWeek(start=start, end=end, rooms=3, seed=21, sample_every=(60, 90, 120, 150))
    asyncio.run(post([server.url], week.deliveries()))

    def archived() -> bool:
        span = {"from": week.start, "to": week.end}
        return bool(httpx.get(server.url + "/api/reports/earnings", params=span).json()["complete"])

    wait_until(archived, timeout=60, what="every sample archived")
    yield server, week
    server.stop()


def _qdate(ts: int) -> QDate:
    day = dt.datetime.fromtimestamp(ts, MADRID).date()
    return QDate(day.year, day.month, day.day)


async def _show_week(reports: ReportsWindow, week: StudioWeek, group: str) -> None:
    """Custom dates = the simulated week, grouped as asked; wait for that report."""
    reports.group.setCurrentIndex(reports.group.findData(group))
    reports.preset.setCurrentIndex(reports.preset.findData(Preset.CUSTOM.value))
    reports.first_day.setDate(_qdate(week.start))
    reports.last_day.setDate(_qdate(week.end - 1))

    def shown() -> bool:
        report = reports.report
        return (
            report is not None
            and (report.start, report.end, report.group) == (week.start, week.end, group)
            and reports.busy.isHidden()
        )

    await until(shown, timeout=30, what=f"the week's report by {group}")


def test_the_reports_window_shows_and_exports_what_each_model_earned(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    studio: tuple[ServerProcess, StudioWeek],
    secret_service: Path,
    tmp_path: Path,
) -> None:
    server, week = studio

    async def scenario() -> None:
        app = await live_app(app_settings, server.url)
        assert app.window is not None
        app.window.reports_action.trigger()
        reports = app.reports
        assert reports is not None
        assert reports.isVisible()
        await until(lambda: reports.calendar is not None, what="the studio's calendar")
        assert reports.calendar is not None
        assert reports.calendar.timezone == "Europe/Madrid"

        await _show_week(reports, week, "day")
        assert reports.report is not None
        assert reports.report.complete
        assert "Not final" not in reports.status_label.text()

        # The table: one row per model, over the whole week.
        total = periods_for("total", week.start, week.end, MADRID, ())
        truth = {(room, platform): f for (room, platform, _), f in week.truth(total).items()}
        shown = {
            (r.room_id, r.platform): {
                "tokens_earned": r.tokens_earned,
                "tips_earned": r.tips_earned,
                "online_seconds": r.online_seconds,
                "sessions": r.sessions,
                "peak_viewers": r.peak_viewers,
            }
            for r in reports.model.rows
        }
        assert shown == truth
        assert reports.sorted.rowCount() == 3
        tokens = [reports.sorted.index(i, 2).data() for i in range(3)]
        best = max(truth.values(), key=lambda f: f["tokens_earned"])["tokens_earned"]
        assert tokens[0] == f"{best:,}", "sorted by tokens, the best earner first"
        # Money: every model's tokens at the payout rate, in the studio's currency.
        assert reports.sorted.headerData(3, Qt.Orientation.Horizontal) == "Earned (EUR)"
        earned = {
            reports.sorted.index(i, 0).data(): reports.sorted.index(i, 3).data() for i in range(3)
        }
        assert earned == {room: _euros(f["tokens_earned"]) for (room, _), f in truth.items()}
        everyone = sum(f["tokens_earned"] for f in truth.values())
        assert f"({_euros(everyone)})" in reports.totals_label.text()

        # The chart: tokens per day of every model, then of the selected one.
        days = periods_for("day", week.start, week.end, MADRID, ())
        per_day = week.truth(days)
        every: dict[int, int] = defaultdict(int)
        for (_, _, start), f in per_day.items():
            every[start] += f["tokens_earned"]
        assert reports.bars == sorted(every.items())
        reports.table.selectionModel().select(
            reports.sorted.index(0, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        room = reports.selected_room()
        assert room is not None
        assert reports.bars == sorted(
            (start, f["tokens_earned"]) for (r, p, start), f in per_day.items() if (r, p) == room
        )
        assert room[0] in reports.chart_title.text()
        # The same bars in money: each day's euros, as the CSV below carries them per row.
        reports.money_box.setChecked(True)
        assert reports.bars == sorted(
            (start, Decimal(_euros(f["tokens_earned"]).removesuffix(" EUR").replace(",", "")))
            for (r, p, start), f in per_day.items()
            if (r, p) == room
        )
        assert reports.chart_title.text().startswith("Earned per period (EUR): ")
        reports.money_box.setChecked(False)
        assert reports.bars[0][1] == per_day[(*room, reports.bars[0][0])]["tokens_earned"]

        # The CSV: one row per model per day, as the report.
        path = tmp_path / "week.csv"
        reports.export(path)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert len(rows) == len(per_day)
        exported = {
            (r["room_id"], r["platform"], dt.datetime.fromisoformat(r["period_start"])): int(
                r["tokens_earned"]
            )
            for r in rows
        }
        assert exported == {
            (room_id, platform, dt.datetime.fromtimestamp(start, MADRID)): f["tokens_earned"]
            for (room_id, platform, start), f in per_day.items()
        }
        for r in rows:  # both amounts, exact
            usd = Decimal(r["tokens_earned"]) * Decimal(USD_PER_TOKEN)
            assert r["earned_usd"] == str(usd.quantize(Decimal("0.01"), ROUND_HALF_UP))
            assert r["earned_local"] == str(
                (usd * Decimal("0.9")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            )
            assert r["currency"] == "EUR"
        assert str(path) in reports.status_label.text()

        # Busy while loading, then not.
        busy: list[bool] = []
        reports.busy_changed.connect(busy.append)
        reports.refresh_button.click()
        await until(lambda: busy == [True, False], what="busy, then done")

        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_a_refused_report_is_said_in_the_window(
    qloop: qasync.QEventLoop,
    app_settings: AppSettings,
    dev_server: ServerProcess,
    secret_service: Path,
) -> None:
    async def scenario() -> None:
        app = await live_app(app_settings, dev_server.url)
        reports = app.open_reports()
        assert reports is not None
        await until(lambda: reports.calendar is not None, what="the calendar")
        reports.preset.setCurrentIndex(reports.preset.findData(Preset.CUSTOM.value))
        reports.first_day.setDate(QDate(2001, 1, 1))  # older than the server keeps
        await until(
            lambda: "could not be loaded" in reports.status_label.text(), what="the refusal"
        )
        assert "older than what the server keeps" in reports.status_label.text()
        assert reports.busy.isHidden()
        await app._shutdown()

    qloop.run_until_complete(scenario())


def test_a_report_missing_refused_samples_says_why_it_is_not_final(qtbot: QtBot) -> None:
    reports = ReportsWindow()
    qtbot.addWidget(reports)
    figures = {"tokens_earned": 0, "tips_earned": 0, "online_seconds": 0, "sessions": 0}
    report = EarningsReport.model_validate(
        {
            "from": 1_795_000_000 - 1_795_000_000 % 86400,
            "to": 1_795_000_000 - 1_795_000_000 % 86400 + 86400,
            "timezone": "UTC",
            "group": "total",
            "rows": [],
            "totals": {**figures, "peak_viewers": 0},
            "complete": False,
            "gaps": [{"reason": "too_old", "start": 1_795_000_000, "end": 1_795_000_100}],
        }
    )
    reports.show_report(report, report)
    assert reports.status_label.text() == (
        "Not final: samples were refused: older than the server keeps (they came too late)."
    )


def test_time_on_line_reads_in_hours_and_minutes() -> None:
    assert duration_text(97 * 60) == "1 h 37 min"
    assert duration_text(37 * 60 + 59) == "37 min"
    assert duration_text(97 * 3600 + 50 * 60) == "97 h 50 min"
    assert duration_text(0) == "0 min"


def _calendar_window(qtbot: QtBot, now: float) -> tuple[ReportsWindow, list[tuple[int, ...]]]:
    reports = ReportsWindow(clock=lambda: now)
    qtbot.addWidget(reports)
    asked: list[tuple[int, ...]] = []
    reports.report_requested.connect(lambda *args: asked.append(args))
    reports.set_calendar(
        ReportCalendar(timezone="Europe/Madrid", shifts=["00:00"], online_gap=300, oldest=0)
    )
    return reports, asked


def test_a_preset_shows_its_days_and_a_date_typed_makes_the_range_custom(
    qtbot: QtBot,
) -> None:
    now = dt.datetime(2026, 12, 9, 12, tzinfo=MADRID).timestamp()  # a Wednesday
    reports, asked = _calendar_window(qtbot, now)
    reports.preset.setCurrentIndex(reports.preset.findData(Preset.THIS_WEEK.value))
    assert (reports.first_day.date(), reports.last_day.date()) == (
        QDate(2026, 12, 7),
        QDate(2026, 12, 13),
    ), "the preset's days, shown"
    assert reports.first_day.isEnabled(), "dates can be typed at any time"
    reports.first_day.setFocus()
    qtbot.keyClicks(reports.first_day, "2026-12-01")  # typed, digit by digit
    assert reports.preset.currentData() == Preset.CUSTOM.value
    start, end, _ = asked[-1]
    first = dt.datetime.fromtimestamp(start, MADRID)
    assert (first.date(), first.hour) == (dt.date(2026, 12, 1), 0)
    assert dt.datetime.fromtimestamp(end, MADRID).date() == dt.date(2026, 12, 14)


def test_the_chart_reads_in_the_grid_s_numbers_and_says_when_there_is_nothing(
    qtbot: QtBot,
) -> None:
    assert count_text(1_500_000, 500_000) == "1,500,000"
    assert count_text(2.5, 0.5) == "2.5"
    day = dt.datetime(2026, 12, 7, tzinfo=MADRID)
    assert period_label(day, "day") == "Mon 7"
    assert period_label(day.replace(hour=16), "shift") == "7 16:00"
    reports = ReportsWindow()
    qtbot.addWidget(reports)
    assert not reports.chart.getPlotItem().menuEnabled(), "no menu in pyqtgraph's English"
    start = int(day.timestamp())
    figures = {"tokens_earned": 0, "tips_earned": 0, "online_seconds": 0, "sessions": 0}
    row = {
        "room_id": "luna",
        "platform": "chaturbate",
        "period_start": start,
        "period_end": start + 86400,
        **figures,
        "tokens_earned": 1_500_000,
        "peak_viewers": 9,
    }

    def report(rows: list[dict[str, object]]) -> EarningsReport:
        return EarningsReport.model_validate(
            {
                "from": start,
                "to": start + 86400,
                "timezone": "Europe/Madrid",
                "group": "day",
                "rows": rows,
                "totals": {**figures, "peak_viewers": 0},
                "complete": True,
                "gaps": [],
            }
        )

    reports.show_report(report([row]), report([row]))
    assert reports.chart_pages.currentWidget() is reports.chart
    plot: Any = reports.chart  # pyqtgraph has no types
    axis = plot.getAxis("left")
    assert axis.tickStrings([1_000_000.0], 1.0, 500_000.0) == ["1,000,000"]
    low, high = plot.getViewBox().viewRange()[1]
    assert low <= 0
    assert 1_500_000 <= high < 1_700_000, "the scale of these bars"
    reports.show_report(report([]), report([]))
    assert reports.chart_pages.currentWidget() is reports.chart_empty
    assert reports.chart_empty.text() == "Nothing earned in this range."
