"""The tables a user can export, built from the same reports the pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dashboard.domain.catalog import BY_KEY, CATALOG
from dashboard.domain.formatting import fmt_date
from dashboard.domain.naming import subtitle
from dashboard.domain.vocabulary import ExplanationStatus, labels
from dashboard.exports.tables import Column, Kind, Table
from dashboard.exports.warnings import KIND_WORDS
from dashboard.services.report import Report, UnitReport
from dashboard.services.standing import BelowTarget, LeagueRow
from dashboard.services.tabular import display_value, fmt_gap, league_row, problem_rows
from data_access.queries import ProblemDossier

STATUS_LABELS = labels(ExplanationStatus)

KIND_ORDER = ("commune", "ward", "town", "special_zone")


def group_title(group: str, rows: Sequence[LeagueRow]) -> str:
    """What the league's units are, in words: "phòng chuyên môn", or the kinds of commune-level
    units it holds ("xã, thị trấn" for Nam Sách, "xã, phường, đặc khu" for Hải Phòng)."""
    if group == "phong":
        return "phòng chuyên môn"
    kinds = {r.report.unit.kind for r in rows}
    return ", ".join(KIND_WORDS[k] for k in KIND_ORDER if k in kinds) or "đơn vị cấp xã"


def _kind(unit: str) -> Kind:
    return "percent" if unit == "%" else "count"


INDICATOR_COLUMNS = [Column(s.key, s.name_vi, _kind(s.unit), 14) for s in CATALOG]


def _statuses(reports: list[UnitReport]) -> dict[tuple[int, str], str]:
    """Each indicator cell's status, by row index and indicator key (for the colours)."""
    return {
        (i, s.key): rep.indicators[s.key].status for i, rep in enumerate(reports) for s in CATALOG
    }


def league(
    rows: list[LeagueRow],
    group: str,
    period_label: str,
    data_date: dt.datetime | None,
    words: Sequence[str] = (),
) -> Table:
    """A league table: rank, movement, 766 share and every indicator, coloured by status."""
    columns = [
        Column("rank", "Hạng", "count", 7),
        Column("movement", "Thay đổi hạng", "count", 9),
        Column("unit_code", "Mã đơn vị", "text", 11),
        Column("unit_name", "Đơn vị", "text", 30),
        Column("score_share", "Điểm 766 (tỷ lệ)", "percent", 11),
        *INDICATOR_COLUMNS,
    ]
    out = [league_row(r) for r in rows]
    status = _statuses([r.report for r in rows])
    title = group_title(group, rows)
    sheet = f"Xếp hạng {title}"
    return Table(
        f"Bảng xếp hạng {title}",
        subtitle(words, period_label, data_date),
        columns,
        out,
        status,
        sheet=sheet if len(sheet) <= 31 else "Xếp hạng cấp xã",  # Excel's limit on names
    )


def below_target(
    items: list[BelowTarget],
    period_label: str,
    data_date: dt.datetime | None,
    words: Sequence[str] = (),
) -> Table:
    """Units × indicators below target, with the explanation on record."""
    columns = [
        Column("unit_code", "Mã đơn vị", "text", 11),
        Column("unit_name", "Đơn vị", "text", 26),
        Column("indicator", "Chỉ số", "text", 34),
        Column("value", "Kết quả", "text", 12),
        Column("target", "Chỉ tiêu", "text", 12),
        Column("gap", "Chênh lệch", "text", 16),
        Column("streak", "Số kỳ liên tiếp", "count", 10),
        Column("explanation", "Giải trình", "text", 24),
        Column("deadline", "Hạn khắc phục", "text", 13),
    ]
    rows, status = [], {}
    for i, r in enumerate(items):
        ev, x = r.indicator, r.explanation
        rows.append(
            {
                "unit_code": r.unit.code,
                "unit_name": r.unit.name,
                "indicator": BY_KEY[ev.key].name_vi,
                "value": display_value(ev.key, ev.value),
                "target": display_value(ev.key, ev.target),
                "gap": fmt_gap(ev.key, ev.gap),
                "streak": r.consecutive_periods,
                "explanation": STATUS_LABELS[x.status] if x else "Chưa yêu cầu",
                "deadline": fmt_date(x.deadline) if x and x.deadline else "",
            }
        )
        status[(i, "value")] = "khong_dat"
    return Table(
        "Đơn vị phải giải trình",
        subtitle(words, period_label, data_date),
        columns,
        rows,
        status,
        sheet="Phải giải trình",
    )


def indicators(
    rep: Report, period_label: str, data_date: dt.datetime | None, words: Sequence[str] = ()
) -> Table:
    """The district and every unit, each indicator with its status word; `words` name the
    filter (exports/naming.py), under the title like the period."""
    columns = [
        Column("unit_code", "Mã đơn vị", "text", 11),
        Column("unit_name", "Đơn vị", "text", 30),
        *INDICATOR_COLUMNS,
    ]
    units = [rep.parent, *rep.units]
    rows = [
        {"unit_code": u.unit.code, "unit_name": u.unit.name}
        | {s.key: u.indicators[s.key].value for s in CATALOG}
        for u in units
    ]
    return Table(
        "Chỉ số cải cách TTHC theo đơn vị",
        subtitle(words, period_label, data_date),
        columns,
        rows,
        _statuses(units),
        sheet="Chỉ số",
    )


def dossiers(
    problems: list[ProblemDossier], unit_name: str, period_label: str, end: dt.date
) -> Table:
    # The unit is the filter: it names the title.
    """One unit's overdue, paused and returned dossiers."""
    columns = [
        Column("kind", "Loại", "text", 14),
        Column("code", "Mã hồ sơ", "text", 22),
        Column("procedure", "Thủ tục", "text", 40),
        Column("received", "Tiếp nhận", "text", 17),
        Column("due", "Hẹn trả", "text", 12),
        Column("finished", "Có kết quả", "text", 12),
        Column("days_late", "Số ngày trễ", "count", 10),
        Column("status", "Trạng thái", "text", 16),
    ]
    rows = problem_rows(problems, end)
    return Table(
        f"Hồ sơ quá hạn, tạm dừng, trả lại — {unit_name}",
        period_label,
        columns,
        rows,
        sheet="Hồ sơ",
    )
