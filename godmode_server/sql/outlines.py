"""Page outlines in SQL (the latest one each ingest key sent per platform, replaced by the next)
and the reading rules administrators publish, every version kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from godmode_server.sql.engine import Engine
from godmode_server.sql.tables import PageOutlineRow, PublishedSelectorsRow


class StaleVersion(Exception):
    """A published version must be above every one before it."""

    def __init__(self, newest: int) -> None:
        super().__init__(f"version {newest} is already published")
        self.newest = newest


class Outlines(Engine):
    async def save_outline(self, key: str, platform: str, received_at: int, outline: str) -> None:
        """Keep ``outline`` as the key's latest for ``platform``."""
        for attempt in (1, 2):
            try:
                async with self._session.begin() as session:
                    row = await session.get(PageOutlineRow, (key, platform))
                    if row is None:
                        session.add(
                            PageOutlineRow(
                                key_name=key,
                                platform=platform,
                                received_at=received_at,
                                outline=outline,
                            )
                        )
                    elif received_at >= row.received_at:
                        row.received_at, row.outline = received_at, outline
                return
            except IntegrityError:
                if attempt == 2:
                    raise  # another node inserted the first one meanwhile: update it

    async def outlines(self) -> list[tuple[str, str, int, str]]:
        """Every kept outline: (key, platform, received at, JSON), newest first."""
        async with self._session() as session:
            rows = await session.scalars(
                select(PageOutlineRow).order_by(PageOutlineRow.received_at.desc())
            )
            return [(r.key_name, r.platform, r.received_at, r.outline) for r in rows]

    async def outline(self, key: str, platform: str) -> tuple[int, str] | None:
        """One key's outline of one platform: (received at, JSON), or None."""
        async with self._session() as session:
            row = await session.get(PageOutlineRow, (key, platform))
            return (row.received_at, row.outline) if row else None

    async def published_selectors(self) -> tuple[int, int, str, str] | None:
        """The newest published rules: (version, published at, by whom, JSON), or None."""
        async with self._session() as session:
            row = await session.scalar(
                select(PublishedSelectorsRow).order_by(PublishedSelectorsRow.version.desc())
            )
            return (row.version, row.published_at, row.published_by, row.body) if row else None

    async def publish_selectors(self, version: int, at: int, by: str, body: str) -> None:
        """Keep ``body`` as version ``version``; :class:`StaleVersion` unless it is the newest."""
        try:
            async with self._session.begin() as session:
                newest = await session.scalar(
                    select(PublishedSelectorsRow.version)
                    .order_by(PublishedSelectorsRow.version.desc())
                    .limit(1)
                )
                if newest is not None and version <= newest:
                    raise StaleVersion(newest)
                session.add(
                    PublishedSelectorsRow(
                        version=version, published_at=at, published_by=by, body=body
                    )
                )
        except IntegrityError:
            raise StaleVersion(version) from None  # another node published it meanwhile
