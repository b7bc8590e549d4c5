"""The server's SQL tables, in one place: what the migrations, the queries and the rollups share.

Each table says what it is for; the migrations in ``migrations/versions/`` create and change them
(a migration does not import this module: it must still run after this module changes).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="monitor")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)
    #: A monitor may read the earnings reports (admins and managers always may).
    can_report: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[int] = mapped_column(BigInteger)


class CredentialGeneration(Base):
    """How many times a subject's credentials were invalidated.

    ``user:<name>`` grows when the user's password changes or the account is disabled; a token
    carries the generation it was issued in (claim ``gen``) and is refused once they differ.
    :data:`ANY_CHANGE` grows with every change of any account or key: every node polls that one
    row to learn, within a second, that it must look again (see credentials.py).
    """

    __tablename__ = "credential_generations"

    subject: Mapped[str] = mapped_column(String(80), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


#: The :class:`CredentialGeneration` row counting every change of accounts and keys.
ANY_CHANGE = "*"


class SampleRow(Base):
    """One applied sample, kept for ``GODMODE_HISTORY_DAYS`` (the history endpoint's ``from``)."""

    __tablename__ = "samples"
    __table_args__ = (Index("ix_samples_room_time", "platform", "room_id", "timestamp"),)

    # SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL needs 64 bits over time.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    room_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    tokens_count: Mapped[int] = mapped_column(BigInteger)
    tips_count: Mapped[int] = mapped_column(BigInteger)
    viewers_count: Mapped[int] = mapped_column(BigInteger)
    timestamp: Mapped[int] = mapped_column(BigInteger)


class _RollupColumns:
    """A room's summary of one minute or hour (see rollups.py for what each column means)."""

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    samples: Mapped[int] = mapped_column(Integer)
    tokens: Mapped[int] = mapped_column(BigInteger)
    tips: Mapped[int] = mapped_column(BigInteger)
    online: Mapped[int] = mapped_column(Integer)
    starts: Mapped[int] = mapped_column(Integer)
    #: 1 when the span's first sample begins a broadcast, else 0 (an integer so that SQL can
    #: find the earliest one's with MIN(start * 2 + first_is_start)).
    first_is_start: Mapped[int] = mapped_column(SmallInteger)
    peak: Mapped[int] = mapped_column(BigInteger)


class MinuteRollup(_RollupColumns, Base):
    __tablename__ = "minute_rollups"
    __table_args__ = (Index("ix_minute_rollups_start", "start"),)
    #: The minute's newest sample's time (0 in rows written before it was kept): how far the
    #: archive's figures reach, for the live earnings (earnings/live.py).
    last: Mapped[int] = mapped_column(BigInteger, server_default="0")


#: Every column of a rollup, for the hour table's covering index.
ROLLUP_COLUMNS = (
    "start",
    "platform",
    "room_id",
    "samples",
    "tokens",
    "tips",
    "online",
    "starts",
    "first_is_start",
    "peak",
)


class HourRollup(_RollupColumns, Base):
    __tablename__ = "hour_rollups"
    # Reports read whole hours of every room by time: from this index alone (no table lookups).
    __table_args__ = (Index("ix_hour_rollups_start", *ROLLUP_COLUMNS),)


class ArchiveDrop(Base):
    """Samples missing from the archive: a node could not archive them (``dropped``: its queue
    was full while the database was away) or refused them (``too_old``: older than the raw
    archive keeps).  Reports over their time say they are incomplete, and why."""

    __tablename__ = "archive_drops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_ts: Mapped[int] = mapped_column(BigInteger)
    last_ts: Mapped[int] = mapped_column(BigInteger)
    samples: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(16), server_default="dropped")


class RoomAssignment(Base):
    """A room a monitor looks after (the room may not have posted anything yet)."""

    __tablename__ = "room_assignments"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    assigned_at: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """One administrative action: who, what, on what, when, from where."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(128))
    detail: Mapped[str] = mapped_column(Text)  # whole, however long (migration 0007)
    address: Mapped[str] = mapped_column(String(64))


class KeyActivityRow(Base):
    """When an ingest key last posted for a room (key_activity.py)."""

    __tablename__ = "key_activity"

    key_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_post: Mapped[int] = mapped_column(BigInteger)


class CollectorHealthRow(Base):
    """An ingest key's latest health report, as validated JSON (collectors/health.py)."""

    __tablename__ = "collector_health"

    key_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[int] = mapped_column(BigInteger)
    report: Mapped[str] = mapped_column(Text)


class PageOutlineRow(Base):
    """The latest page outline each ingest key sent per platform (the extension's "Send page
    outline"), for an administrator writing a strategy."""

    __tablename__ = "page_outlines"

    key_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    received_at: Mapped[int] = mapped_column(BigInteger)
    outline: Mapped[str] = mapped_column(Text)


class PublishedSelectorsRow(Base):
    """The reading rules an administrator published (``PUT /api/admin/selectors``): the newest
    version is what every collector is served, instead of the file."""

    __tablename__ = "published_selectors"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    published_at: Mapped[int] = mapped_column(BigInteger)
    published_by: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)


class CollectorCursor(Base):
    """Where a server-side collector stopped reading its source, and the counters it had summed,
    so a restart neither counts an event twice nor starts the totals from zero."""

    __tablename__ = "collector_cursors"

    source: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_event_id: Mapped[str] = mapped_column(String(128))
    tokens_count: Mapped[int] = mapped_column(BigInteger)
    tips_count: Mapped[int] = mapped_column(BigInteger)
    #: Tokens paid for media (photo and video sets): a figure of their own, not tips.
    media_tokens: Mapped[int] = mapped_column(BigInteger, server_default="0")
    updated_at: Mapped[int] = mapped_column(BigInteger)


class PayoutRateRow(Base):
    """Dollars per token for a platform (``room_id`` empty) or one of its rooms, from a day of
    the studio's calendar on (``starts`` empty: before the scope's first dated rate);
    reports/money.py.  Rates are exact decimal text, never floats."""

    __tablename__ = "payout_rates"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    starts: Mapped[str] = mapped_column(String(10), primary_key=True)
    usd_per_token: Mapped[str] = mapped_column(String(40))
    set_at: Mapped[int] = mapped_column(BigInteger)
    set_by: Mapped[str] = mapped_column(String(64))


class CurrencyRateRow(Base):
    """Units of a currency per dollar, from a day on (``starts`` empty: before the first dated
    one)."""

    __tablename__ = "currency_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    starts: Mapped[str] = mapped_column(String(10), primary_key=True)
    units_per_usd: Mapped[str] = mapped_column(String(40))
    set_at: Mapped[int] = mapped_column(BigInteger)
    set_by: Mapped[str] = mapped_column(String(64))
