"""Typed failures of the net layer, each with a sentence the UI can show as it is."""

from __future__ import annotations


class NetError(Exception):
    """Base class; ``str(error)`` is worded for a person."""


class BadCredentials(NetError):
    def __init__(self) -> None:
        super().__init__("Wrong user name or password.")


class TokenExpired(NetError):
    """The server refused the token (expired, revoked, or the account was disabled)."""

    def __init__(self) -> None:
        super().__init__("Your session has expired. Please log in again.")


class ServerUnreachable(NetError):
    def __init__(self, url: str, detail: str = "") -> None:
        reason = f" ({detail})" if detail else ""
        super().__init__(f"Cannot reach the server at {url}{reason}.")
        self.url = url


class TlsFailure(NetError):
    def __init__(self, url: str, detail: str = "") -> None:
        reason = f": {detail}" if detail else ""
        super().__init__(
            f"The secure connection to {url} failed{reason}. Check the address and the "
            "server's certificate."
        )
        self.url = url


class ServerError(NetError):
    def __init__(self, status: int, message: str = "") -> None:
        text = f": {message}" if message else ""
        super().__init__(f"The server had a problem (HTTP {status}){text}. Try again later.")
        self.status = status


class RequestRefused(NetError):
    """A 4xx other than 401: the server says what was wrong with the request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message or f"The server refused the request (HTTP {status}).")
        self.status = status


class ProtocolMismatch(NetError):
    """The answer is not what protocol v1 says: wrong server, proxy page, or incompatible version."""

    def __init__(self, url: str, detail: str = "") -> None:
        reason = f" ({detail})" if detail else ""
        super().__init__(
            f"The server at {url} does not answer like a God Mode server{reason}. "
            "Check the address, or update the app."
        )
        self.url = url
