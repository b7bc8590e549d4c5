"""God Mode desktop dashboard.

Importing this package must not import Qt: ``godmode_desktop.net`` (and its wire models) are used
by the server and by command-line tools that have no GUI dependencies installed.
"""

__version__ = "0.1.0"
