"""The one build step pyproject.toml cannot declare: the app's translations.

Qt Linguist's sources (``resources/i18n/*.ts``) are committed; the compiled catalogues (``.qm``)
are not.  Building a wheel compiles them with ``lrelease`` (from PySide6, a build requirement)
into the built package, next to the icon and the sounds (``godmode_desktop/assets``, a link to
``resources/``), so an installed app has every resource it needs.  Editable installs skip this:
they read ``resources/`` itself, where ``make translations`` puts the catalogues.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def lrelease() -> str:
    found = shutil.which("pyside6-lrelease")
    if found:
        return found
    import PySide6  # the build requirement; its tools sit beside it on Linux and Windows

    return str(
        Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    )


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "godmode_desktop" / "assets" / "i18n"
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted((HERE / "resources" / "i18n").glob("*.ts")):
            compiled = target / f"{source.stem}.qm"
            subprocess.run([lrelease(), "-silent", str(source), "-qm", str(compiled)], check=True)
            if not compiled.is_file():
                raise RuntimeError(f"lrelease made no {compiled.name} from {source.name}")


setup(cmdclass={"build_py": BuildWithTranslations})
