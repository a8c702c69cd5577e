"""Targets in force and the status of a value against its target (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from dashboard.domain.catalog import BY_KEY
from dashboard.domain.rules import IndicatorValue
from dashboard.domain.vocabulary import Evaluation

Status = Evaluation
STATUS_LABELS: dict[str, str] = {e.value: e.label for e in Evaluation}


@dataclass(frozen=True)
class TargetRule:
    """A configured target: from `effective_from` on, for one unit version or (None) for all."""

    indicator: str
    value: float
    effective_from: dt.date
    unit_id: int | None = None


def target_for(key: str, unit: int | None, day: dt.date, rules: Sequence[TargetRule]) -> float:
    """The target in force on `day`: the newest unit rule, else the newest general rule,
    else the catalog default (the March 2025 directive)."""
    for scope in dict.fromkeys((unit, None)):  # unit rules first, then general ones
        candidates = [
            r
            for r in rules
            if r.indicator == key and r.unit_id == scope and r.effective_from <= day
        ]
        if candidates:
            return max(candidates, key=lambda r: r.effective_from).value
    return BY_KEY[key].default_target


@dataclass(frozen=True)
class Evaluated:
    """An indicator value with its target, status and gap (value − target)."""

    key: str
    numerator: int | None
    denominator: int | None
    value: float | None
    target: float
    status: Status
    gap: float | None

    @property
    def status_label(self) -> str:
        """đạt / không đạt / không có dữ liệu."""
        return Evaluation(self.status).label


@lru_cache(maxsize=256)
def _exact(target: float) -> Fraction:
    return Fraction(str(target))


def evaluate(v: IndicatorValue, target: float) -> Evaluated:
    """Compare a value with its target, exactly (no float rounding at the boundary)."""
    spec = BY_KEY[v.key]
    if v.value is None or v.numerator is None:
        return Evaluated(v.key, v.numerator, v.denominator, None, target, Evaluation.NO_DATA, None)
    goal = _exact(target)
    # num/den against the target in integers: 4/5 meets 80 % although 0.8 * 5 > 4 in floats.
    num, den = v.numerator, (v.denominator or 1) if spec.unit == "%" else 1
    lhs, rhs = num * goal.denominator, goal.numerator * den
    met = lhs >= rhs if spec.higher_is_better else lhs <= rhs
    return Evaluated(
        v.key,
        v.numerator,
        v.denominator,
        v.value,
        target,
        Evaluation.MET if met else Evaluation.MISSED,
        num / den - float(goal),
    )


# Status words shown next to a value (the colour alone is never the only cue).
STATUS_TEXT = {status: label.capitalize() for status, label in STATUS_LABELS.items()}
