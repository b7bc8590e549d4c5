"""Accounts, ingest API keys and the long-term sample archive in SQL (SQLAlchemy 2, asyncio).

SQLite in the user's data directory by default; ``GODMODE_DATABASE_URL`` points elsewhere, e.g.
PostgreSQL (asyncpg) for several nodes sharing accounts.  The schema is created and migrated by
schema.py (Alembic), one node at a time.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CursorResult,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from godmode_common.protocol import TelemetrySample

if TYPE_CHECKING:
    from godmode_server.reports.downsample import Series
    from godmode_server.reports.earnings import Period, Point
    from godmode_server.sql.rollups import RoomPeriod
    from godmode_server.sql.schema import SchemaState

from godmode_server.accounts.auth import (
    api_key_digest,
    hash_password_async,
    new_api_key,
    verify_password_async,
)
from godmode_server.http.authorization import ROLES


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
    """Samples a node could not archive (its queue was full while the database was away):
    reports over their time say they are incomplete."""

    __tablename__ = "archive_drops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_ts: Mapped[int] = mapped_column(BigInteger)
    last_ts: Mapped[int] = mapped_column(BigInteger)
    samples: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[int] = mapped_column(BigInteger)


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


class CollectorCursor(Base):
    """Where a server-side collector stopped reading its source, and the counters it had summed,
    so a restart neither counts an event twice nor starts the totals from zero."""

    __tablename__ = "collector_cursors"

    source: Mapped[str] = mapped_column(String(128), primary_key=True)
    last_event_id: Mapped[str] = mapped_column(String(128))
    tokens_count: Mapped[int] = mapped_column(BigInteger)
    tips_count: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True)
class CursorInfo:
    last_event_id: str
    tokens_count: int
    tips_count: int


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why, ``status``
    what an HTTP answer says (422: bad request, 404: no such account, 409: it clashes)."""

    status = 422


class AccountMissing(AccountError):
    status = 404


class AccountConflict(AccountError):
    status = 409


class AccountForbidden(AccountError):
    """The account asking is no longer allowed to make the change (deleted, disabled or
    demoted meanwhile)."""

    status = 403


@dataclass(frozen=True, slots=True)
class UserInfo:
    username: str
    role: str
    disabled: bool
    #: Tokens issued before the latest password change or disable have another one.
    generation: int = 0
    can_report: bool = False


@dataclass(frozen=True, slots=True)
class AuditInfo:
    at: int
    actor: str
    action: str
    target: str
    detail: str
    address: str


@dataclass(frozen=True, slots=True)
class KeyInfo:
    name: str
    revoked: bool
    created_at: int


def _ensure_sqlite_file(url: str) -> None:
    """A SQLite file readable by its owner only (it holds password hashes), in a folder of the
    owner's own when the server makes one.  SQLite gives its journal the file's permissions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database).expanduser()
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)
        self._session = async_sessionmaker(self.engine, expire_on_commit=False)

    async def start(self, *, migrate: bool = False) -> SchemaState:
        """Make sure the schema is this server's (see schema.py): a fresh database gets it, one
        behind is migrated when ``migrate``, else :class:`~.schema.SchemaError`.  Returns the
        revision found and the one now in place."""
        from godmode_server.sql import schema  # schema.py's migrations import this module's tables

        await asyncio.to_thread(_ensure_sqlite_file, self.url)
        return await schema.prepare(self.url, migrate=migrate)

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    # --- credential changes --------------------------------------------------------------------

    @staticmethod
    async def _bump(session: AsyncSession, *subjects: str) -> None:
        """Count a change of credentials for each of ``subjects`` and for :data:`ANY_CHANGE`."""
        for subject in (ANY_CHANGE, *subjects):
            changed = await session.execute(
                update(CredentialGeneration)
                .where(CredentialGeneration.subject == subject)
                .values(generation=CredentialGeneration.generation + 1)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                session.add(CredentialGeneration(subject=subject, generation=1))
                await session.flush()

    async def credentials_version(self) -> int:
        """Grows with every change of any account or key (what nodes poll)."""
        async with self._session() as session:
            row = await session.get(CredentialGeneration, ANY_CHANGE)
            return row.generation if row else 0

    async def _user_info(self, session: AsyncSession, user: User) -> UserInfo:
        generation = await session.get(CredentialGeneration, f"user:{user.username}")
        return UserInfo(
            user.username,
            user.role,
            user.disabled,
            generation.generation if generation else 0,
            bool(user.can_report),
        )

    # --- users ---------------------------------------------------------------------------------

    async def add_user(self, username: str, password: str, role: str = "manager") -> None:
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        if not password:
            raise AccountError("the password is empty")
        password_hash = await hash_password_async(password)
        async with self._session.begin() as session:
            session.add(
                User(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    created_at=int(time.time()),
                )
            )
            try:
                await session.flush()
            except IntegrityError as exc:
                raise AccountConflict(f"user {username!r} already exists") from exc
            await self._bump(session)

    async def set_password(self, username: str, password: str) -> None:
        password_hash = await hash_password_async(password)
        async with self._session.begin() as session:
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountMissing(f"no user {username!r}")
            user.password_hash = password_hash
            await self._bump(session, f"user:{username}")

    async def ensure_user(self, username: str, password: str, role: str) -> None:
        """Create the user, or give it this password and enable it (used for the dev ``demo``).

        An account that already has this password and is enabled is left as it is, so its
        tokens stay good across restarts."""
        async with self._session() as session:
            user = await session.scalar(select(User).where(User.username == username))
        if user is None:
            try:
                await self.add_user(username, password, role)
                return
            except AccountConflict:  # another node (a worker) made it at the same moment
                async with self._session() as session:
                    user = await session.scalar(select(User).where(User.username == username))
                assert user is not None
        if not await verify_password_async(user.password_hash, password):
            await self.set_password(username, password)
        if user.disabled:
            await self.set_disabled(username, False)

    @asynccontextmanager
    async def _account_change(self, actor: str | None) -> AsyncIterator[AsyncSession]:
        """A transaction for a change that could remove an administrator, one at a time.

        Its first statement is a write (the change counter every account change bumps anyway),
        so the database's write lock -- SQLite's, which ignores ``FOR UPDATE`` and opens its
        transactions at the first write -- or that row's lock on PostgreSQL is held before
        anything is read: two admins removing each other at once run one after the other, and
        the second sees the first's result.  ``actor`` (None: the server's command line) must
        still be an enabled administrator when the change is made, not as of their token.
        """
        async with self._session.begin() as session:
            await self._bump(session)
            if actor is not None:
                user = await session.scalar(select(User).where(User.username == actor))
                if user is None or user.disabled or user.role != "admin":
                    raise AccountForbidden(
                        f"{actor!r} is no longer an enabled administrator: the change was refused"
                    )
            yield session

    @staticmethod
    async def _keep_an_admin(session: AsyncSession, leaving: str) -> None:
        """Refuse a change that would leave no enabled administrator (run inside
        :meth:`_account_change`, so two such changes at once cannot both pass)."""
        admins = await session.scalars(
            select(User.username).where(User.role == "admin", ~User.disabled).with_for_update()
        )
        if set(admins) <= {leaving}:
            raise AccountConflict(
                f"{leaving!r} is the last enabled administrator: make another one first"
            )

    async def set_disabled(self, username: str, disabled: bool, actor: str | None = None) -> None:
        async with self._account_change(actor) as session:
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountMissing(f"no user {username!r}")
            if disabled and user.role == "admin":
                await self._keep_an_admin(session, username)
            user.disabled = disabled
            # Disabling ends every token the user holds, for good: enabling again later does
            # not bring them back.
            await self._bump(session, *([f"user:{username}"] if disabled else []))

    async def set_role(self, username: str, role: str, actor: str | None = None) -> None:
        """Give the user another role; their tokens (which carry the old one) end."""
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        async with self._account_change(actor) as session:
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountMissing(f"no user {username!r}")
            if user.role == "admin" and role != "admin":
                await self._keep_an_admin(session, username)
            user.role = role
            await self._bump(session, f"user:{username}")

    async def delete_user(self, username: str, actor: str | None = None) -> None:
        """Remove the user; every token they hold stops working (see credentials.py).  Their
        credential generation stays, bumped: a user made again under the name later does not
        inherit the old tokens."""
        async with self._account_change(actor) as session:
            role = await session.scalar(select(User.role).where(User.username == username))
            if role == "admin":
                await self._keep_an_admin(session, username)
            deleted = await session.execute(delete(User).where(User.username == username))
            if not deleted.rowcount:  # type: ignore[attr-defined]
                raise AccountMissing(f"no user {username!r}")
            await session.execute(delete(RoomAssignment).where(RoomAssignment.username == username))
            await self._bump(session, f"user:{username}")

    async def change_password(self, username: str, old: str, new: str) -> UserInfo | None:
        """The user's own change: the old password must be right (else None and nothing
        changes).  Every token issued before ends, on every node (see credentials.py)."""
        async with self._session() as session:
            user = await session.scalar(select(User).where(User.username == username))
        if user is None or not await verify_password_async(user.password_hash, old):
            return None
        await self.set_password(username, new)
        return await self.get_user(username)

    async def set_can_report(self, username: str, allowed: bool) -> None:
        """Open (or close) the earnings reports to a monitor; their sessions go on, and every
        node knows within a second (a change of credentials)."""
        async with self._session.begin() as session:
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise AccountMissing(f"no user {username!r}")
            user.can_report = allowed
            await self._bump(session)

    async def set_rooms(self, username: str, rooms: Sequence[tuple[str, str]]) -> None:
        """The rooms a monitor looks after, (room_id, platform) each, replacing the earlier
        ones; rooms need not have posted anything yet.  Each room counts once."""
        now = int(time.time())
        async with self._session.begin() as session:
            if await session.scalar(select(User.id).where(User.username == username)) is None:
                raise AccountMissing(f"no user {username!r}")
            await session.execute(delete(RoomAssignment).where(RoomAssignment.username == username))
            for room_id, platform in sorted(set(rooms)):
                session.add(
                    RoomAssignment(
                        username=username, platform=platform, room_id=room_id, assigned_at=now
                    )
                )
            await self._bump(session)

    # --- the audit log ----------------------------------------------------------------------

    async def record_audit(
        self, actor: str, action: str, target: str, detail: str, address: str
    ) -> None:
        """Note an administrative action (kept: the log is never pruned)."""
        async with self._session.begin() as session:
            session.add(
                AuditEntry(
                    at=int(time.time()),
                    actor=actor[:64],
                    action=action[:32],
                    target=target[:128],
                    detail=detail,
                    address=address[:64],
                )
            )

    async def audit_entries(self, limit: int) -> list[AuditInfo]:
        """The latest ``limit`` entries, newest first."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        async with self._session() as session:
            return [
                AuditInfo(e.at, e.actor, e.action, e.target, e.detail, e.address)
                for e in await session.scalars(query)
            ]

    async def rooms_of(self, username: str) -> list[tuple[str, str]]:
        """The rooms assigned to a user: (room_id, platform) each, in order."""
        query = (
            select(RoomAssignment.room_id, RoomAssignment.platform)
            .where(RoomAssignment.username == username)
            .order_by(RoomAssignment.platform, RoomAssignment.room_id)
        )
        async with self._session() as session:
            return [(str(r), str(p)) for r, p in await session.execute(query)]

    async def get_user(self, username: str) -> UserInfo | None:
        async with self._session() as session:
            user = await session.scalar(select(User).where(User.username == username))
            return None if user is None else await self._user_info(session, user)

    async def list_users(self) -> list[UserInfo]:
        async with self._session() as session:
            users = await session.scalars(select(User).order_by(User.username))
            return [await self._user_info(session, u) for u in users]

    async def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The user when the password is right and the account enabled, else ``None``.

        Takes the same time whether or not the user exists.
        """
        async with self._session() as session:
            user = await session.scalar(select(User).where(User.username == username))
            info = None if user is None else await self._user_info(session, user)
        ok = await verify_password_async(user.password_hash if user else None, password)
        if not ok or info is None or info.disabled:
            return None
        return info

    # --- API keys ------------------------------------------------------------------------------

    async def create_key(self, name: str) -> str:
        """Create a key and return it; only its hash is stored, so this is the only chance to
        see it."""
        key = new_api_key()
        async with self._session.begin() as session:
            session.add(
                ApiKey(name=name, key_hash=api_key_digest(key), created_at=int(time.time()))
            )
            try:
                await session.flush()
            except IntegrityError as exc:
                raise AccountConflict(f"a key named {name!r} already exists") from exc
        return key

    async def revoke_key(self, name: str) -> None:
        async with self._session.begin() as session:
            key = await session.scalar(select(ApiKey).where(ApiKey.name == name))
            if key is None:
                raise AccountMissing(f"no key named {name!r}")
            key.revoked = True
            await self._bump(session)

    async def rotate_key(self, name: str) -> str:
        """A new key under the same name (the old one stops working, a revoked one works
        again with the new value); returned once, like :meth:`create_key`."""
        key = new_api_key()
        async with self._session.begin() as session:
            row = await session.scalar(select(ApiKey).where(ApiKey.name == name))
            if row is None:
                raise AccountMissing(f"no key named {name!r}")
            row.key_hash = api_key_digest(key)
            row.revoked = False
            await self._bump(session)
        return key

    async def note_key_activity(self, notes: Mapping[tuple[str, str, str], int]) -> None:
        """(key, platform, room) → time of a post: keep the later of it and what is stored."""
        async with self._session.begin() as session:
            for (key, platform, room_id), at in sorted(notes.items()):
                row = await session.get(KeyActivityRow, (key, platform, room_id))
                if row is None:
                    session.add(
                        KeyActivityRow(
                            key_name=key, platform=platform, room_id=room_id, last_post=at
                        )
                    )
                elif at > row.last_post:
                    row.last_post = at
                await session.flush()

    async def key_activity(self) -> dict[str, list[tuple[str, str, int]]]:
        """Each key's rooms, (platform, room_id, last post), the latest first."""
        query = select(KeyActivityRow).order_by(KeyActivityRow.last_post.desc())
        found: dict[str, list[tuple[str, str, int]]] = {}
        async with self._session() as session:
            for row in await session.scalars(query):
                found.setdefault(row.key_name, []).append(
                    (row.platform, row.room_id, row.last_post)
                )
        return found

    async def save_collector_health(self, key: str, received_at: int, report: str) -> None:
        """Keep ``report`` as the key's latest, unless a later one is already kept."""
        for attempt in (1, 2):
            try:
                async with self._session.begin() as session:
                    row = await session.get(CollectorHealthRow, key)
                    if row is None:
                        session.add(
                            CollectorHealthRow(key_name=key, received_at=received_at, report=report)
                        )
                    elif received_at >= row.received_at:
                        row.received_at, row.report = received_at, report
                return
            except IntegrityError:
                if attempt == 2:
                    raise  # another node inserted the key's first report meanwhile: update it

    async def collector_health(self) -> dict[str, tuple[int, str]]:
        """Each key's latest report: (received at, JSON)."""
        async with self._session() as session:
            rows = await session.scalars(select(CollectorHealthRow))
            return {row.key_name: (row.received_at, row.report) for row in rows}

    async def list_keys(self) -> list[KeyInfo]:
        async with self._session() as session:
            keys = await session.scalars(select(ApiKey).order_by(ApiKey.name))
            return [KeyInfo(k.name, k.revoked, k.created_at) for k in keys]

    async def key_name(self, key: str) -> str | None:
        """The name of a valid, unrevoked key, or ``None``."""
        async with self._session() as session:
            row = await session.scalar(
                select(ApiKey).where(ApiKey.key_hash == api_key_digest(key), ~ApiKey.revoked)
            )
            return row.name if row else None

    # --- collector cursors ----------------------------------------------------------------------

    async def get_cursor(self, source: str) -> CursorInfo | None:
        async with self._session() as session:
            row = await session.get(CollectorCursor, source)
            return CursorInfo(row.last_event_id, row.tokens_count, row.tips_count) if row else None

    async def set_cursor(self, source: str, cursor: CursorInfo) -> None:
        async with self._session.begin() as session:
            row = await session.get(CollectorCursor, source)
            if row is None:
                row = CollectorCursor(source=source)
                session.add(row)
            row.last_event_id = cursor.last_event_id
            row.tokens_count = cursor.tokens_count
            row.tips_count = cursor.tips_count
            row.updated_at = int(time.time())

    # --- the sample archive --------------------------------------------------------------------

    async def add_samples(self, samples: list[TelemetrySample], *, online_gap: int = 300) -> None:
        """Archive ``samples`` and bring the rollups they change up to date, in one transaction
        (see rollup_sql.py)."""
        if not samples:
            return
        from godmode_server.sql import rollups as rollup_sql

        async with self._session.begin() as session:
            await session.execute(insert(SampleRow), [s.model_dump() for s in samples])
            await rollup_sql.update(session, samples, online_gap)

    async def record_drop(self, first_ts: int, last_ts: int, samples: int) -> None:
        """Note samples (timestamps ``first_ts`` … ``last_ts``) that could not be archived."""
        async with self._session.begin() as session:
            session.add(
                ArchiveDrop(
                    first_ts=first_ts,
                    last_ts=last_ts,
                    samples=samples,
                    recorded_at=int(time.time()),
                )
            )

    async def drops_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Recorded drops overlapping [start, end): (first_ts, last_ts, samples) each."""
        query = (
            select(ArchiveDrop.first_ts, ArchiveDrop.last_ts, ArchiveDrop.samples)
            .where(ArchiveDrop.last_ts >= start, ArchiveDrop.first_ts < end)
            .order_by(ArchiveDrop.first_ts)
        )
        async with self._session() as session:
            return [(int(a), int(b), int(n)) for a, b, n in await session.execute(query)]

    async def summaries(self, periods: Sequence[Period]) -> list[RoomPeriod]:
        """Each room's earnings summary per period (minute-aligned periods; rollup_sql.py)."""
        from godmode_server.sql import rollups as rollup_sql

        async with self._session() as session:
            return await rollup_sql.summaries(session, periods)

    async def room_points(
        self, room_id: str, platform: str, start: int, end: int
    ) -> tuple[Point | None, list[Point]]:
        """The room's last sample before ``start`` and its distinct samples in [start, end)."""
        from godmode_server.sql import rollups as rollup_sql

        async with self._session() as session:
            return await rollup_sql.points(session, (platform, room_id), start, end)

    async def prune_rollups(self, before: int) -> int:
        """Delete rollups of minutes and hours that ended before ``before``; how many went."""
        from godmode_server.sql import rollups as rollup_sql

        async with self._session.begin() as session:
            return await rollup_sql.prune(session, before)

    async def samples_between(
        self, room_id: str, platform: str, start: int, end: int, limit: int
    ) -> list[TelemetrySample]:
        """The room's archived samples with ``start <= timestamp <= end``: the latest ``limit``
        of them, oldest first."""
        query = (
            select(SampleRow)
            .where(
                SampleRow.platform == platform,
                SampleRow.room_id == room_id,
                SampleRow.timestamp >= start,
                SampleRow.timestamp <= end,
            )
            .order_by(SampleRow.timestamp.desc(), SampleRow.id.desc())
            .limit(limit)
        )
        async with self._session() as session:
            rows = list(await session.scalars(query))
        return [
            TelemetrySample(
                room_id=r.room_id,
                platform=r.platform,
                tokens_count=r.tokens_count,
                tips_count=r.tips_count,
                viewers_count=r.viewers_count,
                timestamp=r.timestamp,
            )
            for r in reversed(rows)
        ]

    async def series_between(self, room_id: str, platform: str, start: int, end: int) -> Series:
        """Every distinct archived sample of the room with ``start <= timestamp <= end``, in
        order, compactly (for downsampling)."""
        from godmode_server.reports.downsample import Series

        query = (
            select(
                SampleRow.timestamp,
                SampleRow.tokens_count,
                SampleRow.tips_count,
                SampleRow.viewers_count,
            )
            .where(
                SampleRow.platform == platform,
                SampleRow.room_id == room_id,
                SampleRow.timestamp >= start,
                SampleRow.timestamp <= end,
            )
            .order_by(
                SampleRow.timestamp,
                SampleRow.tokens_count,
                SampleRow.tips_count,
                SampleRow.viewers_count,
            )
        )
        async with self._session() as session:
            result = await session.execute(query)
            return Series((int(a), int(b), int(c), int(d)) for a, b, c, d in result)

    async def prune_samples(self, before: int) -> int:
        """Delete archived samples older than ``before``; how many went."""
        async with self._session.begin() as session:
            result = await session.execute(delete(SampleRow).where(SampleRow.timestamp < before))
        assert isinstance(result, CursorResult)  # a DELETE's result says how many rows went
        return int(result.rowcount or 0)
