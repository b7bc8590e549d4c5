"""The reading rules every collector is served (``GET /api/collectors/selectors``): the file's
(``selectors.json``, or the studio's ``GODMODE_SELECTORS_FILE``), or the newest version an
administrator published (``PUT /api/admin/selectors``) — whichever has the higher version.

Published rules are kept in the database, so every node serves the same within
:data:`CACHE_SECONDS` of a publication, and a restart keeps them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from godmode_common.protocol import CollectorSelectors
from godmode_server.sql.database import Database
from godmode_server.sql.outlines import StaleVersion

log = logging.getLogger(__name__)

#: How long a node serves the rules it read before asking the database again.
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class ServedRules:
    selectors: CollectorSelectors
    source: Literal["file", "published"]
    published_at: int | None = None
    published_by: str | None = None

    @property
    def full_body(self) -> dict[str, object]:
        return self.selectors.model_dump(mode="json", exclude_none=True)

    @property
    def css_body(self) -> dict[str, object]:
        return self.selectors.css_only()


class Rules:
    def __init__(
        self,
        from_file: CollectorSelectors,
        db: Database,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._file = ServedRules(from_file, "file")
        self._db = db
        self._clock = clock
        self._cached: ServedRules | None = None
        self._cached_at = 0.0

    async def current(self) -> ServedRules:
        if self._cached is not None and self._clock() - self._cached_at < CACHE_SECONDS:
            return self._cached
        served = self._file
        kept = await self._db.published_selectors()
        if kept is not None and kept[0] > self._file.selectors.version:
            version, at, by, body = kept
            try:
                served = ServedRules(
                    CollectorSelectors.model_validate_json(body), "published", at, by
                )
            except ValueError:
                log.error(
                    "published reading rules version %s no longer read; serving the file", version
                )
        self._cached, self._cached_at = served, self._clock()
        return served

    async def publish(self, selectors: CollectorSelectors, by: str) -> ServedRules:
        """Serve ``selectors`` to every collector from now on; :class:`StaleVersion` unless its
        version is above what is served."""
        current = await self.current()
        if selectors.version <= current.selectors.version:
            raise StaleVersion(current.selectors.version)
        at = int(time.time())
        await self._db.publish_selectors(
            selectors.version, at, by, selectors.model_dump_json(exclude_none=True)
        )
        self._cached = ServedRules(selectors, "published", at, by)
        self._cached_at = self._clock()
        return self._cached
