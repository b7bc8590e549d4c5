"""Ending background tasks."""

from __future__ import annotations

import asyncio

import pytest

from godmode_common.tasks import cancel_and_wait


async def test_a_running_task_is_cancelled_and_waited_for() -> None:
    cleaned: list[str] = []
    started = asyncio.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            cleaned.append("done")

    task = asyncio.create_task(forever())
    await started.wait()
    await cancel_and_wait(task)
    assert task.cancelled()
    assert cleaned == ["done"], "its clean-up ran before cancel_and_wait returned"


async def test_nothing_to_end_is_fine() -> None:
    await cancel_and_wait(None)


async def test_a_task_that_failed_says_so() -> None:
    async def broken() -> None:
        raise ValueError("broken")

    task = asyncio.create_task(broken())
    await asyncio.wait([task])
    with pytest.raises(ValueError, match="broken"):
        await cancel_and_wait(task)
