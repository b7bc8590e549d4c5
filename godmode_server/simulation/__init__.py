"""A simulated studio: live rooms (``studio.py``) and a past week whose earnings are known
(``week.py``), posted as collectors post."""
