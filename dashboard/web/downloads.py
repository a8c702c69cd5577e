"""Download routes: chart images, tables, the briefing pack and the explanation letter.

    /xuat/bieu-do/<indicator>.png|svg?ky=2025-Q1&don_vi=…&linh_vuc=…
    /xuat/bang/<xep-hang|giai-trinh|chi-so|ho-so>.xlsx|csv?ky=…&nhom=…&ma=…
    /xuat/bao-cao.zip?ky=…          (pptx + pdf + xlsx + docx: the letter, the report; Biểu 06)
    /xuat/bao-cao/<job>.zip         (the same, built in the background for the overview)
    /xuat/cong-van.docx?ky=…&han=dd/mm/yyyy
    /xuat/bao-cao-ket-qua.docx?ky=…&don_vi=…&linh_vuc=…   (the assessment as a report)
    /xuat/bieu-06.xlsx?ky=…&linh_vuc=…      (Biểu số 06/VPCP/KSTT)
    /xuat/canh-bao.xlsx?ngay=…&don_vi=…&so_ngay=…&loai=…
    /xuat/can-bo.xlsx|csv?ky=…&ma=…&theo=officer|kind|department   (the officer table)

Every file comes from the entry of the page its link is on (`dashboard/services/entries.py`), read
with the same query, so a file holds what the page shows. A bad parameter gets a 400 with the
reason in Vietnamese, never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

from flask import Flask, Response, request, send_file

from dashboard.domain import clock, naming
from dashboard.domain.catalog import BY_KEY
from dashboard.domain.officer_rows import BY_LABELS
from dashboard.domain.periods import parse_period
from dashboard.domain.query import ViewQuery
from dashboard.exports import charts, form06, letter, pack, result_report, views
from dashboard.exports import officers as officer_files
from dashboard.exports import warnings as warning_files
from dashboard.exports.tables import to_csv, to_xlsx
from dashboard.services import briefing_entries, entries, figures, officers, warning_view
from dashboard.web import access, pack_jobs
from dashboard.web.pages import OFFICE

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",  # Flask adds "; charset=utf-8" to a text type
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
LETTER_DAYS = 7  # default deadline for the written explanations


class BadRequest(ValueError):
    """A parameter the user can correct."""


class Forbidden(Exception):
    """The account may not have this file."""


def _send(data: bytes, name: str, ext: str) -> Response:
    response = Response(data, mimetype=MIME[ext])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _query(without: tuple[str, ...] = ()) -> ViewQuery:
    """The view the link was made for: the page's own query string (read strictly: a file
    is never a different view than the one asked for). A unit account asking for another
    unit is refused, never given its own unit's file or the totals instead. `without`: the
    parameters a route reads itself."""
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in without}
    q = entries.resolved(ViewQuery.from_url(args, strict=True))
    period = q.as_of or q.period
    asked = [*q.units, *([q.unit] if q.unit else [])]
    if period and any(not entries.may_see(ref, period) for ref in asked):
        raise Forbidden
    return q


def chart(key: str, fmt: str) -> Response:
    """One indicator for the scope and period, as PNG (1920×1080) or SVG: the overview's
    figures for the same query."""
    if key not in BY_KEY or fmt not in ("png", "svg"):
        raise BadRequest("Không có biểu đồ này (chỉ số hoặc định dạng png/svg)")
    q = _query()
    ov = entries.overview(q)
    now, label = ov.now, ov.period.label
    words = entries.filter_words(q)
    fig = charts.indicator_figure(
        now.indicators[key], now, label, ov.newest, ov.before.indicators[key], words
    )
    name = naming.file_name(BY_KEY[key].name_vi, words, label, fmt)
    return _send(charts.render(fig, fmt), name, fmt)


def table(name: str, fmt: str) -> Response:
    """A table as .xlsx or .csv: the figures of the page the link is on, for its query."""
    if fmt not in ("xlsx", "csv"):
        raise BadRequest("Định dạng bảng phải là xlsx hoặc csv")
    q = _query()
    label = parse_period(q.period).label
    _first, newest = figures.data_range()
    words = entries.filter_words(q)
    if name == "xep-hang":
        t = views.league(entries.league(q), q.group, label, newest, words)
    elif name == "giai-trinh":
        t = views.below_target(entries.below_target(q).shown, label, newest, words)
    elif name == "chi-so":
        t = views.indicators(entries.indicators(q), label, newest, words)
    elif name == "ho-so":
        uv = entries.unit(q)
        if uv is None:  # unknown: said as such (another unit's was refused above)
            raise BadRequest(f"Không có đơn vị mã «{q.unit}» trong kỳ")
        t = views.dossiers(uv.problems, uv.unit.unit.name, label, uv.period.end)
        words = []  # the unit is in the title already
    else:
        raise BadRequest(f"Không có bảng «{name}»")
    data = to_xlsx([t]) if fmt == "xlsx" else to_csv(t)
    return _send(data, naming.file_name(t.title, words, label, fmt), fmt)


def _deadline() -> dt.date:
    raw = request.args.get("han", "")
    if not raw:
        return clock.today() + dt.timedelta(days=LETTER_DAYS)
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        raise BadRequest("Hạn giải trình phải có dạng dd/mm/yyyy") from None


def explanation_letter() -> Response:
    """The công văn asking the units the page lists (by its rule: every one, or only runs of
    so_ky periods) to explain, as one .docx with one letter per unit."""
    if not access.current().may(OFFICE):
        raise Forbidden
    below = entries.below_target(_query())
    era = entries.indicators(ViewQuery(period=below.period.key)).era
    label = below.period.label
    data = letter.build(below.shown, era, label, _deadline(), clock.today())
    return _send(data, letter.file_name(label, _letter_words(below)), "docx")


def explanation_letters() -> Response:
    """The same letters, one .docx per unit, zipped (to send each unit its own)."""
    if not access.current().may(OFFICE):
        raise Forbidden
    below = entries.below_target(_query())
    era = entries.indicators(ViewQuery(period=below.period.key)).era
    label = below.period.label
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in letter.build_each(
            below.shown, era, label, _deadline(), clock.today()
        ).items():
            zf.writestr(name, data)
    return _send(out.getvalue(), letter.file_name(label, _letter_words(below), "zip"), "zip")


def _letter_words(below: entries.BelowList) -> list[str]:
    words = entries.filter_words(below.query)
    least = below.least_run
    return [*words, f"khong dat tu {least} ky lien tiep"] if least else words


def assessment_report() -> Response:
    """The period's report in words (the overview's assessment for the same query), .docx."""
    words = briefing_entries.assessment(_query())
    era = entries.indicators(ViewQuery(period=words.period.key)).era
    label = words.period.label
    data = result_report.build(
        words.sections, era, words.scope, label, clock.today(), ", ".join(words.query.fields)
    )
    name = result_report.file_name(label, entries.filter_words(words.query))
    return _send(data, name, "docx")


def statistics_form() -> Response:
    """Biểu số 06/VPCP/KSTT for the query's period and fields, .xlsx."""
    q = _query()
    form = briefing_entries.form06(q)
    data = form06.workbook(
        form.by_field, form.by_unit, form.era, form.era.name, form.period, clock.today()
    )
    return _send(data, form06.file_name(form.period.label, entries.filter_words(q)), "xlsx")


def briefing_pack() -> Response:
    """The pack (pptx, pdf, xlsx) and the letter, zipped."""
    if not access.current().may(OFFICE):
        raise Forbidden
    q = _query()
    label = parse_period(q.period).label
    with tempfile.TemporaryDirectory(prefix="tthc-pack-") as tmp:
        built = pack.build(ViewQuery(period=q.period), Path(tmp), _deadline())
        out = io.BytesIO()
        # Stored, not deflated: pptx, xlsx, docx and pdf are compressed already.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for path in built.files:
                zf.write(path, path.name)
    words = entries.filter_words(ViewQuery(period=q.period))  # the pack is the whole scope's
    return _send(out.getvalue(), naming.file_name("bao cao tthc", words, label, "zip"), "zip")


def built_pack(job: str) -> Response:
    """The pack a page built in the background (dashboard/web/pack_jobs.py), once ready."""
    if not access.current().may(OFFICE):
        raise Forbidden
    found = pack_jobs.get(job)
    data = pack_jobs.zip_data(found) if found is not None else None
    if found is None or data is None:
        raise BadRequest("Bộ báo cáo này không còn hoặc chưa xong: hãy tạo lại")
    name = naming.file_name("bao cao tthc", found.words, found.period_label, "zip")
    # Streamed from its file: a pack is megabytes, and several may be downloaded at once.
    source = data if isinstance(data, Path) else io.BytesIO(data)
    return send_file(source, mimetype=MIME["zip"], as_attachment=True, download_name=name)


def warning_list() -> Response:
    """The early warning as .xlsx: one unit's list (one unit asked for, or a unit account),
    else the totals and a sheet per unit."""
    q = _query()
    wv = warning_view.warnings(q)
    w = wv.warnings
    data = warning_files.workbook(w, wv.newest, wv.shown)
    words = entries.filter_words(wv.query)
    if len(w.units) == 1 and not wv.query.units:  # a unit account: its own list
        words = [w.units[0].unit.name, *words[1:]]
    return _send(data, naming.file_name("canh bao", words, f"{w.as_of:%d-%m-%Y}", "xlsx"), "xlsx")


def officer_table(fmt: str) -> Response:
    """The unit page's officer table (?ky=…&ma=…&theo=officer|kind|department) as .xlsx or
    .csv, under the same rules as the tab (dashboard/services/officers.py)."""
    if fmt not in ("xlsx", "csv"):
        raise BadRequest("Định dạng bảng phải là xlsx hoặc csv")
    q = _query(without=("theo",))  # "theo" is the officer table's grouping here
    by = request.args.get("theo", "officer")
    try:
        got = officers.officers(q, by)
    except officers.NotAllowed as exc:
        return Response(str(exc), status=403, mimetype="text/plain")
    label = got.period.label
    title = f"Số liệu theo {BY_LABELS.get(by, by).lower()}"
    t = officer_files.table(got.rows, by, f"{title} — {label}", ", ".join(got.unit_names))
    data = to_xlsx([t]) if fmt == "xlsx" else to_csv(t)
    return _send(data, naming.file_name(title, list(got.unit_names), label, fmt), fmt)


def register(server: Flask) -> None:
    """Attach the download routes to the Flask server."""

    def guarded(view):
        def run(**kwargs):
            try:
                return view(**kwargs)
            except Forbidden:
                return Response(
                    "Không có quyền: tài khoản đơn vị chỉ tải được số liệu của đơn vị mình "
                    "(và số liệu chung của cả phạm vi).",
                    status=403,
                    mimetype="text/plain",
                )
            except (BadRequest, ValueError) as exc:
                return Response(f"Lỗi: {exc}", status=400, mimetype="text/plain")

        run.__name__ = f"download_{view.__name__}"
        return run

    server.add_url_rule("/xuat/bieu-do/<key>.<fmt>", view_func=guarded(chart))
    server.add_url_rule("/xuat/bang/<name>.<fmt>", view_func=guarded(table))
    server.add_url_rule("/xuat/cong-van.docx", view_func=guarded(explanation_letter))
    server.add_url_rule("/xuat/cong-van.zip", view_func=guarded(explanation_letters))
    server.add_url_rule("/xuat/bao-cao-ket-qua.docx", view_func=guarded(assessment_report))
    server.add_url_rule("/xuat/bieu-06.xlsx", view_func=guarded(statistics_form))
    server.add_url_rule("/xuat/bao-cao/<job>.zip", view_func=guarded(built_pack))
    server.add_url_rule("/xuat/bao-cao.zip", view_func=guarded(briefing_pack))
    server.add_url_rule("/xuat/canh-bao.xlsx", view_func=guarded(warning_list))
    server.add_url_rule("/xuat/can-bo.<fmt>", view_func=guarded(officer_table))
