"""Prometheus metrics, one registry per application instance (tests run several side by side)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.samples_accepted = Counter(
            "godmode_samples_accepted",
            "Samples that changed a room and produced an event.",
            registry=r,
        )
        self.samples_ignored = Counter(
            "godmode_samples_ignored",
            "Valid samples answered without an event (stale or duplicate).",
            ["reason"],
            registry=r,
        )
        self.samples_rejected = Counter(
            "godmode_samples_rejected",
            "Samples refused: invalid body, too large, unknown platform, not authorised.",
            ["reason"],
            registry=r,
        )
        self.events_fanned_out = Counter(
            "godmode_events_fanned_out",
            "Event deliveries queued to dashboards (one per event per dashboard).",
            registry=r,
        )
        self.dashboards_connected = Gauge(
            "godmode_dashboards_connected", "Dashboards connected to this node.", registry=r
        )
        self.dashboards_dropped_slow = Counter(
            "godmode_dashboards_dropped_slow",
            "Dashboards closed because their send queue overflowed.",
            registry=r,
        )
        self.event_seq = Gauge("godmode_event_seq", "Newest event seq on this node.", registry=r)
        self.logins = Counter(
            "godmode_logins", "Login attempts by outcome.", ["outcome"], registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
