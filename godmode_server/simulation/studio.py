"""A simulated studio: rooms whose counters move like real ones, posted as a collector would.

Viewers wander (a mean-reverting random walk), tips arrive at random with heavy-tailed amounts
(Pareto), so most are a few tokens and a big one (100+ tokens, an alert by default) comes about
once a minute whatever the posting rate.  Rooms go off line now and then and come back with a
new broadcast, their counters reset to zero, as on the real platforms.  The same seed gives the
same samples.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from godmode_common import keepalive
from godmode_common.protocol import TelemetrySample
from godmode_server.simulation.posting import Progress, Refused, post_sample

log = logging.getLogger(__name__)

PLATFORMS = ("chaturbate", "stripchat", "camsoda")
#: Tip amounts: Pareto with this minimum and shape (smaller shape, heavier tail).
TIP_MIN = 5.0
TIP_SHAPE = 1.2
#: The tip size that counts as big (the desktop's first alert tier), and how often one comes.
BIG_TIP = 100
BIG_TIP_EVERY = 60.0
#: Chance per sample that a room goes off line, and per second that an off-line room returns.
OFFLINE_CHANCE = 0.002
RETURN_CHANCE = 0.05


@dataclass
class SimRoom:
    room_id: str
    platform: str
    tokens: int
    tips: int
    viewers: int
    base_viewers: int
    online: bool = True


class Studio:
    """The rooms and their evolution; :meth:`next_sample` is one collector post."""

    def __init__(self, rooms: int = 24, *, rate: float = 10.0, seed: int | None = None) -> None:
        if not 1 <= rooms <= 1000:
            raise ValueError("rooms must be between 1 and 1000")
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.random = random.Random(seed)
        self.rate = rate
        # P(amount >= BIG_TIP) for the Pareto amounts; tips per sample then give one big tip
        # per BIG_TIP_EVERY seconds at this rate.
        big_share = (TIP_MIN / BIG_TIP) ** TIP_SHAPE
        self.tip_chance = min(1.0, 1 / (BIG_TIP_EVERY * rate * big_share))
        self.rooms = [self._new_room(n) for n in range(rooms)]
        self._turn = 0

    def _new_room(self, n: int) -> SimRoom:
        r = self.random
        viewers = int(r.lognormvariate(4.0, 0.9)) + 5
        return SimRoom(
            room_id=f"{r.choice(['luna', 'mia', 'sofia', 'vera', 'nina', 'ava', 'zoe'])}_{n:02d}",
            platform=PLATFORMS[n % len(PLATFORMS)],
            tokens=r.randrange(0, 60_000),
            tips=r.randrange(0, 400),
            viewers=viewers,
            base_viewers=viewers,
        )

    def tip_amount(self) -> int:
        return int(TIP_MIN / (1.0 - self.random.random()) ** (1 / TIP_SHAPE))

    def next_sample(self, now: float) -> TelemetrySample:
        """Advance one room (in turn, skipping off-line ones) and return its new reading."""
        r = self.random
        for room in self.rooms:  # rooms off line come back with a new broadcast
            if not room.online and r.random() < RETURN_CHANCE / self.rate:
                room.online, room.tokens, room.tips = True, 0, 0
                room.viewers = max(1, room.base_viewers // 3)
        online = [room for room in self.rooms if room.online] or self.rooms
        room = online[self._turn % len(online)]
        self._turn += 1
        if len(online) > len(self.rooms) // 2 and r.random() < OFFLINE_CHANCE:
            room.online = False
        self._evolve(room)
        return self.sample_of(room, now)

    def _evolve(self, room: SimRoom) -> None:
        r = self.random
        drift = (room.base_viewers - room.viewers) * 0.05
        noise = r.gauss(0, max(1.0, room.viewers * 0.03))
        room.viewers = max(0, round(room.viewers + drift + noise))
        if r.random() < self.tip_chance:
            room.tokens += self.tip_amount()
            room.tips += 1

    def backfill(self, now: float, minutes: int = 20, step: int = 30) -> list[TelemetrySample]:
        """Samples of the last ``minutes`` (one per room every ``step`` seconds, oldest first)
        that end at the rooms' current counters: a server fed these has history to chart."""
        times = [now - n * step for n in range(1, minutes * 60 // step + 1)]  # newest first
        history: list[TelemetrySample] = []
        for room in self.rooms:
            tokens, tips, viewers = room.tokens, room.tips, room.viewers
            for t in times:  # walking back in time from the present
                viewers = max(0, round(viewers + self.random.gauss(0, 2)))
                if self.random.random() < 0.3:
                    tokens = max(0, tokens - self.tip_amount())
                    tips = max(0, tips - 1)
                history.append(
                    TelemetrySample(
                        room_id=room.room_id,
                        platform=room.platform,
                        tokens_count=tokens,
                        tips_count=tips,
                        viewers_count=viewers,
                        timestamp=int(t),
                    )
                )
        return sorted(history, key=lambda s: s.timestamp)

    @staticmethod
    def sample_of(room: SimRoom, now: float) -> TelemetrySample:
        return TelemetrySample(
            room_id=room.room_id,
            platform=room.platform,
            tokens_count=room.tokens,
            tips_count=room.tips,
            viewers_count=room.viewers,
            timestamp=int(now),
        )


async def post_samples(
    server_url: str,
    studio: Studio,
    *,
    api_key: str | None = None,
    duration: float | None = None,
    on_sample: Callable[[TelemetrySample, bool], None] | None = None,
) -> int:
    """Post the studio's samples at ``studio.rate`` per second until cancelled (or for
    ``duration`` seconds); returns how many the server accepted.  A refused or failed post is
    logged and the simulation goes on, as a collector would."""
    headers = {"X-Api-Key": api_key} if api_key else {}
    interval = 1 / studio.rate
    accepted = 0
    started = time.monotonic()
    next_at = started
    async with httpx.AsyncClient(
        base_url=server_url.rstrip("/"),
        headers=headers,
        timeout=5,
        limits=httpx.Limits(keepalive_expiry=keepalive.CLIENT_SECONDS),
    ) as http:
        while duration is None or time.monotonic() - started < duration:
            sample = studio.next_sample(time.time())
            ok = await _post(http, sample)
            accepted += ok
            if on_sample is not None:
                on_sample(sample, ok)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    return accepted


async def _post(http: httpx.AsyncClient, sample: TelemetrySample) -> bool:
    """Post one sample (a 429 waited out, see posting.py); whether it was accepted."""
    try:
        await post_sample(http, sample)
    except httpx.HTTPError as exc:
        log.warning("post failed: %s", exc)
        return False
    except Refused as exc:
        log.warning("post refused (HTTP %d): %s", exc.status, exc.text[:200])
        return False
    return True


async def post_history(
    server_url: str,
    studio: Studio,
    minutes: int,
    *,
    api_key: str | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Post :meth:`Studio.backfill` for the last ``minutes``, telling ``say`` how far it is at
    each tenth; returns how many were accepted."""
    headers = {"X-Api-Key": api_key} if api_key else {}
    samples = studio.backfill(time.time(), minutes)
    progress = Progress(len(samples), say or (lambda _: None), "past samples")
    accepted = 0
    async with httpx.AsyncClient(
        base_url=server_url.rstrip("/"),
        headers=headers,
        timeout=5,
        limits=httpx.Limits(keepalive_expiry=keepalive.CLIENT_SECONDS),
    ) as http:
        for sample in samples:
            accepted += await _post(http, sample)
            progress.add()
    return accepted
