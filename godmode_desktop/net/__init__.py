"""Everything that talks to the backend. Pure asyncio: this package never imports Qt."""
