"""Platforms a fresh installation knows (the server accepts them, the app offers them)."""

DEFAULT_PLATFORMS = ("chaturbate", "stripchat", "camsoda", "bongacams", "myfreecams", "cam4")
