"""The README's *Layout* section, made from the tree: each package and module with the first
sentence of its docstring, so that the section cannot drift from the code.

``python docs/make_layout.py`` rewrites the section between its markers in README.md;
``--check`` only says whether it is current (a test runs that).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START = "<!-- layout: made by docs/make_layout.py; edit the docstrings, not this -->"
END = "<!-- layout end -->"
#: The Python packages, in the order the section shows them.
PACKAGES = ("godmode_common", "godmode_desktop", "godmode_server", "benchmarks", "tests/helpers")
#: Folders that are not Python packages, said by hand.
FOLDERS = {
    "resources/": "icon, alert sounds, translations (`i18n/*.ts`), the screenshots",
    "extension/": "the Chrome MV3 collector: `manifest.json`, `selectors.json` (the one copy of "
    "the reading rules: strategies per counter), `managed_schema.json` (settings by policy), "
    "`src/` (`scraper.js` pure readers, `outline.js` the page outline with nothing personal, "
    "`config.js` policy over popup settings, `content.js` + `platforms/*.js` content scripts, "
    "`background.js` service worker and health reports, `outbox.js` the durable queue), "
    "`popup/`, `_locales/` (en, es), `test/` (node tests, headless Chromium end-to-end; "
    "`fixtures/SOURCES.md` where each fixture's shape comes from), `tools/` (the popup's "
    "screenshots), `eslint.config.js`",
    "deploy/": "`Containerfile` (the server's image, `make image`), `locks/server.txt` (its "
    "pinned, hashed dependencies: `make lock`), `godmode-server.service` (systemd), "
    "`prometheus/godmode-alerts.yml`, `bundle/` (the desktop bundle's spec)",
    "tests/": "mirrors the packages; `helpers/` (below) holds what several test modules share, "
    "imported from there, never from a conftest; `stages.py` runs `make test`'s parts side by side",
    "docs/": "protocol reference, operations, collectors, desktop net layer, performance, "
    "security, reliability; this script",
}


def summary(path: Path) -> str:
    """The first sentence of the module's docstring, on one line."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(docstring.split("\n\n")[0].split())
    sentence = re.split(r"(?<=[a-z0-9)`'\"])\.(?:\s|$)", text, maxsplit=1)[0]
    return sentence.rstrip(".")


def package_lines(package: Path, depth: int = 0) -> list[str]:
    relative = package.relative_to(REPO).as_posix()
    indent = "  " * depth
    init = package / "__init__.py"
    about = summary(init) if init.is_file() else ""
    lines = [f"{indent}- `{relative}/`" + (f" — {about}" if about else "")]
    for module in sorted(package.glob("*.py")):
        if module.name in ("__init__.py", "conftest.py"):
            continue
        about = summary(module)
        lines.append(f"{indent}  - `{module.name}`" + (f" — {about}" if about else ""))
    for folder in sorted(p for p in package.iterdir() if p.is_dir()):
        if (folder / "__init__.py").is_file():
            lines += package_lines(folder, depth + 1)
        elif folder.name != "__pycache__" and any(folder.glob("*.py")):
            # a folder of scripts beside the package's modules (assets/make_sounds.py)
            lines.append(f"{indent}  - `{folder.relative_to(REPO).as_posix()}/`")
            for script in sorted(folder.glob("*.py")):
                about = summary(script)
                lines.append(f"{indent}    - `{script.name}`" + (f" — {about}" if about else ""))
    return lines


def section() -> str:
    lines = [START, ""]
    for name in PACKAGES:
        lines += package_lines(REPO / name)
    lines += [f"- `{folder}` — {about}" for folder, about in FOLDERS.items()]
    return "\n".join([*lines, "", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no layout markers ({START} ... {END})", file=sys.stderr)
        return 2
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    updated = before + section() + after
    if parser.parse_args().check:
        if updated != text:
            print("README.md's layout is not current: run python docs/make_layout.py")
            return 1
        return 0
    readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
