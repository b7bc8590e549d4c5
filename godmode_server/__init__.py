"""God Mode tracking backend: ingest, latest values, event log and dashboard fan-out."""

from godmode_common import __version__

__all__ = ["__version__"]
