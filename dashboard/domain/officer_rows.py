"""The rows of the officer figures (per officer, step kind or department) as every surface
shows them: the page's table, its downloads and `tthc officers` (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.steps import KINDS, UNKNOWN_HOLDER

BY = {"officer": "o", "kind": "k", "department": "d"}
BY_LABELS = {"officer": "Cán bộ", "kind": "Bước xử lý", "department": "Phòng ban"}
PROCESS_ORDER = ("tiep_nhan", "tham_dinh", "trinh_ky", "tra_ket_qua", "khac")
NO_DEPARTMENT = "(không ghi phòng ban)"


@dataclass(frozen=True)
class OfficerRow:
    """One member's figures in one unit for a period; `unknown`: the "chưa rõ bước" row
    (overdue dossiers no step was responsible for)."""

    unit_id: int
    unit_code: str
    unit_name: str
    member: str  # the person's id, the kind key or the department ("" for chưa rõ)
    name: str
    title: str = ""
    handled: int = 0
    overdue: int = 0
    late_steps: int = 0
    open_steps: int = 0
    online_submitted: int = 0
    online_answered_6h: int = 0
    median_hours: float | None = None
    unknown: bool = False
    steps_ended: int = 0  # own steps that ended in the period (officer targets)
    late_ended: int = 0  # of them, after their own deadline

    @property
    def online_rate(self) -> float | None:
        """The 6-working-hour online reception rate (None without online dossiers)."""
        return self.online_answered_6h / self.online_submitted if self.online_submitted else None


def member_label(by: str, member: str, names: dict[str, str]) -> str:
    """How a member is named: the officer's display name, the kind's label, the department."""
    if by == "kind":
        return KINDS.get(member, member)
    if by == "department":
        return member or NO_DEPARTMENT
    return names.get(member, member)


def unknown_row(
    unit_id: int, code: str, name: str, unit_overdue: int, attributed: int
) -> OfficerRow | None:
    """The "chưa rõ bước" row of a unit: its overdue dossiers less those attributed (None
    when every overdue dossier has a responsible step)."""
    left = unit_overdue - attributed
    if left <= 0:
        return None
    return OfficerRow(unit_id, code, name, "", UNKNOWN_HOLDER, overdue=left, handled=left,
                      unknown=True)  # fmt: skip


def ordered(rows: Sequence[OfficerRow], by: str = "officer") -> list[OfficerRow]:
    """Units in their order as given; within a unit, step kinds in the order a dossier goes
    through them, officers and departments the most overdue first, then the most late steps,
    then by name (Vietnamese collation); the "chưa rõ bước" row last."""
    units: dict[int, int] = {}
    for r in rows:
        units.setdefault(r.unit_id, len(units))
    process = {k: i for i, k in enumerate(PROCESS_ORDER)}

    def key(r: OfficerRow) -> tuple:
        if by == "kind":
            return (units[r.unit_id], r.unknown, process.get(r.member, len(process)))
        return (units[r.unit_id], r.unknown, -r.overdue, -r.late_steps, vn_sort_key(r.name))

    return sorted(rows, key=key)
