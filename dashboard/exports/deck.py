"""The briefing deck's slides, chosen and ordered for a leadership meeting whatever the scope's
size, and drawn the same way into the .pptx and the .pdf (one slide, one page).

At most about 30 slides: the cover, the assessment (its long lists of units cut to the ten
that matter, at most MAX_WORD_SLIDES slides), one chart per indicator, then each table on one
or two slides. A table longer than two slides (a city's 114 units) shows what a meeting acts
on — a league's top and bottom ranks, the units with the most indicators missed, the longest
runs below target — and says how many rows more the .xlsx holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.domain.assessment_facts import Section
from dashboard.domain.formatting import fmt_int
from dashboard.domain.short_lists import shorten
from dashboard.exports.tables import Table

ROWS_PER_SLIDE = 12
MAX_WORD_SLIDES = 8
LINES_PER_SLIDE = 18  # the assessment at 16 pt: about 100 characters a line
CHARS_PER_LINE = 100


@dataclass(frozen=True)
class Slide:
    """One slide (one PDF page): its title and what it holds."""

    title: str
    kind: str  # cover, words, chart, table
    lines: tuple[tuple[str, bool], ...] = ()  # words: (text, is a heading)
    png: bytes = b""  # chart
    table: Table | None = None  # table: its rows `rows`, in this order
    rows: tuple[int, ...] = ()
    note: str = ""  # "… và 95 đơn vị khác: bảng đầy đủ trong tệp Excel"
    subtitle: str = ""


def _word_slides(sections: Sequence[Section]) -> list[list[tuple[str, bool]]]:
    """The assessment, long lists cut, in slides of about LINES_PER_SLIDE lines."""
    slides: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for i, s in enumerate(sections, 1):
        items = [(f"{i}. {s.title}", True), *[(shorten(p), False) for p in s.paragraphs]]
        for text, heading in items:
            lines = 1 + len(text) // CHARS_PER_LINE
            if used + lines > LINES_PER_SLIDE and slides[-1]:
                slides.append([])
                used = 0
            slides[-1].append((text, heading))
            used += lines
    return slides if slides[0] else []


def _missed(table: Table, index: int) -> int:
    return sum(
        1 for (i, _key), status in table.status.items() if i == index and status == "khong_dat"
    )


def _pages(table: Table) -> list[tuple[str, tuple[int, ...], str]]:
    """A table's slides: (title, row indices, note). Up to two slides it is whole."""
    n = len(table.rows)
    if n <= 2 * ROWS_PER_SLIDE:
        chunks = [tuple(range(i, min(n, i + ROWS_PER_SLIDE))) for i in range(0, n, ROWS_PER_SLIDE)]
        chunks = chunks or [()]
        return [
            (f"{table.title} ({k}/{len(chunks)})" if len(chunks) > 1 else table.title, rows, "")
            for k, rows in enumerate(chunks, 1)
        ]
    more = f"Bảng đầy đủ ({fmt_int(n)} dòng) trong tệp Excel của bộ báo cáo."
    if "rank" in table.rows[0]:  # a league: its head and its foot
        top, bottom = tuple(range(ROWS_PER_SLIDE)), tuple(range(n - ROWS_PER_SLIDE, n))
        return [
            (f"{table.title}: {ROWS_PER_SLIDE} đơn vị dẫn đầu", top, more),
            (f"{table.title}: {ROWS_PER_SLIDE} đơn vị cuối bảng", bottom, more),
        ]
    if "streak" in table.rows[0]:  # below target: the longest runs, then the widest gaps
        order = sorted(range(n), key=lambda i: -(table.rows[i].get("streak") or 0))
        shown = tuple(order[:ROWS_PER_SLIDE])
        rest = f"… và {fmt_int(n - len(shown))} trường hợp khác. {more}"
        return [(f"{table.title}: các trường hợp kéo dài nhất", shown, rest)]
    # Every unit's indicators: the scope's row, then the units missing the most targets.
    order = sorted(range(1, n), key=lambda i: -_missed(table, i))
    shown = (0, *order[: ROWS_PER_SLIDE - 1])
    rest = f"… và {fmt_int(n - len(shown))} đơn vị khác. {more}"
    return [(f"{table.title}: các đơn vị chưa đạt nhiều chỉ tiêu nhất", shown, rest)]


def plan(
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    charts: Sequence[tuple[str, bytes]],
    tables: Sequence[Table],
) -> list[Slide]:
    """Every slide of the deck, in order (the .pptx and the .pdf both draw exactly these)."""
    slides = [Slide(title, "cover", subtitle=subtitle)]
    words = _word_slides(sections)
    kept = words[:MAX_WORD_SLIDES]
    for i, lines in enumerate(kept, 1):
        label = f"Nhận xét, đánh giá ({i}/{len(kept)})" if len(kept) > 1 else "Nhận xét, đánh giá"
        note = "Toàn văn trong báo cáo .docx của bộ báo cáo." if len(words) > len(kept) else ""
        slides.append(
            Slide(
                label, "words", tuple(lines), note=note if i == len(kept) else "", subtitle=subtitle
            )  # fmt: skip
        )
    slides += [Slide(name, "chart", png=png, subtitle=subtitle) for name, png in charts]
    for table in tables:
        for name, rows, note in _pages(table):
            slides.append(Slide(name, "table", table=table, rows=rows, note=note,
                                subtitle=table.subtitle))  # fmt: skip
    return slides
