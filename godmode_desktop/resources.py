"""Where the app's resources (sounds, translations, icon) are: ``godmode_desktop/assets``.

In a checkout that is a link to the repository's ``resources/``; in an installed package, the
copy the wheel carries (with the translations compiled at build time: setup.py).
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"


def sound(name: str) -> Path:
    return ASSETS / "sounds" / f"{name}.wav"


def translations() -> Path:
    return ASSETS / "i18n"


def icon() -> Path:
    return ASSETS / "godmode.svg"
