"""The 766 score as rows: one per unit and component, with the file each figure comes from,
plus a total per unit (`tthc score766`, the Điểm 766 page and its downloads)."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.domain.formatting import fmt_date, fmt_number
from dashboard.domain.score766 import (
    BY_CODE,
    CATALOGUE,
    DOSSIERS,
    FEEDBACK,
    SATISFACTION,
    SOURCE_LABELS,
    SYNC,
    ComponentScore,
    Score766,
)
from dashboard.services.report import UnitReport
from data_access import score_sources

# The import kind (imports.kind) each source is loaded by.
IMPORT_KIND = {
    DOSSIERS: "dossiers",
    CATALOGUE: "catalogue",
    FEEDBACK: "feedback",
    SATISFACTION: "satisfaction",
    SYNC: "sync",
}
COLUMNS = ("ma_don_vi", "nhom", "thanh_phan", "diem", "diem_toi_da", "nguon")
TOTAL = "Tổng"
ESTIMATED = "ước tính"


def source_notes(engine: Engine) -> dict[str, str]:
    """Per source: "Danh mục TTHC: danh-muc.xlsx, nhập 03/12/2026" (the newest file loaded)."""
    with engine.connect() as conn:
        files = score_sources.source_files(conn)
    out = {}
    for source, kind in IMPORT_KIND.items():
        f = files.get(kind)
        out[source] = (
            f"{SOURCE_LABELS[source]}: {f.file_name}, nhập {fmt_date(f.imported_at)}"
            if f is not None
            else SOURCE_LABELS[source]
        )
    return out


def component_source(c: ComponentScore, notes: dict[str, str]) -> str:
    """Where a component's figure comes from, or which source it still lacks."""
    if c.missing:
        return "chưa có dữ liệu: " + "; ".join(SOURCE_LABELS[s] for s in c.missing)
    text = "; ".join(notes.get(s, SOURCE_LABELS[s]) for s in BY_CODE[c.code].sources)
    return f"{text} ({ESTIMATED})" if c.estimated else text


def total_source(s: Score766) -> str:
    """The total's note: complete, or the points the missing sources carry."""
    if s.complete:
        return "đủ 100 điểm có dữ liệu"
    missing = "chưa có dữ liệu: " + "; ".join(
        SOURCE_LABELS[m] for m in sorted({m for c in s.components for m in c.missing})
    )
    if s.points is None:
        return missing
    return f"tính trên {fmt_number(s.max_supported)}/100 điểm; {missing}"


def _scope_words(shortfall: str) -> str:
    """A scope counts each unit's instance of a procedure: say so ("228 TTHC" of a city is
    2 procedures in 114 communes)."""
    return shortfall.replace(" TTHC ", " lượt TTHC – đơn vị ", 1)


def rows(reports: list[UnitReport], notes: dict[str, str]) -> list[dict]:
    """One row per unit and component, then the unit's total (`thanh_phan` = "Tổng"); `diem`
    None when a source the component needs is missing. Extra keys for the page: the unit's
    name, the points lost and what they are lost on."""
    out: list[dict] = []
    for rep in reports:
        s = rep.score
        for c in s.components:
            out.append(
                {
                    "ma_don_vi": rep.unit.code,
                    "nhom": c.group,
                    "thanh_phan": f"{c.code} {c.name}",
                    "diem": None if c.points is None else round(c.points, 2),
                    "diem_toi_da": c.max_points,
                    "nguon": component_source(c, notes),
                    "unit_name": rep.unit.name,
                    "code": c.code,
                    "lost": c.lost,
                    "shortfall": _scope_words(c.shortfall)
                    if rep.unit.kind == "scope"
                    else c.shortfall,
                    "estimated": c.estimated,
                }
            )
        out.append(
            {
                "ma_don_vi": rep.unit.code,
                "nhom": "",
                "thanh_phan": TOTAL,
                "diem": None if s.points is None else round(s.points, 2),
                "diem_toi_da": s.max_supported,
                "nguon": total_source(s),
                "unit_name": rep.unit.name,
                "code": "",
                "lost": None if s.points is None else s.max_supported - s.points,
                "shortfall": "",
                "estimated": False,
            }
        )
    return out
