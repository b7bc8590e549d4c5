"""README.md's *Layout* section is the one docs/make_layout.py makes from the tree's docstrings,
so it names every module and says what each docstring says."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.source_tree import REPO


def test_the_readme_layout_is_made_from_the_tree() -> None:
    checked = subprocess.run(
        [sys.executable, str(REPO / "docs" / "make_layout.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    readme = (REPO / "README.md").read_text()
    for module in ("godmode_server/sql/", "`tables.py`", "`access.py`", "`rooms.py`"):
        assert module in readme
