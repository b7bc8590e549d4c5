"""Which server-side collectors run: ``GODMODE_COLLECTORS_FILE``, a TOML file.

The file holds the broadcasters' Events API tokens, so it stays on the server (readable by the
service's user only) and the tokens never reach a log, an error message or an API answer:
they are :class:`~pydantic.SecretStr` from the moment they are read.

.. code-block:: toml

    [[chaturbate_events]]
    username = "alice"          # the broadcaster
    token = "..."               # an Events API token of that broadcaster
    room_id = "alice"           # optional: the room id samples carry (default: username)

    [[chaturbate_stats]]
    username = "bella"
    token = "..."               # a Stats API token of that broadcaster (24 characters)
    # interval = 300            # seconds between polls (the API refreshes every 5 minutes)
    # samples = true            # false: keep the balance only (a room the Events API feeds)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, ValidationError

from godmode_common.protocol import RoomId
from godmode_server.settings import ConfigError, validation_problems

EVENTS_API_URL = "https://eventsapi.chaturbate.com/events/"
#: The Events API's documented rate limit.
EVENTS_API_REQUESTS_PER_MINUTE = 2000


class ChaturbateEventsRoom(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,64}$")]
    token: SecretStr
    room_id: RoomId | None = None
    #: The feed's base address (a test double's, in the tests).
    api_url: HttpUrl = HttpUrl(EVENTS_API_URL)
    #: Seconds the API may hold a request open waiting for events (the documented 0-90).
    timeout: Annotated[int, Field(ge=0, le=90)] = 30

    @property
    def room(self) -> str:
        return self.room_id or self.username

    @property
    def source(self) -> str:
        """The collector's name in /readyz, the metrics and the logs (never the token)."""
        return f"chaturbate_events:{self.room}"


STATS_API_URL = "https://chaturbate.com/statsapi/"
#: How often the Stats API's figures change (its documentation: "refreshed once every 5 minutes").
STATS_API_REFRESH = 300


class ChaturbateStatsRoom(BaseModel):
    """A broadcaster account read through Chaturbate's Stats API (``token_balance``,
    ``num_viewers``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,64}$")]
    token: SecretStr
    room_id: RoomId | None = None
    api_url: HttpUrl = HttpUrl(STATS_API_URL)
    #: Seconds between polls; shorter than the API's refresh only repeats its figures.
    interval: Annotated[float, Field(ge=1, le=3600)] = STATS_API_REFRESH
    #: Post samples for the room (its balance and viewers); False keeps the figures for /readyz,
    #: /metrics and the reconciliation only, for a room whose samples come from elsewhere.
    samples: bool = True

    @property
    def room(self) -> str:
        return self.room_id or self.username

    @property
    def source(self) -> str:
        return f"chaturbate_stats:{self.room}"


class CollectorsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chaturbate_events: list[ChaturbateEventsRoom] = Field(default_factory=list)
    chaturbate_stats: list[ChaturbateStatsRoom] = Field(default_factory=list)
    #: Requests per minute to the Events API from this node, all rooms together.
    events_api_requests_per_minute: Annotated[int, Field(ge=1)] = EVENTS_API_REQUESTS_PER_MINUTE


def load_collectors(path: Path | None) -> CollectorsConfig:
    """The configured collectors (none without a file); :class:`ConfigError` for a bad file."""
    if path is None:
        return CollectorsConfig()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"GODMODE_COLLECTORS_FILE: cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"GODMODE_COLLECTORS_FILE {path} is not valid TOML: {exc}") from exc
    try:
        config = CollectorsConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"GODMODE_COLLECTORS_FILE {path}: {validation_problems(exc)}") from exc
    if problem := _overlap(config):
        raise ConfigError(f"GODMODE_COLLECTORS_FILE {path}: {problem}")
    return config


def _overlap(config: CollectorsConfig) -> str | None:
    """What makes two collectors post samples for the same room, if anything: the dashboard would
    jump between their figures (the Events API counts tips since it started, the Stats API gives
    the account's balance)."""
    for name, rooms in (
        ("chaturbate_events", [r.room for r in config.chaturbate_events]),
        ("chaturbate_stats", [r.room for r in config.chaturbate_stats]),
    ):
        if duplicates := sorted({r for r in rooms if rooms.count(r) > 1}):
            return f"room {', '.join(duplicates)} is configured twice under {name}"
    events = {r.room for r in config.chaturbate_events}
    if both := sorted(r.room for r in config.chaturbate_stats if r.samples and r.room in events):
        return (
            f"room {', '.join(both)} would get samples from both chaturbate_events and "
            "chaturbate_stats; set samples = false under chaturbate_stats to keep only its "
            "balance there"
        )
    return None
