"""The collector's installable package: the files the extension needs and nothing else, a
manifest that pins its id (``key``) and, for self-hosted updates, names the update manifest
(``update_url``), packed as a zip and as a signed CRX3.

The source is the ``extension/`` folder of a checkout, or a package built before (a
``godmode-collector-<version>.zip``: a studio re-signs the release with its own key).  Only the
entries in :data:`PACKAGE_ENTRIES` are taken — never tests, ``node_modules`` or build scripts —
and every file the manifest names must be among them.  The zip is reproducible: the same
source, key and URL give the same bytes.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from godmode_server.extension import crx

#: What the extension is made of (top-level names in ``extension/``).
PACKAGE_ENTRIES = (
    "manifest.json",
    "managed_schema.json",
    "selectors.json",
    "_locales",
    "icons",
    "popup",
    "src",
)
PACKAGE_PREFIX = "godmode-collector-"
#: A source package read at most this big (the extension is ~100 KiB).
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_VERSION = re.compile(r"^\d{1,5}(\.\d{1,5}){0,3}$")  # Chrome's rule for "version"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """The source or a setting cannot make a valid package; the message says which."""


@dataclass(frozen=True, slots=True)
class Package:
    extension_id: str
    version: str
    zip_path: Path
    crx_path: Path


def read_source(source: Path) -> dict[str, bytes]:
    """The package's files (path → bytes) from an extension folder or a package zip."""
    if source.is_dir():
        files: dict[str, bytes] = {}
        for entry in PACKAGE_ENTRIES:
            path = source / entry
            if path.is_file():
                files[entry] = path.read_bytes()
            elif path.is_dir():
                for item in sorted(path.rglob("*")):
                    if item.is_file() and not any(p.startswith(".") for p in item.parts):
                        files[item.relative_to(source).as_posix()] = item.read_bytes()
        return files
    if not source.is_file():
        raise PackageError(f"{source}: no such folder or package")
    if source.stat().st_size > MAX_SOURCE_BYTES:
        raise PackageError(
            f"{source}: larger than {MAX_SOURCE_BYTES} bytes; not a collector package"
        )
    try:
        with zipfile.ZipFile(source) as archive:
            return _entries_of(archive)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{source}: not a folder or a zip ({exc})") from exc


def _entries_of(archive: zipfile.ZipFile) -> dict[str, bytes]:
    files = {}
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or name.parts[0] not in PACKAGE_ENTRIES:
            continue  # not part of the extension (or an unsafe name): left out
        total += info.file_size
        if total > MAX_SOURCE_BYTES:
            raise PackageError("the package unpacks to more than 20 MiB")
        files[name.as_posix()] = archive.read(info)
    return files


def manifest_of(files: dict[str, bytes]) -> dict[str, Any]:
    if "manifest.json" not in files:
        raise PackageError("no manifest.json in the source")
    try:
        manifest = json.loads(files["manifest.json"])
    except ValueError as exc:
        raise PackageError(f"manifest.json is not JSON ({exc})") from exc
    if not isinstance(manifest, dict):
        raise PackageError("manifest.json is not an object")
    version = manifest.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise PackageError(
            f"manifest.json's version {version!r} is not 1 to 4 dot-separated numbers"
        )
    return manifest


def named_files(manifest: dict[str, Any]) -> set[str]:
    """Every file the manifest refers to (all must be in the package)."""
    names = {manifest.get("background", {}).get("service_worker", "")}
    for script in manifest.get("content_scripts", []):
        names.update(script.get("js", []))
        names.update(script.get("css", []))
    names.update(manifest.get("icons", {}).values())
    action = manifest.get("action", {})
    names.add(action.get("default_popup", ""))
    names.update(action.get("default_icon", {}).values())
    names.add(manifest.get("storage", {}).get("managed_schema", ""))
    if manifest.get("default_locale"):
        names.add(f"_locales/{manifest['default_locale']}/messages.json")
    names.discard("")
    return names


def check_update_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PackageError(f"update URL {url!r} is not an http(s) URL with a host")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        # Chrome fetches updates over plain http too, but a studio's should not be open to a
        # network attacker (the CRX is signed; the manifest telling which version is not).
        raise PackageError(f"update URL {url!r}: use https (http only for this computer)")
    return url


def build_archive(
    files: dict[str, bytes], public_key: bytes, update_url: str | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The zip of ``files`` with the manifest's ``key`` (and ``update_url``) set."""
    manifest = manifest_of(files)
    missing = sorted(named_files(manifest) - files.keys())
    if missing:
        raise PackageError(f"the manifest names files the source lacks: {', '.join(missing)}")
    manifest["key"] = base64.b64encode(public_key).decode("ascii")
    if update_url is not None:
        manifest["update_url"] = check_update_url(update_url)
    else:
        manifest.pop("update_url", None)
    contents = dict(files)
    contents["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, contents[name])
    return buffer.getvalue(), manifest


def package(source: Path, key_pem: bytes, out_dir: Path, update_url: str | None = None) -> Package:
    """Write ``godmode-collector-<version>.zip`` and ``.crx`` into ``out_dir``."""
    key = crx.load_private_key(key_pem)
    public = crx.public_key_der(key)
    archive, manifest = build_archive(read_source(source), public, update_url)
    version = manifest["version"]
    out_dir.mkdir(parents=True, exist_ok=True)
    zip_path = out_dir / f"{PACKAGE_PREFIX}{version}.zip"
    crx_path = out_dir / f"{PACKAGE_PREFIX}{version}.crx"
    _write(zip_path, archive)
    _write(crx_path, crx.pack(archive, key))
    return Package(crx.extension_id(public), version, zip_path, crx_path)


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a server serving the folder never sees half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def manifest_in(archive: bytes) -> dict[str, Any]:
    """The manifest of a package's zip (a CRX's archive)."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as opened:
            raw = opened.read("manifest.json")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise PackageError(f"the archive has no readable manifest.json ({exc})") from exc
    return manifest_of({"manifest.json": raw})
