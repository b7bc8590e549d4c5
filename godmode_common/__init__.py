"""What the server and the desktop app share: the wire protocol, the retry policy, the default
platforms and the version.

It imports neither side (checked by import-linter in ``make lint``), and needs pydantic alone,
so that a server image carries no Qt and the app no server.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    #: The installed distribution's version: one number, in pyproject.toml.
    __version__ = version("godmode")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
