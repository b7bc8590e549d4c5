"""Both stores behind one fixture, so the contract of stores/base.py is tested on each."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from godmode_server.stores import MemoryStore, Store
from tests.helpers.stores import HISTORY_SIZE, LOG_SIZE, Events, redis_store


@pytest.fixture(params=["embedded", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "embedded":
        yield MemoryStore(event_log_size=LOG_SIZE, history_size=HISTORY_SIZE)
        return
    server = request.getfixturevalue("redis_server")
    store = redis_store(server)
    await store.start()
    yield store
    await store.close()


@pytest.fixture
def events(store: Store) -> Events:
    return Events(store)
