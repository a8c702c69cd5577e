"""The briefing pack for a period: a 16:9 .pptx deck, a .pdf of the same content, the .xlsx
tables, the letter asking for explanations, the report in words and Biểu 06. The deck opens
with the assessment, then one chart or table per slide, titled in Vietnamese with the period
and the data date.

Fast because the work overlaps: the charts render on two browser tabs while the Word and
Excel files are written, and Chromium prints the PDF while python-pptx writes the deck."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from dashboard.domain import clock
from dashboard.domain.assessment_facts import Section
from dashboard.domain.catalog import CATALOG
from dashboard.domain.formatting import fmt_datetime
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.domain.scope import Era
from dashboard.exports import charts, deck, form06, letter, result_report, views
from dashboard.exports.tables import STATUS_FILLS, Table, to_xlsx
from dashboard.services import briefing_entries, entries, standing

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in: 16:9
FONT = "DejaVu Sans"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Pack:
    """What was written, and how long it took."""

    files: list[Path]
    seconds: float
    images: int


@dataclass(frozen=True)
class Content:
    """The pack's content, built once and written several ways."""

    title: str
    subtitle: str
    charts: list[tuple[str, bytes]]  # slide title, PNG
    tables: list[Table]
    era: Era  # the scope's era: its name on the slides, its office on the letter
    below: list[standing.BelowTarget]  # for the letter: the same list as the table
    assessment: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    """What the pack shows, from the entries the pages use, before any image is drawn."""

    content: Content  # without the images yet
    figures: list[tuple[str, object]]  # slide title, plotly figure
    words: briefing_entries.Assessment
    form: briefing_entries.StatisticsForm


def collect(q: ViewQuery) -> Figures:
    """Figures for the query's period from the entries the pages use."""
    ov = entries.overview(replace(q, units=()))
    whole = entries.indicators(replace(q, units=()))
    figs = []
    for spec in CATALOG:
        ev = ov.now.indicators[spec.key]
        if ev.value is None:
            continue  # not in the export (e.g. publicity): nothing to draw
        fig = charts.indicator_figure(
            ev, ov.now, ov.period.label, ov.newest, ov.before.indicators[spec.key]
        )
        figs.append((spec.name_vi, fig))
    below = entries.below_target(q).shown
    leagues = {g: entries.league(replace(q, group=g, by="")) for g in ("xa", "phong")}
    label, newest = ov.period.label, ov.newest
    tables = [
        views.indicators(whole, label, newest),
        *[
            views.league(rows, g, label, newest)
            for g, rows in leagues.items()
            if rows or g == "xa"  # a scope without departments has no department league
        ],
        views.below_target(below, label, newest),
    ]
    words = briefing_entries.assessment(replace(q, units=()))
    content = Content(
        f"Báo cáo cải cách thủ tục hành chính — {whole.era.name}",
        f"{label} · dữ liệu đến {fmt_datetime(newest) if newest else '—'}",
        [],
        tables,
        whole.era,
        below,
        words.sections,
    )
    return Figures(content, figs, words, briefing_entries.form06(replace(q, units=())))


def _with_charts(f: Figures, pending: list[charts.Pending], say: Progress) -> Content:
    """The content with the images being drawn for `f`, told one by one as they come."""
    images = []
    for i, image in enumerate(pending, 1):
        images.append(charts.result(image))
        say(f"Đang tạo bộ báo cáo… {i}/{len(pending)} biểu đồ")
    titles = [title for title, _ in f.figures]
    return replace(f.content, charts=list(zip(titles, images, strict=True)))


def gather(q: ViewQuery) -> Content:
    """The pack's content with its chart images."""
    f = collect(q)
    return _with_charts(f, charts.images([fig for _, fig in f.figures], "png"), lambda _: None)


def build(q: ViewQuery, out_dir: Path, deadline: dt.date, progress: Progress | None = None) -> Pack:
    """Write the pack into `out_dir`: bao-cao-tthc-<period>.pptx, .pdf and .xlsx, the letter
    asking the units below target to explain by `deadline`, the report in words and Biểu 06.
    `progress` hears each step in Vietnamese ("4/10 biểu đồ")."""
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    q = entries.resolved(q)
    period = parse_period(q.period)
    say("Đang tính số liệu…")
    f = collect(q)
    # Each chart on its own: the page counts them as they come.
    pending = charts.images([fig for _, fig in f.figures], "png")
    stem = f"bao-cao-tthc-{period.key.replace(':', '_')}"
    pptx_path, pdf_path, xlsx_path = (out_dir / f"{stem}.{x}" for x in ("pptx", "pdf", "xlsx"))
    today = clock.today()
    content = f.content
    letter_path = out_dir / letter.file_name(period.label)
    report_path = out_dir / result_report.file_name(period.label)
    form_path = out_dir / form06.file_name(period.label)
    # While the browser draws: the Word and Excel files, which need no image.
    xlsx_path.write_bytes(to_xlsx(content.tables))
    letter_path.write_bytes(letter.build(content.below, content.era, period.label, deadline, today))
    report_path.write_bytes(
        result_report.build(content.assessment, content.era, f.words.scope, period.label, today)
    )
    form = f.form
    form_path.write_bytes(
        form06.workbook(form.by_field, form.by_unit, form.era, form.era.name, form.period, today)
    )
    content = _with_charts(f, pending, say)
    say("Đang ghi bản trình chiếu và bản PDF…")
    with ThreadPoolExecutor(max_workers=1) as pool:  # Chromium prints while pptx is written
        pdf = pool.submit(to_pdf, content)
        pptx_path.write_bytes(to_pptx(content))
        pdf_path.write_bytes(pdf.result())
    return Pack(
        [pptx_path, pdf_path, xlsx_path, letter_path, report_path, form_path],
        time.perf_counter() - started,
        len(content.charts),
    )


def _text(frame, text: str, size: int, bold: bool = False) -> None:
    frame.text = text
    for p in frame.paragraphs:
        for run in p.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT


def slides(content: Content) -> list[deck.Slide]:
    """The deck's slides (exports/deck.py): the .pptx and the .pdf draw exactly these."""
    return deck.plan(
        content.title, content.subtitle, content.assessment, content.charts, content.tables
    )


def _head(slide, text: str, size: int = 20) -> None:
    head = slide.shapes.add_textbox(Emu(400000), Emu(150000), Emu(11400000), Emu(600000))
    head.text_frame.word_wrap = True
    _text(head.text_frame, text, size, bold=True)


def _foot(slide, note: str) -> None:
    if note:
        box = slide.shapes.add_textbox(Emu(400000), Emu(6400000), Emu(11400000), Emu(350000))
        _text(box.text_frame, note, 12)


def to_pptx(content: Content) -> bytes:
    """16:9 deck, one slide per planned slide: cover, assessment, charts, tables."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    for plan in slides(content):
        slide = prs.slides.add_slide(blank)
        if plan.kind == "cover":
            box = slide.shapes.add_textbox(Emu(600000), Emu(2300000), Emu(11000000), Emu(2000000))
            box.text_frame.word_wrap = True
            _text(box.text_frame, plan.title, 32, bold=True)
            p = box.text_frame.add_paragraph()
            p.text = plan.subtitle
            p.runs[0].font.size, p.runs[0].font.name = Pt(22), FONT
        elif plan.kind == "words":
            _head(slide, f"{plan.title} — {plan.subtitle}")
            box = slide.shapes.add_textbox(Emu(400000), Emu(800000), Emu(11400000), Emu(5500000))
            frame = box.text_frame
            frame.word_wrap = True
            for n, (text, heading) in enumerate(plan.lines):
                p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                p.text = text
                p.space_after = Pt(4)
                for r in p.runs:
                    r.font.size, r.font.bold, r.font.name = Pt(16), heading, FONT
        elif plan.kind == "chart":
            _head(slide, f"{plan.title} — {plan.subtitle}")
            height = SLIDE_H - Emu(900000)
            width = int(height * 16 / 9)
            slide.shapes.add_picture(
                io.BytesIO(plan.png), int((SLIDE_W - width) / 2), Emu(800000), width, height
            )
        elif plan.table is not None:
            _head(slide, f"{plan.title} — {plan.subtitle}", 18)
            _table_shape(slide, plan.table, plan.rows)
        _foot(slide, plan.note)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _table_shape(slide, table: Table, rows: Sequence[int]) -> None:
    cols = table.columns
    shape = slide.shapes.add_table(
        len(rows) + 1, len(cols), Emu(300000), Emu(850000), Emu(11600000), Emu(5400000)
    )
    grid = shape.table
    for c, col in enumerate(cols):
        _text(grid.cell(0, c).text_frame, col.header, 9, bold=True)
    for r, index in enumerate(rows, 1):
        row = table.rows[index]
        for c, col in enumerate(cols):
            cell = grid.cell(r, c)
            _text(cell.text_frame, table.display(row, col), 9)
            status = table.status.get((index, col.key))
            if status:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(STATUS_FILLS[status])


def to_html(content: Content, image_names: list[str] | None = None) -> str:
    """The same slides as printable HTML, one page each (escaped: names are data). The
    charts are inline unless `image_names` name files beside the page (faster to print)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>",
        "@page { size: 297mm 167mm; margin: 8mm; }",
        f"body {{ font-family: '{FONT}', sans-serif; margin: 0; }}",
        "section { page-break-after: always; break-after: page; height: 150mm;",
        " overflow: hidden; position: relative; }",
        "h1 { font-size: 22pt; margin-top: 50mm; } h2 { font-size: 13pt; margin: 0 0 3mm; }",
        "img { display: block; height: 138mm; margin: 0 auto; }",
        "table { border-collapse: collapse; width: 100%; font-size: 7.5pt; }",
        "th { background: #1f6fb2; color: #fff; text-align: left; }",
        "td, th { border: 1px solid #bbb; padding: 1mm 1.5mm; }",
        ".words { font-size: 11pt; line-height: 1.35; } .words p { margin: 0 0 1.5mm; }",
        ".words .h { font-weight: bold; margin-top: 2mm; }",
        ".note { position: absolute; bottom: 0; font-size: 9pt; margin: 0; }",
        "</style></head><body>",
    ]
    names = list(image_names or [])
    for plan in slides(content):
        note = f"<p class='note'>{e(plan.note)}</p>" if plan.note else ""
        if plan.kind == "cover":
            parts.append(f"<section><h1>{e(plan.title)}</h1><p>{e(plan.subtitle)}</p></section>")
        elif plan.kind == "words":
            body = "".join(
                f"<p class='h'>{e(text)}</p>" if heading else f"<p>{e(text)}</p>"
                for text, heading in plan.lines
            )
            parts.append(
                f"<section><h2>{e(plan.title)} — {e(plan.subtitle)}</h2>"
                f"<div class='words'>{body}</div>{note}</section>"
            )
        elif plan.kind == "chart":
            src = (
                names.pop(0)
                if names
                else f"data:image/png;base64,{base64.b64encode(plan.png).decode()}"
            )
            parts.append(
                f"<section><h2>{e(plan.title)} — {e(plan.subtitle)}</h2>"
                f"<img alt='{e(plan.title)}' src='{e(src)}'>{note}</section>"
            )
        elif plan.table is not None:
            table = plan.table
            head = "".join(f"<th>{e(c.header)}</th>" for c in table.columns)
            body_rows = []
            for index in plan.rows:
                cells = []
                for col in table.columns:
                    status = table.status.get((index, col.key))
                    style = f" style='background:#{STATUS_FILLS[status]}'" if status else ""
                    cells.append(f"<td{style}>{e(table.display(table.rows[index], col))}</td>")
                body_rows.append("<tr>" + "".join(cells) + "</tr>")
            parts.append(
                f"<section><h2>{e(plan.title)} — {e(plan.subtitle)}</h2>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody>"
                f"</table>{note}</section>"
            )
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(content: Content) -> bytes:
    """Print the HTML with the Chromium the charts are drawn with (fonts from the system:
    DejaVu has Vietnamese)."""
    with tempfile.TemporaryDirectory(prefix="tthc-pdf-") as tmp:
        page = Path(tmp) / "bao-cao.html"
        names = [f"bieu-do-{i}.png" for i in range(len(content.charts))]
        for name, (_title, png) in zip(names, content.charts, strict=True):
            (Path(tmp) / name).write_bytes(png)
        page.write_text(to_html(content, names), encoding="utf-8")
        return charts.print_pdf(page)
