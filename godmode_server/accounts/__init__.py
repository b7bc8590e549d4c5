"""Accounts as services: tokens (``auth.py``), credentials changed on any node (``credentials.py``),
ingest keys' names (``api_keys.py``) and refused attempts in the audit log (``refusals.py``); the
routes are routes/accounts.py and routes/admin.py, the tables sql/users.py and sql/keys.py."""
