"""The net layer's errors, worded for the user in the interface's language."""

from __future__ import annotations

from .i18n import tr
from .net.errors import (
    BadCredentials,
    NetError,
    ProtocolMismatch,
    RequestRefused,
    ServerError,
    ServerUnreachable,
    TlsFailure,
    TokenExpired,
)


def describe(error: NetError) -> str:
    """One sentence saying what went wrong and what to do."""
    if isinstance(error, BadCredentials):
        return tr("Wrong user name or password.")
    if isinstance(error, TokenExpired):
        return tr("Your session has expired. Please log in again.")
    if isinstance(error, ServerUnreachable):
        return tr("Cannot reach the server at %1. Check the address and your connection.").replace(
            "%1", error.url
        )
    if isinstance(error, TlsFailure):
        return tr(
            "The secure connection to %1 failed. Check the address and the server's certificate."
        ).replace("%1", error.url)
    if isinstance(error, ServerError):
        return tr("The server had a problem (HTTP %1). Try again later.").replace(
            "%1", str(error.status)
        )
    if isinstance(error, ProtocolMismatch):
        return tr(
            "The server at %1 does not answer like a God Mode server. Check the address."
        ).replace("%1", error.url)
    if isinstance(error, RequestRefused):
        return str(error)  # the server's own words
    return str(error)
