"""The HTTP and WebSocket surface, one module per capability, above the container they reach
through :func:`godmode_server.context.context`; ``access.py`` and ``bodies.py`` are what every
route shares (who is calling, and its body read bounded and validated)."""
