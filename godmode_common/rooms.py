"""A room's identity, as every part of the system names it: ``(room_id, platform)`` in code,
``ROOM@PLATFORM`` in text (the command line, the app's settings and fields)."""

from __future__ import annotations

import re
from typing import NamedTuple

#: ``room_id``: 1–64 letters, digits, ``_``, ``.`` or ``-``.
ROOM_ID_PATTERN = r"^[A-Za-z0-9_.\-]{1,64}$"
#: ``platform``: a lower-case identifier; which ones are accepted is server configuration.
PLATFORM_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"


class RoomKey(NamedTuple):
    room_id: str
    platform: str

    def __str__(self) -> str:
        return f"{self.room_id}@{self.platform}"


def parse_room(text: str) -> RoomKey:
    """``ROOM@PLATFORM`` as a key; :class:`ValueError` saying what is wrong otherwise.

    The last ``@`` separates them (a platform has none), and each part must be what the wire
    protocol accepts, so a room written here is one the server can know."""
    room_id, at, platform = text.strip().rpartition("@")
    if not at:
        raise ValueError(f"{text!r} is not ROOM@PLATFORM (e.g. luna_01@chaturbate)")
    if not re.fullmatch(ROOM_ID_PATTERN, room_id):
        raise ValueError(
            f"{text!r}: {room_id!r} is not a room id (1-64 letters, digits, '_', '.', '-')"
        )
    if not re.fullmatch(PLATFORM_PATTERN, platform):
        raise ValueError(f"{text!r}: {platform!r} is not a platform name")
    return RoomKey(room_id, platform)
