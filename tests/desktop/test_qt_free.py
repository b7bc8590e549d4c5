"""The modules whose docstring says they are Qt-free are the ones import-linter holds to it
(pyproject.toml), so that a new one cannot say so without being checked."""

from __future__ import annotations

import ast
import tomllib

from tests.helpers.source_tree import REPO


def test_every_module_that_says_it_is_qt_free_is_checked_by_the_contract() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if "Qt-free" in c["name"] and c["type"] == "forbidden"
    ]
    assert {"PySide6", "qasync", "pyqtgraph"} <= set(contract["forbidden_modules"])
    saying = set()
    for path in (REPO / "godmode_desktop").rglob("*.py"):
        docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
        if "Qt-free" in docstring.replace("\n", " "):
            saying.add(".".join(path.relative_to(REPO).with_suffix("").parts))
    checked = set(contract["source_modules"])
    assert len(saying) >= 6
    assert {m for m in saying if not any(m == c or m.startswith(c + ".") for c in checked)} == set()
