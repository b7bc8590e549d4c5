"""The room board: one state fed by snapshots, live updates and polls."""

from __future__ import annotations

from godmode_common.rooms import RoomKey
from godmode_desktop.board import RATE_RESOLUTION, RoomBoard, RoomChange
from godmode_desktop.net.protocol import BulkTelemetry, LiveRoom, RoomRef, Snapshot
from tests.helpers.models import room_sample as _s
from tests.helpers.models import snapshot as _snapshot
from tests.helpers.models import telemetry_update as _update


def test_a_snapshot_merges_and_keeps_the_rooms_it_no_longer_holds() -> None:
    board = RoomBoard(clock=lambda: 50.0)
    board.apply_snapshot(_snapshot(_s("a", 1, 10), _s("b", 1, 10)))

    changes = board.apply_snapshot(_snapshot(_s("b", 3, 11), _s("c", 1, 11)))

    assert [r.room_id for r in board.rooms()] == ["a", "b", "c"]
    assert changes == [
        RoomChange(RoomKey("b", "chaturbate"), tokens_delta=2),
        RoomChange(RoomKey("c", "chaturbate"), added=True),
    ]


def test_a_monitor_s_new_scope_takes_off_the_rooms_outside_it_at_once() -> None:
    board = RoomBoard(clock=lambda: 50.0)
    board.apply_snapshot(_snapshot(_s("a", 1, 10), _s("b", 1, 10)))
    scoped = _snapshot(_s("b", 1, 11)).model_copy(
        update={"scope": [RoomRef(room_id="b", platform="chaturbate")]}
    )

    changes = board.apply_snapshot(scoped)

    assert [r.room_id for r in board.rooms()] == ["b"]
    assert changes == [RoomChange(RoomKey("a", "chaturbate"), removed=True)]


def test_a_room_silent_longer_than_the_board_keeps_rooms_is_taken_off() -> None:
    now = [100.0]
    board = RoomBoard(clock=lambda: now[0], forget_after=3600)
    board.apply_snapshot(_snapshot(_s("a", 1, 100), _s("b", 1, 3000)))
    now[0] = 3700
    assert board.prune() == []
    now[0] = 3701
    assert board.prune() == [RoomChange(RoomKey("a", "chaturbate"), removed=True)]
    assert [r.room_id for r in board.rooms()] == ["b"]


def test_update_uses_the_servers_delta() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 100, 10)))

    change = board.apply_update(_update("a", 700, 11, seq=2, delta=600))

    room = board.get("a", "chaturbate")
    assert change == RoomChange(RoomKey("a", "chaturbate"), tokens_delta=600)
    assert room is not None
    assert (room.tokens, room.tokens_delta) == (700, 600)


def test_partial_poll_merges_and_ignores_older_samples() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 100, 10), _s("b", 5, 10)))
    bulk = BulkTelemetry(seq=5, epoch="e", full=False, rooms=[_s("a", 90, 9)], timestamp=0)

    assert board.apply_poll(bulk) == []
    bulk = BulkTelemetry(seq=6, epoch="e", full=False, rooms=[_s("a", 130, 12)], timestamp=0)
    assert board.apply_poll(bulk) == [RoomChange(RoomKey("a", "chaturbate"), tokens_delta=30)]
    assert len(board) == 2


def test_tokens_per_hour_over_the_last_hour() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 1000, 0)))
    room = board.get("a", "chaturbate")
    assert room is not None
    assert room.tokens_per_hour is None  # one point is no rate

    board.apply_update(_update("a", 1010, 300, seq=2, delta=10))
    assert room.tokens_per_hour is None  # 5 min: a few tips would read as thousands an hour
    board.apply_update(_update("a", 1600, 1800, seq=3, delta=590))
    assert room.tokens_per_hour == 1200.0
    board.apply_update(_update("a", 2600, 5400, seq=4, delta=1000))
    assert room.tokens_per_hour == 1000 * 3600 / 3600  # only the last hour counts


def test_a_new_broadcast_s_counter_counts_as_earned_as_in_the_reports() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 5000, 0)))
    board.apply_update(_update("a", 5600, 1200, seq=2, delta=600))
    board.apply_update(_update("a", 400, 2400, seq=3, delta=-5200))  # a reset, then 400 earned
    room = board.get("a", "chaturbate")
    assert room is not None
    assert room.tokens_per_hour == (600 + 400) * 3600 / 2400


def test_the_server_s_count_of_the_last_hour_wins_and_repaints() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 5000, 0), _s("b", 10, 0)))
    changes = board.set_last_hour({RoomKey("a", "chaturbate"): 347})
    assert changes == [
        RoomChange(RoomKey("a", "chaturbate")),
        RoomChange(RoomKey("b", "chaturbate")),
    ]
    a, b = board.get("a", "chaturbate"), board.get("b", "chaturbate")
    assert a is not None
    assert b is not None
    assert (a.tokens_per_hour, b.tokens_per_hour) == (347.0, 0.0), "not listed: nothing earned"
    assert board.set_last_hour({RoomKey("a", "chaturbate"): 347}) == [], "nothing changed"


def test_a_busy_room_keeps_few_rate_points_and_an_exact_rate() -> None:
    board = RoomBoard()
    board.apply_snapshot(_snapshot(_s("a", 0, 0)))
    # An hour of ten updates a second (one per timestamp second here: samples carry seconds).
    for second in range(1, 3601):
        board.apply_update(_update("a", second * 2, second, seq=second + 1, delta=2))
    room = board.get("a", "chaturbate")
    assert room is not None

    assert len(room._points) <= 1.2 * 3600 / RATE_RESOLUTION  # not one per sample
    assert room.tokens_per_hour == 7200.0  # 2 tokens a second, the newest point is current


def test_the_server_s_shift_and_day_figures_are_kept_and_their_change_repaints() -> None:
    board = RoomBoard(clock=lambda: 200)
    figures = {"shift_tokens": 300, "shift_tips": 4, "day_tokens": 900, "day_tips": 12}
    room = LiveRoom(**_s("a", tokens=50).model_dump(), **figures)
    board.apply_snapshot(Snapshot(seq=1, epoch="e", rooms=[room], timestamp=0))
    a = board.get("a", "chaturbate")
    assert a is not None
    assert (a.shift_tokens, a.shift_tips, a.day_tokens, a.day_tips) == (300, 4, 900, 12)

    update = _update("a", 80, 110, 2, 30)
    data = update.data.model_copy(update={"shift_tokens": 330, "day_tokens": 930})
    change = board.apply_update(update.model_copy(update={"data": data}))
    assert change is not None
    assert (change.tokens_delta, change.shift_delta, change.day_delta) == (30, 30, 30)
    assert (a.shift_tokens, a.day_tokens) == (330, 930)

    # A later read says more was earned (a late sample counted), the counters the same: the
    # row is repainted; a sample without figures (an older server) keeps the known ones.
    again = LiveRoom(**_s("a", tokens=80, ts=110).model_dump(), **{**figures, "shift_tokens": 400})
    [repaint] = board.apply_poll(
        BulkTelemetry(seq=3, epoch="e", full=False, rooms=[again], timestamp=0)
    )
    assert (repaint.key, repaint.tokens_delta, repaint.shift_delta) == (
        RoomKey("a", "chaturbate"),
        0,
        70,
    )
    assert (
        board.apply_poll(
            BulkTelemetry(
                seq=4, epoch="e", full=False, rooms=[_s("a", tokens=80, ts=111)], timestamp=0
            )
        )
        == []
    )
    assert a.shift_tokens == 400
