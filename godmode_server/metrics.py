"""Prometheus metrics, one registry per application instance (tests run several side by side)."""

from __future__ import annotations

import platform

from prometheus_client import (
    PLATFORM_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from godmode_common import __version__

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

#: Seconds, from well under the 5 ms the design aims at to the 2.5 s that means trouble.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        # The process as the operating system sees it (CPU, memory, open files, start time),
        # and which build this is.
        ProcessCollector(registry=r)
        r.register(PLATFORM_COLLECTOR)
        Info("godmode_build", "The running server's version.", registry=r).info(
            {"version": __version__, "python": platform.python_version()}
        )
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
        self.ingest_seconds = Histogram(
            "godmode_ingest_seconds",
            "Time to answer a posted sample, from the request reaching its route to the answer "
            "(rate limits, API key, validation, store), whatever the outcome.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.delivery_lag = Histogram(
            "godmode_delivery_lag_seconds",
            "Time from a sample's acceptance by the store to its event being written to the "
            "dashboards' sockets: one observation per event for the dashboards written at once, "
            "and one per dashboard that was sent it later from its queue.  With Redis, "
            "acceptance is read on Redis's clock.",
            buckets=LATENCY_BUCKETS,
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
        self.epoch_changes = Counter(
            "godmode_epoch_changes",
            "Times this node's epoch changed (log reset, degraded mode, recovery).",
            registry=r,
        )
        self.store_degraded = Gauge(
            "godmode_store_degraded",
            "1 while this node works without Redis (degraded mode), else 0.",
            registry=r,
        )
        self.store_failures = Counter(
            "godmode_store_failures", "Times Redis failed and the node went degraded.", registry=r
        )
        self.replay_pending = Gauge(
            "godmode_store_replay_pending",
            "Samples accepted while degraded and not yet written to Redis.",
            registry=r,
        )
        self.samples_replayed = Counter(
            "godmode_store_samples_replayed",
            "Samples accepted while degraded and written to Redis after it came back.",
            registry=r,
        )
        self.replay_dropped = Counter(
            "godmode_store_replay_dropped",
            "Samples accepted while degraded that were dropped before Redis came back "
            "(the queue holds GODMODE_EVENT_LOG_SIZE).",
            registry=r,
        )
        self.source_media_tokens = Gauge(
            "godmode_source_media_tokens",
            "Tokens paid for media (photo and video sets) in a server-side collector's room, "
            "since it first ran (not in tokens_count, which counts tips).",
            ["source"],
            registry=r,
        )
        self.source_token_balance = Gauge(
            "godmode_source_token_balance",
            "The account's token balance as Chaturbate's Stats API last gave it (NaN before its "
            "first answer).",
            ["source"],
            registry=r,
        )
        self.source_healthy = Gauge(
            "godmode_source_healthy",
            "1 while a server-side collector works or retries, 0 once it gave up (a refused token).",
            ["source"],
            registry=r,
        )
        # Each ingest key's collector as its latest health report says (collectors/health.py);
        # one series per key, every node showing every key's (read from the database).
        self.collector_report_time = Gauge(
            "godmode_collector_report_timestamp_seconds",
            "When the key's collector last reported its health (Unix time).",
            ["key"],
            registry=r,
        )
        self.collector_selector_misses = Gauge(
            "godmode_collector_selector_misses",
            "Counters the collector could not read on a page, in its latest report.",
            ["key"],
            registry=r,
        )
        self.collector_refused_posts = Gauge(
            "godmode_collector_refused_posts",
            "Samples the backend refused, in the collector's latest report.",
            ["key"],
            registry=r,
        )
        self.collector_queue_length = Gauge(
            "godmode_collector_queue_length",
            "Samples waiting in the collector's queue, in its latest report.",
            ["key"],
            registry=r,
        )
        self.archive_written = Counter(
            "godmode_archive_samples_written", "Samples written to the SQL archive.", registry=r
        )
        self.archive_failures = Counter(
            "godmode_archive_failures", "Archive writes the database refused.", registry=r
        )
        self.archive_dropped = Counter(
            "godmode_archive_samples_dropped",
            "Samples not archived because too many were waiting for the database.",
            registry=r,
        )
        self.ratelimit_local = Gauge(
            "godmode_ratelimit_local",
            "1 while this node counts rate limits in its own memory because Redis failed.",
            registry=r,
        )
        self.logins = Counter(
            "godmode_logins", "Login attempts by outcome.", ["outcome"], registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
