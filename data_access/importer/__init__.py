"""Import dossier lists exported by the provincial one-stop system.

read (reader.py) → map headers and words (config.py, mapping.toml) → validate (validate.py)
→ load in one transaction (load.py): catalog additions, dossiers, rollups and the audit record.

The entry points are loaded on first use: the reading child's fork server imports only the
reader (pandas and calamine), not the database layer, and starts about half a second sooner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from data_access.importer.load import ImportReport, import_bytes, import_file

__all__ = ["ImportReport", "import_bytes", "import_file"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from data_access.importer import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
