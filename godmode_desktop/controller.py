"""The bridge between the net layer and the window: feed events in, Qt signals out.

It is the feed's sink: every snapshot, update and poll answer is applied to the
:class:`~godmode_desktop.board.RoomBoard`, the resulting changes go to the grid's model (which
coalesces repaints), tip jumps go to the alert center, and the rest of the window learns what
happened through signals.  The views never see the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from godmode_common.rooms import RoomKey
from godmode_common.tasks import cancel_and_wait

from .alert_center import AlertCenter
from .board import RoomBoard, RoomChange
from .messages import describe
from .net.api import ApiClient
from .net.errors import NetError, TokenExpired
from .net.feed import FeedConfig, LiveFeed
from .net.protocol import (
    DOCTOR_ROOM,
    BulkTelemetry,
    CollectorStatus,
    CreatedKey,
    ReportGroup,
    Snapshot,
    TelemetrySample,
    TelemetryUpdate,
)
from .net.server_clock import ServerClock
from .net.session import Session
from .net.status import ConnectionState, FeedStatus
from .widgets.room_chart import RANGE_POINTS
from .widgets.rooms_model import RoomsModel

log = logging.getLogger(__name__)

#: Seconds between two ``data_arrived`` signals while updates stream in.
DATA_SIGNAL_INTERVAL = 0.25
#: How often rooms silent for too long are taken off the board, milliseconds.
PRUNE_INTERVAL_MS = 60_000
#: How often each room's last hour is asked of the reports, milliseconds.
LAST_HOUR_INTERVAL_MS = 60_000
#: Samples of the last hour asked per room to seed its rate where the reports are closed.
SEED_POINTS = 360


class Controller(QObject):
    #: The feed's state changed (a FeedStatus).
    status_changed = Signal(object)
    #: Data arrived from the server: the newest sample's own time (Unix seconds).
    data_arrived = Signal(float)
    #: A live update of the watched room (:attr:`watched_room`) was applied (the
    #: TelemetryUpdate): the chart extends with it.  Only that room's: a signal per update of
    #: every room would cost more than everything else the window does with it.
    update_applied = Signal(object)
    #: A room's history arrived: its key and the points (oldest first).
    history_loaded = Signal(object, object)
    #: The server refused the session: the user must log in again.
    session_ended = Signal(str)
    #: The studio's calendar (a ReportCalendar) arrived.
    calendar_loaded = Signal(object)
    #: A report arrived: as grouped (an EarningsReport), and the same range in total.
    report_loaded = Signal(object, object)
    #: A report could not be had: why, for the user.
    report_failed = Signal(str)
    #: Who is logged in (an Account): role, reports, a monitor's rooms.
    account_loaded = Signal(object)
    #: Administration: the users (list of UserSummary) and keys (list of KeySummary) as they
    #: are now, a key just made (CreatedKey, shown once), what was done, or why it was not.
    users_loaded = Signal(object)
    keys_loaded = Signal(object)
    #: The audit log's latest entries (list of AuditRecord, newest first).
    audit_loaded = Signal(object)
    #: The studio's rates (a RatesInfo), read with the other administration lists.
    rates_loaded = Signal(object)
    key_created = Signal(object)
    admin_done = Signal(str)
    #: The reading rules' tab: outlines, the served rules, a trial's outcomes.
    outlines_loaded = Signal(object)
    rules_loaded = Signal(object)
    trials_loaded = Signal(object)
    outline_loaded = Signal(object)
    admin_failed = Signal(str)

    def __init__(
        self,
        api: ApiClient,
        session: Session,
        board: RoomBoard,
        model: RoomsModel,
        alerts: AlertCenter,
        config: FeedConfig | None = None,
        parent: QObject | None = None,
        server_clock: ServerClock | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.session = session
        self.board = board
        self.model = model
        self.alerts = alerts
        self.feed = LiveFeed(api, self, config, server_clock)
        self._history_task: asyncio.Task[None] | None = None
        self._report_task: asyncio.Task[None] | None = None
        self._data_signalled = 0.0
        #: The room whose updates are signalled (the selected one), if any.
        self.watched_room: RoomKey | None = None
        self._pruner = QTimer(self)
        self._pruner.setInterval(PRUNE_INTERVAL_MS)
        self._pruner.timeout.connect(self.prune)
        self._pruner.start()
        #: What each room earned in the last hour, asked of the reports while they are open to
        #: this account (Tokens/hour).
        self._last_hour = QTimer(self)
        self._last_hour.setInterval(LAST_HOUR_INTERVAL_MS)
        self._last_hour.timeout.connect(self.request_last_hour)
        self._last_hour_task: asyncio.Task[None] | None = None
        #: Whether the reports are open to this account (None: not known yet).  Where they are
        #: not, each room's rate is seeded from its archived samples instead (once a room).
        self._reports_open: bool | None = None
        self._seeded: set[RoomKey] = set()
        self._seed_task: asyncio.Task[None] | None = None

    # --- FeedSink ------------------------------------------------------------------------------

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        if any(s.room_id == DOCTOR_ROOM for s in snapshot.rooms):
            snapshot = snapshot.model_copy(update={"rooms": _managed(snapshot.rooms)})
        self._apply(self.board.apply_snapshot(snapshot))
        self.alerts.known(snapshot.rooms)
        self._data(snapshot.rooms)
        self._seed_rates()

    def feed_update(self, update: TelemetryUpdate) -> None:
        if update.room_id == DOCTOR_ROOM:
            return  # the self-check's: no manager's business
        change = self.board.apply_update(update)
        if change is not None:
            self.model.apply([change])
            if change.added:
                self._seed_rates()
            self.alerts.offer(update)
            if change.key == self.watched_room:
                self.update_applied.emit(update)
        # "Data from 3 s ago" needs no more than a few signals a second, not one per update.
        now = time.monotonic()
        if now - self._data_signalled >= DATA_SIGNAL_INTERVAL:
            self._data_signalled = now
            self.data_arrived.emit(float(update.data.timestamp))

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        if any(s.room_id == DOCTOR_ROOM for s in bulk.rooms):
            bulk = bulk.model_copy(update={"rooms": _managed(bulk.rooms)})
        self._apply(self.board.apply_poll(bulk))
        self.alerts.known(bulk.rooms)
        self._data(bulk.rooms)
        self._seed_rates()

    def _data(self, samples: Sequence[TelemetrySample]) -> None:
        if samples:
            self.data_arrived.emit(float(max(s.timestamp for s in samples)))

    def _apply(self, changes: list[RoomChange]) -> None:
        self.model.apply(changes)
        gone = {c.key for c in changes if c.removed}
        if gone:
            self.alerts.forget(gone)

    def prune(self) -> None:
        """Take off the board the rooms silent for longer than it keeps them."""
        self._apply(self.board.prune())

    def feed_collector(self, status: CollectorStatus) -> None:
        self.alerts.collector(status)

    def feed_status(self, status: FeedStatus) -> None:
        self.status_changed.emit(status)

    # --- running -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Follow the server until stopped or until it refuses the session."""
        refresher = asyncio.create_task(self._keep_fresh())
        try:
            await self.feed.run()
        finally:
            await cancel_and_wait(refresher)
        if self.feed.state is ConnectionState.AUTH_REQUIRED:
            self.session_ended.emit("refused")

    async def _keep_fresh(self) -> None:
        try:
            await self.session.keep_fresh(self.api)
        except TokenExpired:
            self.feed.stop()
            self.feed_status(FeedStatus(ConnectionState.AUTH_REQUIRED, None, "token refused"))
            self.session_ended.emit("expired")

    def stop(self) -> None:
        self.feed.stop()
        self._pruner.stop()
        self._last_hour.stop()
        for task in (self._last_hour_task, self._seed_task):
            if task is not None:
                task.cancel()

    def reconnect_now(self) -> None:
        self.feed.reconnect_now()

    def request_history(
        self, key: RoomKey, window: tuple[int, int] | None = None, points: int = RANGE_POINTS
    ) -> None:
        """Load a room's history over ``window`` (start, end) in at most ``points`` points, or
        its latest samples; :attr:`history_loaded` follows (the newest request wins when the
        user clicks quickly through rooms)."""
        if self._history_task is not None:
            self._history_task.cancel()
        self._history_task = asyncio.get_running_loop().create_task(
            self._load_history(key, window, points)
        )

    async def _load_history(
        self, key: RoomKey, window: tuple[int, int] | None, points: int
    ) -> None:
        try:
            archived = []
            if window is not None:
                archived = (await self.api.history_range(*key, *window, points)).samples
            # The store's recent samples too: the archive takes about a second to receive a
            # sample, and what it has not yet must still be drawn (the live updates only add
            # what comes after this).  Without an archive, they are all there is.
            recent = (await self.api.history(*key)).samples
        except NetError as exc:
            log.info("no history for %s: %s", key, exc)
            self.history_loaded.emit(key, [])
            return
        newest = archived[-1].timestamp if archived else None
        tail = [
            p
            for p in recent
            if (newest is None or p.timestamp > newest)
            and (window is None or window[0] <= p.timestamp <= window[1])
        ]
        self.history_loaded.emit(key, archived + tail)

    # --- reports -------------------------------------------------------------------------------

    def request_account(self) -> None:
        asyncio.get_running_loop().create_task(self._load_account())

    async def _load_account(self) -> None:
        try:
            account = await self.api.me()
        except NetError as exc:  # an older server, or a blip: the window stays as it is
            log.info("account not known: %s", exc)
            return
        self.account_loaded.emit(account)
        self._reports_open = account.reports
        if account.reports:
            self._last_hour.start()
            self.request_last_hour()
        else:
            self._last_hour.stop()
            self._seed_rates()

    def _seed_rates(self) -> None:
        """Without the reports: the rooms not seeded yet get their last hour's samples from
        the archive (one request each, one at a time: a monitor has few rooms)."""
        if self._reports_open is not False:
            return
        if self._seed_task is None or self._seed_task.done():
            with contextlib.suppress(RuntimeError):  # no loop: the session is ending
                loop = asyncio.get_running_loop()
                self._seed_task = loop.create_task(self._load_seeds())

    async def _load_seeds(self) -> None:
        while pending := [r.key for r in self.board if r.key not in self._seeded]:
            for key in pending:
                self._seeded.add(key)
                end = int(self.feed.server_clock.now())
                try:
                    history = await self.api.history_range(*key, end - 3600, end, SEED_POINTS)
                except NetError as exc:
                    log.info("no history to seed %s's rate: %s", key, exc)
                    continue
                points = [(p.timestamp, p.tokens_count) for p in history.samples]
                self.model.apply(self.board.seed_history(key, points))

    def request_last_hour(self) -> None:
        """Ask the reports what each room earned in the last 60 whole minutes."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the timer outlived the session's loop (the app is closing)
            self._last_hour.stop()
            return
        if self._last_hour_task is None or self._last_hour_task.done():
            self._last_hour_task = loop.create_task(self._load_last_hour())

    async def _load_last_hour(self) -> None:
        end = int(self.feed.server_clock.now()) // 60 * 60  # reports count whole minutes
        try:
            report = await self.api.earnings(end - 3600, end, "total")
        except NetError as exc:
            log.info("the last hour's earnings not known: %s", exc)
            return
        earned = {
            RoomKey(r.room_id, r.platform): r.tokens_earned
            for r in report.rows
            if r.room_id != DOCTOR_ROOM
        }
        self._apply(self.board.set_last_hour(earned))

    def request_calendar(self) -> None:
        asyncio.get_running_loop().create_task(self._load_calendar())

    async def _load_calendar(self) -> None:
        try:
            calendar = await self.api.report_calendar()
        except NetError as exc:
            self.report_failed.emit(str(exc))
            return
        self.calendar_loaded.emit(calendar)

    def request_report(self, start: int, end: int, group: str) -> None:
        """Load a report; :attr:`report_loaded` or :attr:`report_failed` follows (the newest
        request wins when the user changes the range quickly)."""
        if group not in ("day", "shift", "total"):
            raise ValueError(f"unknown group {group!r}")
        if self._report_task is not None:
            self._report_task.cancel()
        self._report_task = asyncio.get_running_loop().create_task(
            self._load_report(start, end, group)  # type: ignore[arg-type]
        )

    async def _load_report(self, start: int, end: int, group: ReportGroup) -> None:
        try:
            grouped, total = await asyncio.gather(
                self.api.earnings(start, end, group), self.api.earnings(start, end, "total")
            )
        except NetError as exc:
            log.info("report %s-%s by %s failed: %s", start, end, group, exc)
            self.report_failed.emit(str(exc))
            return
        self.report_loaded.emit(grouped, total)

    # --- administration ------------------------------------------------------------------------

    def load_outline(self, key: str, platform: str) -> None:
        """Read one stored outline; it comes as :attr:`outline_loaded`."""
        asyncio.get_running_loop().create_task(self._load_outline(key, platform))

    async def _load_outline(self, key: str, platform: str) -> None:
        try:
            kept = await self.api.outline(key, platform)
        except NetError as exc:
            self.admin_failed.emit(describe(exc))
            return
        self.outline_loaded.emit(kept)

    def try_on_outline(self, key: str, platform: str, strategies: list[object]) -> None:
        """Try strategies on a stored outline; the outcomes come as :attr:`trials_loaded`."""
        asyncio.get_running_loop().create_task(self._try(key, platform, strategies))

    async def _try(self, key: str, platform: str, strategies: list[object]) -> None:
        try:
            trials = await self.api.try_strategies(key, platform, strategies)
        except NetError as exc:
            self.admin_failed.emit(describe(exc))
            return
        self.trials_loaded.emit(trials)

    def administer(
        self, action: Callable[[], Awaitable[object]] | None = None, done: str = ""
    ) -> None:
        """Run ``action`` (an administration call), then load users, keys, outlines and the
        served reading rules again."""
        asyncio.get_running_loop().create_task(self._administer(action, done))

    async def _administer(self, action: Callable[[], Awaitable[object]] | None, done: str) -> None:
        try:
            if action is not None:
                result = await action()
                if isinstance(result, CreatedKey):
                    self.key_created.emit(result)
            users, keys, outlines, rules, audit, rates = await asyncio.gather(
                self.api.users(),
                self.api.keys(),
                self.api.outlines(),
                self.api.served_selectors(),
                self.api.audit(),
                self.api.rates(),
            )
        except NetError as exc:
            self.admin_failed.emit(describe(exc))
            return
        self.users_loaded.emit(users)
        self.keys_loaded.emit(keys)
        self.outlines_loaded.emit(outlines)
        self.rules_loaded.emit(rules)
        self.audit_loaded.emit(audit)
        self.rates_loaded.emit(rates)
        if done:
            self.admin_done.emit(done)


def _managed(samples: Sequence[TelemetrySample]) -> list[TelemetrySample]:
    """The rooms a manager watches: not the self-check's (:data:`DOCTOR_ROOM`)."""
    return [s for s in samples if s.room_id != DOCTOR_ROOM]
