"""The server's SQL database behind one object: ``ctx.db.add_user``, ``ctx.db.key_name``,
``ctx.db.add_samples``, ...

Each part is a module of its own (users.py, keys.py, outlines.py, samples.py, rates.py, on
engine.py and tables.py);
this class only puts them together, so that the routes and services hold one database.
"""

from __future__ import annotations

from godmode_server.sql.keys import Keys
from godmode_server.sql.outlines import Outlines
from godmode_server.sql.rates import Rates
from godmode_server.sql.samples import Samples
from godmode_server.sql.users import Users


class Database(Users, Keys, Outlines, Samples, Rates):
    """Accounts, ingest API keys, page outlines, the long-term sample archive and the rates
    (SQLAlchemy 2, asyncio)."""
