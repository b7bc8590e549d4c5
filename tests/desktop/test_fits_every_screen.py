"""Every window fits a 1366×768 laptop screen, and no text is cut, in English and Spanish,
light and dark, at 100 % and 150 % text (issue 37): the real app, logged in to a real server
with a simulated studio, each window opened as the menus open it (tests/helpers/window_walk.py),
each label's, button's and field's text measured against its widget; and compact rows show at
least 40 rooms in the maximised window at 100 %."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from godmode_common.launcher import server_command
from tests.helpers.servers import ServerProcess
from tests.helpers.source_tree import REPO
from tests.helpers.window_walk import COMBINATIONS, screen_config


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A --dev server with 60 rooms and ten minutes of their history."""
    server = ServerProcess(tmp_path_factory.mktemp("studio")).start()
    posted = subprocess.run(
        [
            *server_command("simulate", "--server", server.url, "--rooms", "60"),
            *("--seed", "37", "--backfill", "10", "--duration", "0", "--quiet"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert posted.returncode == 0, posted.stderr
    yield server
    server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [96, 144], ids=["100% text", "150% text"])
def test_every_window_fits_a_laptop_screen_and_cuts_no_text(
    studio: ServerProcess, tmp_path: Path, dpi: int
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=screen_config(tmp_path / "screen.json", dpi))
    env.pop("QT_FONT_DPI", None)
    walked = subprocess.run(
        [sys.executable, "-m", "tests.helpers.window_walk", studio.url, str(tmp_path), "--shots"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert walked.returncode == 0, walked.stderr[-4000:]
    results = json.loads(walked.stdout.strip().splitlines()[-1])
    assert sorted(results) == sorted(f"{lang}-{scheme}" for lang, scheme in COMBINATIONS)
    problems = {
        f"{combination} {window}": found
        for combination, result in results.items()
        for window, found in result["problems"].items()
    }
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
    if dpi == 96:  # compact rows: at least 40 rooms in the maximised window
        assert {c: r["compact_rows"] for c, r in results.items()} == {
            c: max(40, r["compact_rows"]) for c, r in results.items()
        }
    # Each window's picture was taken (and is kept in the test's folder to look at).
    assert len(list((tmp_path / "es-dark").glob("*.png"))) >= 15
