"""Stores: where latest values and the event log live (see :mod:`.base` for the contract)."""

from __future__ import annotations

from godmode_server.metrics import Metrics
from godmode_server.settings import Settings
from godmode_server.stores.base import IngestOutcome, LogEntry, StateView, Store
from godmode_server.stores.memory import MemoryStore

__all__ = ["IngestOutcome", "LogEntry", "MemoryStore", "StateView", "Store", "create_store"]


def create_store(settings: Settings, metrics: Metrics) -> Store:
    """The Redis store when ``GODMODE_REDIS_URL`` is set, else the embedded one."""
    if settings.redis_url:
        from godmode_server.stores.redis_store import RedisStore

        return RedisStore(
            settings.redis_url,
            prefix=settings.redis_prefix,
            latest_ttl=settings.latest_ttl,
            event_log_size=settings.event_log_size,
            history_size=settings.history_size,
            history_ttl=settings.history_ttl,
            timeout=settings.redis_timeout,
            metrics=metrics,
        )
    return MemoryStore(
        latest_ttl=settings.latest_ttl,
        event_log_size=settings.event_log_size,
        history_size=settings.history_size,
    )
