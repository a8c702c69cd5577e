"""Unit versions (pure): a code and a day identify a unit; reorganizations link versions.

A code names different territories over time (10621: Thanh Quang until 30/11/2024, then the
merged Quốc Tuấn) and a name can too, so every lookup takes a day. A version that ended hands
its open dossiers to the successor that carries them, and a successor's history before it
existed is the sum of its predecessors'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

RECEIVING_KINDS = ("commune", "town", "ward", "special_zone", "department")
COMMUNE_KINDS = ("commune", "town", "ward", "special_zone")


@dataclass(frozen=True)
class UnitRow:
    """A unit version as the reports need it."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    sort_order: int = 0
    successor_id: int | None = None  # the successor that carries its open dossiers
    predecessor_ids: tuple[int, ...] = ()
    ref: str = ""  # how a URL or the CLI names it: the code, or code@valid_from when reused

    def valid_on(self, day: dt.date) -> bool:
        """Whether the version exists on `day`."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the version exists on some day of [start, end]."""
        return self.valid_from <= end and (self.valid_to is None or self.valid_to >= start)

    @property
    def label(self) -> str:
        """Name and code, as lists show a unit: «Quốc Tuấn (10621)»; where the code names
        several units over time, with the dates: «Thanh Quang (10621, đến 30/11/2024)»,
        «Quốc Tuấn (10621, từ 01/12/2024)»."""
        if "@" not in self.ref:
            return f"{self.name} ({self.code})"
        first = self.valid_from.year < 2000  # the version from before the reorganizations
        if first and self.valid_to is not None:
            return f"{self.name} ({self.code}, đến {self.valid_to:%d/%m/%Y})"
        return f"{self.name} ({self.code}, từ {self.valid_from:%d/%m/%Y})"


def parse_ref(ref: str) -> tuple[str, dt.date | None]:
    """'10621' -> ('10621', None); '10621@2024-03-10' -> ('10621', 10/3/2024)."""
    code, _, day = ref.strip().partition("@")
    if not day:
        return code, None
    try:
        return code, dt.date.fromisoformat(day)
    except ValueError:
        raise ValueError(
            f"Mã đơn vị không hợp lệ: {ref} (dạng 10621 hoặc 10621@2025-03-10)"
        ) from None


class Units(Mapping[int, UnitRow]):
    """Every unit version by id, with lookups by code and day and along reorganizations."""

    def __init__(self, rows: Iterable[UnitRow]) -> None:
        rows = list(rows)
        self._by_code: dict[str, list[UnitRow]] = {}
        for r in rows:
            self._by_code.setdefault(r.code, []).append(r)
        for versions in self._by_code.values():
            versions.sort(key=lambda r: r.valid_from)
        self._by_id = {
            r.id: r if r.ref else _with_ref(r, len(self._by_code[r.code]) > 1) for r in rows
        }
        self._by_code = {
            code: [self._by_id[v.id] for v in versions] for code, versions in self._by_code.items()
        }

    def __getitem__(self, unit_id: int) -> UnitRow:
        return self._by_id[unit_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def versions(self, code: str) -> list[UnitRow]:
        """Every version that carries `code`, oldest first."""
        return list(self._by_code.get(code, []))

    def valid_on(self, code: str, day: dt.date) -> UnitRow | None:
        """The version of `code` on `day`, if the code named a unit then."""
        return next((v for v in self._by_code.get(code, []) if v.valid_on(day)), None)

    def resolve(self, ref: str, start: dt.date, end: dt.date) -> UnitRow:
        """The version a reference means for the period [start, end]: `code@day` is the
        version valid on that day; a bare code is the version valid on the period's last day,
        else the newest one that exists in the period, else the newest before it.
        Raises ValueError (Vietnamese) for an unknown code."""
        code, day = parse_ref(ref)
        versions = self._by_code.get(code)
        if not versions:
            raise ValueError(f"Không có đơn vị (unknown unit): {ref}")
        if day is not None:
            found = self.valid_on(code, day)
            if found is None:
                raise ValueError(f"Mã {code} không gắn với đơn vị nào ngày {day:%d/%m/%Y}")
            return found
        return (
            self.valid_on(code, end)
            or next((v for v in reversed(versions) if v.overlaps(start, end)), None)
            or next((v for v in reversed(versions) if v.valid_from <= end), None)
            or versions[0]
        )

    def carrier_in(self, unit_id: int, start: dt.date, end: dt.date) -> int | None:
        """For a version that ended before `start`: the successor (following mergers of
        mergers) that exists in [start, end] and answers for its open dossiers."""
        seen: set[int] = set()
        nxt = self._by_id[unit_id].successor_id
        while nxt is not None and nxt not in seen:
            succ = self._by_id[nxt]
            if succ.overlaps(start, end):
                return nxt
            if succ.valid_from > end:
                return None
            seen.add(nxt)
            nxt = succ.successor_id
        return None

    def ancestors(self, unit_id: int) -> set[int]:
        """Every version `unit_id` descends from (its predecessors, theirs, and so on)."""
        out: set[int] = set()
        todo = list(self._by_id[unit_id].predecessor_ids)
        while todo:
            u = todo.pop()
            if u not in out:
                out.add(u)
                todo.extend(self._by_id[u].predecessor_ids)
        return out

    def children(self, parent_id: int) -> list[UnitRow]:
        """The versions whose parent is `parent_id`."""
        return [u for u in self._by_id.values() if u.parent_id == parent_id]


def _with_ref(row: UnitRow, reused: bool) -> UnitRow:
    return replace(row, ref=f"{row.code}@{row.valid_from.isoformat()}" if reused else row.code)
