"""Layouts: pure functions from data to Dash components (no database, no callbacks)."""
