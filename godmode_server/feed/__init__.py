"""The live feed: events fanned out to every dashboard (``hub.py``) and the snapshots they start
from (``snapshots.py``); the WebSocket route is routes/dashboard.py."""
