"""The Chaturbate Events API collector against a local stand-in that answers as the API does."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from aiolimiter import AsyncLimiter

from godmode_common.protocol import TelemetrySample
from godmode_common.retry import Backoff
from godmode_server.collectors.chaturbate_events import (
    ChaturbateEventsCollector,
    _origin,
    _timeout_of,
    event_order,
)
from godmode_server.collectors.config import ChaturbateEventsRoom
from godmode_server.sql.database import Database
from tests.helpers.waiting import POLL_INTERVAL, Changes

from .fake_events_api import FakeEventsApi

TOKEN = "tok-secret-1234567890"
#: Generous: the limiter used where the test is not about the rate limit.
NO_LIMIT = 10_000


class RecordingBackoff(Backoff):
    """The real backoff, remembering each delay it handed out."""

    def __init__(self, base: float, cap: float) -> None:
        self.delays: list[float] = []
        self.resets = 0
        super().__init__(base, cap)

    def reset(self) -> None:
        self.resets += 1
        super().reset()

    def next_delay(self) -> float:
        delay = super().next_delay()
        self.delays.append(delay)
        return delay


class Run:
    """A collector running in the test's loop; what it ingested, as it arrives."""

    def __init__(self, collector: ChaturbateEventsCollector, samples: list[TelemetrySample]):
        self.collector = collector
        self.samples = samples
        self.changes = Changes()
        self.task: asyncio.Task[None] | None = None

    @property
    def counters(self) -> list[tuple[int, int, int]]:
        return [(s.tokens_count, s.tips_count, s.viewers_count) for s in self.samples]


@pytest.fixture
def api() -> Iterator[FakeEventsApi]:
    with FakeEventsApi(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'godmode.db'}")
    await database.start()
    yield database
    await database.close()


@pytest.fixture
async def collectors(api: FakeEventsApi, db: Database) -> AsyncIterator[object]:
    """Start collectors on the fake API; all are cancelled and their client closed at the end."""
    runs: list[Run] = []
    async with httpx.AsyncClient() as http:

        def start(
            *,
            token: str = TOKEN,
            timeout: int = 1,
            limiter: AsyncLimiter | None = None,
            backoff: Backoff | None = None,
        ) -> Run:
            room = ChaturbateEventsRoom(
                username=api.username, token=token, api_url=api.base_url, timeout=timeout
            )
            samples: list[TelemetrySample] = []

            async def ingest(sample: TelemetrySample) -> None:
                samples.append(sample)
                run.changes.changed()

            collector = ChaturbateEventsCollector(
                room,
                http=http,
                limiter=limiter or AsyncLimiter(NO_LIMIT, 1),
                db=db,
                ingest=ingest,
                backoff=backoff,
            )
            run = Run(collector, samples)
            run.task = asyncio.create_task(collector.run())
            runs.append(run)
            return run

        yield start
        for run in runs:
            assert run.task is not None
            run.task.cancel()
            await asyncio.gather(run.task, return_exceptions=True)


async def until(predicate, timeout: float = 10.0, what: str = "") -> None:
    """Wait for something the fake API or the collector's health shows (no event to await)."""
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - another thread's state: no event to await
            await asyncio.sleep(POLL_INTERVAL)


async def test_tips_and_viewers_become_samples_in_order(api: FakeEventsApi, collectors) -> None:
    run = collectors()
    api.enter("ann")
    api.enter("bob")
    api.tip("bob", 25)
    api.tip("carl", 100)
    api.leave("ann")
    api.push("chatMessage", message={"message": "hi"}, user={"username": "bob"})

    await run.changes.until(lambda: len(run.samples) >= 5, what="five samples")

    assert run.counters == [(0, 0, 1), (0, 0, 2), (25, 1, 2), (125, 2, 2), (125, 2, 1)]
    assert {(s.room_id, s.platform) for s in run.samples} == {("alice", "chaturbate")}
    assert run.collector.health.describe() == "ok"


async def test_it_follows_next_url_with_the_long_poll_timeout(
    api: FakeEventsApi, collectors
) -> None:
    run = collectors(timeout=1)
    first = api.tip("bob", 5)
    await run.changes.until(lambda: len(run.samples) == 1)
    await until(lambda: len(api.requests) >= 3, what="two idle long polls")

    assert [r.timeout for r in api.requests[:3]] == [1, 1, 1]
    assert api.requests[0].last_id is None
    assert [r.last_id for r in api.requests[1:3]] == [first, first]
    # Nothing new: the API held each poll for its timeout; the collector did not hammer it.
    assert api.requests[2].at - api.requests[1].at >= 0.9


async def test_server_errors_back_off_then_recover(api: FakeEventsApi, collectors) -> None:
    api.fail_next(503, times=3)
    backoff = RecordingBackoff(base=0.2, cap=0.4)
    run = collectors(backoff=backoff)
    await until(lambda: len(api.requests) >= 2, what="a retry")
    assert run.collector.health.describe() == "retrying: HTTP 503"

    api.tip("bob", 7)
    await run.changes.until(lambda: len(run.samples) == 1, what="the tip after the errors")

    assert run.counters == [(7, 1, 0)]
    assert len(backoff.delays) == 3
    gaps = [b.at - a.at for a, b in zip(api.requests[:3], api.requests[1:4], strict=True)]
    for gap, delay in zip(gaps, backoff.delays, strict=True):
        assert gap >= delay - 0.01  # waited at least the backoff before knocking again
    assert backoff.resets >= 2  # once at the start, once after the first good page
    assert run.collector.health.describe() == "ok"


async def test_rate_limited_answer_waits_retry_after(api: FakeEventsApi, collectors) -> None:
    api.fail_next(429, headers={"Retry-After": "1"})
    run = collectors()
    api.tip("bob", 1)
    await run.changes.until(lambda: len(run.samples) == 1)

    assert api.requests[1].at - api.requests[0].at >= 1.0


async def test_requests_respect_the_rate_limit(api: FakeEventsApi, collectors) -> None:
    # timeout=0: the API answers at once, so only the limiter spaces the requests.
    run = collectors(timeout=0, limiter=AsyncLimiter(4, 1))
    await until(lambda: len(api.requests) >= 10, what="ten requests")
    run.task.cancel()

    # A bucket of 4 lets 4 through at once, then 4 a second: 6 more take at least 1.5 s.
    assert api.requests[9].at - api.requests[0].at >= 1.3


async def test_a_refused_token_is_unhealthy_and_not_retried(api: FakeEventsApi, collectors) -> None:
    run = collectors(token="wrong-token-0000000000")
    async with asyncio.timeout(10):
        await run.task

    assert run.collector.health.state == "unhealthy"
    assert run.collector.health.describe().startswith("unhealthy: token refused (401)")
    assert len(api.requests) == 1
    assert run.samples == []


async def test_a_restart_neither_recounts_nor_resets(api: FakeEventsApi, collectors) -> None:
    first = collectors()
    api.tip("bob", 10)
    api.tip("bob", 20)
    await first.changes.until(lambda: len(first.samples) == 2)
    first.task.cancel()
    await asyncio.gather(first.task, return_exceptions=True)

    # The new collector's first request has no cursor in its URL: the API answers with every
    # recent event again, which were counted already.
    second = collectors()
    await until(lambda: len(api.requests) >= 4, what="the second collector's polls")
    assert second.samples == []
    api.tip("dan", 5)
    await second.changes.until(lambda: len(second.samples) == 1)

    assert second.counters == [(35, 3, 0)]


async def test_the_token_never_reaches_the_log(
    api: FakeEventsApi, collectors, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    good = collectors()
    api.tip("bob", 3)
    await good.changes.until(lambda: len(good.samples) == 1)
    bad = collectors(token="another-secret-token-42")
    async with asyncio.timeout(10):
        await bad.task
    api.fail_next(500)
    await until(lambda: "answered 500" in caplog.text, what="the 500 in the log")

    assert "HTTP Request" in caplog.text  # the HTTP client's own lines were there...
    assert TOKEN not in caplog.text  # ...without the tokens
    assert "another-secret-token-42" not in caplog.text


def test_event_ids_order_by_time_then_counter() -> None:
    assert event_order("1625274862454-0") == (1625274862454, 0)
    assert (1625274862454, 1) < (1625274862455, 0), "time first, then the counter"
    assert event_order("1625274862455-12") == (1625274862455, 12)
    assert event_order("not-an-id") is None


# --- what the real API answers beside its documented page (issue 35) -------------------------


async def test_the_timeout_answered_as_400_is_an_empty_page_and_its_next_url_followed(
    api: FakeEventsApi, collectors
) -> None:
    api.idle_status = 400
    run = collectors(timeout=0)  # every idle poll answers 400 at once
    first = api.tip("bob", 5)
    await run.changes.until(lambda: len(run.samples) == 1)
    await until(lambda: len(api.requests) >= 4, what="idle polls answered 400")
    assert run.collector.health.describe() == "ok"
    assert [r.last_id for r in api.requests[1:4]] == [first] * 3, "nextUrl followed, not retried"
    api.tip("carl", 10)
    await run.changes.until(lambda: len(run.samples) == 2, what="the next tip")
    assert run.counters == [(5, 1, 0), (15, 2, 0)]


async def test_a_malformed_event_is_skipped_and_counted_and_its_page_kept(
    api: FakeEventsApi, collectors
) -> None:
    run = collectors()
    api.tip("ann", 10)
    api.push_raw({"method": "tip", "object": None})
    api.push_raw({"method": "tip", "object": []})
    api.push_raw({"object": {"tip": {"tokens": 1}}})  # no method
    api.push_raw({"method": "tip", "id": 17, "object": {"tip": {"tokens": 1}}})  # numeric id
    api.tip("bob", 20)
    await run.changes.until(lambda: len(run.samples) == 2, what="both good tips")

    assert run.counters == [(10, 1, 0), (30, 2, 0)]
    assert run.collector.health.skipped_events == 4
    assert run.collector.health.describe() == "ok (4 malformed events skipped)"


@pytest.mark.parametrize("form", ["relative", "null", "missing"])
async def test_next_url_in_its_other_forms_is_followed(
    api: FakeEventsApi, collectors, form: str
) -> None:
    api.next_url = form
    run = collectors(timeout=0)
    api.tip("bob", 3)
    await run.changes.until(lambda: len(run.samples) == 1)
    await until(lambda: len(api.requests) >= 3, what="polls after the first page")
    api.tip("bob", 4)
    await run.changes.until(lambda: len(run.samples) == 2, what="the second tip")

    assert run.counters == [(3, 1, 0), (7, 2, 0)], "each counted once, whatever the URL's form"
    assert run.collector.health.describe() == "ok"


async def test_a_next_url_on_another_host_is_never_followed_and_says_so(
    api: FakeEventsApi, collectors
) -> None:
    api.next_url = "https://elsewhere.example/events/alice/stolen/"
    run = collectors(timeout=0)
    api.tip("bob", 3)
    async with asyncio.timeout(10):
        await run.task  # the collector stops rather than knock at the wrong door or loop

    assert run.collector.health.state == "unhealthy"
    assert "another host" in run.collector.health.describe()
    assert run.counters == [(3, 1, 0)], "the page's own events still counted"


async def test_an_idle_page_without_events_is_empty(api: FakeEventsApi, collectors) -> None:
    api.omit_events = True
    run = collectors(timeout=0)
    await until(lambda: len(api.requests) >= 3, what="idle polls")
    assert run.collector.health.describe() == "ok"
    api.tip("bob", 8)
    await run.changes.until(lambda: len(run.samples) == 1)
    assert run.counters == [(8, 1, 0)]


async def test_a_first_start_takes_the_backlog_as_its_starting_point(
    api: FakeEventsApi, collectors
) -> None:
    a_minute_ago = int((time.time() - 60) * 1000)
    for n, tokens in enumerate((500, 250)):  # before the collector existed: replayed, not counted
        api.push_raw(
            {"id": f"{a_minute_ago}-{n}", "method": "tip", "object": {"tip": {"tokens": tokens}}}
        )
    run = collectors()
    await until(lambda: len(api.requests) >= 2, what="the replay read")
    assert run.samples == []
    api.tip("new", 7)
    await run.changes.until(lambda: len(run.samples) == 1)
    assert run.counters == [(7, 1, 0)]


async def test_ids_of_another_shape_are_not_counted_twice_after_a_restart(
    api: FakeEventsApi, collectors
) -> None:
    first = collectors()
    api.push_raw({"id": "a", "method": "tip", "object": {"tip": {"tokens": 60}}})
    await first.changes.until(lambda: len(first.samples) == 1)
    first.task.cancel()
    await asyncio.gather(first.task, return_exceptions=True)

    second = collectors()  # resumes from the cursor "a", which the replay holds
    api.push_raw({"id": "b", "method": "tip", "object": {"tip": {"tokens": 50}}})
    await second.changes.until(lambda: len(second.samples) == 1)
    assert second.counters == [(110, 2, 0)]


def test_the_request_deadline_follows_the_timeout_the_url_asks_for() -> None:
    assert _timeout_of("https://e.example/events/a/t/?timeout=60", 10) == 60
    assert _timeout_of("https://e.example/events/a/t/?timeout=600", 10) == 90, "the API's max"
    assert _timeout_of("https://e.example/events/a/t/?i=1-0", 10) == 10
    assert _timeout_of("https://e.example/events/a/t/?timeout=x", 10) == 10


def test_origins_compare_as_the_web_does() -> None:
    base = _origin("https://events.testbed.cb.dev/events/a/t/")
    assert _origin("https://EVENTS.testbed.cb.dev:443/events/a/t/?i=1") == base
    assert _origin("https://events.testbed.cb.dev:8443/events/") != base
    assert _origin("http://events.testbed.cb.dev/events/") != base
    assert _origin("https://events.testbed.cb.dev.evil.example/") != base
    assert _origin("https://events.testbed.cb.dev:notaport/") != base


async def test_media_purchases_are_their_own_figure_and_survive_a_restart(
    api: FakeEventsApi, collectors
) -> None:
    first = collectors()
    api.push(
        "mediaPurchase",
        broadcaster="alice",
        user={"username": "bob"},
        media={"id": 1, "name": "set 1", "type": "photos", "tokens": 25},
    )
    api.tip("bob", 10)
    await first.changes.until(lambda: len(first.samples) == 1)
    assert first.counters == [(10, 1, 0)], "a purchase is not a tip"
    assert first.collector.media_tokens == 25
    first.task.cancel()
    await asyncio.gather(first.task, return_exceptions=True)

    second = collectors()
    api.push(
        "mediaPurchase",
        broadcaster="alice",
        user={"username": "dan"},
        media={"id": 2, "name": "clip", "type": "video", "tokens": 40},
    )
    await until(lambda: second.collector.media_tokens == 65, what="the second purchase")
    assert second.samples == []
