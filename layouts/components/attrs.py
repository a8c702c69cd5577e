"""`data-*` attributes for Dash html components (tests and assets/tthc.js find cells by them)."""

from __future__ import annotations

from typing import Any


def data(name: str, value: object) -> dict[str, Any]:
    """`{"data-<name>": "<value>"}`, to pass as `**data(...)` (Dash components take any
    `data-*` keyword, which Python syntax cannot spell directly)."""
    return {f"data-{name}": str(value)}
