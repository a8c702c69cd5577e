"""The counting rules: indicator numerators and denominators from period counts (pure).

`counts` are the quantities of `data_access.counts` for one unit (or a sum of units):
flows over the period and running totals to its start and end. The formulas are
those of docs/indicators.md (the domain guide's counting rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one unit and period. `value` is a ratio (0..1) or a count."""

    key: str
    numerator: int | None
    denominator: int | None
    value: float | None


def states(c: Mapping[str, int]) -> dict[str, int]:
    """Period-end states derived from running totals."""
    handled = c["received_to_end"] - c["finished_before_start"]
    pending_end = c["received_to_end"] - c["finished_to_end"]
    pending_overdue = c["overdue_start_before_end"] - c["overdue_end_to_end"]
    return {
        "handled": handled,
        "pending_end": pending_end,
        "pending_overdue": pending_overdue,
        "pending_within_due": pending_end - pending_overdue,
        "paused": c["paused_open_to_end"],
    }


def _rate(key: str, num: int, den: int) -> IndicatorValue:
    return IndicatorValue(key, num, den, num / den if den else None)


def _count(key: str, n: int, handled: int) -> IndicatorValue:
    return IndicatorValue(key, n, handled, float(n))


def on_time_count(c: Mapping[str, int], resolved_on_time: str = "resolved_on_time") -> int:
    """Dossiers handled on time: resolved on time (by the measure `resolved_on_time` names;
    the 766 score's counts repeated supplement requests as late), withdrawn or returned, and
    pending within their due day."""
    return c[resolved_on_time] + c["withdrawn_or_returned"] + states(c)["pending_within_due"]


def compute(c: Mapping[str, int]) -> dict[str, IndicatorValue]:
    """Every indicator of the catalog from one unit's counts (publicity: no data yet)."""
    s = states(c)
    on_time = on_time_count(c)
    values = [
        _rate("online_submission", c["received_online"], c["received"]),
        _rate("online_payment", c["received_fee_paid_online"], c["received_fee"]),
        _rate("dossier_digitization", c["received_digitized"], c["received"]),
        _rate("result_digitization", c["resolved_e_result"], c["resolved"]),
        _rate("data_reuse", c["received_reused"], c["received"]),
        _rate("on_time", on_time, s["handled"]),
        _count("overdue", c["resolved_late"] + s["pending_overdue"], s["handled"]),
        _count("paused", s["paused"], s["handled"]),
        _count("returned", c["returned"], s["handled"]),
        _rate("online_reception_6h", c["online_answered_6h"], c["online_submitted"]),
        IndicatorValue("publicity", None, None, None),
    ]
    return {v.key: v for v in values}


def add_counts(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Sum the counts of several units (a parent's figures come from its units' dossiers)."""
    total: dict[str, int] = {}
    for part in parts:
        for k, v in part.items():
            total[k] = total.get(k, 0) + v
    return total
