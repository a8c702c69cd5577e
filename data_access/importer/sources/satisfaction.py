"""Satisfaction votes → satisfaction_votes, keyed by (unit, month, dossier code). Two shapes:
one vote per dossier (Mã hồ sơ, Ngày đánh giá, Mức độ hài lòng: a row of one vote), or a
unit's month counted by the portal (Tháng, Số phiếu đánh giá, Số phiếu hài lòng: dossier
code empty)."""

from __future__ import annotations

from sqlalchemy import Connection

from data_access.importer.config import Mapping
from data_access.importer.matching import Matcher
from data_access.importer.sources.common import (
    Checked,
    Counts,
    Row,
    Sheet,
    count,
    day,
    duplicates,
    keep,
    missing_columns,
    month,
    required_code,
    rows_of,
    unit_in_month,
    unit_on,
    upsert,
    word,
)
from data_access.score_models import SatisfactionVote

PER_DOSSIER = {
    "dossier_code": "Mã hồ sơ",
    "voted_on": "Ngày đánh giá",
    "rating": "Mức độ hài lòng",
}
PER_MONTH = {"month": "Tháng", "votes": "Số phiếu đánh giá", "satisfied": "Số phiếu hài lòng"}


def per_dossier(sheet: Sheet) -> bool:
    """Whether the file holds single votes (it names a satisfaction level per row)."""
    return "rating" in sheet.fields


def check(sheet: Sheet, matcher: Matcher, mapping: Mapping, unit_default: str | None) -> Checked:
    """Every row checked, in the file's shape; nothing written."""
    single = per_dossier(sheet)
    missing_columns(sheet, PER_DOSSIER if single else PER_MONTH, True, unit_default)
    out = Checked(sheet)
    for row in rows_of(sheet, out):
        keep(out, row, _vote(row, matcher, mapping) if single else _month(row, matcher))
    duplicates(
        out,
        lambda r: (r["unit_id"], r["month"], r["dossier_code"]),
        "dossier_code" if single else "month",
        "Mã hồ sơ" if single else "Tháng",
    )
    return out


def _vote(row: Row, matcher: Matcher, mapping: Mapping) -> dict:
    code = required_code(row, "dossier_code", "Mã hồ sơ", "mã hồ sơ")
    voted = row.required("voted_on", "Ngày đánh giá", day, "ngày đánh giá")
    satisfied = row.parsed(
        "rating",
        "Mức độ hài lòng",
        lambda v: word(
            mapping,
            "satisfaction_levels",
            v,
            "mức độ hài lòng không hợp lệ (Rất hài lòng, Hài lòng, Bình thường, Không hài lòng)",
        ),
    )
    unit_id = unit_on(matcher, row, voted) if voted is not None else None
    return {
        "unit_id": unit_id,
        "month": voted.replace(day=1) if voted else None,
        "dossier_code": code,
        "votes": 1,
        "satisfied": int(satisfied == "true"),
    }


def _month(row: Row, matcher: Matcher) -> dict:
    first = row.required("month", "Tháng", month, "tháng")
    votes = row.required("votes", "Số phiếu đánh giá", count, "số phiếu đánh giá")
    satisfied = row.required("satisfied", "Số phiếu hài lòng", count, "số phiếu hài lòng")
    if votes is not None and satisfied is not None and satisfied > votes:
        row.problem(
            "satisfied",
            "Số phiếu hài lòng",
            f"số phiếu hài lòng lớn hơn số phiếu đánh giá ({votes})",
        )
    unit_id = unit_in_month(matcher, row, first) if first is not None else None
    return {
        "unit_id": unit_id,
        "month": first,
        "dossier_code": "",
        "votes": votes,
        "satisfied": satisfied,
    }


def write(conn: Connection, checked: Checked, import_id: int) -> tuple[Counts, list[str]]:
    """Upsert the rows by (unit, month, dossier code)."""
    keys = ("unit_id", "month", "dossier_code")
    return upsert(conn, SatisfactionVote, keys, checked.records, import_id), []
