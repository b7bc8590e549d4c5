"""The one way into the store, for posted samples and server-side collectors alike: check what
the wire model cannot know (this server's platforms, its clock), store, count, archive."""

from __future__ import annotations

from godmode_common.protocol import DOCTOR_ROOM, ErrorItem, TelemetrySample
from godmode_server.errors import ApiError
from godmode_server.metrics import Metrics
from godmode_server.sql.archive import HistoryArchive
from godmode_server.stores import IngestOutcome, Store


class Ingest:
    def __init__(
        self,
        store: Store,
        archive: HistoryArchive,
        metrics: Metrics,
        *,
        platforms: frozenset[str],
        max_clock_skew: int,
    ) -> None:
        self._store = store
        self._archive = archive
        self._metrics = metrics
        self._platforms = platforms
        self._max_clock_skew = max_clock_skew

    async def __call__(self, sample: TelemetrySample, now: int) -> IngestOutcome:
        """Store ``sample`` as received at ``now``.  Raises :class:`ApiError` (422) when
        refused."""
        try:
            self._check(sample, now)
        except ApiError:
            self._metrics.samples_rejected.labels("invalid").inc()
            raise
        if self._archive.too_old(sample.timestamp, now):
            self._archive.refused(sample.timestamp)
            self._metrics.samples_rejected.labels("too_old").inc()
            raise _too_old(sample, now, self._archive.retention)
        outcome = await self._store.ingest(sample, now)
        if outcome.applied:
            self._metrics.samples_accepted.inc()
        else:
            self._metrics.samples_ignored.labels(outcome.reason or "unknown").inc()
        # Late, out-of-order and unchanged samples too: the earnings reports count each in its
        # place (an unchanged one still says the room was on line then).  Not the self-check's.
        if sample.room_id != DOCTOR_ROOM:
            self._archive.record(sample)
        return outcome

    def _check(self, sample: TelemetrySample, now: int) -> None:
        if sample.platform not in self._platforms:
            accepted = ", ".join(sorted(self._platforms))
            raise ApiError(
                422,
                f"invalid request: platform: unknown platform {sample.platform!r}",
                [
                    ErrorItem(
                        field="platform",
                        message=f"unknown platform {sample.platform!r}; this server accepts {accepted}",
                        type="unknown_platform",
                    )
                ],
            )
        if sample.timestamp > now + self._max_clock_skew:
            raise ApiError(
                422,
                "invalid request: timestamp: in the future",
                [
                    ErrorItem(
                        field="timestamp",
                        message=(
                            f"timestamp {sample.timestamp} is more than {self._max_clock_skew} s "
                            f"in the future (the server's clock reads {now}); it must be Unix "
                            "seconds (not milliseconds) from a clock that is right"
                        ),
                        type="timestamp_in_future",
                    )
                ],
            )


def _too_old(sample: TelemetrySample, now: int, retention: int) -> ApiError:
    """A sample no report could count: the raw archive keeps ``retention`` seconds, and the
    reports are made from it (answering 200 and dropping it made a report of that day say
    "complete" over nothing)."""
    days = retention // 86400
    return ApiError(
        422,
        "invalid request: timestamp: older than the server keeps",
        [
            ErrorItem(
                field="timestamp",
                message=(
                    f"timestamp {sample.timestamp} is older than the {days} days this server "
                    f"keeps (GODMODE_HISTORY_DAYS; from {now - retention} on): no report could "
                    "count it"
                ),
                type="timestamp_too_old",
            )
        ],
    )
