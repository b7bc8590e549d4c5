"""deploy/prometheus/godmode-alerts.yml: valid rules (promtool), about metrics that exist."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import ServerProcess

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "godmode-alerts.yml"


def test_promtool_accepts_the_rules() -> None:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is needed (make test installs prometheus)")
    result = subprocess.run(
        ["promtool", "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 15 rules found" in result.stdout


def test_every_metric_in_the_rules_is_exported(dev_server: ServerProcess) -> None:
    exported = {
        line.split("{")[0].split(" ")[0]
        for line in httpx.get(dev_server.url + "/metrics").text.splitlines()
        if line and not line.startswith("#")
    }
    # Families that have no series until something happens are described in # TYPE lines.
    described = set(re.findall(r"^# TYPE (\S+)", httpx.get(dev_server.url + "/metrics").text, re.M))
    named = set(re.findall(r"\b((?:godmode|process)_[a-z_]+)\b", RULES.read_text()))

    known = exported | described | {name + "_total" for name in described}
    missing = named - known
    assert not missing, f"the rules name metrics the server does not export: {missing}"
