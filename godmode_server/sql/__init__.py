"""The server's SQL database: its tables (``tables.py``), engine and schema (``engine.py``,
``schema.py``, ``migrations/``), one module per part (``users.py``, ``keys.py``,
``outlines.py``, ``samples.py``) behind one facade (``database.py``), the rollups in SQL, the batched archive writer and how
credentials are kept (``hashing.py``)."""
