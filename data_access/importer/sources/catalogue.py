"""The province's procedure catalogue (danh mục TTHC) → procedure_versions: one row per
procedure and effective day, keyed by (code, effective_from); a later file may close a
procedure with its "Ngày hết hiệu lực"."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Connection, select

from data_access.importer import parse
from data_access.importer.config import Mapping
from data_access.importer.sources.common import (
    Checked,
    Counts,
    Sheet,
    bool_or,
    count,
    day,
    duplicates,
    keep,
    missing_columns,
    rows_of,
    upsert,
    word,
)
from data_access.models import Dossier
from data_access.score_models import ProcedureVersion

REQUIRED = {
    "code": "Mã thủ tục",
    "name": "Tên thủ tục",
    "level": "Cấp thực hiện",
    "effective_from": "Ngày hiệu lực",
}
# Procedures of dossiers imported without a code get a local one from their name
# (matching.Matcher.procedure): no catalogue can have them, so they are counted, not listed.
LOCAL_PREFIX = "DP-"
PARTS = 7  # the parts a procedure publishes (NĐ 63/2010, Article 8(2))


def procedure_code(value: Any) -> str:
    """The code as dossiers store it: the national code (1.001234) without local suffixes.
    An Excel cell typed as a number loses its trailing zeros (1.00065): six decimals back."""
    if isinstance(value, float) and 1 <= value < 10:
        value = f"{value:.6f}"
    raw = parse.text(value)
    return parse.national_code(raw) or raw


def check(sheet: Sheet, mapping: Mapping) -> Checked:
    """Every catalogue row checked; nothing written."""
    missing_columns(sheet, REQUIRED, unit=False, unit_default=None)
    out = Checked(sheet)
    for row in rows_of(sheet, out):
        code = procedure_code(row.cell("code"))
        name = row.text("name")
        if not code:
            row.problem("code", "Mã thủ tục", "thiếu mã thủ tục")
        elif len(code) > 32:
            row.problem("code", "Mã thủ tục", "mã thủ tục dài quá 32 ký tự")
        if not name:
            row.problem("name", "Tên thủ tục", "thiếu tên thủ tục")
        elif len(name) > 500:
            row.problem("name", "Tên thủ tục", "tên thủ tục dài quá 500 ký tự")
        level = None
        if not row.text("level"):
            row.problem("level", "Cấp thực hiện", "thiếu cấp thực hiện")
        else:
            level = row.parsed(
                "level",
                "Cấp thực hiện",
                lambda v: word(
                    mapping,
                    "procedure_levels",
                    v,
                    "cấp thực hiện không hợp lệ (Cấp tỉnh, Cấp huyện, Cấp xã)",
                ),
            )
        online = row.parsed(
            "online_level",
            "Mức độ DVCTT",
            lambda v: word(
                mapping,
                "online_levels",
                v,
                "mức độ DVCTT không hợp lệ (Toàn trình, Một phần hoặc Không)",
            ),
        )
        flags = {
            fld: row.parsed(fld, label, partial(bool_or, mapping, default=default))
            for fld, label, default in (
                ("has_fee", "Có phí, lệ phí", False),
                ("payment_integrated", "Tích hợp thanh toán", False),
                ("paper_result", "Kết quả là giấy tờ", True),
            )
        }
        days = {
            fld: row.parsed(fld, label, day)
            for fld, label in (
                ("decision_on", "Ngày quyết định công bố"),
                ("effective_from", "Ngày hiệu lực"),
                ("effective_to", "Ngày hết hiệu lực"),
                ("published_on", "Ngày công khai"),
            )
        }
        start, end = days["effective_from"], days["effective_to"]
        if start is None and not row.text("effective_from"):
            row.problem("effective_from", "Ngày hiệu lực", "thiếu ngày hiệu lực")
        if start is not None and end is not None and end < start:
            row.problem(
                "effective_to",
                "Ngày hết hiệu lực",
                f"ngày hết hiệu lực trước ngày hiệu lực ({start:%d/%m/%Y})",
            )
        parts = row.parsed(
            "parts_published", "Số bộ phận công khai", lambda v: count(v, most=PARTS)
        )
        keep(
            out,
            row,
            {
                "code": code,
                "name": name,
                "level": level,
                "field_name": row.text("field")[:200],
                "online_level": online or "khong",
                **flags,
                **days,
                "parts_published": parts or 0,
            },
        )
    duplicates(out, lambda r: (r["code"], r["effective_from"]), "effective_from", "Ngày hiệu lực")
    return out


def write(conn: Connection, checked: Checked, import_id: int) -> tuple[Counts, list[str]]:
    """Upsert the rows by (code, effective_from); the notes name every procedure code the
    stored dossiers use that the catalogue (with this file) does not have."""
    counts = upsert(conn, ProcedureVersion, ("code", "effective_from"), checked.records, import_id)
    return counts, [dossier_codes_note(conn)]


def catalogue_codes(conn: Connection) -> set[str]:
    """Every code the catalogue has (in any version)."""
    return set(conn.execute(select(ProcedureVersion.code).distinct()).scalars())


def dossier_codes_note(conn: Connection) -> str:
    """The report's line on the codes of stored dossiers missing from the catalogue."""
    known = catalogue_codes(conn)
    found = conn.execute(select(Dossier.procedure_code).distinct()).scalars()
    used = {c for c in found if c is not None}
    unnamed = {c for c in used if c.startswith(LOCAL_PREFIX)}
    absent = sorted(used - known - unnamed)
    if absent:
        line = (
            f"Mã thủ tục hồ sơ đang dùng nhưng không có trong danh mục TTHC ({len(absent)} mã): "
            + ", ".join(absent)
            + "."
        )
    else:
        line = "Mọi mã thủ tục của hồ sơ đã nhập đều có trong danh mục TTHC."
    if unnamed:
        line += f" {len(unnamed)} thủ tục của hồ sơ chỉ có tên, không có mã: không đối chiếu được."
    return line


def file_codes_note(conn: Connection, codes: set[str]) -> str | None:
    """For a dossier import, once a catalogue exists: the file's codes it does not have."""
    known = catalogue_codes(conn)
    if not known:
        return None
    absent = sorted(c for c in codes if c and not c.startswith(LOCAL_PREFIX) and c not in known)
    if not absent:
        return None
    return (
        "Mã thủ tục không có trong danh mục TTHC: " + ", ".join(absent) + " (hồ sơ vẫn được nhập)."
    )
