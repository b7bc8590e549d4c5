"""Waiting for something to happen, with a deadline that fails the test (never a bare sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

#: How often a condition with no event to await is checked again.
POLL_INTERVAL = 0.02


def wait_until(predicate: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Return once ``predicate()`` is true; fail the test if it is not within ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(POLL_INTERVAL)


class Changes:
    """Something that changes as events are delivered, and a way to await a condition on it."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def until(
        self, predicate: Callable[[], object], timeout: float = 10.0, what: str = ""
    ) -> None:
        """Return once ``predicate()`` holds after some change; fail the test after ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}; {self!r}")


async def until(predicate: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Return once ``predicate()`` holds; fail the test after ``timeout``.

    The asynchronous ``qtbot.waitUntil``: Qt widget states have no event to await, so this
    checks again each time Qt and asyncio have run for a moment.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        await asyncio.sleep(POLL_INTERVAL)


async def until_checked(
    check: Callable[[], Awaitable[bool]], timeout: float = 10.0, what: str = ""
) -> None:
    """:func:`until` for a condition that takes a query to know (a database's view, say)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or check}")
        await asyncio.sleep(POLL_INTERVAL)
