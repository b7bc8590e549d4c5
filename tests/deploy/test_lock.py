"""deploy/locks/: the image's (server.txt) and the app bundle's (app.txt) dependencies, pinned,
hashed, and true to pyproject.toml."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "deploy" / "locks" / "server.txt"
APP_LOCK = ROOT / "deploy" / "locks" / "app.txt"


def test_every_dependency_is_pinned_with_hashes() -> None:
    requirements = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)(==|>=|<|~=|@)", LOCK.read_text(), re.M)
    assert requirements, "the lock lists the dependencies"
    assert {op for _, op in requirements} == {"=="}, "every one pinned to a version"
    blocks = re.split(r"\n(?=\S)", LOCK.read_text())
    unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
    assert not unhashed, f"without a hash: {unhashed}"
    names = {name.lower() for name, _ in requirements}
    assert {"fastapi", "uvicorn", "sqlalchemy", "pydantic"} <= names
    assert not names & {"pyside6", "pyside6-essentials", "pytest"}, "the server's only"


def test_the_lock_satisfies_pyproject(tmp_path: Path) -> None:
    """Resolving again from pyproject.toml, preferring the lock's pins, changes nothing (it
    would, were a dependency added or a bound moved past a pin: then run `make lock`)."""
    again, app_again = tmp_path / "server.txt", tmp_path / "app.txt"
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-s",
            "lock",
            f"LOCK_OUT={again}",
            f"APP_LOCK_OUT={app_again}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert again.read_text() == LOCK.read_text(), "deploy/locks/server.txt is stale: run make lock"
    assert app_again.read_text() == APP_LOCK.read_text(), (
        "deploy/locks/app.txt is stale: run make lock"
    )


def test_the_bundle_lock_holds_the_app_the_server_and_the_bundler() -> None:
    names = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", APP_LOCK.read_text(), re.M)}
    assert {"pyside6-essentials", "fastapi", "uvicorn", "pyinstaller", "truststore"} <= names
    assert "pytest" not in names
