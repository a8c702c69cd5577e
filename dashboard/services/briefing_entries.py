"""The entries of the briefing: the period's assessment in words, the periodic statistics
form (Biểu số 06/VPCP/KSTT) and the meeting-room screen's figures, from the same reports and
entries the pages use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dashboard.domain.assessment import assess
from dashboard.domain.assessment_facts import Section
from dashboard.domain.form06 import FormRow
from dashboard.domain.form06 import row as form_row
from dashboard.domain.formatting import vn_sort_key
from dashboard.domain.periods import Period, parse_period
from dashboard.domain.query import ViewQuery
from dashboard.domain.scope import Era
from dashboard.services import briefing, early_warning, figures, viewer
from dashboard.services.entries import (
    below_target,
    league,
    overview,
    resolved,
)
from dashboard.services.report import Report
from dashboard.services.standing import BelowTarget, LeagueRow
from dashboard.services.warning_view import warnings


# -- The period's assessment -----------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """The period's assessment in words: the overview's folded text, the pack's first slides,
    the meeting-room screen's first slide, the .docx report and `tthc assessment`."""

    query: ViewQuery
    period: Period
    scope: str
    sections: list[Section]
    newest: dt.datetime | None


def assessment(q: ViewQuery) -> Assessment:
    """The words for the query's period, field filter and units (default: the whole scope)."""
    q = resolved(q)
    q = replace(q, units=viewer.current().units(q.units))
    p = parse_period(q.period)
    version = figures.data_version()
    now = figures.district_report(version, p.key, None, q.filter_key)
    before = figures.district_report(version, p.previous().key, p.key, q.filter_key)
    ov = overview(q)
    named = [u for u in (now.find(ref) for ref in q.units) if u is not None]
    scope = viewer.current()  # a unit account: the scope's totals, and only its own name
    units = [u for u in named or now.units if scope.may_see_unit(u.unit.id)]
    ids = {u.unit.id for u in units}
    below = [b for b in below_target(replace(q, streak_only=False)).all if b.unit.id in ids]
    _first, newest = figures.data_range()
    as_of = newest.date() if newest else p.end
    field = ", ".join(q.fields) or None
    words = assess(briefing.facts(now, before, (ov.now, ov.before), units, below, as_of, field))
    return Assessment(q, p, ov.now.unit.name, words, newest)


# -- The periodic statistics form (Biểu số 06/VPCP/KSTT) ------------------------------------
@dataclass(frozen=True)
class StatisticsForm:
    """The form's rows per field and per unit, each with its total (`tthc report --form 06`,
    /xuat/bieu-06.xlsx, the pack)."""

    query: ViewQuery
    period: Period
    era: Era
    by_field: list[FormRow]
    by_unit: list[FormRow]


def form06(q: ViewQuery) -> StatisticsForm:
    """Biểu 06 for the query's period and field filter, over the whole scope (the form is the
    office's report; a unit account gets its own unit's rows)."""
    q = resolved(q)
    version = figures.data_version()
    rep = figures.district_report(version, q.period, None, q.filter_key)
    by_field = [
        form_row(name, counts)
        for name, counts in sorted(
            figures.field_counts(version, q.period, q.filter_key).items(),
            key=lambda kv: vn_sort_key(kv[0]),
        )
    ]
    scope = viewer.current()
    units = [u for u in rep.units if scope.may_see_unit(u.unit.id)]
    units.sort(key=lambda u: (u.unit.kind == "department", vn_sort_key(u.unit.name)))
    by_unit = [form_row(u.unit.name, u.counts) for u in units]
    if scope.unit_only:  # the fields' rows are the scope's: not a unit account's to see
        by_field = []
    return StatisticsForm(q, rep.period, rep.era, by_field, by_unit)


# -- Meeting-room screen ---------------------------------------------------------------------
@dataclass(frozen=True)
class KioskFigures:
    """What the slides show."""

    period: Period
    district: Report
    leagues: dict[str, list[LeagueRow]]
    below: list[BelowTarget]
    newest: dt.datetime | None
    warnings: early_warning.Warnings  # as of the newest day of the data

    @property
    def era(self) -> Era:
        """The scope's era of the period."""
        return self.district.era


def kiosk(q: ViewQuery) -> KioskFigures:
    """The meeting-room screen's slides (the whole scope; the screen has no filters)."""
    q = resolved(q)
    version = figures.data_version()
    p = parse_period(q.period)
    district = figures.district_report(version, p.key)
    leagues = {g: league(replace(q, group=g, by="")) for g in ("xa", "phong")}
    below = below_target(replace(q, streak_only=False)).all
    _first, newest = figures.data_range()
    return KioskFigures(p, district, leagues, below, newest, warnings(ViewQuery()).warnings)
