"""``make dist``: the standalone Linux bundle, unpacked elsewhere and run with no Python on PATH."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest

from godmode_common import __version__
from tests.helpers.demo_on_screen import run_until_stopped
from tests.helpers.source_tree import building_in_the_checkout
from tests.helpers.x11 import virtual_screen

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / f"godmode-{__version__}-linux-x86_64.tar.gz"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with building_in_the_checkout():
        built = subprocess.run(
            ["make", "--no-print-directory", "dist"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1100,
            check=False,
        )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    where = tmp_path_factory.mktemp("anywhere")
    with tarfile.open(BUNDLE) as bundle:
        bundle.extractall(where, filter="tar")
    return where / "godmode"


def _bare(home: Path, **extra: str) -> list[str]:
    """``env -i``: no PATH, no Python, no virtualenv; a home folder of the test's own."""
    return ["env", "-i", f"HOME={home}", *(f"{k}={v}" for k, v in extra.items())]


def test_the_bundle_says_its_version_with_no_python_around(unpacked: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [*_bare(tmp_path), str(unpacked / "godmode"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"godmode, version {__version__}"


def test_the_bundle_runs_a_live_demo_and_takes_its_screenshot(
    unpacked: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "demo.png"
    result = subprocess.run(
        [
            *_bare(tmp_path, QT_QPA_PLATFORM="offscreen"),
            str(unpacked / "godmode"),
            *("demo", "--rooms", "12", "--screenshot", str(shot)),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "grid: 12 rooms" in result.stdout
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000, "a real window, not an empty image"


def test_the_bundle_carries_the_server_commands(unpacked: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [*_bare(tmp_path), str(unpacked / "godmode"), "server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: godmode-server" in result.stdout


def test_the_bundles_demo_stays_open_until_quit(unpacked: Path, tmp_path: Path) -> None:
    """``./godmode/godmode demo`` on a real X screen, with no Python around: open after 20 s,
    then Quit (Ctrl+Q) ends it and everything it started."""
    env = {"HOME": str(tmp_path)}
    with virtual_screen(tray=False) as screen:
        run_until_stopped(
            [str(unpacked / "godmode"), "demo", "--rooms", "12"],
            env,
            screen,
            "Quit",
            tmp_path / "demo.log",
        )
