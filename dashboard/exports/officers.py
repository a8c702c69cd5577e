"""The officer figures as a table (the page's download, `tthc officers --format xlsx`) and as
the CLI's machine-readable rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashboard.domain.formatting import fmt_number, fmt_percent
from dashboard.domain.officer_rows import BY_LABELS, OfficerRow
from dashboard.domain.officer_targets import MEASURES
from dashboard.exports.tables import Column, Table

# `tthc officers --by officer --format csv`: exactly these columns (issue 26); the other
# groupings name their member the same way and add the rest.
CSV_KEYS = {
    "officer": ("ma_don_vi", "can_bo", "ho_so", "qua_han", "buoc_tre_han"),
    "kind": ("ma_don_vi", "buoc_xu_ly", "ho_so", "qua_han", "buoc_tre_han", "buoc_dang_mo",
             "gio_lam_viec_trung_vi"),
    "department": ("ma_don_vi", "phong_ban", "ho_so", "qua_han", "buoc_tre_han",
                   "buoc_dang_mo", "gio_lam_viec_trung_vi"),
}  # fmt: skip
MEMBER_KEY = {"officer": "can_bo", "kind": "buoc_xu_ly", "department": "phong_ban"}


def csv_rows(rows: Sequence[OfficerRow], by: str) -> list[dict[str, Any]]:
    """The CLI's rows: the "chưa rõ bước" row has an empty member."""
    out = []
    for r in rows:
        out.append(
            {
                "ma_don_vi": r.unit_code,
                MEMBER_KEY[by]: "" if r.unknown else r.name,
                "ho_so": r.handled,
                "qua_han": r.overdue,
                "buoc_tre_han": r.late_steps,
                "buoc_dang_mo": r.open_steps,
                "gio_lam_viec_trung_vi": (
                    None if r.median_hours is None else round(r.median_hours, 2)
                ),
            }
        )
    return out


def columns(by: str) -> list[Column]:
    """The table's columns as the page shows them."""
    cols = [
        Column("unit", "Đơn vị", width=24),
        Column("name", BY_LABELS[by], width=26),
    ]
    if by == "officer":
        cols.append(Column("title", "Chức danh", width=24))
    cols += [
        Column("handled", "Hồ sơ đã tham gia", "count", 12),
        Column("overdue", "Hồ sơ quá hạn do bước của mình", "count", 14),
        Column("late_steps", "Bước trễ hạn", "count", 10),
        Column("open_steps", "Bước đang mở", "count", 10),
        Column("median_hours", "Giờ làm việc trung vị / bước", "number", 12),
        Column("online_submitted", "Hồ sơ trực tuyến đã tiếp nhận", "count", 12),
        Column("online_rate", "Tỷ lệ phản hồi trong 6 giờ", "percent", 12),
    ]
    return cols


def table_rows(rows: Sequence[OfficerRow]) -> list[dict[str, Any]]:
    """The rows as the page's table and the workbook hold them."""
    return [
        {
            "unit": r.unit_name,
            "unit_id": r.unit_id,
            "member": r.member,
            "name": r.name,
            "title": r.title,
            "handled": r.handled,
            "overdue": r.overdue,
            "late_steps": r.late_steps,
            "open_steps": r.open_steps,
            "median_hours": r.median_hours,
            "online_submitted": r.online_submitted or None,
            "online_rate": r.online_rate,
            "unknown": r.unknown,
        }
        for r in rows
    ]


def table(rows: Sequence[OfficerRow], by: str, title: str, subtitle: str) -> Table:
    """The table of a download."""
    return Table(title, subtitle, columns(by), table_rows(rows), sheet=BY_LABELS[by])


BELOW_KEYS = ("ma_don_vi", "ten", "chi_tieu", "gia_tri", "muc_tieu", "so_ky_lien_tiep")


def judged_text(judged: Sequence[Any]) -> str:
    """A row's targets in words: "Hồ sơ quá hạn do bước của mình ≤ 0: không đạt (2 kỳ)"."""
    parts = []
    for j in judged:
        name, way = MEASURES[j.measure]
        show = fmt_percent if j.measure == "steps_on_time" else fmt_number
        sign = "≤" if way == "max" else "≥"
        digits = 0 if j.measure == "overdue" else 2
        state = "chưa có số liệu" if j.met is None else ("đạt" if j.met else "không đạt")
        if j.met is False and j.streak > 1:
            state += f" ({j.streak} kỳ liên tiếp)"
        parts.append(f"{name} {sign} {show(j.target, digits)}: {state}")
    return "; ".join(parts)


def below_rows(view: Any) -> list[dict[str, Any]]:
    """`tthc officers --below-target`: every row below a target."""
    return [
        {
            "ma_don_vi": r.unit_code,
            "ten": r.name,
            "chi_tieu": MEASURES[j.measure][0],
            "gia_tri": None if j.value is None else round(j.value, 4),
            "muc_tieu": j.target,
            "so_ky_lien_tiep": j.streak,
        }
        for r, j in view.below()
    ]
