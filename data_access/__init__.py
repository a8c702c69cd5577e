"""Data access: the only package that knows SQL and table names."""
