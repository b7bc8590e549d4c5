"""The extension's selectors: ``selectors.json`` (kept in ``extension/``, the one copy), or the
studio's own file (``GODMODE_SELECTORS_FILE``), checked when the server starts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from godmode_common.protocol import CollectorSelectors
from godmode_server.settings import ConfigError, validation_problems


def load_selectors(path: Path | None) -> CollectorSelectors:
    """The selectors to serve; :class:`ConfigError` saying what is wrong with a bad file."""
    if path is None:
        text = resources.files(__package__).joinpath("selectors.json").read_text("utf-8")
        where = "the built-in selectors.json"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(
                f"GODMODE_SELECTORS_FILE: cannot read {path}: {exc.strerror}"
            ) from exc
        where = str(path)
    try:
        return CollectorSelectors.model_validate_json(text)
    except ValidationError as exc:
        raise ConfigError(
            f"{where} is not valid selectors data: {validation_problems(exc)}"
        ) from exc
