"""Reports as flat rows: one shape for the CLI's table/CSV/JSON and for the exports.

Raw numbers stay raw here (ratio 0..1, counts as integers) so a spreadsheet can
recompute every figure; `display_value` formats them the Vietnamese way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence

from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.formatting import (
    DASH,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_number,
    fmt_percent,
    safe_cell,
)
from dashboard.services.report import Report, UnitReport
from dashboard.services.standing import BelowTarget, LeagueRow
from data_access.queries import ProblemDossier

INDICATOR_COLUMNS = (
    "period",
    "indicator",
    "indicator_name",
    "unit_code",
    "unit_ref",
    "unit_name",
    "numerator",
    "denominator",
    "value",
    "target",
    "status",
    "gap",
)


def display_value(key: str, value: float | None) -> str:
    """87,03 % for a rate, 12 for a count, — for no value."""
    if value is None:
        return DASH
    return fmt_percent(value) if BY_KEY[key].unit == "%" else fmt_int(round(value))


def fmt_gap(key: str, gap: float | None) -> str:
    """Gap to target: '−4,14 điểm %' for a rate (percentage points), '+3' for a count."""
    if gap is None:
        return DASH
    if BY_KEY[key].unit == "%":
        return f"{'+' if gap > 0 else ''}{fmt_number(gap * 100)} điểm %".replace("-", "−")
    return f"{'+' if gap > 0 else ''}{fmt_int(round(gap))}".replace("-", "−")


def indicator_rows(report: Report, include_parent: bool = True) -> list[dict]:
    """One row per unit × indicator (the parent first)."""
    units: list[UnitReport] = [report.parent] if include_parent and report.parent else []
    units += report.units
    rows = []
    for u in units:
        for spec in CATALOG:
            ev = u.indicators[spec.key]
            rows.append(
                {
                    "period": report.period.key,
                    "indicator": spec.key,
                    "indicator_name": spec.name_vi,
                    "unit_code": u.unit.code,
                    "unit_ref": u.unit.ref,
                    "unit_name": u.unit.name,
                    "numerator": ev.numerator,
                    "denominator": ev.denominator,
                    "value": ev.value,
                    "target": ev.target,
                    "status": ev.status_label,
                    "gap": ev.gap,
                }
            )
    return rows


LEAGUE_COLUMNS = (
    "period",
    "rank",
    "previous_rank",
    "movement",
    "unit_code",
    "unit_ref",
    "unit_name",
    "ranked_by",
    "value",
    "score_points",
    "score_max_supported",
)


def league_rows(period_key: str, rows: Sequence[LeagueRow], by: str | None) -> list[dict]:
    """One row per unit in league order."""
    return [
        {
            "period": period_key,
            "rank": r.ranked.rank,
            "previous_rank": r.ranked.previous_rank,
            "movement": r.ranked.movement,
            "unit_code": r.report.unit.code,
            "unit_ref": r.report.unit.ref,
            "unit_name": r.report.unit.name,
            "ranked_by": by or "score766_share",
            "value": r.ranked.value,
            "score_points": r.report.score.points,
            "score_max_supported": r.report.score.max_supported,
        }
        for r in rows
    ]


BELOW_COLUMNS = (
    "period",
    "unit_code",
    "unit_ref",
    "unit_name",
    "indicator",
    "indicator_name",
    "numerator",
    "denominator",
    "value",
    "target",
    "gap",
    "consecutive_periods",
    "explanation",
)


def below_rows(period_key: str, rows: Sequence[BelowTarget]) -> list[dict]:
    """One row per unit × indicator below target."""
    return [
        {
            "period": period_key,
            "unit_code": r.unit.code,
            "unit_ref": r.unit.ref,
            "unit_name": r.unit.name,
            "indicator": r.indicator.key,
            "indicator_name": BY_KEY[r.indicator.key].name_vi,
            "numerator": r.indicator.numerator,
            "denominator": r.indicator.denominator,
            "value": r.indicator.value,
            "target": r.indicator.target,
            "gap": r.indicator.gap,
            "consecutive_periods": r.consecutive_periods,
            "explanation": r.explanation_status,
        }
        for r in rows
    ]


def _csv_cell(value: object) -> object:
    # Numbers stay raw for recomputation; text that starts like a formula (an imported code
    # "=HYPERLINK(…)") is written as text, as the web downloads do.
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else value


def to_csv(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """CSV with a header; numbers unformatted (dot decimals) for recomputation, text never a
    formula when a spreadsheet opens it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row[k]) for k in columns})
    return out.getvalue()


def to_json(rows: Sequence[dict]) -> str:
    """JSON array, UTF-8 text kept readable."""
    return json.dumps(list(rows), ensure_ascii=False, indent=1)


def to_text(rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> str:
    """An aligned plain-text table; columns are (key, Vietnamese header)."""
    cells = [[h for _, h in columns]]
    for row in rows:
        line = []
        for key, _ in columns:
            v = row[key]
            if key in ("value", "target") and "indicator" in row:
                line.append(display_value(row["indicator"], v))
            elif key == "gap" and "indicator" in row and v is not None:
                line.append(fmt_gap(row["indicator"], v))
            elif isinstance(v, float):
                line.append(fmt_number(v))
            elif v is None:
                line.append(DASH)
            else:
                line.append(str(v))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    )


PROBLEM_KINDS = {"overdue": "Quá hạn", "paused": "Tạm dừng", "returned": "Trả lại, từ chối"}


def days_late(p: ProblemDossier, end: dt.date) -> int | None:
    """Calendar days past the due date at the period's end (or when it finished).
    Only overdue dossiers are late: a paused or returned one has its clock stopped."""
    if p.kind != "overdue" or p.due_at is None:
        return None
    stop = p.finished_at.date() if p.finished_at else end
    return max(0, (stop - p.due_at.date()).days)


PROBLEM_COLUMNS = (
    "kind",
    "code",
    "procedure",
    "received",
    "due",
    "finished",
    "days_late",
    "status",
)


def problem_rows(problems: Sequence[ProblemDossier], end: dt.date) -> list[dict]:
    """One row per overdue, paused or returned dossier, as the unit page and its export show it."""
    return [
        {
            "kind": PROBLEM_KINDS[p.kind],
            "code": p.code,
            "procedure": p.procedure,
            "received": fmt_datetime(p.received_at),
            "due": fmt_date(p.due_at),
            "finished": fmt_date(p.finished_at) if p.finished_at else "chưa xong",
            "days_late": days_late(p, end),
            "status": p.status_label,
        }
        for p in problems
    ]


def league_row(r: LeagueRow) -> dict:
    """A league row as the screen and the export show it: rank, movement, unit, 766 share
    and each indicator's value (statuses via `r.report.indicators`)."""
    rep = r.report
    row = {
        "rank": r.ranked.rank,
        "movement": r.ranked.movement,
        "unit_code": rep.unit.code,
        "unit_name": rep.unit.name,
        "score_share": rep.score.share if rep.has_data else None,
    }
    row.update({spec.key: rep.indicators[spec.key].value for spec in CATALOG})
    return row
