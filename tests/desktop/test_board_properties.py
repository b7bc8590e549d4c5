"""Properties of the client's event application: however updates arrive (any order, repeated,
a snapshot anywhere), the board ends as in-order delivery leaves it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from godmode_desktop.board import RoomBoard
from godmode_desktop.net.protocol import TelemetryUpdate
from tests.helpers.models import room_sample, snapshot, telemetry_update

ROOMS = ["a", "b", "c"]


@st.composite
def histories(draw: st.DrawFn) -> list[TelemetryUpdate]:
    """Updates of a few rooms as a server emits them: each room's timestamps rise."""
    updates: list[TelemetryUpdate] = []
    seq = 0
    for room in draw(st.lists(st.sampled_from(ROOMS), min_size=1, max_size=3, unique=True)):
        ts = draw(st.integers(1, 10_000))
        tokens = draw(st.integers(0, 1_000_000))
        for _ in range(draw(st.integers(1, 8))):
            seq += 1
            step = draw(st.integers(0, 5_000))
            ts += draw(st.integers(1, 100))
            tokens += step
            updates.append(
                telemetry_update(room, tokens, ts, seq=seq, delta=step, viewers=step % 50)
            )
    return sorted(updates, key=lambda u: u.seq)


def state(board: RoomBoard) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    return {r.key: (r.tokens, r.tips, r.viewers, r.timestamp) for r in board.rooms()}


def in_order(updates: list[TelemetryUpdate]) -> RoomBoard:
    board = RoomBoard(clock=lambda: 0.0)
    for u in updates:
        board.apply_update(u)
    return board


@settings(max_examples=300, deadline=None)
@given(data=st.data(), updates=histories())
def test_any_order_and_repeats_give_the_in_order_board(
    data: st.DataObject, updates: list[TelemetryUpdate]
) -> None:
    repeats = data.draw(st.lists(st.sampled_from(updates), max_size=10))
    delivery = data.draw(st.permutations(updates + repeats))
    board = RoomBoard(clock=lambda: 0.0)

    for u in delivery:
        board.apply_update(u)

    assert state(board) == state(in_order(updates))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), updates=histories())
def test_a_snapshot_anywhere_gives_the_in_order_board(
    data: st.DataObject, updates: list[TelemetryUpdate]
) -> None:
    cut = data.draw(st.integers(0, len(updates)))
    seen = in_order(updates[:cut])
    snap = snapshot(
        *(room_sample(r.room_id, r.tokens, r.timestamp, r.tips, r.viewers) for r in seen.rooms()),
        seq=cut,
    )
    late = data.draw(st.permutations(updates))  # the feed may replay some it already had
    board = RoomBoard(clock=lambda: 0.0)

    board.apply_snapshot(snap)
    for u in late:
        board.apply_update(u)

    assert state(board) == state(in_order(updates))
