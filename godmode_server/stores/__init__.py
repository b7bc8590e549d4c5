"""Stores: where latest values and the event log live (see :mod:`.base` for the contract)."""

from __future__ import annotations

from ..settings import Settings
from .base import IngestOutcome, LogEntry, StateView, Store
from .memory import MemoryStore

__all__ = ["IngestOutcome", "LogEntry", "MemoryStore", "StateView", "Store", "create_store"]


def create_store(settings: Settings) -> Store:
    """The store the settings ask for (only the embedded one exists so far)."""
    return MemoryStore(
        latest_ttl=settings.latest_ttl,
        event_log_size=settings.event_log_size,
        history_size=settings.history_size,
    )
