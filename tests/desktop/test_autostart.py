"""Start at login, the XDG way (Linux): a desktop entry in the user's autostart folder."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from godmode_desktop import autostart


@pytest.fixture
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


def test_enabling_writes_a_desktop_entry_that_starts_this_app(config_home: Path) -> None:
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    entry = config_home / "autostart" / "godmode.desktop"
    assert autostart.is_enabled()
    fields = dict(line.split("=", 1) for line in entry.read_text().splitlines() if "=" in line)
    assert fields["Type"] == "Application"
    assert fields["Name"] == "God Mode"
    assert shlex.split(fields["Exec"]) == [sys.executable, "-m", "godmode_desktop"]
    validate = shutil.which("desktop-file-validate")
    if validate is not None:
        result = subprocess.run([validate, str(entry)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_disabling_removes_it_and_is_harmless_twice(config_home: Path) -> None:
    autostart.set_enabled(True)
    autostart.set_enabled(False)
    assert not autostart.is_enabled()
    assert not (config_home / "autostart" / "godmode.desktop").exists()
    autostart.set_enabled(False)
