"""Server configuration: environment variables ``GODMODE_*``, overridable from the CLI.

Production mode is the default and refuses weak set-ups (no JWT secret); ``--dev`` is opt-in and
never implied, because it opens anonymous ingest like the original system did.
"""

from __future__ import annotations

import ipaddress
import secrets
import urllib.parse
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from godmode_common.money import RateError
from godmode_common.platforms import DEFAULT_PLATFORMS
from godmode_common.protocol import DEFAULT_HOST, DEFAULT_PORT
from godmode_server.reports.earnings import parse_shifts
from godmode_server.reports.money import parse_currency

MIN_JWT_SECRET_BYTES = 32


class ConfigError(ValueError):
    """The configuration cannot run; the message says what to set."""


def validation_problems(exc: ValidationError) -> str:
    """Each problem of a configuration file as ``where: what``, never the value itself (a
    file may hold secrets)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()
    )


def default_database_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("godmode", appauthor=False))
    return f"sqlite+aiosqlite:///{data_dir / 'godmode.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GODMODE_", extra="ignore")

    dev: bool = False
    host: str = DEFAULT_HOST
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)

    jwt_secret: str | None = None
    jwt_lifetime: int = Field(default=12 * 3600, ge=60, description="token lifetime, seconds")
    jwt_issuer: str = "godmode"
    jwt_audience: str = "godmode-dashboard"

    database_url: str = Field(default_factory=default_database_url)
    #: Migrate a database whose schema is behind at start (dev mode always does); otherwise the
    #: server refuses to start on it and says to run ``godmode-server db upgrade``.
    migrate: bool = False
    #: Redis for the shared store (``redis://``, ``rediss://`` or ``unix://``); unset: embedded.
    redis_url: str | None = None
    #: Prefix of every Redis key, so several deployments can share one Redis.
    redis_prefix: str = Field(default="godmode:", min_length=1, max_length=64)
    #: Seconds a Redis command may take before the node counts Redis as failed.
    redis_timeout: float = Field(default=2.0, gt=0)

    #: Lifetime of a room's latest sample (the original's Redis TTL).
    latest_ttl: float = Field(default=3600.0, gt=0)
    #: Events held for replay to reconnecting dashboards.
    event_log_size: int = Field(default=100_000, ge=1)
    #: Samples kept per room for the history endpoint.
    history_size: int = Field(default=1000, ge=1)
    #: Days every sample is kept in the SQL archive (``history?from=``, broadcast lists);
    #: 0: no archive, and no earnings reports.
    history_days: int = Field(default=30, ge=0)
    #: Days the per-minute and per-hour rollups the earnings reports read are kept (at least as
    #: long as the samples: the longer of the two applies).
    rollup_days: int = Field(default=400, ge=1, le=36600)
    #: Samples a node holds for the archive while the database is away; beyond it they are
    #: dropped (counted, and recorded so that reports over their time say so).
    archive_queue: int = Field(default=100_000, ge=10, le=10_000_000)
    #: How long a room's history stays in Redis after its last sample, seconds.
    history_ttl: float = Field(default=7 * 24 * 3600.0, gt=0)
    heartbeat_interval: float = Field(default=5.0, gt=0)
    #: An ingest key that was posting and has posted nothing for this long is "silent": every
    #: dashboard that asks is told (COLLECTOR_STATUS), seconds.  Below the app's stale time (300
    #: s by default; plus this check's interval), so that a dead studio PC is told as one alert
    #: before its rooms go off line one by one (the app then tells them by it).
    collector_silent_after: int = Field(default=240, ge=1)
    #: How often keys are checked for silence, seconds.
    collector_check_interval: float = Field(default=15.0, gt=0)
    #: Events a dashboard may have pending before it is closed as too slow.
    ws_queue_size: int = Field(default=1024, ge=1)
    #: Bytes a dashboard's socket may hold unsent (kernel and user space each) before its events
    #: wait in the hub queue; together the two bound how far behind a dashboard may fall.
    ws_send_buffer: int = Field(default=64 * 1024, ge=4096)
    #: A too-slow dashboard (closed with 4429) may take this long to read its close frame before
    #: its socket is aborted, seconds.
    ws_slow_close_timeout: float = Field(default=30.0, gt=0)
    #: Messages a dashboard may send a second (pings included; twice that in a burst) before it
    #: is closed with 1008.  Dashboards have nothing to say.
    ws_client_rate: float = Field(default=10.0, gt=0)
    #: Write events straight to idle dashboards' sockets during the fan-out (the fast path);
    #: false sends every event through each dashboard's queue and task, as ASGI does.
    ws_direct_send: bool = True
    #: Hand a connection's writes of one turn of the event loop to the kernel together (one
    #: system call for an HTTP answer, one per dashboard for a burst of events; corked.py).
    coalesce_writes: bool = True
    #: Processes serving the port as one server (``run --workers``; more than one needs Redis).
    workers: int = Field(default=1, ge=1, le=256)
    max_body_bytes: int = Field(default=16 * 1024, ge=256)
    #: Bytes of a request's line and headers, and how many headers, before it is refused (431).
    max_header_bytes: int = Field(default=32 * 1024, ge=1024)
    max_headers: int = Field(default=100, ge=8)
    #: Seconds to send a request's headers, and to complete a WebSocket handshake (408/closed).
    header_timeout: float = Field(default=15.0, gt=0)
    #: Open connections (HTTP and WebSocket) before new ones are refused with 503; 0: what the
    #: open-file limit allows, less a reserve for the database, Redis and logs.
    max_connections: int = Field(default=0, ge=0)
    #: How far in the future a sample's timestamp may be (clock skew allowance), seconds.  Kept
    #: small: a sample from the future would make every genuine one after it look stale.
    max_clock_skew: int = Field(default=30, ge=0)
    platforms: Annotated[tuple[str, ...], NoDecode] = DEFAULT_PLATFORMS
    #: HTTPS/WSS: the server's certificate chain and private key (PEM files); both or neither.
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    #: Rate limits (``N/second``, ``N/minute``, ``N/15 minutes``...); shared through Redis.
    rate_limits: bool = True
    ingest_rate_per_key: str = "500/second"
    ingest_rate_per_address: str = "1000/second"
    login_rate_per_address: str = "60/minute"
    #: Wrong passwords for one user name before it is locked out for the rest of the window.
    login_failures_per_user: str = "10/15 minutes"
    #: Password checks (Argon2id, ~64 MiB each) running at once, and how long a login may wait
    #: for one before it is answered 503.
    max_password_checks: int = Field(default=4, ge=1)
    password_check_wait: float = Field(default=2.0, gt=0)
    #: How often each node looks for disabled users, changed passwords and revoked keys, seconds
    #: (a change reaches every node, and its open WebSockets, within about this time).
    credentials_poll: float = Field(default=0.5, gt=0)
    #: Log lines as ``text`` (for people) or ``json`` (one object per line, with the request id,
    #: for log collectors).
    log_format: Literal["text", "json"] = "text"
    #: How often the live earnings (each room's day and shift figures) are read from the
    #: archive again, seconds (earnings/live.py).
    live_earnings_every: float = Field(default=5.0, gt=0, le=3600)
    #: The studio's time zone (IANA name): earnings reports count days and shifts in it.
    timezone: str = "UTC"
    #: Local start times of the shifts, e.g. ``06:00,14:00,22:00`` (a shift may cross midnight).
    shifts: str = "06:00,14:00,22:00"
    #: The studio's currency (ISO 4217): the reports' ``earned_local`` is in it, at the exchange
    #: rate an admin sets (``godmode-server rate currency``).
    currency: str = "USD"
    #: Samples further apart than this many seconds are an interruption: off line in between,
    #: and a new broadcast after it (earnings reports).
    online_gap: int = Field(default=300, ge=1, le=86400)
    #: Serve the interactive API pages (/docs, /redoc: their scripts come from a CDN); dev mode
    #: always does.  /openapi.json is always served.
    api_docs: bool = False
    #: Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or
    #: networks, comma-separated); from anyone else those headers are ignored.  Rate limits,
    #: lock-outs and logs then use the client's address as the proxy saw it.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    #: Origins a browser page may call the API from (CORS), comma-separated; none by default.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    #: The extension's selectors served at /api/collectors/selectors; unset: the built-in file.
    selectors_file: Path | None = None
    #: Packed collectors (``godmode-server extension pack``) served with an update manifest at
    #: /api/collectors/extension/updates.xml; unset: none served.
    extension_dir: Path | None = None
    #: The address collectors and browsers reach this server at (``https://host[:port][/path]``),
    #: for the absolute URLs the server writes (the update manifest's packages).  Never taken
    #: from a request's Host header, which a client chooses, except in dev mode.
    public_url: str = ""
    #: Name each ingest key in /metrics' collector gauges (dev mode always does); off, a key is
    #: labelled by a pseudonym (``godmode-server key list`` shows both): /metrics is public.
    metrics_key_names: bool = False
    #: TOML file of server-side collectors (Chaturbate Events API rooms and their tokens).
    collectors_file: Path | None = None
    #: With Redis, one node at a time collects each room: how long its lease lasts, seconds
    #: (the longest another node waits to take over when the holder dies).
    collector_lease_ttl: float = Field(default=15.0, gt=0)

    @field_validator(
        "ingest_rate_per_key",
        "ingest_rate_per_address",
        "login_rate_per_address",
        "login_failures_per_user",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(
                f"{value!r} is not a rate like '100/second' or '5/15 minutes'"
            ) from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"{value!r} is not a time zone name like Europe/Madrid or America/Bogota"
            ) from exc
        return value

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, value: str) -> str:
        parse_shifts(value)  # ValueError with the reason
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        try:
            return parse_currency(value)
        except RateError as exc:
            raise ValueError(exc.message) from None

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL like https://tracking.example.com")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"{value!r}: a public URL has no query, fragment or credentials")
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)"
                ) from exc
        return value

    @field_validator("platforms", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_platforms(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # Accept the usual synchronous spellings and pick the asyncio driver for them.
        if value.startswith("sqlite:"):
            return "sqlite+aiosqlite:" + value.removeprefix("sqlite:")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    def resolved(self) -> Settings:
        """Check the settings can run, and fill in what dev mode generates.

        Raises :class:`ConfigError` with an actionable message otherwise.
        """
        update: dict[str, object] = {}
        if self.dev:
            if not self.jwt_secret:
                update["jwt_secret"] = secrets.token_urlsafe(48)
        else:
            if not self.jwt_secret:
                raise ConfigError(
                    "GODMODE_JWT_SECRET is not set. Production mode needs a secret of at least "
                    f"{MIN_JWT_SECRET_BYTES} bytes (e.g. `python -c 'import secrets; "
                    "print(secrets.token_urlsafe(48))'`), or run with --dev for local testing."
                )
        secret = update.get("jwt_secret", self.jwt_secret)
        assert isinstance(secret, str)
        if len(secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise ConfigError(
                f"GODMODE_JWT_SECRET is {len(secret.encode())} bytes; "
                f"at least {MIN_JWT_SECRET_BYTES} are required."
            )
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(
                f"GODMODE_REDIS_URL must start with redis://, rediss:// or unix:// "
                f"(got {self.redis_url.split('://')[0]!r}://...)."
            )
        if (self.tls_certfile is None) != (self.tls_keyfile is None):
            raise ConfigError(
                "GODMODE_TLS_CERTFILE and GODMODE_TLS_KEYFILE go together: set both or neither."
            )
        for name, path in (("CERTFILE", self.tls_certfile), ("KEYFILE", self.tls_keyfile)):
            if path is not None and not path.is_file():
                raise ConfigError(f"GODMODE_TLS_{name}: no file at {path}")
        if not self.platforms:
            raise ConfigError("GODMODE_PLATFORMS is empty: name at least one platform.")
        return self.model_copy(update=update)
