"""What support needs from an installed app: a log file, crashes recorded, diagnostics to copy.

* :func:`install_logging`: log lines go to standard error and to a rotating file in the
  platform's log folder (``platformdirs``; on Linux ``~/.local/state/godmode/log``), five files
  of 1 MiB at most.
* :func:`install_crash_handlers`: an uncaught Python exception is logged with its traceback and
  handed to a callback (the app shows it in a dialog); a fatal error in native code (Qt) is
  written by :mod:`faulthandler` to ``crash.log`` in the same folder.
* Whatever reaches a handler goes through :class:`Redact` first: a token (a JWT), an API key or
  an ``Authorization`` value inside a message is replaced by ``***``, so a log file or the
  diagnostics can be sent to support as they are.
"""

from __future__ import annotations

import faulthandler
import io
import logging
import logging.handlers
import os
import platform
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

import platformdirs

from godmode_common import __version__
from godmode_common.protocol import API_KEY_PREFIX

LOG_FILE = "godmode.log"
CRASH_FILE = "crash.log"
MAX_LOG_BYTES = 1024 * 1024
LOG_FILES_KEPT = 5
#: The name of the handlers installed here (installing again replaces them).
_HANDLER_NAME = "godmode-support"

_SECRETS = re.compile(
    r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"  # a JWT (header.payload.signature)
    rf"|{re.escape(API_KEY_PREFIX)}[A-Za-z0-9_-]{{8,}}"  # an API key
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=-]+"  # an Authorization header's value
)


def redact(text: str) -> str:
    """``text`` with every token, API key and bearer credential replaced by ``***``."""
    return _SECRETS.sub("***", text)


def log_folder() -> Path:
    return Path(platformdirs.user_log_dir("godmode", appauthor=False))


class Redact(logging.Filter):
    """Formats the record's message once, blanks its secrets, and keeps the result."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def private_folder(folder: Path) -> Path:
    """``folder``, made if missing, readable by this user only (0700): what the app logs names
    the studio's rooms, users and server."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
    return folder


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file -- the first and each made at a rollover -- is readable by
    this user only (0600), whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        stream = super()._open()
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return stream


def install_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Log to standard error (warnings and worse) and to the rotating file; returns the file."""
    folder = private_folder(folder or log_folder())
    path = folder / LOG_FILE
    file_handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_FILES_KEPT - 1, encoding="utf-8"
    )
    file_handler.setLevel(level)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = [file_handler, console]
    for handler in handlers:
        handler.addFilter(Redact())
        handler.set_name(_HANDLER_NAME)
        root.addHandler(handler)
    root.setLevel(min(level, logging.WARNING))
    return path


_crash_file: IO[str] | None = None


def install_crash_handlers(
    on_exception: Callable[[str], None] | None = None, folder: Path | None = None
) -> None:
    """Record fatal errors in ``crash.log``, and log every uncaught exception (then tell
    ``on_exception`` its redacted details) instead of letting Qt abort on it."""
    global _crash_file
    folder = private_folder(folder or log_folder())
    if _crash_file is not None:
        _crash_file.close()
    crash = folder / CRASH_FILE
    _crash_file = os.fdopen(
        os.open(crash, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", encoding="utf-8"
    )
    if os.name == "posix":
        crash.chmod(0o600)
    faulthandler.enable(_crash_file, all_threads=True)
    log = logging.getLogger("godmode_desktop")

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("uncaught exception", exc_info=(kind, error, trace))
        if on_exception is not None:
            text = "".join(logging.Formatter().formatException((kind, error, trace)))
            on_exception(redact(text))

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    )


def uninstall_crash_handlers() -> None:
    """Undo :func:`install_crash_handlers` (tests; an app keeps them to the end)."""
    global _crash_file
    faulthandler.disable()
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    if _crash_file is not None:
        _crash_file.close()
        _crash_file = None


def facts(*, server: str, user: str, qt_version: str, pyside_version: str) -> dict[str, str]:
    """What is running and where, by name, in the order shown (no secret in it; the About
    dialog translates the names)."""
    values = {
        "Version": f"God Mode {__version__}",
        "Server": server or "(none)",
        "User": user or "(none)",
        "Qt": f"Qt {qt_version}, PySide6 {pyside_version}",
        "Python": f"Python {platform.python_version()} ({sys.executable})",
        "System": platform.platform(),
        "Log folder": str(log_folder()),
    }
    return {name: redact(value) for name, value in values.items()}


def diagnostics(*, server: str, user: str, qt_version: str, pyside_version: str) -> str:
    """The text *Help → About → Copy diagnostics* gives support (no secret in it), in English
    whatever the interface's language: support reads it."""
    found = facts(server=server, user=user, qt_version=qt_version, pyside_version=pyside_version)
    lines = [
        found["Version"],
        f"Server: {found['Server']}",
        f"User: {found['User']}",
        found["Qt"],
        found["Python"],
        f"System: {found['System']}",
        f"Log folder: {found['Log folder']}",
    ]
    return "\n".join(lines)
