"""Helpers shared by tests and by the scripts in ``scripts/`` (not collected as tests)."""
