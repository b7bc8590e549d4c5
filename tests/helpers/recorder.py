"""A feed sink that records what the live feed delivers, and can be awaited."""

from __future__ import annotations

from collections.abc import Callable

from godmode_desktop.board import RoomBoard
from godmode_desktop.net.protocol import BulkTelemetry, CollectorStatus, Snapshot, TelemetryUpdate
from godmode_desktop.net.status import ConnectionState, FeedStatus
from tests.helpers.waiting import Changes


class Recorder(Changes):
    """A feed sink that keeps a board and remembers states and update seqs."""

    def __init__(self) -> None:
        self.board = RoomBoard()
        self.states: list[ConnectionState] = []
        #: What each status said beside its state (why it went offline, …).
        self.details: list[str] = []
        self.update_seqs: list[int] = []
        self.snapshots: list[Snapshot] = []
        self.polls: list[BulkTelemetry] = []
        self.collectors: list[CollectorStatus] = []
        super().__init__()

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshots.append(snapshot)
        self.board.apply_snapshot(snapshot)
        self.changed()

    def feed_update(self, update: TelemetryUpdate) -> None:
        self.update_seqs.append(update.seq)
        self.board.apply_update(update)
        self.changed()

    def feed_poll(self, bulk: BulkTelemetry) -> None:
        self.polls.append(bulk)
        self.board.apply_poll(bulk)
        self.changed()

    def feed_collector(self, status: CollectorStatus) -> None:
        self.collectors.append(status)

    def feed_status(self, status: FeedStatus) -> None:
        self.states.append(status.state)
        self.details.append(status.detail)
        self.changed()

    @property
    def state(self) -> ConnectionState | None:
        return self.states[-1] if self.states else None

    def tokens(self, room: str, platform: str = "chaturbate") -> int | None:
        found = self.board.get(room, platform)
        return found.tokens if found else None

    async def wait_for(
        self, predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
    ) -> None:
        await self.until(predicate, timeout, what)

    def __repr__(self) -> str:
        return f"states: {self.states}"
