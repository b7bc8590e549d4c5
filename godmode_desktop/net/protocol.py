"""The wire protocol, as the app sees it: the models shared with the server.

They are defined once, in :mod:`godmode_common.protocol`; the app's code imports them from here,
so that what the net layer depends on is one module of its own.
"""

from godmode_common.protocol import *  # noqa: F403
from godmode_common.protocol import __all__ as __all__
