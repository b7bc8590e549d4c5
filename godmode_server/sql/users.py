"""Accounts in SQL: users, roles, the rooms a monitor may see, and the audit log."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncSession,
)

from godmode_common.rooms import RoomKey
from godmode_server.http.authorization import ROLES
from godmode_server.sql.engine import Engine
from godmode_server.sql.hashing import (
    hash_password_async,
    verify_password_async,
)
from godmode_server.sql.tables import (
    AuditEntry,
    CredentialGeneration,
    RoomAssignment,
    User,
)


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


class Users(Engine):
    """Users, their roles, monitors' rooms, and the audit log."""

    async def _user_info(self, session: AsyncSession, user: User) -> UserInfo:
        generation = await session.get(CredentialGeneration, f"user:{user.username}")
        return UserInfo(
            user.username,
            user.role,
            user.disabled,
            generation.generation if generation else 0,
            bool(user.can_report),
        )

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

    async def set_rooms(self, username: str, rooms: Sequence[RoomKey]) -> None:
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

    async def rooms_of(self, username: str) -> list[RoomKey]:
        """The rooms assigned to a user: (room_id, platform) each, in order."""
        query = (
            select(RoomAssignment.room_id, RoomAssignment.platform)
            .where(RoomAssignment.username == username)
            .order_by(RoomAssignment.platform, RoomAssignment.room_id)
        )
        async with self._session() as session:
            return [RoomKey(str(r), str(p)) for r, p in await session.execute(query)]

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
