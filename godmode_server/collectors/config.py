"""Which server-side collectors run: ``GODMODE_COLLECTORS_FILE``, a TOML file.

The file holds the broadcasters' Events API tokens, so it stays on the server (readable by the
service's user only) and the tokens never reach a log, an error message or an API answer:
they are :class:`~pydantic.SecretStr` from the moment they are read.

.. code-block:: toml

    [[chaturbate_events]]
    username = "alice"          # the broadcaster
    token = "..."               # an Events API token of that broadcaster
    room_id = "alice"           # optional: the room id samples carry (default: username)
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


class CollectorsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chaturbate_events: list[ChaturbateEventsRoom] = Field(default_factory=list)
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
    rooms = [room.room for room in config.chaturbate_events]
    if duplicates := sorted({r for r in rooms if rooms.count(r) > 1}):
        raise ConfigError(
            f"GODMODE_COLLECTORS_FILE {path}: room {', '.join(duplicates)} is configured twice"
        )
    return config
