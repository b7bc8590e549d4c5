"""A live feed running in the background for the length of a ``with`` block."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from godmode_desktop.net.api import ApiClient
from godmode_desktop.net.feed import FeedConfig, FeedSink, LiveFeed


@asynccontextmanager
async def running(
    url: str, token: str | None, sink: FeedSink, config: FeedConfig
) -> AsyncIterator[LiveFeed]:
    api = ApiClient(url, token=token)
    feed = LiveFeed(api, sink, config)
    task = asyncio.create_task(feed.run())
    try:
        yield feed
    finally:
        feed.stop()
        await asyncio.wait_for(task, 10)
        await api.aclose()
