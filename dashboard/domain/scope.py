"""The deployment's monitoring scope over time (pure): which units it watches in a period,
what it is called, and who signs its letters.

A scope is a list of eras. An era watches either the receiving units of one unit (a district
for its era, a province or city) or a named group of units (codes read on the era's first
day). The era of a period is the one its last day falls in: a period that crosses 1/7/2025 is
reported on today's units, each counting its predecessors' dossiers before it existed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard.domain.periods import Period
from dashboard.domain.units import RECEIVING_KINDS, UnitRow, Units

SCOPES_DIR = Path(__file__).resolve().parent.parent / "scopes"
DEFAULT_SCOPE = "nam-sach"


@dataclass(frozen=True)
class Era:
    """One stretch of the scope: [start, end] (None: open), and what it watches."""

    name: str
    issuer: str  # who signs the letters: "UBND huyện Nam Sách"
    place: str  # where they are signed: "Nam Sách"
    office: str = ""  # who writes them: "Văn phòng HĐND và UBND huyện"
    system: str = ""  # whose one-stop system the exports come from: "tỉnh Hải Dương"
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str | None = None  # a district / province / city code: its receiving units
    units: tuple[str, ...] = ()  # or a named group of units

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls in the era."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def members(self, units: Units, period: Period) -> list[UnitRow]:
        """The receiving unit versions the era watches in `period`."""
        if self.units:
            day = max(self.start or period.start, min(period.end, self.end or period.end))
            found = [units.valid_on(code, day) for code in self.units]
            missing = [c for c, u in zip(self.units, found, strict=True) if u is None]
            if missing:
                raise ValueError(
                    f"Phạm vi «{self.name}»: không có đơn vị {', '.join(missing)} ngày "
                    f"{day:%d/%m/%Y} (hãy nạp danh mục: tthc load-reference)"
                )
            return [u for u in found if u is not None]
        head = self.head(units, period)
        if head is None:
            return []
        return [
            u
            for u in units.children(head.id)
            if u.kind in RECEIVING_KINDS and u.overlaps(period.start, period.end)
        ]

    def head(self, units: Units, period: Period) -> UnitRow | None:
        """The version of the watched district / province in the period (None for a group)."""
        if self.unit is None:
            return None
        day = min(period.end, self.end or period.end)
        if self.start and day < self.start:
            day = self.start
        return units.valid_on(self.unit, day) or next(iter(units.versions(self.unit)[-1:]), None)


@dataclass(frozen=True)
class Scope:
    """The eras of a deployment, oldest first."""

    eras: tuple[Era, ...]
    source: str = field(default="", compare=False)

    def era(self, period: Period) -> Era:
        """The era a period is reported in: the one its last day falls in (the first era for
        a period before them all, the last for one after)."""
        for era in self.eras:
            if era.contains(period.end):
                return era
        first = self.eras[0]
        return first if first.start and period.end < first.start else self.eras[-1]

    def crosses(self, period: Period) -> Era | None:
        """The earlier era a period reaches back into, if it crosses from one era to the next."""
        now = self.era(period)
        if now.start is None or period.start >= now.start:
            return None
        return next((e for e in self.eras if e.contains(period.start)), None)

    def how_counted(self, period: Period) -> str | None:
        """A plain sentence for a period that crosses a reorganization (None otherwise)."""
        before = self.crosses(period)
        now = self.era(period)
        if before is None or now.start is None:
            return None
        day = f"{now.start:%d/%m/%Y}"
        return (
            f"Kỳ này gồm cả trước và sau {day}: số liệu được tính cho các đơn vị của {now.name}; "
            f"phần trước {day} của mỗi đơn vị là cộng các đơn vị cũ hợp thành nó "
            f"(thuộc {before.name}), tính từ hồ sơ của các đơn vị đó."
        )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse_scope(raw: dict, source: str = "") -> Scope:
    """A scope from its TOML form (see dashboard/scopes/nam-sach.toml)."""
    eras = []
    for e in raw.get("era", []):
        if bool(e.get("unit")) == bool(e.get("units")):
            raise ValueError(f"{source}: mỗi giai đoạn cần «unit» hoặc «units» (một trong hai)")
        eras.append(
            Era(
                name=e["name"],
                issuer=e.get("issuer", f"UBND {e['name']}"),
                place=e.get("place", e["name"]),
                office=e.get("office", ""),
                system=e.get("system", ""),
                start=_date(e.get("from")),
                end=_date(e.get("until")),
                unit=str(e["unit"]) if e.get("unit") else None,
                units=tuple(str(u) for u in e.get("units", ())),
            )
        )
    if not eras:
        raise ValueError(f"{source}: phạm vi theo dõi cần ít nhất một giai đoạn [[era]]")
    return Scope(tuple(sorted(eras, key=lambda e: e.start or dt.date.min)), source)


@lru_cache(maxsize=16)
def load_scope(setting: str | None) -> Scope:
    """The scope a setting names: a shipped scope ('nam-sach'), a TOML file, or one unit's
    code ('31': a city; '291': a district), which watches that unit's receiving units."""
    setting = (setting or DEFAULT_SCOPE).strip()
    shipped = SCOPES_DIR / f"{setting}.toml"
    path = shipped if shipped.exists() else Path(setting)
    if path.suffix == ".toml" and path.exists():
        return parse_scope(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    if setting.replace("-", "").isalnum() and not path.suffix:
        return Scope((Era(name=f"mã {setting}", issuer="", place="", unit=setting),), setting)
    raise ValueError(f"Không đọc được phạm vi theo dõi: {setting}")


KIND_PREFIX = {"district": "Huyện", "province": "Tỉnh", "municipality": "Thành phố"}


def _titled(u: UnitRow) -> tuple[str, str]:
    """A unit's full name and its bare place name: ('Thành phố Hải Phòng', 'Hải Phòng')."""
    prefix = KIND_PREFIX.get(u.kind, "")
    bare = u.name[len(prefix) :].strip() if prefix and u.name.startswith(prefix) else u.name
    return (f"{prefix} {bare}".strip(), bare)


def named(scope: Scope, units: Units) -> Scope:
    """The scope with the names of a one-unit scope read from the catalog (Thành phố Hải
    Phòng, UBND thành phố Hải Phòng)."""
    eras = []
    for era in scope.eras:
        versions = units.versions(era.unit) if era.unit and era.name.startswith("mã ") else []
        if not versions:
            eras.append(era)
            continue
        head = versions[-1]
        full, bare = _titled(head)
        lower = full[0].lower() + full[1:]
        eras.append(
            Era(
                name=full,
                issuer=f"UBND {lower}",
                place=bare,
                office=f"Văn phòng UBND {lower.split(' ' + bare)[0]}",
                system=lower,
                start=head.valid_from if head.valid_from.year > 2000 else None,
                unit=era.unit,
            )
        )
    return Scope(tuple(eras), scope.source)
