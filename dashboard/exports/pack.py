"""The briefing pack for a period: a 16:9 .pptx deck, a .pdf of the same content and the
.xlsx tables; one chart or table per slide, titled in Vietnamese with period and data date."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from dashboard import entries, report
from dashboard.exports import charts, letter, views
from dashboard.exports.tables import STATUS_FILLS, Table, to_xlsx
from dashboard.formatting import fmt_datetime
from dashboard.indicators.catalog import CATALOG
from dashboard.indicators.periods import parse_period
from dashboard.indicators.scope import Era
from dashboard.query import ViewQuery

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in: 16:9
ROWS_PER_SLIDE = 12
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Pack:
    """What was written, and how long it took."""

    files: list[Path]
    seconds: float
    images: int


@dataclass(frozen=True)
class Content:
    """The pack's content, built once and written three ways."""

    title: str
    subtitle: str
    charts: list[tuple[str, bytes]]  # slide title, PNG
    tables: list[Table]
    era: Era  # the scope's era: its name on the slides, its office on the letter
    below: list[report.BelowTarget]  # for the letter: the same list as the table


def gather(q: ViewQuery) -> Content:
    """Figures for the query's period from the entries the pages use, and the images."""
    ov = entries.overview(replace(q, units=()))
    whole = entries.indicators(replace(q, units=()))
    images = []
    for spec in CATALOG:
        ev = ov.now.indicators[spec.key]
        if ev.value is None:
            continue  # not in the export (e.g. publicity): nothing to draw
        fig = charts.indicator_figure(
            ev, ov.now, ov.period.label, ov.newest, ov.before.indicators[spec.key]
        )
        images.append((spec.name_vi, charts.render(fig, "png")))
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
    return Content(
        f"Báo cáo cải cách thủ tục hành chính — {whole.era.name}",
        f"{label} · dữ liệu đến {fmt_datetime(newest) if newest else '—'}",
        images,
        tables,
        whole.era,
        below,
    )


def build(q: ViewQuery, out_dir: Path, deadline: dt.date) -> Pack:
    """Write bao-cao-<period>.pptx, .pdf and .xlsx into `out_dir`, and the letter asking the
    units below target to explain by `deadline`."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    q = entries.resolved(q)
    period = parse_period(q.period)
    content = gather(q)
    stem = f"bao-cao-tthc-{period.key.replace(':', '_')}"
    pptx_path, pdf_path, xlsx_path = (out_dir / f"{stem}.{x}" for x in ("pptx", "pdf", "xlsx"))
    pptx_path.write_bytes(to_pptx(content))
    pdf_path.write_bytes(to_pdf(content))
    xlsx_path.write_bytes(to_xlsx(content.tables))
    letter_path = out_dir / letter.file_name(period.label)
    letter_path.write_bytes(
        letter.build(content.below, content.era, period.label, deadline, dt.date.today())
    )
    return Pack(
        [pptx_path, pdf_path, xlsx_path, letter_path],
        time.perf_counter() - started,
        len(content.charts),
    )


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


def to_html(content: Content) -> str:
    """The same content as one printable HTML page per slide (escaped: names are data)."""
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
        "</style></head><body>",
        f"<section><h1>{e(content.title)}</h1><p>{e(content.subtitle)}</p></section>",
    ]
    for title, png in content.charts:
        data = base64.b64encode(png).decode()
        parts.append(
            f"<section><h2>{e(title)} — {e(content.subtitle)}</h2>"
            f"<img alt='{e(title)}' src='data:image/png;base64,{data}'></section>"
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


def chromium() -> str:
    """The system Chromium (the same browser kaleido uses)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Không tìm thấy Chromium để in PDF (apt-get install chromium)")


def to_pdf(content: Content) -> bytes:
    """Print the HTML with headless Chromium (fonts from the system: DejaVu has Vietnamese)."""
    with tempfile.TemporaryDirectory(prefix="tthc-pdf-") as tmp:
        page, pdf = Path(tmp) / "bao-cao.html", Path(tmp) / "bao-cao.pdf"
        page.write_text(to_html(content), encoding="utf-8")
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return pdf.read_bytes()
