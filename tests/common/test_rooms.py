"""A room's one key and its one text form (godmode_common/rooms.py), as the server's command
line, the app's settings and its administration all read it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from godmode_common.rooms import PLATFORM_PATTERN, ROOM_ID_PATTERN, RoomKey, parse_room


def test_a_key_names_its_fields_and_reads_back_from_its_text() -> None:
    key = parse_room("luna_01@chaturbate")
    assert key == RoomKey(room_id="luna_01", platform="chaturbate")
    assert (key.room_id, key.platform) == ("luna_01", "chaturbate")
    assert str(key) == "luna_01@chaturbate"
    assert key == ("luna_01", "chaturbate"), "still a plain tuple to dicts, JSON and SQL rows"
    assert parse_room("  mia.x@stripchat \n") == RoomKey("mia.x", "stripchat")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("luna", "is not ROOM@PLATFORM"),
        ("@chaturbate", "is not a room id"),
        ("luna@", "is not a platform name"),
        ("lu na@chaturbate", "is not a room id"),
        ("luna@Chaturbate", "is not a platform name"),
        ("a@b@chaturbate", "is not a room id"),
        ("x" * 65 + "@chaturbate", "is not a room id"),
    ],
)
def test_anything_else_is_refused_saying_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_room(text)


@given(
    st.from_regex(ROOM_ID_PATTERN, fullmatch=True),
    st.from_regex(PLATFORM_PATTERN, fullmatch=True),
)
def test_every_key_the_wire_accepts_round_trips_through_its_text(room: str, platform: str) -> None:
    assert parse_room(str(RoomKey(room, platform))) == (room, platform)
