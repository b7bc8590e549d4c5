"""Query strings in log lines, with every value a secret could hide in blanked.

uvicorn logs each request's path with its query string ("GET /api/...?since=5").  The API takes
no credential in a query string, but a misconfigured client may send one anyway
(``?access_token=...``); that must not land in a log file.  Values of the parameters the API
defines are kept (they help support); any other parameter's value is replaced by ``***``.
"""

from __future__ import annotations

import logging
import re

#: Query parameters of the API, safe to log as they are.
SAFE_PARAMETERS = frozenset({"since", "epoch", "limit", "from", "to"})

_QUERY = re.compile(r"\?([^\s\"]*)")


def redact_query(text: str) -> str:
    """``text`` with the value of every query parameter not in :data:`SAFE_PARAMETERS` blanked."""

    def redact(match: re.Match[str]) -> str:
        pairs = []
        for pair in match.group(1).split("&"):
            name, sep, _ = pair.partition("=")
            pairs.append(pair if name in SAFE_PARAMETERS or not sep else f"{name}=***")
        return "?" + "&".join(pairs)

    return _QUERY.sub(redact, text)


class RedactQueries(logging.Filter):
    """A filter for uvicorn's loggers: request paths in the arguments lose their secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(a, str) and "?" in a for a in record.args
        ):
            record.args = tuple(redact_query(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Redact the query strings uvicorn logs (call after uvicorn configured its logging)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQueries) for f in logger.filters):
            logger.addFilter(RedactQueries())
