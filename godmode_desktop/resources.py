"""Where the app's resources (sounds, translations, icons) are: the repository's ``resources/``."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def sound(name: str) -> Path:
    return RESOURCES / "sounds" / f"{name}.wav"


def translations() -> Path:
    return RESOURCES / "i18n"


def icon() -> Path:
    return RESOURCES / "godmode.svg"
