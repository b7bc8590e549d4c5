"""Fixtures of the net layer's tests: a recording sink and proxies between feed and server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from tests.helpers.recorder import Recorder
from tests.helpers.tcp_proxy import TcpProxy


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def proxy_factory() -> AsyncIterator[Callable[[int], asyncio.Future[TcpProxy]]]:
    proxies: list[TcpProxy] = []

    async def make(target_port: int) -> TcpProxy:
        proxy = await TcpProxy(target_port).start()
        proxies.append(proxy)
        return proxy

    yield make  # type: ignore[misc]
    for proxy in proxies:
        await proxy.close()
