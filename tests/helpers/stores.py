"""The store tests' listener and Redis store, configured to reach their bounds quickly."""

from __future__ import annotations

from godmode_server.stores import LogEntry, Store
from godmode_server.stores.redis_store import RedisStore
from tests.helpers.databases import RedisProcess
from tests.helpers.waiting import Changes

#: What the contract tests configure: a short log and history, to reach their bounds.
LOG_SIZE = 5
HISTORY_SIZE = 3


class Events(Changes):
    """A store listener that can be awaited: the Redis store notifies from its stream reader,
    a moment after the ingest returns."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.entries: list[LogEntry] = []
        self.epochs: list[str] = []
        store.subscribe(self._entry)
        store.on_epoch_change(self._epoch)

    def _entry(self, entry: LogEntry) -> None:
        self.entries.append(entry)
        self.changed()

    def _epoch(self, epoch: str) -> None:
        self.epochs.append(epoch)
        self.changed()

    @property
    def seqs(self) -> list[int]:
        return [entry.seq for entry in self.entries]

    def __repr__(self) -> str:
        return f"seqs {self.seqs}"


def redis_store(server: RedisProcess, **options: object) -> RedisStore:
    settings: dict[str, object] = {
        "event_log_size": LOG_SIZE,
        "history_size": HISTORY_SIZE,
        "reconnect_base": 0.05,
        "reconnect_cap": 0.2,
        "timeout": 1.0,
    }
    settings.update(options)
    url = str(settings.pop("url", server.url))  # another way to the same server (a proxy)
    return RedisStore(url, **settings)  # type: ignore[arg-type]
