"""The live feed's connection state, as the window and the command line show it.

Its own module, without the network libraries, so that widgets can show a state without
importing what makes it (checked by import-linter in ``make lint``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ConnectionState(enum.Enum):
    CONNECTING = "connecting"  #: starting, or the link dropped less than ``poll_after`` ago
    LIVE = "live"  #: the WebSocket is open and events flow
    POLLING = "polling"  #: no WebSocket, but the bulk endpoint answers
    OFFLINE = "offline"  #: neither answers; retrying
    AUTH_REQUIRED = "auth_required"  #: the server refused the token; the feed has stopped


@dataclass(frozen=True, slots=True)
class FeedStatus:
    state: ConnectionState
    #: Wall-clock time of the last message or poll answer from the server (data as of then).
    newest_data_at: float | None
    detail: str = ""
