"""Indicator engine: pure rules over counts (no Dash, no SQL)."""
