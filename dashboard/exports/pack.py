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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from dashboard import entries, report
from dashboard.exports import charts, form06, letter, result_report, views
from dashboard.exports.tables import STATUS_FILLS, Table, to_xlsx
from dashboard.formatting import fmt_datetime
from dashboard.indicators import clock
from dashboard.indicators.assessment import Section
from dashboard.indicators.catalog import CATALOG
from dashboard.indicators.periods import parse_period
from dashboard.indicators.scope import Era
from dashboard.query import ViewQuery

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in: 16:9
ROWS_PER_SLIDE = 12
FONT = "DejaVu Sans"
LINES_PER_SLIDE = 18  # the assessment at 16 pt: about 100 characters a line
CHARS_PER_LINE = 100
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
    below: list[report.BelowTarget]  # for the letter: the same list as the table
    assessment: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    """What the pack shows, from the entries the pages use, before any image is drawn."""

    content: Content  # without the images yet
    figures: list[tuple[str, object]]  # slide title, plotly figure
    words: entries.Assessment
    form: entries.StatisticsForm


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
    words = entries.assessment(replace(q, units=()))
    content = Content(
        f"Báo cáo cải cách thủ tục hành chính — {whole.era.name}",
        f"{label} · dữ liệu đến {fmt_datetime(newest) if newest else '—'}",
        [],
        tables,
        whole.era,
        below,
        words.sections,
    )
    return Figures(content, figs, words, entries.form06(replace(q, units=())))


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


def _text_slides(sections: list[Section]) -> list[list[tuple[str, bool]]]:
    """The assessment cut into slides of about LINES_PER_SLIDE lines: [(text, is_heading)]."""
    slides: list[list[tuple[str, bool]]] = [[]]
    used = 0
    for i, s in enumerate(sections, 1):
        items = [(f"{i}. {s.title}", True), *[(p, False) for p in s.paragraphs]]
        for text, heading in items:
            lines = 1 + len(text) // CHARS_PER_LINE
            if used + lines > LINES_PER_SLIDE and slides[-1]:
                slides.append([])
                used = 0
            slides[-1].append((text, heading))
            used += lines
    return slides if slides[0] else []


def _pages(table: Table) -> list[list[int]]:
    idx = list(range(len(table.rows)))
    return [idx[i : i + ROWS_PER_SLIDE] for i in range(0, len(idx), ROWS_PER_SLIDE)] or [[]]


def _paged(title: str, i: int, n: int) -> str:
    return f"{title} ({i}/{n})" if n > 1 else title


def _text(frame, text: str, size: int, bold: bool = False) -> None:
    frame.text = text
    for p in frame.paragraphs:
        for run in p.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT


def to_pptx(content: Content) -> bytes:
    """16:9 deck: a title slide, one slide per chart, tables paged 12 rows a slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    slide = prs.slides.add_slide(blank)
    box = slide.shapes.add_textbox(Emu(600000), Emu(2300000), Emu(11000000), Emu(2000000))
    _text(box.text_frame, content.title, 32, bold=True)
    p = box.text_frame.add_paragraph()
    p.text = content.subtitle
    p.runs[0].font.size, p.runs[0].font.name = Pt(22), FONT

    word_pages = _text_slides(content.assessment)
    for i, items in enumerate(word_pages, 1):
        slide = prs.slides.add_slide(blank)
        head = slide.shapes.add_textbox(Emu(400000), Emu(150000), Emu(11400000), Emu(600000))
        _text(head.text_frame, f"{_paged('Nhận xét, đánh giá', i, len(word_pages))} — "
              f"{content.subtitle}", 20, bold=True)  # fmt: skip
        box = slide.shapes.add_textbox(Emu(400000), Emu(800000), Emu(11400000), Emu(5800000))
        frame = box.text_frame
        frame.word_wrap = True
        for n, (text, heading) in enumerate(items):
            p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            p.text = text
            p.space_after = Pt(4)
            for r in p.runs:
                r.font.size, r.font.bold, r.font.name = Pt(16), heading, FONT

    for title, png in content.charts:
        slide = prs.slides.add_slide(blank)
        head = slide.shapes.add_textbox(Emu(400000), Emu(150000), Emu(11400000), Emu(600000))
        _text(head.text_frame, f"{title} — {content.subtitle}", 20, bold=True)
        height = SLIDE_H - Emu(900000)
        width = int(height * 16 / 9)
        slide.shapes.add_picture(
            io.BytesIO(png), int((SLIDE_W - width) / 2), Emu(800000), width, height
        )

    for table in content.tables:
        pages = _pages(table)
        for i, rows in enumerate(pages, 1):
            slide = prs.slides.add_slide(blank)
            head = slide.shapes.add_textbox(Emu(400000), Emu(150000), Emu(11400000), Emu(600000))
            _text(
                head.text_frame,
                f"{_paged(table.title, i, len(pages))} — {table.subtitle}",
                18,
                True,
            )
            cols = table.columns
            shape = slide.shapes.add_table(
                len(rows) + 1, len(cols), Emu(300000), Emu(850000), Emu(11600000), Emu(5700000)
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
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def to_html(content: Content, image_names: list[str] | None = None) -> str:
    """The same content as one printable HTML page per slide (escaped: names are data). The
    charts are inline unless `image_names` name files beside the page (faster to print)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>",
        "@page { size: 297mm 167mm; margin: 8mm; }",
        f"body {{ font-family: '{FONT}', sans-serif; margin: 0; }}",
        "section { page-break-after: always; height: 150mm; overflow: hidden; }",
        "h1 { font-size: 22pt; margin-top: 50mm; } h2 { font-size: 13pt; margin: 0 0 3mm; }",
        "img { display: block; height: 138mm; margin: 0 auto; }",
        "table { border-collapse: collapse; width: 100%; font-size: 7.5pt; }",
        "th { background: #1f6fb2; color: #fff; text-align: left; }",
        "td, th { border: 1px solid #bbb; padding: 1mm 1.5mm; }",
        "article { page-break-after: always; font-size: 11pt; line-height: 1.35; }",
        "article h3 { font-size: 12pt; margin: 3mm 0 1mm; } article p { margin: 0 0 1.5mm; }",
        "</style></head><body>",
        f"<section><h1>{e(content.title)}</h1><p>{e(content.subtitle)}</p></section>",
    ]
    if content.assessment:
        parts.append(f"<article><h2>Nhận xét, đánh giá — {e(content.subtitle)}</h2>")
        for i, s in enumerate(content.assessment, 1):
            parts.append(f"<h3>{i}. {e(s.title)}</h3>")
            parts.extend(f"<p>{e(p)}</p>" for p in s.paragraphs)
        parts.append("</article>")
    for title, png in content.charts:
        src = (
            image_names.pop(0)
            if image_names
            else f"data:image/png;base64,{base64.b64encode(png).decode()}"
        )
        parts.append(
            f"<section><h2>{e(title)} — {e(content.subtitle)}</h2>"
            f"<img alt='{e(title)}' src='{e(src)}'></section>"
        )
    for table in content.tables:
        pages = _pages(table)
        for i, rows in enumerate(pages, 1):
            head = "".join(f"<th>{e(c.header)}</th>" for c in table.columns)
            body = []
            for index in rows:
                cells = []
                for col in table.columns:
                    status = table.status.get((index, col.key))
                    style = f" style='background:#{STATUS_FILLS[status]}'" if status else ""
                    cells.append(f"<td{style}>{e(table.display(table.rows[index], col))}</td>")
                body.append("<tr>" + "".join(cells) + "</tr>")
            parts.append(
                f"<section><h2>{e(_paged(table.title, i, len(pages)))} — {e(table.subtitle)}</h2>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                "</section>"
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
