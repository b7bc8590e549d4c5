"""Check a served update manifest from outside, as Chrome will read it: the XML, then each
package it names (reachable, a valid CRX3, the id and version the manifest says, the SHA-256 it
says).  For IT after a deployment, and for tests; every problem is a sentence."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import httpx

from godmode_server.extension import crx
from godmode_server.extension.packaging import PackageError, manifest_in

GUPDATE = "{http://www.google.com/update2/response}"
#: Bounds on what is downloaded while checking.
MAX_MANIFEST_BYTES = 256 * 1024
MAX_PACKAGE_BYTES = 20 * 1024 * 1024


@dataclass
class Report:
    checked: list[str] = field(default_factory=list)  #: "id version codebase", each one good
    problems: list[str] = field(default_factory=list)


def parse_update_manifest(text: str) -> list[tuple[str, str, str, str | None]]:
    """``(appid, version, codebase, sha256 or None)`` for each app; ValueError when malformed."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"the update manifest is not XML ({exc})") from exc
    if root.tag != f"{GUPDATE}gupdate":
        raise ValueError("the update manifest is not a gupdate document (Chrome's namespace)")
    apps = []
    for app in root.findall(f"{GUPDATE}app"):
        check = app.find(f"{GUPDATE}updatecheck")
        appid = app.get("appid", "")
        if check is None or not check.get("codebase") or not check.get("version"):
            raise ValueError(f"app {appid!r}: no updatecheck with a codebase and a version")
        apps.append(
            (appid, check.get("version", ""), check.get("codebase", ""), check.get("hash_sha256"))
        )
    if not apps:
        raise ValueError("the update manifest names no app")
    return apps


def _get(client: httpx.Client, url: str, limit: int) -> bytes:
    with client.stream("GET", url) as answer:
        if answer.status_code != 200:
            raise ValueError(f"{url}: HTTP {answer.status_code}")
        body = bytearray()
        for chunk in answer.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise ValueError(f"{url}: larger than {limit} bytes")
        return bytes(body)


def check_update_manifest(url: str, *, timeout: float = 10.0, verify: bool | str = True) -> Report:
    report = Report()
    with httpx.Client(timeout=timeout, follow_redirects=True, verify=verify) as client:
        try:
            apps = parse_update_manifest(_get(client, url, MAX_MANIFEST_BYTES).decode("utf-8"))
        except (httpx.HTTPError, ValueError, UnicodeDecodeError) as exc:
            report.problems.append(str(exc) or repr(exc))
            return report
        for appid, version, codebase, sha256 in apps:
            where = f"app {appid} {version} ({codebase})"
            try:
                data = _get(client, codebase, MAX_PACKAGE_BYTES)
            except httpx.HTTPError as exc:
                report.problems.append(f"{where}: cannot be downloaded ({exc!r})")
                continue
            except ValueError as exc:
                report.problems.append(f"{where}: {exc}")
                continue
            try:
                package = crx.read(data)
                inside = manifest_in(package.archive)["version"]
            except (crx.CrxError, PackageError) as exc:
                report.problems.append(f"{where}: {exc}")
                continue
            if package.extension_id != appid:
                report.problems.append(f"{where}: the package is signed as {package.extension_id}")
            elif inside != version:
                report.problems.append(f"{where}: the package's manifest says version {inside}")
            elif sha256 is not None and hashlib.sha256(data).hexdigest() != sha256.lower():
                report.problems.append(f"{where}: its SHA-256 is not the manifest's hash_sha256")
            else:
                report.checked.append(f"{appid} {version} {codebase}")
    return report
