"""The alerts beyond a single tip, decided from what the dashboard sees — Qt-free, each with a
clock passed in so tests run them on a fake one.

* :class:`OfflineRule` — a room that was live has sent nothing for ``stale_after`` seconds: it
  went off line; its next sample: it is back.
* :class:`AudienceDropRule` — viewers fell by ``percent`` % or more, and by at least
  ``min_lost`` viewers, from their highest within the last ``window`` seconds, in a room that had
  at least ``min_viewers`` (once per fall: it arms again when the audience has won back half of
  what it lost, not at the first viewer back).
* :class:`GoalRule` — the tokens earned in the current broadcast (the counter itself: counters
  start again with each broadcast) pass the room's goal (once per broadcast).

Each rule returns the :class:`~godmode_desktop.alerts.Alert` s it raises; the alert centre
queues, mutes and shows them.  Every rule keeps at most one small record per room.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from godmode_common.rooms import RoomKey

from .alerts import Alert, AlertKind


@dataclass
class OfflineRule:
    stale_after: float
    #: Room → its latest sample's own time, while it counts as on line.
    _seen: dict[RoomKey, float] = field(default_factory=dict)
    _offline: set[RoomKey] = field(default_factory=set)

    def seen(self, key: RoomKey, sampled_at: float) -> list[Alert]:
        """A sample of ``key`` taken at ``sampled_at`` arrived: back on line if it had gone."""
        self._seen[key] = max(sampled_at, self._seen.get(key, sampled_at))
        if key in self._offline:
            self._offline.discard(key)
            return [Alert(key[0], key[1], 0, kind=AlertKind.ONLINE)]
        return []

    def check(self, now: float) -> list[Alert]:
        """Rooms silent for ``stale_after`` since their latest sample (each once)."""
        gone = [k for k, at in self._seen.items() if now - at >= self.stale_after]
        alerts = []
        for key in gone:
            silent = round(now - self._seen.pop(key))
            self._offline.add(key)
            alerts.append(Alert(key[0], key[1], silent, kind=AlertKind.OFFLINE))
        return alerts

    def forget(self, keys: set[RoomKey]) -> None:
        """Rooms no longer on the board (a new snapshot without them)."""
        for key in keys:
            self._seen.pop(key, None)
            self._offline.discard(key)


@dataclass
class AudienceDropRule:
    percent: float
    window: float
    #: Fewer viewers than this at the top is no audience to lose (10 → 6 is not news).
    min_viewers: int = 20
    #: Fewer viewers lost than this is not news either, whatever the percentage.
    min_lost: int = 10
    _history: dict[RoomKey, deque[tuple[float, int]]] = field(default_factory=dict)
    #: Rooms that fell and have not recovered: the audience they must win back to be armed.
    _fallen: dict[RoomKey, float] = field(default_factory=dict)

    def viewers(self, key: RoomKey, viewers: int, now: float) -> list[Alert]:
        top = self._top(key, viewers, now)
        floor = min(top * (1 - self.percent / 100), top - self.min_lost)
        rearm = self._fallen.get(key)
        if rearm is not None:
            if viewers >= rearm:
                del self._fallen[key]  # recovered: the next fall is news again
            return []
        if top >= self.min_viewers and viewers <= floor:
            self._fallen[key] = viewers + (top - viewers) / 2
            return [Alert(key[0], key[1], top - viewers, kind=AlertKind.AUDIENCE_DROP, value=top)]
        return []

    def _top(self, key: RoomKey, viewers: int, now: float) -> int:
        """The highest audience of the window, this sample included.

        A busy room sends ten samples a second: keeping each for the whole window and taking
        the maximum of thousands per sample was a tenth of the app's CPU at 500 rooms. Only
        the samples that can still be the highest are kept (each lower than the one before
        it, newest last), and at most one a second — a sample within a second of the one
        before it, and lower, only moves that one's time on: the top then lasts up to a second
        longer than the window. So the first kept is the top, and a room keeps at most one
        point per second of the window whatever its audience does.
        """
        points = self._history.setdefault(key, deque())
        while points and points[-1][1] <= viewers:
            points.pop()  # never the highest again: this sample is higher and newer
        if points and now - points[-1][0] < 1:
            points[-1] = (now, points[-1][1])
        else:
            points.append((now, viewers))
        while len(points) > 1 and now - points[0][0] > self.window:
            points.popleft()
        return points[0][1]

    def forget(self, keys: set[RoomKey]) -> None:
        for key in keys:
            self._history.pop(key, None)
            self._fallen.pop(key, None)


@dataclass
class GoalRule:
    #: Room → tokens to earn in a broadcast; rooms without one have no goal.
    goals: Mapping[RoomKey, int]
    _last: dict[RoomKey, int] = field(default_factory=dict)

    def tokens(self, key: RoomKey, tokens: int) -> list[Alert]:
        previous = self._last.get(key)
        self._last[key] = tokens
        goal = self.goals.get(key)
        if goal is None or goal <= 0:
            return []
        if previous is not None and tokens < previous:
            previous = 0  # a new broadcast: its counter starts again, and so does the goal
        if (previous is None or previous < goal) and tokens >= goal:
            return [Alert(key[0], key[1], tokens, kind=AlertKind.GOAL, value=goal)]
        return []


@dataclass(frozen=True)
class AlertRules:
    """Which alerts the user wants, and their thresholds (the settings)."""

    tips: bool = True
    offline: bool = True
    #: Seconds without a sample after which a live room is off line (the grid's stale time).
    stale_after: float = 300.0
    audience_drop: bool = True
    drop_percent: float = 40.0
    drop_minutes: float = 5.0
    #: The smallest audience whose fall is news, and the fewest viewers lost that are.
    drop_min_viewers: int = 20
    drop_min_lost: int = 10
    #: A collector (an ingest key) going silent and coming back, as the server tells.
    collectors: bool = True
    #: Room → tokens to earn in a broadcast.
    goals: Mapping[RoomKey, int] = field(default_factory=dict)
    #: Rooms whose alerts are listed but never shown or played.
    muted_rooms: frozenset[RoomKey] = frozenset()


class RoomRules:
    """The three rules together, as the settings say, fed with what the dashboard sees."""

    def __init__(self, rules: AlertRules) -> None:
        self.rules = rules
        self.offline = OfflineRule(rules.stale_after)
        self.audience = AudienceDropRule(
            rules.drop_percent,
            rules.drop_minutes * 60,
            min_viewers=rules.drop_min_viewers,
            min_lost=rules.drop_min_lost,
        )
        self.goal = GoalRule(rules.goals)

    def known(self, key: RoomKey, tokens: int, viewers: int, sampled_at: float, now: float) -> None:
        """A room as a snapshot or a poll gives it (its sample taken at ``sampled_at``): learnt,
        never news."""
        if now - sampled_at < self.rules.stale_after:
            self.offline.seen(key, min(now, sampled_at))
        self.audience.viewers(key, viewers, now)
        self.goal.tokens(key, tokens)

    def changed(
        self, key: RoomKey, tokens: int, viewers: int, sampled_at: float, now: float
    ) -> list[Alert]:
        """A live update of ``key`` (its sample taken at ``sampled_at``): what it makes news
        of.  ``now`` and ``sampled_at`` on the server's clock."""
        alerts = self.offline.seen(key, min(now, sampled_at))
        drops = self.audience.viewers(key, viewers, now)
        goals = self.goal.tokens(key, tokens)
        if not self.rules.offline:
            alerts = []
        if self.rules.audience_drop:
            alerts += drops
        return alerts + goals

    def check(self, now: float) -> list[Alert]:
        gone = self.offline.check(now)
        return gone if self.rules.offline else []

    def forget(self, keys: set[RoomKey]) -> None:
        self.offline.forget(keys)
        self.audience.forget(keys)
