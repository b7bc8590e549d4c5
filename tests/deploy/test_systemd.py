"""deploy/godmode-server.service: systemd's own checker finds nothing to say, the hardening is
there, and the service's database lives in its state directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "godmode-server.service"
INSTALLED = "/opt/godmode/bin/godmode-server"


def directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            name, _, value = line.partition("=")
            found.setdefault(name.strip(), []).append(value.strip())
    return found


def test_systemd_analyze_verify_finds_nothing(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is needed (make test installs systemd)")
    # The unit names where the package installs the server; here it is the virtualenv's.
    here = str(Path(sys.executable).parent / "godmode-server")
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace(INSTALLED, here))

    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == "", "every warning is a mistake in the unit"


def test_the_service_is_hardened_and_keeps_its_data_in_its_state_directory() -> None:
    unit = directives()
    assert unit["User"] == ["godmode"]
    assert unit["StateDirectory"] == ["godmode"]
    assert "GODMODE_DATABASE_URL=sqlite:////var/lib/godmode/godmode.db" in unit["Environment"]
    assert unit["EnvironmentFile"] == ["/etc/godmode/server.env"]
    assert unit["ExecStart"] == [f"{INSTALLED} run"]
    for name, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "UMask": "0077",
    }.items():
        assert unit[name] == [value], name
