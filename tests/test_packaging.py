"""The project as a user installs it: a wheel and an sdist built from the repository, installed
in a fresh virtualenv outside the checkout, carrying everything the app and the demo need."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from godmode_common import __version__
from tests.helpers.source_tree import building_in_the_checkout

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``python -m build``: an sdist, and a wheel built from that sdist (as build does)."""
    out = tmp_path_factory.mktemp("dist")
    with building_in_the_checkout():
        _run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    (wheel,) = out.glob("godmode-*.whl")
    (sdist,) = out.glob("godmode-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_wheel_carries_the_resources_and_the_compiled_translations(
    built: dict[str, Path],
) -> None:
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    for needed in (
        "godmode_desktop/assets/godmode.svg",
        "godmode_desktop/assets/sounds/tip.wav",
        "godmode_desktop/assets/sounds/big-tip.wav",
        "godmode_desktop/assets/sounds/huge-tip.wav",
        "godmode_desktop/assets/i18n/godmode_es.qm",
        "godmode_server/collectors/selectors.json",
        "godmode_server/sql/migrations/script.py.mako",
        "godmode_common/protocol.py",
    ):
        assert needed in names, f"{needed} is not in the wheel"
    assert not any(n.endswith(".ts") or "screenshot" in n for n in names), "sources stay out"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(built["wheel"]).read(entry_points).decode()
    assert "[gui_scripts]\ngodmode-app = godmode_desktop.app:main" in text
    assert "godmode = godmode_desktop.cli:main" in text


@pytest.fixture(scope="module")
def installed(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv, far from the checkout, with the wheel and its demo extra."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    _run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=venv.parent)
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    _run(UV, "pip", "install", "--quiet", f"{built['wheel']}[demo]", cwd=venv.parent, env=env)
    return venv


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH into the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    return env


def test_the_installed_app_uses_its_own_copy_and_says_its_version(installed: Path) -> None:
    env = _clean_env(installed)
    where = _run(
        installed / "bin" / "python",
        "-c",
        "from godmode_desktop import resources; print(resources.icon()); "
        "print(resources.translations() / 'godmode_es.qm')",
        cwd=installed.parent,
        env=env,
    ).split()
    for path in where:
        assert path.startswith(str(installed)), f"{path} is not the installed copy"
        assert Path(path).is_file()
    assert _run(
        installed / "bin" / "godmode", "--version", cwd=installed.parent, env=env
    ).strip() == (f"godmode, version {__version__}")
    assert (installed / "bin" / "godmode-app").is_file()
    assert "Usage: godmode-server" in _run(
        installed / "bin" / "godmode-server", "--help", cwd=installed.parent, env=env
    )


def test_the_installed_demo_takes_a_screenshot(installed: Path) -> None:
    shot = installed.parent / "demo.png"
    env = _clean_env(installed) | {"QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    _run(
        installed / "bin" / "godmode",
        "demo",
        "--rooms",
        "12",
        "--screenshot",
        shot,
        cwd=installed.parent,
        env=env,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000, "a real window, not an empty image"


def test_the_sdist_holds_what_a_wheel_is_built_from(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for needed in (
        "setup.py",
        "resources/i18n/godmode_es.ts",
        "resources/sounds/tip.wav",
        "extension/selectors.json",
    ):
        assert needed in names, f"{needed} is not in the sdist"
    assert not any(n.endswith(".qm") for n in names), "compiled catalogues are built, not shipped"
