"""The early warning per officer (pure): each officer's open dossiers late, due on the day and
due soon, by the step they are at, and the open steps past their own deadline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.domain.formatting import fmt_int, vn_sort_key
from dashboard.domain.steps import UNKNOWN_HOLDER
from dashboard.domain.warnings import WarningClass


@dataclass(frozen=True)
class OfficerLine:
    """One officer's warned dossiers in one unit."""

    name: str
    overdue: int = 0
    due_today: int = 0
    due_soon: int = 0
    late_steps: int = 0  # open steps past their own deadline

    @property
    def total(self) -> int:
        """Every count of the line."""
        return self.overdue + self.due_today + self.due_soon + self.late_steps


FIELDS = {
    WarningClass.OVERDUE: "overdue",
    WarningClass.DUE_TODAY: "due_today",
    WarningClass.DUE_SOON: "due_soon",
}


def per_officer(
    warned: Iterable[tuple[int, str, WarningClass]], holders: Mapping[tuple[int, str], Any]
) -> dict[int, list[OfficerLine]]:
    """Unit id -> its officers' lines, the most pressing first. `warned`: (unit id, dossier
    code, class) of the day's list; `holders`: (unit id, code) -> the step holding each open
    dossier (`name`, `past_deadline`); a warned dossier no step holds is "chưa rõ bước"."""
    counts: dict[int, dict[str, dict[str, int]]] = {}
    for unit_id, code, klass in warned:
        field = FIELDS.get(klass)
        if field is None:
            continue  # waiting for the citizen: no officer to push
        h = holders.get((unit_id, code))
        name = h.officer if h is not None else UNKNOWN_HOLDER
        line = counts.setdefault(unit_id, {}).setdefault(name, {})
        line[field] = line.get(field, 0) + 1
    for (unit_id, _code), h in holders.items():
        if h.past_deadline:
            line = counts.setdefault(unit_id, {}).setdefault(h.officer, {})
            line["late_steps"] = line.get("late_steps", 0) + 1
    out = {}
    for unit_id, by_name in counts.items():
        lines = [OfficerLine(name, **c) for name, c in by_name.items()]
        out[unit_id] = sorted(
            lines,
            key=lambda x: (x.name == UNKNOWN_HOLDER, -x.overdue, -x.due_today, -x.late_steps,
                           -x.due_soon, vn_sort_key(x.name)),
        )  # fmt: skip
    return out


def line_text(x: OfficerLine, due_today_words: str = "đến hạn hôm nay") -> str:
    """'Nguyễn Văn A: 2 quá hạn, 1 đến hạn hôm nay, 1 bước trễ hạn'."""
    parts = []
    if x.overdue:
        parts.append(f"{fmt_int(x.overdue)} quá hạn")
    if x.due_today:
        parts.append(f"{fmt_int(x.due_today)} {due_today_words}")
    if x.due_soon:
        parts.append(f"{fmt_int(x.due_soon)} sắp đến hạn")
    if x.late_steps:
        parts.append(f"{fmt_int(x.late_steps)} bước trễ hạn")
    return f"{x.name}: " + ", ".join(parts)
