"""The assessment's figures gathered from the reports the pages show (the words are made in
`dashboard/domain/assessment.py`, which reads only these `Facts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.domain.assessment_facts import Facts, Shortfall, UnitFacts
from dashboard.services.report import Report, UnitReport
from dashboard.services.standing import BelowTarget


def _unit(now: UnitReport, before: UnitReport | None) -> UnitFacts:
    previous = before.score.share if before is not None and before.has_data else None
    return UnitFacts(
        now.unit.name,
        now.unit.kind,
        now.indicators,
        now.score.share if now.has_data else None,
        previous,
        now.predecessors,
    )


def facts(
    now: Report,
    before: Report,
    totals: tuple[UnitReport, UnitReport],
    units: Sequence[UnitReport],
    below: Sequence[BelowTarget],
    as_of: dt.date,
    field: str | None,
) -> Facts:
    """`now` and `before` (the previous period on this period's units), the totals the text
    speaks of (the scope's, or the chosen units' together) and the units it names."""
    previous = before.by_id()
    total_now, total_before = totals
    return Facts(
        scope=total_now.unit.name,
        period_label=now.period.label,
        period_kind=now.period.kind,
        previous_label=before.period.label,
        counts=total_now.counts,
        previous_counts=total_before.counts,
        indicators=total_now.indicators,
        score=total_now.score,
        units=[_unit(u, previous.get(u.unit.id)) for u in units],
        shortfalls=[
            Shortfall(
                b.unit.name,
                b.indicator.key,
                b.consecutive_periods,
                b.explanation.status if b.explanation else None,
                b.explanation.deadline if b.explanation else None,
            )
            for b in below
        ],
        as_of=as_of,
        field=field,
        notes=(now.how_counted,) if now.how_counted else (),
    )
