"""Helpers shared by several test modules (imported explicitly, never through conftest)."""
