"""The importer's vocabulary (headers, status, channel and boolean words) from mapping.toml,
extended by a user file named in TTHC_IMPORT_MAPPING."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard.domain.formatting import fold

DEFAULT_MAPPING = Path(__file__).with_name("mapping.toml")
# The 766 sources' header sections ([catalogue_headers] …) and word sections of mapping.toml.
SOURCE_KINDS = ("catalogue", "feedback", "satisfaction", "sync")
SOURCE_VOCABULARIES = (
    "procedure_levels",
    "online_levels",
    "feedback_categories",
    "feedback_ratings",
    "satisfaction_levels",
)


@lru_cache(maxsize=65536)  # exports repeat the same few words in every row
def normalize_key(text: str) -> str:
    """Fold a header or word for matching: no case, diacritics, punctuation or extra spaces."""
    folded = fold(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


@dataclass(frozen=True)
class Mapping:
    """Folded lookups: header -> field, word -> canonical value."""

    headers: dict[str, str]
    statuses: dict[str, str]
    channels: dict[str, int]
    booleans: dict[str, bool]
    unit_prefixes: tuple[str, ...]
    limits: dict[str, int]
    history_headers: dict[str, str] = field(default_factory=dict)
    step_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The 766 score's other files (importer/sources): kind -> folded header -> field, and
    # vocabulary -> folded word -> canonical value.
    source_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    source_words: dict[str, dict[str, str]] = field(default_factory=dict)

    def header_field(self, text: str) -> str | None:
        """The field a header names, or None."""
        return self.headers.get(normalize_key(text))

    def history_field(self, text: str) -> str | None:
        """The step field a history header names, or None."""
        return self.history_headers.get(normalize_key(text))


def _merge(base: dict, extra: dict) -> dict:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for section, values in extra.items():
        if isinstance(values, dict):
            target = out.setdefault(section, {})
            for k, v in values.items():
                if isinstance(v, list):
                    target[k] = list(target.get(k, [])) + v
                else:
                    target[k] = v
    return out


@lru_cache(maxsize=8)
def load_mapping(extra_path: str | None = None) -> Mapping:
    """The default vocabulary, plus the entries of the TOML file `extra_path`."""
    raw = tomllib.loads(DEFAULT_MAPPING.read_text(encoding="utf-8"))
    if extra_path:
        raw = _merge(raw, tomllib.loads(Path(extra_path).read_text(encoding="utf-8")))
    headers = {
        normalize_key(alias): field
        for field, aliases in raw["headers"].items()
        for alias in aliases
    }
    statuses = {
        normalize_key(w): status for status, words in raw["statuses"].items() for w in words
    }
    channels = {normalize_key(w): int(ch) for ch, words in raw["channels"].items() for w in words}
    booleans = {
        normalize_key(w): value == "true" for value, words in raw["booleans"].items() for w in words
    }
    prefixes = tuple(
        sorted((normalize_key(p) for p in raw["units"]["prefixes"]), key=len, reverse=True)
    )
    history = {
        normalize_key(alias): fld
        for fld, aliases in raw.get("history_headers", {}).items()
        for alias in aliases
    }
    kinds = tuple(
        (kind, tuple(normalize_key(w) for w in words))
        for kind, words in raw.get("step_kinds", {}).items()
    )
    source_headers = {
        kind: {
            normalize_key(alias): fld
            for fld, aliases in raw.get(f"{kind}_headers", {}).items()
            for alias in aliases
        }
        for kind in SOURCE_KINDS
    }
    source_words = {
        name: {normalize_key(w): value for value, words in raw.get(name, {}).items() for w in words}
        for name in SOURCE_VOCABULARIES
    }
    return Mapping(
        headers,
        statuses,
        channels,
        booleans,
        prefixes,
        dict(raw["limits"]),
        history,
        kinds,
        source_headers,
        source_words,
    )
