"""GET /api/collectors/selectors: the extension's selectors, served centrally."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers.servers import ServerFactory
from tests.helpers.source_tree import REPO

EXTENSION_SELECTORS = REPO / "extension" / "selectors.json"


def test_the_built_in_selectors_are_the_extensions(make_server: ServerFactory) -> None:
    server = make_server()

    answer = httpx.get(server.url + "/api/collectors/selectors?strategies=1")

    assert answer.status_code == 200
    shipped = json.loads(EXTENSION_SELECTORS.read_text())
    assert answer.json()["version"] == shipped["version"]
    assert (
        answer.json()["platforms"]["stripchat"]["counters"]
        == (shipped["platforms"]["stripchat"]["counters"])
    )


def test_an_extension_older_than_strategies_gets_the_css_selectors_only(
    make_server: ServerFactory,
) -> None:
    server = make_server()

    body = httpx.get(server.url + "/api/collectors/selectors").json()

    shipped = json.loads(EXTENSION_SELECTORS.read_text())
    counters = body["platforms"]["stripchat"]["counters"]
    # Extension 1.1 refuses the whole file unless every entry is a string.
    assert all(isinstance(e, str) for entries in counters.values() for e in entries)
    assert counters["viewers_count"] == [
        e
        for e in shipped["platforms"]["stripchat"]["counters"]["viewers_count"]
        if isinstance(e, str)
    ]
    assert counters["tokens_count"] == shipped["platforms"]["stripchat"]["counters"]["tokens_count"]


def test_strategies_that_leave_the_page_s_origin_stop_the_start(tmp_path: Path) -> None:
    data = json.loads(EXTENSION_SELECTORS.read_text())
    data["platforms"]["camsoda"]["counters"]["tips_count"] = [
        {"kind": "json", "url": "//evil.example/steal", "path": "a"}
    ]
    path = tmp_path / "selectors.json"
    path.write_text(json.dumps(data))

    result = run_server(tmp_path, path)

    assert result.returncode != 0
    assert "platforms.camsoda.counters.tips_count" in result.stderr


def test_a_studio_file_replaces_them(make_server: ServerFactory, tmp_path: Path) -> None:
    data = json.loads(EXTENSION_SELECTORS.read_text())
    data["version"] = 7
    data["platforms"]["camsoda"]["counters"]["tokens_count"] = [".new-balance"]
    path = tmp_path / "selectors.json"
    path.write_text(json.dumps(data))
    server = make_server(GODMODE_SELECTORS_FILE=str(path))

    body = httpx.get(server.url + "/api/collectors/selectors").json()

    assert body["version"] == 7
    assert body["platforms"]["camsoda"]["counters"]["tokens_count"] == [".new-balance"]


def test_production_asks_for_the_ingest_key(make_server: ServerFactory) -> None:
    server = make_server(dev=False)
    key = server.cli("key", "create", "extension").stdout.strip()

    without = httpx.get(server.url + "/api/collectors/selectors")
    wrong = httpx.get(server.url + "/api/collectors/selectors", headers={"X-Api-Key": "gm_nope"})
    right = httpx.get(server.url + "/api/collectors/selectors", headers={"X-Api-Key": key})

    assert (without.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert without.json()["message"] == "an API key is required (X-Api-Key header)"


def test_a_malformed_file_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "selectors.json"
    path.write_text('{"version": 2, "platforms": {"camsoda": {"counters": {"tokens_count": []}}}}')

    result = run_server(tmp_path, path)

    assert result.returncode != 0
    assert "is not valid selectors data" in result.stderr
    assert "platforms.camsoda.counters.tokens_count" in result.stderr


def run_server(tmp_path: Path, selectors: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "godmode_server", "run", "--dev", "--port", "0"],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "GODMODE_SELECTORS_FILE": str(selectors),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
