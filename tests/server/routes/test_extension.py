"""Self-hosted updates against a real server (godmode_server/extension/shelf.py, updates.py) and
``godmode-server extension check``: the newest valid package of each id is offered with its hash,
a broken or misnamed file is left out (never named, never served), and a manifest that names a
missing or altered package is reported."""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from godmode_server.extension import crx
from godmode_server.extension.check import GUPDATE, check_update_manifest
from godmode_server.extension.packaging import package
from tests.helpers.servers import ServerFactory, ServerProcess
from tests.helpers.source_tree import REPO

EXTENSION = REPO / "extension"
UPDATES = "/api/collectors/extension/updates.xml"


def _version_copy(tmp_path: Path, version: str) -> Path:
    source = tmp_path / f"source-{version}"
    shutil.copytree(EXTENSION, source, ignore=shutil.ignore_patterns("node_modules", "test"))
    manifest = json.loads((source / "manifest.json").read_text())
    manifest["version"] = version
    (source / "manifest.json").write_text(json.dumps(manifest))
    return source


def _apps(xml: str) -> list[dict[str, str]]:
    root = ET.fromstring(xml)
    return [
        {"appid": app.get("appid", ""), **app.find(f"{GUPDATE}updatecheck").attrib}  # type: ignore[union-attr]
        for app in root.findall(f"{GUPDATE}app")
    ]


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    folder = tmp_path / "packages"
    key = crx.new_private_key()
    for version in ("1.0.0", "1.2.0", "1.10.0"):
        package(_version_copy(tmp_path, version), key, folder)
    return folder


def test_the_newest_valid_package_is_offered_and_served(
    make_server: ServerFactory, shelf: Path
) -> None:
    newest = crx.read((shelf / "godmode-collector-1.10.0.crx").read_bytes())
    # What must never be offered: a damaged file, one whose name lies about its version, junk.
    damaged = bytearray((shelf / "godmode-collector-1.2.0.crx").read_bytes())
    damaged[-10] ^= 0xFF
    (shelf / "godmode-collector-9.0.0.crx").write_bytes(bytes(damaged))
    shutil.copy(shelf / "godmode-collector-1.0.0.crx", shelf / "godmode-collector-8.0.0.crx")
    (shelf / "godmode-collector-7.0.0.crx").write_bytes(b"not a crx")
    server = make_server(GODMODE_EXTENSION_DIR=str(shelf))

    answer = httpx.get(server.url + UPDATES)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    [app] = _apps(answer.text)
    codebase = f"{server.url}/api/collectors/extension/godmode-collector-1.10.0.crx"
    data = (shelf / "godmode-collector-1.10.0.crx").read_bytes()
    assert app == {
        "appid": newest.extension_id,
        "codebase": codebase,
        "version": "1.10.0",  # numerically newest, not by name
        "hash_sha256": hashlib.sha256(data).hexdigest(),
    }
    served = httpx.get(codebase)
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/x-chrome-extension"
    assert served.content == data
    for name in (
        "godmode-collector-9.0.0.crx",
        "godmode-collector-8.0.0.crx",
        "godmode-collector-7.0.0.crx",
    ):
        refused = httpx.get(f"{server.url}/api/collectors/extension/{name}")
        assert refused.status_code == 404, name
        assert "no valid package" in refused.json()["message"]
    assert (
        httpx.get(f"{server.url}/api/collectors/extension/..%2F..%2Fgodmode.db").status_code == 404
    )
    report = check_update_manifest(server.url + UPDATES)
    assert report.problems == []
    assert len(report.checked) == 1


def test_a_new_version_is_offered_as_soon_as_it_is_written(
    make_server: ServerFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "packages"
    key = crx.new_private_key()
    package(_version_copy(tmp_path, "1.0.0"), key, folder)
    server = make_server(GODMODE_EXTENSION_DIR=str(folder))
    assert [a["version"] for a in _apps(httpx.get(server.url + UPDATES).text)] == ["1.0.0"]
    package(_version_copy(tmp_path, "1.0.1"), key, folder)
    assert [a["version"] for a in _apps(httpx.get(server.url + UPDATES).text)] == ["1.0.1"]
    # A second studio key in the same folder is a second app, each with its newest version.
    other = package(_version_copy(tmp_path, "2.0"), crx.new_private_key(), tmp_path / "other")
    shutil.copy(other.crx_path, folder / "godmode-collector-2.0.crx")
    versions = sorted(a["version"] for a in _apps(httpx.get(server.url + UPDATES).text))
    assert versions == ["1.0.1", "2.0"]


def test_without_packages_the_answer_says_why(make_server: ServerFactory, tmp_path: Path) -> None:
    plain = make_server()
    answer = httpx.get(plain.url + UPDATES)
    assert answer.status_code == 404
    assert "GODMODE_EXTENSION_DIR" in answer.json()["message"]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "godmode-collector-1.0.0.crx").write_bytes(b"Cr24")
    server = make_server(GODMODE_EXTENSION_DIR=str(empty))
    answer = httpx.get(server.url + UPDATES)
    assert answer.status_code == 404
    assert "no valid collector package" in answer.json()["message"]
    report = check_update_manifest(server.url + UPDATES)
    assert report.problems == [f"{server.url}{UPDATES}: HTTP 404"]


def test_a_server_given_a_folder_that_is_not_one_does_not_start(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, env={"GODMODE_EXTENSION_DIR": str(tmp_path / "missing")})
    with pytest.raises(RuntimeError, match=r"GODMODE_EXTENSION_DIR=.*no such folder"):
        server.start()


@pytest.fixture
def static_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A plain web server over a folder: where a studio might host the files itself."""
    root = tmp_path / "site"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}", root
    site.shutdown()
    site.server_close()


def _manifest(appid: str, codebase: str, version: str, sha256: str = "") -> str:
    hashed = f" hash_sha256='{sha256}'" if sha256 else ""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>"
        f"<app appid='{appid}'><updatecheck codebase='{codebase}' version='{version}'{hashed}/></app>"
        "</gupdate>"
    )


def test_check_reports_a_manifest_that_names_a_missing_or_wrong_package(
    static_site: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = static_site
    built = package(_version_copy(tmp_path, "1.0.0"), crx.new_private_key(), root)
    good = f"{url}/{built.crx_path.name}"
    digest = hashlib.sha256(built.crx_path.read_bytes()).hexdigest()
    cases = {
        "missing.xml": (
            _manifest(built.extension_id, f"{url}/gone.crx", "1.0.0"),
            "gone.crx: HTTP 404",
        ),
        "version.xml": (
            _manifest(built.extension_id, good, "1.0.1"),
            "manifest says version 1.0.0",
        ),
        "id.xml": (_manifest("a" * 32, good, "1.0.0"), f"signed as {built.extension_id}"),
        "hash.xml": (_manifest(built.extension_id, good, "1.0.0", "0" * 64), "SHA-256 is not"),
        "junk.xml": ("<html>", "not XML"),
        "empty.xml": (
            _manifest("x", "", "1").replace("<app", "<nope").replace("</app>", "</nope>"),
            "names no app",
        ),
    }
    for name, (text, message) in cases.items():
        (root / name).write_text(text)
        report = check_update_manifest(f"{url}/{name}")
        assert len(report.problems) == 1, (name, report)
        assert message in report.problems[0], (name, report)
    (root / "good.xml").write_text(_manifest(built.extension_id, good, "1.0.0", digest))
    assert check_update_manifest(f"{url}/good.xml").problems == []
    # The command says the same and fails, for a deployment script.
    command = subprocess.run(
        [sys.executable, "-m", "godmode_server", "extension", "check", f"{url}/missing.xml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert command.returncode == 1
    assert "problem: " in command.stderr
    assert "gone.crx: HTTP 404" in command.stderr


def test_production_links_the_packages_under_the_public_url_whatever_the_host_header(
    tmp_path: Path, shelf: Path
) -> None:
    server = ServerProcess(
        tmp_path / "server",
        dev=False,
        env={
            "GODMODE_EXTENSION_DIR": str(shelf),
            "GODMODE_PUBLIC_URL": "https://tracking.studio.example/godmode/",
        },
    )
    server.start()
    try:
        answer = httpx.get(server.url + UPDATES, headers={"Host": "attacker.example"})
    finally:
        server.stop()

    assert answer.status_code == 200, answer.text
    [app] = _apps(answer.text)
    assert app["codebase"] == (
        "https://tracking.studio.example/godmode"
        "/api/collectors/extension/godmode-collector-1.10.0.crx"
    )
    assert "attacker" not in answer.text


def test_production_without_a_public_url_says_which_setting_is_missing(
    tmp_path: Path, shelf: Path
) -> None:
    server = ServerProcess(
        tmp_path / "server", dev=False, env={"GODMODE_EXTENSION_DIR": str(shelf)}
    )
    server.start()
    try:
        answer = httpx.get(server.url + UPDATES, headers={"Host": "attacker.example"})
    finally:
        server.stop()

    assert answer.status_code == 503
    assert "GODMODE_PUBLIC_URL" in answer.json()["message"]


@pytest.mark.parametrize(
    "value", ["tracking.example.com", "ftp://x.example", "https://x.example/?a=1", "https://u:p@x"]
)
def test_a_public_url_that_is_not_one_stops_the_start(tmp_path: Path, value: str) -> None:
    server = ServerProcess(tmp_path, env={"GODMODE_PUBLIC_URL": value})
    result = server.cli("run", "--port", "1")
    assert result.returncode != 0
    assert "GODMODE_PUBLIC_URL" in result.stderr or "public_url" in result.stderr, result.stderr
