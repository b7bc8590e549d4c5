"""Hypothesis strategies for bodies that look like samples (the wire model's and the server's
fuzz tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from godmode_common.protocol import MAX_COUNTER, PLATFORM_PATTERN, ROOM_ID_PATTERN

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
FIELDS = ["room_id", "platform", "tokens_count", "tips_count", "viewers_count", "timestamp"]
near_valid = st.fixed_dictionaries(
    {
        "room_id": st.from_regex(ROOM_ID_PATTERN, fullmatch=True) | json_values,
        "platform": st.from_regex(PLATFORM_PATTERN, fullmatch=True) | json_values,
        "tokens_count": st.integers(-5, MAX_COUNTER + 5) | json_values,
        "tips_count": st.integers(-5, MAX_COUNTER + 5) | json_values,
        "viewers_count": st.integers(-5, MAX_COUNTER + 5) | json_values,
        "timestamp": st.integers(-5, MAX_COUNTER + 5) | json_values,
    },
    optional={"extra": json_values},
)
