"""God Mode desktop dashboard.

Importing this package must not import Qt: ``godmode_desktop.net`` is used by command-line tools
(``godmode watch``, ``godmode doctor``) that have no GUI dependencies installed.
"""

from godmode_common import __version__ as __version__
