"""The 766 figures a procedure catalogue gives a unit: which procedures are in force for it,
how they were published, which are online or fee-bearing, and how the unit's dossiers used
them (pure: the rows come from data_access.score_sources).

Our reading of the law where the reverse-engineered formulas are silent (the screen says
"ước tính" beside these components): a decision is published on time when issued at least
5 working days before the procedure takes effect, and made public on time within 5 working
days of the decision (NĐ 63/2010 as amended by NĐ 92/2017, Thông tư 02/2017/TT-VPCP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from dashboard.domain.formatting import fold
from dashboard.domain.score766 import CatalogueStats
from dashboard.domain.units import COMMUNE_KINDS
from dashboard.domain.worktime import WorkCalendar

PUBLISH_LEAD_DAYS = 5  # working days between the decision and the effective day
PUBLIC_WITHIN_DAYS = 5  # working days from the decision to its publication
FULL_PARTS = 7  # the parts of a procedure NĐ 63/2010 Art. 8(2) requires published
CERTIFICATION_FIELD = "chung thuc"  # Chứng thực, folded


@dataclass(frozen=True)
class CatalogueEntry:
    """A procedure version in force in the period (the newest one by its effective day)."""

    code: str
    name: str
    level: str  # tinh, huyen, xa
    field_name: str
    online_level: str  # toan_trinh, mot_phan, khong
    has_fee: bool
    paper_result: bool
    decision_on: dt.date | None
    effective_from: dt.date
    published_on: dt.date | None
    parts_published: int


@dataclass(frozen=True)
class Usage:
    """A unit's dossiers of one procedure in the period."""

    received: int = 0
    received_online: int = 0
    received_fee_paid_online: int = 0
    resolved: int = 0
    resolved_e_result: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(*[getattr(self, f.name) + getattr(other, f.name) for f in fields(self)])


def level_of(kind: str) -> str:
    """The catalogue level serving a unit kind: communes, wards and towns "xa", the district's
    departments "huyen"."""
    return "xa" if kind in COMMUNE_KINDS else "huyen" if kind == "department" else kind


def published_on_time(e: CatalogueEntry, cal: WorkCalendar) -> bool:
    """The decision was issued at least PUBLISH_LEAD_DAYS working days before effect."""
    return e.decision_on is not None and (
        cal.add_working_days(e.decision_on, PUBLISH_LEAD_DAYS) <= e.effective_from
    )


def public_on_time(e: CatalogueEntry, cal: WorkCalendar) -> bool:
    """Made public within PUBLIC_WITHIN_DAYS working days of the decision."""
    return (
        e.decision_on is not None
        and e.published_on is not None
        and e.published_on <= cal.add_working_days(e.decision_on, PUBLIC_WITHIN_DAYS)
    )


def stats(
    entries: Sequence[CatalogueEntry],
    level: str,
    usage: Mapping[str, Usage],
    cal: WorkCalendar,
) -> CatalogueStats:
    """A unit's catalogue figures: the entries of its `level`, and its dossiers' `usage` per
    procedure code. A dossier of a procedure the catalogue lacks counts as a paper result (the
    safe side: 4.1 asks for it) and never as certification."""
    mine = [e for e in entries if e.level == level]
    codes = {e.code: e for e in mine}
    online = [e for e in mine if e.online_level != "khong"]
    fee = [e for e in mine if e.has_fee]
    none = Usage()
    paper = [u for code, u in usage.items() if codes.get(code) is None or codes[code].paper_result]
    certification = [
        u
        for code, u in usage.items()
        if code in codes and CERTIFICATION_FIELD in fold(codes[code].field_name)
    ]
    return CatalogueStats(
        in_force=len(mine),
        published_on_time=sum(published_on_time(e, cal) for e in mine),
        updated_on_time=sum(public_on_time(e, cal) for e in mine),
        full_content=sum(e.parts_published >= FULL_PARTS for e in mine),
        online_offered=len(online),
        online_offered_used_online=sum(usage.get(e.code, none).received_online > 0 for e in online),
        paper_resolved=_sum(paper, "resolved"),
        paper_e_result=_sum(paper, "resolved_e_result"),
        certification_resolved=_sum(certification, "resolved"),
        certification_e_result=_sum(certification, "resolved_e_result"),
        fee_bearing=len(fee),
        fee_bearing_paid_online=sum(
            usage.get(e.code, none).received_fee_paid_online > 0 for e in fee
        ),
        fee_bearing_with_dossiers=sum(usage.get(e.code, none).received > 0 for e in fee),
    )


def _sum(items: Iterable[Usage], name: str) -> int:
    return sum(getattr(u, name) for u in items)


CATALOGUE_GAPS = ("1.1", "1.2", "1.3", "3.1", "3.2", "6.B", "6.C")


def failing(
    entries: Sequence[CatalogueEntry],
    level: str,
    usage: Mapping[str, Usage],
    cal: WorkCalendar,
    component: str,
) -> list[CatalogueEntry]:
    """The procedures of `level` that cost a catalogue component (CATALOGUE_GAPS) its points."""
    none = Usage()
    tests = {
        "1.1": lambda e: not published_on_time(e, cal),
        "1.2": lambda e: not public_on_time(e, cal),
        "1.3": lambda e: e.parts_published < FULL_PARTS,
        "3.1": lambda e: e.online_level == "khong",
        "3.2": lambda e: e.online_level != "khong" and usage.get(e.code, none).received_online == 0,
        "6.B": lambda e: e.has_fee and usage.get(e.code, none).received_fee_paid_online == 0,
        "6.C": lambda e: e.has_fee and usage.get(e.code, none).received == 0,
    }
    test = tests[component]
    return sorted((e for e in entries if e.level == level and test(e)), key=lambda e: e.code)
