"""Sample bodies as collectors post them (JSON objects, not models: the server must parse them)."""

from __future__ import annotations

import time
from typing import Any

#: The original system's sample fields: POST body, GET answer, bulk and snapshot rooms.
SAMPLE_FIELDS = frozenset(
    {"room_id", "platform", "tokens_count", "tips_count", "viewers_count", "timestamp"}
)
#: What a room sent carries besides its sample: its live earnings (docs/PROTOCOL.md); with a
#: payout rate set, `day_usd` and `shift_usd` too.
EARNED_FIELDS = frozenset({"day_tokens", "day_tips", "shift_tokens", "shift_tips"})


def sample_json(room_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid body for ``POST /api/tracking/telemetry``, timestamped now; ``overrides`` win."""
    body: dict[str, Any] = {
        "room_id": room_id,
        "platform": "chaturbate",
        "tokens_count": 5000,
        "tips_count": 250,
        "viewers_count": 45,
        "timestamp": int(time.time()),
    }
    body.update(overrides)
    return body
