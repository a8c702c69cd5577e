"""Targets the office (or a commune's leadership) gives its officers, and how a row of the
officer figures meets them (pure). Seeds 000 and 002: "giao chỉ tiêu phấn đấu cho các cán
bộ, công chức", counted in each officer's yearly evaluation.

A rule applies from its effective day to one officer, to one step kind (the kind rows), to
every officer of a unit, or to every officer (office-wide); the most specific rule effective
on the period's last day wins, the latest among equals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# measure -> (Vietnamese name, "max": at most the value, "min": at least the value)
MEASURES = {
    "overdue": ("Hồ sơ quá hạn do bước của mình", "max"),
    "steps_on_time": ("Tỷ lệ bước xong trong hạn của bước", "min"),
}


@dataclass(frozen=True)
class OfficerTargetRule:
    """One rule as stored."""

    measure: str
    value: float
    effective_from: dt.date
    unit_id: int | None = None
    officer_id: int | None = None
    kind: str | None = None


def target_for(
    measure: str,
    day: dt.date,
    rules: Sequence[OfficerTargetRule],
    unit_id: int,
    officer_id: int | None = None,
    kind: str | None = None,
) -> float | None:
    """The target of `measure` on `day` for an officer (`officer_id`) or a step kind row
    (`kind`) of a unit; None when no rule applies."""

    def rank(r: OfficerTargetRule) -> int | None:
        if r.measure != measure or r.effective_from > day:
            return None
        if r.officer_id is not None:
            return 3 if r.officer_id == officer_id else None
        if r.kind is not None:
            return 2 if kind is not None and r.kind == kind else None
        if kind is not None:
            return None  # unit and office-wide rules are for officers
        if r.unit_id is not None:
            return 1 if r.unit_id == unit_id else None
        return 0

    ranked = [(k, r.effective_from, r.value) for r in rules if (k := rank(r)) is not None]
    return max(ranked)[2] if ranked else None


def value_of(measure: str, overdue: int, steps_ended: int, late_ended: int) -> float | None:
    """A row's value of `measure` (None: no step ended, nothing to judge)."""
    if measure == "overdue":
        return float(overdue)
    return (steps_ended - late_ended) / steps_ended if steps_ended else None


def meets(measure: str, value: float | None, target: float) -> bool | None:
    """Whether the value meets the target (None without a value)."""
    if value is None:
        return None
    return value <= target if MEASURES[measure][1] == "max" else value >= target - 1e-12


def parse_value(text: str) -> float:
    """A target as typed: "0", "2", "95%", "95 %", "0,95"; ValueError (Vietnamese) otherwise."""
    raw = (text or "").strip().replace(",", ".")
    try:
        return float(raw[:-1].strip()) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ValueError(
            f"Giá trị chỉ tiêu «{text}» không phải một số (ví dụ 0 hoặc 95%)."
        ) from None
