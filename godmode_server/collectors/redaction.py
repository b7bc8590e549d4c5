"""The server-side collectors' tokens kept out of the logs: the APIs take them in the URL, and
the HTTP client logs every request's URL at INFO."""

from __future__ import annotations

import logging


class Redactor(logging.Filter):
    """Blanks the collectors' tokens out of the HTTP client's own log lines ("HTTP Request: GET
    <url>" at INFO), which would otherwise carry them at the server's usual log level."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self.secrets):
            record.msg, record.args = self.redact(text), None
        return True


REDACTOR = Redactor()
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(REDACTOR)
