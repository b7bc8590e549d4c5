"""How the server meets the network: uvicorn's configuration (``config.py``), the bounded HTTP and
WebSocket protocols, corked writes, request ids and redacted logs, and ``run --workers``."""
