"""Properties of the ingest model: whatever JSON arrives, it is a valid sample or a
ValidationError, never anything else; valid samples survive a round trip unchanged."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from godmode_common.protocol import (
    MAX_COUNTER,
    PLATFORM_PATTERN,
    ROOM_ID_PATTERN,
    TelemetrySample,
)
from tests.helpers.strategies import FIELDS, json_values, near_valid


@settings(max_examples=500, deadline=None)
@given(body=near_valid | st.dictionaries(st.sampled_from(FIELDS), json_values) | json_values)
def test_any_body_is_a_valid_sample_or_a_validation_error(body: object) -> None:
    raw = json.dumps(body)
    try:
        parsed = TelemetrySample.model_validate_json(raw)
    except ValidationError:
        return
    assert re.fullmatch(ROOM_ID_PATTERN, parsed.room_id)
    assert re.fullmatch(PLATFORM_PATTERN, parsed.platform)
    for value in (parsed.tokens_count, parsed.tips_count, parsed.viewers_count, parsed.timestamp):
        assert type(value) is int
        assert 0 <= value <= MAX_COUNTER
    assert TelemetrySample.model_validate_json(parsed.model_dump_json()) == parsed


@settings(max_examples=200, deadline=None)
@given(
    body=st.fixed_dictionaries(
        {
            "room_id": st.from_regex(ROOM_ID_PATTERN, fullmatch=True),
            "platform": st.from_regex(PLATFORM_PATTERN, fullmatch=True),
            "tokens_count": st.integers(0, MAX_COUNTER),
            "tips_count": st.integers(0, MAX_COUNTER),
            "viewers_count": st.integers(0, MAX_COUNTER),
            "timestamp": st.integers(0, MAX_COUNTER),
        }
    )
)
def test_every_well_formed_sample_is_accepted(body: dict[str, object]) -> None:
    assert TelemetrySample.model_validate_json(json.dumps(body)).model_dump() == body
