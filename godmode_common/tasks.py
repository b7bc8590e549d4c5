"""Background tasks: the one way both sides stop what they started, and steps repeated at an
interval."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any


async def cancel_and_wait(task: asyncio.Task[Any] | None) -> None:
    """Cancel ``task`` (if any) and wait until it has ended; its cancellation is not an error
    (another exception it ends with is raised)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Periodic:
    """``step`` every ``interval`` seconds in a background task, from :meth:`start` until
    :meth:`close`.  A step that fails is logged (``what`` says what was not done) and the next
    one tries again: what these steps need — a database, Redis — comes back by itself."""

    def __init__(
        self,
        step: Callable[[], Awaitable[object]],
        interval: float,
        *,
        what: str,
        log: logging.Logger,
        wait_first: bool = False,
    ) -> None:
        self._step = step
        self.interval = interval
        self._what = what
        self._log = log
        self._wait_first = wait_first
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self._what)

    async def close(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        if self._wait_first:
            await asyncio.sleep(self.interval)
        while True:
            try:
                await self._step()
            except Exception as exc:
                self._log.warning("%s: not done (%r); will retry", self._what, exc)
            await asyncio.sleep(self.interval)
