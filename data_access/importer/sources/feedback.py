"""The PAKN system's export (phản ánh, kiến nghị) → feedback_items, keyed by (unit, code);
the unit is the one valid on the day the feedback was received."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from data_access.importer.config import Mapping, normalize_key
from data_access.importer.matching import Matcher
from data_access.importer.sources.common import (
    Checked,
    Counts,
    Sheet,
    day,
    duplicates,
    keep,
    missing_columns,
    required_code,
    rows_of,
    unit_on,
    upsert,
    word,
)
from data_access.score_models import FeedbackItem

REQUIRED = {"code": "Mã PAKN", "received_on": "Ngày tiếp nhận"}


def category(mapping: Mapping, value: Any) -> str:
    """tthc, can_bo, or khac for anything else (a category is never a row problem): the exact
    word first, then a word of the list inside a longer one ("Phản ánh về TTHC cấp xã")."""
    words = mapping.source_words.get("feedback_categories", {})
    key = normalize_key(str(value or ""))
    if key in words:
        return words[key]
    padded = f" {key} "
    return next((cat for w, cat in words.items() if w and f" {w} " in padded), "khac")


def check(sheet: Sheet, matcher: Matcher, mapping: Mapping, unit_default: str | None) -> Checked:
    """Every PAKN row checked; nothing written."""
    missing_columns(sheet, REQUIRED, unit=True, unit_default=unit_default)
    out = Checked(sheet)
    for row in rows_of(sheet, out):
        code = required_code(row, "code", "Mã PAKN", "mã PAKN")
        received = row.required("received_on", "Ngày tiếp nhận", day, "ngày tiếp nhận")
        due = row.parsed("due_on", "Hạn xử lý", day)
        handled = row.parsed("handled_on", "Ngày xử lý xong", day)
        rating = ""
        if row.text("rating"):
            rating = row.parsed(
                "rating",
                "Đánh giá",
                lambda v: word(
                    mapping,
                    "feedback_ratings",
                    v,
                    "đánh giá không hợp lệ (Hài lòng, Rất hài lòng, Không hài lòng hoặc để trống)",
                ),
            )
        unit_id = unit_on(matcher, row, received) if received is not None else None
        if received is not None and due is not None and due < received:
            row.problem(
                "due_on", "Hạn xử lý", f"hạn xử lý trước ngày tiếp nhận ({received:%d/%m/%Y})"
            )
        if received is not None and handled is not None and handled < received:
            row.problem(
                "handled_on",
                "Ngày xử lý xong",
                f"ngày xử lý xong trước ngày tiếp nhận ({received:%d/%m/%Y})",
            )
        keep(
            out,
            row,
            {
                "unit_id": unit_id,
                "code": code,
                "received_on": received,
                "due_on": due,
                "handled_on": handled,
                "category": category(mapping, row.text("category")),
                "rating": rating,
            },
        )
    duplicates(out, lambda r: (r["unit_id"], r["code"]), "code", "Mã PAKN")
    return out


def write(conn: Connection, checked: Checked, import_id: int) -> tuple[Counts, list[str]]:
    """Upsert the rows by (unit, code)."""
    return upsert(conn, FeedbackItem, ("unit_id", "code"), checked.records, import_id), []
