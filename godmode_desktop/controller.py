"""The bridge between the net layer and the window: feed events in, Qt signals out.

It is the feed's sink: every snapshot, update and poll answer is applied to the
:class:`~godmode_desktop.board.RoomBoard`, the resulting changes go to the grid's model (which
coalesces repaints), tip jumps go to the alert center, and the rest of the window learns what
happened through signals.  The views never see the network.
"""

from __future__ import annotations

import asyncio
import logging
import time

from PySide6.QtCore import QObject, Signal

from godmode_common.tasks import cancel_and_wait

from .alert_center import AlertCenter
from .board import RoomBoard, RoomKey
from .net.api import ApiClient
from .net.errors import NetError, TokenExpired
from .net.feed import FeedConfig, LiveFeed
from .net.protocol import BulkTelemetry, Snapshot, TelemetryUpdate
from .net.session import Session
from .net.status import ConnectionState, FeedStatus
from .widgets.rooms_model import RoomsModel

log = logging.getLogger(__name__)

#: Seconds between two ``data_arrived`` signals while updates stream in.
DATA_SIGNAL_INTERVAL = 0.25


class Controller(QObject):
    #: The feed's state changed (a FeedStatus).
    status_changed = Signal(object)
    #: Data arrived from the server (wall-clock time).
    data_arrived = Signal(float)
    #: A live update of the watched room (:attr:`watched_room`) was applied (the
    #: TelemetryUpdate): the chart extends with it.  Only that room's: a signal per update of
    #: every room would cost more than everything else the window does with it.
    update_applied = Signal(object)
    #: A room's history arrived: its key and the points (oldest first).
    history_loaded = Signal(object, object)
    #: The server refused the session: the user must log in again.
    session_ended = Signal(str)

    def __init__(
        self,
        api: ApiClient,
        session: Session,
        board: RoomBoard,
        model: RoomsModel,
        alerts: AlertCenter,
        config: FeedConfig | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.session = session
        self.board = board
        self.model = model
        self.alerts = alerts
        self.feed = LiveFeed(api, self, config)
        self._history_task: asyncio.Task[None] | None = None
        self._data_signalled = 0.0
        #: The room whose updates are signalled (the selected one), if any.
        self.watched_room: RoomKey | None = None

    # --- FeedSink ------------------------------------------------------------------------------

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        self.model.apply(self.board.apply_snapshot(snapshot))
        self.data_arrived.emit(time.time())

    def feed_update(self, update: TelemetryUpdate) -> None:
        change = self.board.apply_update(update)
        if change is not None:
            self.model.apply([change])
            self.alerts.offer(update)
            if change.key == self.watched_room:
                self.update_applied.emit(update)
        # "Data from 3 s ago" needs no more than a few signals a second, not one per update.
        now = time.time()
        if now - self._data_signalled >= DATA_SIGNAL_INTERVAL:
            self._data_signalled = now
            self.data_arrived.emit(now)

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        self.model.apply(self.board.apply_poll(bulk))
        self.data_arrived.emit(time.time())

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

    def reconnect_now(self) -> None:
        self.feed.reconnect_now()

    def request_history(self, key: RoomKey) -> None:
        """Load a room's recent history; :attr:`history_loaded` follows (the newest request
        wins when the user clicks quickly through rooms)."""
        if self._history_task is not None:
            self._history_task.cancel()
        self._history_task = asyncio.get_running_loop().create_task(self._load_history(key))

    async def _load_history(self, key: RoomKey) -> None:
        try:
            history = await self.api.history(*key)
        except NetError as exc:
            log.info("no history for %s: %s", key, exc)
            self.history_loaded.emit(key, [])
            return
        self.history_loaded.emit(key, history.samples)
