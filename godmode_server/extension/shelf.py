"""Self-hosted updates: the packed collectors in ``GODMODE_EXTENSION_DIR`` and the update manifest
that Chrome's ``ExtensionInstallForcelist`` / ``ExtensionSettings`` policies (and the packages'
own ``update_url``) point at.

The folder is the studio's: ``godmode-server extension pack`` writes ``godmode-collector-<v>.crx``
files there.  Each file is checked whole before it is offered (CRX3 format, signature, the
version in its manifest) and the check is kept while the file does not change; a file that fails
is logged once and left out, so the update manifest never names a file that is missing or that
Chrome would refuse.  Several ids (keys) in one folder each get their newest version.  The
answers need no credentials: Chrome asks without any, and the packages hold no secret (the
backend URL and key come from policy).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from godmode_server.extension import crx
from godmode_server.extension.packaging import PACKAGE_PREFIX, PackageError, manifest_in

log = logging.getLogger(__name__)

#: Files considered at most (the newest by name); a folder is a handful of versions.
MAX_PACKAGES = 64
#: A package larger than this is not the collector (it is ~100 KiB).
MAX_PACKAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Offered:
    file_name: str
    extension_id: str
    version: str
    sha256: str


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class ExtensionShelf:
    """The valid packages in a folder, rechecked when a file changes."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        #: file name → ((mtime_ns, size), what it offers or why not)
        self._checked: dict[str, tuple[tuple[int, int], Offered | str]] = {}

    def scan(self) -> list[Offered]:
        """Every valid package now in the folder (blocking: run it in a thread)."""
        if self.folder is None:
            return []
        try:
            names = sorted(
                entry.name
                for entry in os.scandir(self.folder)
                if entry.name.startswith(PACKAGE_PREFIX) and entry.name.endswith(".crx")
            )[-MAX_PACKAGES:]
        except OSError as exc:
            log.error("extension packages: cannot read %s: %s", self.folder, exc)
            return []
        seen: dict[str, tuple[tuple[int, int], Offered | str]] = {}
        for name in names:
            try:
                stat = (self.folder / name).stat()
            except OSError:
                continue  # removed meanwhile
            state = (stat.st_mtime_ns, stat.st_size)
            known = self._checked.get(name)
            if known is None or known[0] != state:
                known = (state, self._check(name, stat.st_size))
                if isinstance(known[1], str):
                    log.error("extension package %s left out: %s", name, known[1])
            seen[name] = known
        self._checked = seen
        return [result for _, result in seen.values() if isinstance(result, Offered)]

    def _check(self, name: str, size: int) -> Offered | str:
        if size > MAX_PACKAGE_BYTES:
            return f"larger than {MAX_PACKAGE_BYTES} bytes"
        try:
            data = (self.folder / name).read_bytes()  # type: ignore[operator]
            package = crx.read(data)
            version = manifest_in(package.archive)["version"]
        except (OSError, crx.CrxError, PackageError) as exc:
            return str(exc)
        if name != f"{PACKAGE_PREFIX}{version}.crx":
            return f"its manifest says version {version}: the file must be named for it"
        return Offered(name, package.extension_id, version, hashlib.sha256(data).hexdigest())

    def newest(self, offered: list[Offered]) -> list[Offered]:
        """The newest version of each id."""
        best: dict[str, Offered] = {}
        for item in offered:
            current = best.get(item.extension_id)
            if current is None or _version_key(item.version) > _version_key(current.version):
                best[item.extension_id] = item
        return sorted(best.values(), key=lambda o: o.extension_id)


def update_manifest(apps: list[tuple[Offered, str]]) -> str:
    """Chrome's update manifest (the ``gupdate`` XML) for ``(package, codebase URL)`` pairs."""
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    ]
    for item, codebase in apps:
        lines += [
            f"  <app appid={quoteattr(item.extension_id)}>",
            f"    <updatecheck codebase={quoteattr(codebase)} version={quoteattr(item.version)}"
            f" hash_sha256={quoteattr(item.sha256)} />",
            "  </app>",
        ]
    lines.append("</gupdate>")
    return "\n".join(lines) + "\n"
