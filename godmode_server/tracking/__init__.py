"""Samples coming in: checked, stored, counted and archived (the routes are routes/tracking.py)."""
