"""The frame the hub builds once per event is the frame websockets would have sent."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from godmode_server.ws_protocol import text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 300, 65535, 65536, 200_000])
def test_text_frame_matches_websockets_own_encoding(size: int) -> None:
    payload = ("é" * size).encode()[:size]  # any bytes: the payload is not inspected

    assert text_frame(payload) == Frame(Opcode.TEXT, payload).serialize(mask=False)
