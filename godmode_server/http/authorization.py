"""Who may do what: one table, enforced for every route, and walked whole by a test.

Each route needs one :class:`Need`; each need gives, for each kind of caller (:class:`Caller`),
the answer: allowed, or the status it is refused with (401: who you are is not known or not
good; 403: known, but not allowed).  Dev mode has its own column for callers without
credentials (the original system was open: reads and ingest need nothing there).  A route that
is not in the table is refused to everyone (and a test fails), so a new route cannot be open by
omission.  The WebSocket follows the table too (its refusal is a close code, see
dashboard_ws.py).

Roles (docs/SECURITY.md): ``admin`` — everything, users, keys, assignments, audit; ``manager`` —
every room, reports, history; ``monitor`` — only the rooms assigned to them (the feed, the grid,
history), reports when granted.  An ingest API key can only ingest and read the scraping rules;
a user's token never ingests.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

ALLOWED = 200


class Caller(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    MONITOR = "monitor"
    #: A monitor granted reports.
    REPORTING_MONITOR = "monitor+reports"
    API_KEY = "api_key"
    ANONYMOUS = "anonymous"


#: The roles a user account can have.
ROLES = ("admin", "manager", "monitor")


class Need(enum.StrEnum):
    PUBLIC = "public"  #: anyone (health, login, the API's description)
    COLLECTOR = "collector"  #: an ingest API key
    USER = "user"  #: any signed-in user (their own account)
    READER = "reader"  #: any signed-in user; a monitor sees only their rooms
    REPORTS = "reports"  #: admins, managers, monitors granted reports
    ADMIN = "admin"  #: admins


_USERS = {Caller.ADMIN, Caller.MANAGER, Caller.MONITOR, Caller.REPORTING_MONITOR}


def _row(allowed: set[Caller], *, anonymous: int = 401) -> dict[Caller, int]:
    """Allowed callers; the others are refused 401 when they are not a user (no, or another
    kind of, credentials) and 403 when they are a user without the right."""
    return {
        caller: ALLOWED
        if caller in allowed
        else (403 if caller in _USERS else (anonymous if caller is Caller.ANONYMOUS else 401))
        for caller in Caller
    }


#: Need → caller → answer, in production.
TABLE: Mapping[Need, Mapping[Caller, int]] = {
    Need.PUBLIC: dict.fromkeys(Caller, ALLOWED),
    Need.COLLECTOR: _row({Caller.API_KEY}),
    Need.USER: _row(_USERS),
    Need.READER: _row(_USERS),
    Need.REPORTS: _row({Caller.ADMIN, Caller.MANAGER, Caller.REPORTING_MONITOR}),
    Need.ADMIN: _row({Caller.ADMIN}),
}

#: What changes in dev mode: a caller without credentials may ingest and read (as the original
#: system let anyone); accounts and administration still need a user.
DEV_ANONYMOUS: Mapping[Need, int] = {
    Need.PUBLIC: ALLOWED,
    Need.COLLECTOR: ALLOWED,
    Need.USER: 401,
    Need.READER: ALLOWED,
    Need.REPORTS: ALLOWED,
    Need.ADMIN: 401,
}

#: Every route: (method, path template) → what it needs.
ROUTES: dict[tuple[str, str], Need] = {
    ("GET", "/healthz"): Need.PUBLIC,
    ("GET", "/readyz"): Need.PUBLIC,
    ("GET", "/metrics"): Need.PUBLIC,
    ("GET", "/openapi.json"): Need.PUBLIC,
    ("GET", "/docs"): Need.PUBLIC,
    ("GET", "/docs/oauth2-redirect"): Need.PUBLIC,
    ("GET", "/redoc"): Need.PUBLIC,
    ("POST", "/api/auth/login"): Need.PUBLIC,
    ("POST", "/api/auth/refresh"): Need.USER,
    ("POST", "/api/auth/password"): Need.USER,
    ("GET", "/api/auth/me"): Need.USER,
    ("POST", "/api/tracking/telemetry"): Need.COLLECTOR,
    ("GET", "/api/collectors/selectors"): Need.COLLECTOR,
    ("POST", "/api/collectors/health"): Need.COLLECTOR,
    ("POST", "/api/collectors/outlines"): Need.COLLECTOR,
    # Chrome fetches updates without credentials; the packages hold no secret.
    ("GET", "/api/collectors/extension/updates.xml"): Need.PUBLIC,
    ("GET", "/api/collectors/extension/{file_name}"): Need.PUBLIC,
    ("GET", "/api/tracking/telemetry"): Need.READER,
    ("GET", "/api/tracking/telemetry/{room_id}/{platform}"): Need.READER,
    ("GET", "/api/tracking/telemetry/{room_id}/{platform}/history"): Need.READER,
    ("WS", "/ws/dashboard"): Need.READER,
    ("GET", "/api/reports/calendar"): Need.REPORTS,
    ("GET", "/api/reports/earnings"): Need.REPORTS,
    ("GET", "/api/reports/sessions"): Need.REPORTS,
    ("GET", "/api/admin/users"): Need.ADMIN,
    ("POST", "/api/admin/users"): Need.ADMIN,
    ("PATCH", "/api/admin/users/{username}"): Need.ADMIN,
    ("DELETE", "/api/admin/users/{username}"): Need.ADMIN,
    ("POST", "/api/admin/users/{username}/password"): Need.ADMIN,
    ("PUT", "/api/admin/users/{username}/rooms"): Need.ADMIN,
    ("GET", "/api/admin/keys"): Need.ADMIN,
    ("POST", "/api/admin/keys"): Need.ADMIN,
    ("DELETE", "/api/admin/keys/{name}"): Need.ADMIN,
    ("GET", "/api/admin/audit"): Need.ADMIN,
    ("GET", "/api/admin/outlines"): Need.ADMIN,
    ("GET", "/api/admin/outlines/{key}/{platform}"): Need.ADMIN,
    ("POST", "/api/admin/outlines/{key}/{platform}/try"): Need.ADMIN,
    ("GET", "/api/admin/selectors"): Need.ADMIN,
    ("PUT", "/api/admin/selectors"): Need.ADMIN,
    ("GET", "/api/admin/rates"): Need.ADMIN,
    ("POST", "/api/admin/rates"): Need.ADMIN,
    ("POST", "/api/admin/rates/currency"): Need.ADMIN,
}


def declare(method: str, path: str, need: Need) -> None:
    """Add a route of an application built on this one (e.g. a benchmark's baseline route) to
    the table; without it the route is refused to everyone.  A route already there keeps its
    need (ValueError)."""
    if (method, path) in ROUTES:
        raise ValueError(f"{method} {path} is already in the table")
    ROUTES[(method, path)] = need


def answer(need: Need | None, caller: Caller, *, dev: bool) -> int:
    """The table's answer: :data:`ALLOWED` or the status to refuse with."""
    if need is None:
        return 403  # not in the table: nobody
    if dev and caller is Caller.ANONYMOUS:
        return DEV_ANONYMOUS[need]
    return TABLE[need][caller]


def caller_of(role: str | None, *, api_key: bool = False, can_report: bool = False) -> Caller:
    """The table's column for a signed-in user's role, an API key, or nobody."""
    if role is None:
        return Caller.API_KEY if api_key else Caller.ANONYMOUS
    if role == "monitor" and can_report:
        return Caller.REPORTING_MONITOR
    return Caller(role) if role in ROLES else Caller.MONITOR  # an unknown role: the least
