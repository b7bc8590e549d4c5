"""A simulated studio week whose earnings are known: the ground truth the reports must match.

Rooms broadcast a few hours a day, each broadcast's counters starting from zero; tips arrive at
random.  The generator knows what happened, so it knows what each sample earned (the tips since
the room's previous sample, counted as they arrived, never by subtracting counters), which
seconds the room was on line and which broadcast each sample belongs to.  What makes a report
hard is in it on purpose: collector outages longer than the online gap in the middle of a
broadcast, broadcasts that restart within seconds, samples posted twice (sometimes to two
nodes), samples that arrive out of order or hours late, and a daylight-saving change.

``godmode-server simulate-week`` posts it to one or more nodes and writes the truth as JSON;
tests/server/routes/test_reports.py checks the reports against it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx

from godmode_common import keepalive
from godmode_common.protocol import TelemetrySample
from godmode_common.rooms import RoomKey
from godmode_server.reports.earnings import Period
from godmode_server.simulation.posting import Progress, post_sample

PLATFORMS = ("chaturbate", "stripchat", "camsoda")
NAMES = ("luna", "mia", "sofia", "vera", "nina", "ava", "zoe", "iris")
DAY = 86400


@dataclass
class _RoomTruth:
    """What the generator knows of one room, in true time order."""

    samples: list[TelemetrySample] = field(default_factory=list)
    #: Per sample: tokens and tips that arrived since the room's previous sample (or since its
    #: broadcast began), and the number of the broadcast segment it belongs to.
    tokens: list[int] = field(default_factory=list)
    tips: list[int] = field(default_factory=list)
    segment: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Delivery:
    sample: TelemetrySample
    node: int  #: index of the node it is posted to


class StudioWeek:
    """``rooms`` rooms from ``start`` to ``end`` (Unix seconds), the same for a seed."""

    def __init__(
        self,
        *,
        start: int,
        end: int,
        rooms: int = 5,
        seed: int = 1,
        online_gap: int = 300,
        nodes: int = 1,
        sample_every: Sequence[int] = (15, 30, 45, 60),
    ) -> None:
        """``sample_every``: the seconds between a broadcast's samples, one of these per
        broadcast (the collectors' own periods; a test takes longer ones for fewer samples)."""
        if not 1 <= rooms <= len(NAMES) * 10:
            raise ValueError(f"rooms must be between 1 and {len(NAMES) * 10}")
        if not DAY <= end - start <= 62 * DAY:
            raise ValueError("simulate between 1 and 62 days")
        self.start, self.end = start, end
        if not sample_every or not all(4 <= step < online_gap for step in sample_every):
            raise ValueError("samples must come between 4 s and the online gap apart")
        self.online_gap = online_gap
        self.sample_every = tuple(sample_every)
        self.random = random.Random(seed)
        self.nodes = nodes
        self.rooms: dict[RoomKey, _RoomTruth] = {}
        for n in range(rooms):
            key = RoomKey(f"{NAMES[n % len(NAMES)]}_{n:02d}", PLATFORMS[n % len(PLATFORMS)])
            self.rooms[key] = self._room(key)

    # --- what happened ---------------------------------------------------------------------

    def _room(self, key: RoomKey) -> _RoomTruth:
        r = self.random
        truth = _RoomTruth()
        segment = 0
        t = self.start + r.randrange(0, 10 * 3600)
        while t < self.end - 3600:
            t, segment = self._broadcast(key, truth, t, r.randrange(3600, 6 * 3600), segment + 1)
            t += r.randrange(2 * 3600, 14 * 3600)  # off line
        return truth

    def _broadcast(
        self,
        key: RoomKey,
        truth: _RoomTruth,
        t: int,
        length: int,
        segment: int,
    ) -> tuple[int, int]:
        """One broadcast from ``t``, its first sample at zero counters: returns when it ended
        and the segment number in use."""
        r = self.random
        end = min(t + length, self.end - 60)
        step = r.choice(self.sample_every)
        tokens = tips = 0
        pending_tokens = pending_tips = 0
        viewers = r.randrange(5, 400)
        outage_at = t + r.randrange(length) if r.random() < 0.4 else None
        restart_at = t + r.randrange(length) if r.random() < 0.3 else None
        sampled_since_restart = True
        while t < end:
            if sampled_since_restart and restart_at is not None and t >= restart_at:
                # The broadcast restarts within seconds: counters from zero, a new segment.
                restart_at = None
                if tokens > 0:  # a drop only shows when there was something to drop from
                    t += r.randrange(30, 200)
                    tokens = tips = pending_tokens = pending_tips = 0
                    segment += 1
                    sampled_since_restart = False
                    step = r.choice(self.sample_every)
            if outage_at is not None and t >= outage_at and sampled_since_restart:
                # The collector is silent for longer than the online gap; tips go on.
                outage_at = None
                silence = r.randrange(self.online_gap + 1, self.online_gap + 1800)
                for _ in range(self._tips_in(silence)):
                    amount = self._amount()
                    tokens, pending_tokens = tokens + amount, pending_tokens + amount
                    tips, pending_tips = tips + 1, pending_tips + 1
                t += silence
                segment += 1
            viewers = max(0, viewers + r.randrange(-15, 16))
            truth.samples.append(
                TelemetrySample(
                    room_id=key[0],
                    platform=key[1],
                    tokens_count=tokens,
                    tips_count=tips,
                    viewers_count=viewers,
                    timestamp=t,
                )
            )
            truth.tokens.append(pending_tokens)
            truth.tips.append(pending_tips)
            truth.segment.append(segment)
            pending_tokens = pending_tips = 0
            sampled_since_restart = True
            interval = step + r.randrange(-3, 4)
            for _ in range(self._tips_in(interval)):
                amount = self._amount()
                tokens, pending_tokens = tokens + amount, pending_tokens + amount
                tips, pending_tips = tips + 1, pending_tips + 1
            t += interval
        return t, segment

    def _tips_in(self, seconds: int) -> int:
        """Tips arriving in ``seconds`` (about one every 90 s)."""
        count, elapsed = 0, self.random.expovariate(1 / 90)
        while elapsed < seconds:
            count += 1
            elapsed += self.random.expovariate(1 / 90)
        return count

    def _amount(self) -> int:
        return min(5000, int(5 / (1.0 - self.random.random()) ** (1 / 1.2)))

    # --- how it reaches the server ---------------------------------------------------------

    def deliveries(self) -> list[Delivery]:
        """Every sample as posted: mostly in order, some late by minutes to hours, some
        swapped with their neighbours, some posted twice (to either node)."""
        r = self.random
        keyed: list[tuple[float, int, Delivery]] = []
        for number, (_, truth) in enumerate(sorted(self.rooms.items())):
            home = number % self.nodes
            for sample in truth.samples:
                when = float(sample.timestamp)
                roll = r.random()
                if roll < 0.03:
                    when += r.randrange(600, 6 * 3600)  # late
                elif roll < 0.08:
                    when += r.uniform(1, 90)  # out of order
                node = home if r.random() < 0.8 else r.randrange(self.nodes)
                keyed.append((when, len(keyed), Delivery(sample, node)))
                if r.random() < 0.03:  # posted twice
                    again = r.randrange(self.nodes)
                    keyed.append((when + r.uniform(0, 120), len(keyed), Delivery(sample, again)))
        keyed.sort()
        return [d for _, _, d in keyed]

    # --- the truth -------------------------------------------------------------------------

    def truth(self, periods: Sequence[Period]) -> dict[tuple[str, str, int], dict[str, int]]:
        """What each room did in each period, keyed by (room_id, platform, period start); rooms
        with nothing in a period are left out, as in the report."""
        found: dict[tuple[str, str, int], dict[str, int]] = {}
        for (room_id, platform), truth in self.rooms.items():
            on_line = self._online_seconds(truth)
            tallies: dict[int, dict[str, int]] = defaultdict(
                lambda: {"tokens_earned": 0, "tips_earned": 0, "peak_viewers": 0}
            )
            segments: dict[int, set[int]] = defaultdict(set)
            for i, sample in enumerate(truth.samples):
                index = _index(periods, sample.timestamp)
                if index is None:
                    continue
                t = tallies[index]
                t["tokens_earned"] += truth.tokens[i]
                t["tips_earned"] += truth.tips[i]
                t["peak_viewers"] = max(t["peak_viewers"], sample.viewers_count)
                segments[index].add(truth.segment[i])
            for index, period in enumerate(periods):
                online = on_line[period.start - self.start : period.end - self.start].count(1)
                if index not in tallies and not online:
                    continue
                row = dict(tallies[index])
                row["online_seconds"] = online
                row["sessions"] = len(segments[index])
                found[(room_id, platform, period.start)] = row
        return found

    def broadcasts(self, room_id: str, platform: str) -> list[dict[str, int]]:
        """The room's broadcast segments: first and last sample, earnings, peak audience."""
        truth = self.rooms[RoomKey(room_id, platform)]
        found: dict[int, dict[str, int]] = {}
        for i, sample in enumerate(truth.samples):
            ts = sample.timestamp
            segment = found.setdefault(
                truth.segment[i],
                {"start": ts, "tokens_earned": 0, "tips_earned": 0, "peak_viewers": 0},
            )
            segment["end"] = ts
            segment["duration_seconds"] = ts - segment["start"]
            segment["tokens_earned"] += truth.tokens[i]
            segment["tips_earned"] += truth.tips[i]
            segment["peak_viewers"] = max(segment["peak_viewers"], sample.viewers_count)
        return [found[n] for n in sorted(found)]

    def _online_seconds(self, truth: _RoomTruth) -> bytearray:
        """One byte per second of the week: 1 while the room was on line (between two of its
        samples at most the online gap apart)."""
        seconds = bytearray(self.end - self.start)
        times = [s.timestamp for s in truth.samples]
        for a, b in itertools.pairwise(times):
            if b - a <= self.online_gap:
                seconds[a - self.start : b - self.start] = b"\x01" * (b - a)
        return seconds


def _index(periods: Sequence[Period], timestamp: int) -> int | None:
    for index, period in enumerate(periods):
        if period.start <= timestamp < period.end:
            return index
    return None


def week_with_dst_change(
    zone: ZoneInfo, now: int, days: int = 7, *, kept_days: int | None = None
) -> tuple[int, int]:
    """Start and end (local midnights) of ``days`` days ending at least a day before ``now``
    around the zone's latest daylight-saving change before that (in a zone without one, the
    last such days).  With ``kept_days`` (what the server's archive keeps), a change older than
    that is passed over for the last such days: the server would refuse the samples."""
    latest = dt.datetime.fromtimestamp(now, zone).date() - dt.timedelta(days=days + 1)
    first = latest - dt.timedelta(days=days - 1)
    day = latest
    for _ in range(400):
        if _midnight(day + dt.timedelta(days=1), zone) - _midnight(day, zone) != DAY:
            around = day - dt.timedelta(days=days // 2)
            # A day of margin: the week's first samples must still be kept when they arrive.
            if kept_days is None or _midnight(around, zone) > now - (kept_days - 1) * DAY:
                first = around
            break
        day -= dt.timedelta(days=1)
    return _midnight(first, zone), _midnight(first + dt.timedelta(days=days), zone)


def _midnight(day: dt.date, zone: ZoneInfo) -> int:
    return int(dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp())


async def post(
    servers: Sequence[str],
    deliveries: Sequence[Delivery],
    *,
    api_key: str | None = None,
    concurrency: int = 8,
    say: Callable[[str], None] | None = None,
) -> int:
    """Post every delivery to its node, a few at a time, in order, telling ``say`` how far it
    is at each tenth; returns how many were answered 200.  A 429 is waited out as the server
    asks (posting.py); a refused post raises :class:`~.posting.Refused`: the truth would no
    longer hold."""
    headers = {"X-Api-Key": api_key} if api_key else {}
    clients = [
        httpx.AsyncClient(
            base_url=url.rstrip("/"),
            headers=headers,
            timeout=30,
            limits=httpx.Limits(keepalive_expiry=keepalive.CLIENT_SECONDS),
        )
        for url in servers
    ]
    progress = Progress(len(deliveries), say or (lambda _: None))
    posted = 0
    try:
        for first in range(0, len(deliveries), concurrency):
            batch = deliveries[first : first + concurrency]
            answers = await asyncio.gather(
                *(post_sample(clients[d.node % len(clients)], d.sample) for d in batch)
            )
            posted += len(answers)
            progress.add(len(answers))
    finally:
        for client in clients:
            await client.aclose()
    return posted
