"""The God Mode window's views.  They show state and report user intent through signals; they
never touch the network (the controller in :mod:`godmode_desktop.controller` does)."""
