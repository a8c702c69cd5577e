"""Import dossier lists exported by the provincial one-stop system.

read (reader.py) → map headers and words (config.py, mapping.toml) → validate (validate.py)
→ load in one transaction (load.py): catalog additions, dossiers, rollups and the audit record.
"""

from data_access.importer.load import ImportReport, import_bytes, import_file

__all__ = ["ImportReport", "import_bytes", "import_file"]
