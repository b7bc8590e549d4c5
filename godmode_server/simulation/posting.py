"""Posting a simulator's samples as a well-behaved collector does: a 429 is waited out as the
server says (``Retry-After``) and the same sample posted again, so a simulation against a
production server's rate limits loses nothing (it had died on a raw ``HTTPStatusError`` or left
holes); a sample the server can never take (422, 401) is not retried, and the caller says why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import httpx

from godmode_common.protocol import TelemetrySample

log = logging.getLogger(__name__)

#: Longest wait a ``Retry-After`` is honoured for, and the wait when it says nothing usable.
MAX_RETRY_AFTER = 60.0
DEFAULT_RETRY_AFTER = 1.0
#: 429s in a row for one sample before giving up on it (about an hour at the longest waits).
MAX_RETRIES = 60


class Refused(Exception):
    """The server refused a sample for good: its status and its words."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}: {text[:300]}")
        self.status = status
        self.text = text


def retry_after(answer: httpx.Response) -> float:
    """Seconds a 429 asks to wait (``Retry-After`` in seconds), within reason."""
    try:
        seconds = float(answer.headers.get("retry-after", DEFAULT_RETRY_AFTER))
    except ValueError:  # an HTTP date, or nonsense: a second
        seconds = DEFAULT_RETRY_AFTER
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


async def post_sample(
    http: httpx.AsyncClient,
    sample: TelemetrySample,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> httpx.Response:
    """POST ``sample``; on 429 wait what the server asks and post it again.  Returns the 200
    answer; raises :class:`Refused` on any other answer (or after :data:`MAX_RETRIES` 429s) and
    what httpx raises when the server cannot be reached."""
    body = sample.model_dump()
    for _ in range(MAX_RETRIES):
        answer = await http.post("/api/tracking/telemetry", json=body)
        if answer.status_code != 429:
            if answer.status_code != 200:
                raise Refused(answer.status_code, answer.text)
            return answer
        wait = retry_after(answer)
        log.info("rate limited: waiting %.1f s as the server asks", wait)
        await sleep(wait)
    raise Refused(429, f"still rate limited after {MAX_RETRIES} tries")


class Progress:
    """ "posted N of M (P %)" on ``say`` at each tenth of the way, and at the end."""

    def __init__(self, total: int, say: Callable[[str], None], what: str = "samples") -> None:
        self.total = total
        self.done = 0
        self._say = say
        self._what = what
        self._next = 1

    def add(self, count: int = 1) -> None:
        self.done += count
        while self.total and self.done * 10 >= self._next * self.total and self._next <= 10:
            self._say(
                f"posted {self.done:,} of {self.total:,} {self._what} "
                f"({100 * self.done // self.total} %)"
            )
            self._next += 1
