"""Download routes: chart images, tables, the briefing pack and the explanation letter.

    /xuat/bieu-do/<indicator>.png|svg?ky=2025-Q1&don_vi=…&linh_vuc=…
    /xuat/bang/<xep-hang|giai-trinh|chi-so|ho-so>.xlsx|csv?ky=…&nhom=…&ma=…
    /xuat/bao-cao.zip?ky=…          (pptx + pdf + xlsx + docx)
    /xuat/cong-van.docx?ky=…&han=dd/mm/yyyy

Every figure comes from the same cached reports the pages show. A bad parameter gets a 400
with the reason in Vietnamese, never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from flask import Flask, Response, request

from dashboard import access, cache, context, report
from dashboard.exports import charts, letter, pack, views
from dashboard.exports.tables import to_csv, to_xlsx
from dashboard.filters import from_query
from dashboard.indicators.catalog import BY_KEY
from dashboard.indicators.periods import Period, parse_period
from dashboard.pages import OFFICE
from data_access import queries

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
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


def _period() -> Period:
    engine = context.get().engine
    _first, last = cache.data_range(engine)
    return parse_period(from_query(request.query_string.decode(), last and last.date()).period)


def chart(key: str, fmt: str) -> Response:
    """One indicator for the scope and period, as PNG (1920×1080) or SVG."""
    if key not in BY_KEY or fmt not in ("png", "svg"):
        raise BadRequest("Không có biểu đồ này (chỉ số hoặc định dạng png/svg)")
    engine = context.get().engine
    state = from_query(request.query_string.decode(), None)
    units = access.current().units(state.units)  # a unit account: itself or the district
    p = _period()
    version = queries.data_version(engine)
    now = cache.scope_figures(version, p.key, units, state.fields)
    before = cache.scope_figures(version, p.previous().key, units, state.fields)
    _first, newest = cache.data_range(engine)
    fig = charts.indicator_figure(now.indicators[key], now, p.label, newest, before.indicators[key])
    name = charts.file_name(BY_KEY[key].name_vi, now.unit.name, p.label, ext=fmt)
    return _send(charts.render(fig, fmt), name, fmt)


def table(name: str, fmt: str) -> Response:
    """A table as .xlsx or .csv."""
    if fmt not in ("xlsx", "csv"):
        raise BadRequest("Định dạng bảng phải là xlsx hoặc csv")
    engine = context.get().engine
    p = _period()
    version = queries.data_version(engine)
    _first, newest = cache.data_range(engine)
    args = request.args
    scope = access.current()
    if name == "xep-hang":
        group = args.get("nhom", "xa")
        by = args.get("theo") or None
        if group not in report.LEAGUE_GROUPS or (by is not None and by not in BY_KEY):
            raise BadRequest("Nhóm (xa, phong) hoặc chỉ số xếp hạng không hợp lệ")
        fields = tuple(args.getlist("linh_vuc"))
        rows = cache.league_figures(version, p.key, group, by, fields)
        rows = [r for r in rows if scope.may_see_unit(r.report.unit.id)]
        t = views.league(rows, group, p.label, newest)
    elif name == "giai-trinh":
        items = report.attach_explanations(
            engine,
            p.key,
            [
                r
                for r in cache.below_target_figures(version, p.key)
                if scope.may_see_unit(r.unit.id)
            ],
        )
        t = views.below_target(items, p.label, newest)
    elif name == "chi-so":
        fields = tuple(args.getlist("linh_vuc"))  # the view's fields, as on the screen
        whole = cache.district_figures(version, p.key, None, fields)
        if scope.unit_only:  # the district totals and its own row
            whole = replace(whole, units=[u for u in whole.units if scope.may_see_unit(u.unit.id)])
        t = views.indicators(whole, p.label, newest)
    elif name == "ho-so":
        code = args.get("ma", "")
        unit = cache.district_figures(version, p.key).find(code)
        if unit is not None and not scope.may_see_unit(unit.unit.id):
            unit = None  # another unit's dossiers: as if it did not exist
        if unit is None:
            raise BadRequest(f"Không có đơn vị mã «{code}» trong kỳ")
        problems = cache.problem_dossiers(version, unit.unit.id, p.key)
        t = views.dossiers(problems, unit.unit.name, p.label, p.end)
    else:
        raise BadRequest(f"Không có bảng «{name}»")
    data = to_xlsx([t]) if fmt == "xlsx" else to_csv(t)
    return _send(data, charts.file_name(t.title, p.label, ext=fmt), fmt)


def _deadline() -> dt.date:
    raw = request.args.get("han", "")
    if not raw:
        return dt.date.today() + dt.timedelta(days=LETTER_DAYS)
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        raise BadRequest("Hạn giải trình phải có dạng dd/mm/yyyy") from None


def explanation_letter() -> Response:
    """The công văn asking the units below target to explain, as .docx."""
    if not access.current().may(OFFICE):
        raise Forbidden
    p = _period()
    engine = context.get().engine
    version = queries.data_version(engine)
    items = cache.below_target_figures(version, p.key)
    era = cache.district_figures(version, p.key).era
    data = letter.build(items, era, p.label, _deadline(), dt.date.today())
    return _send(data, letter.file_name(p.label), "docx")


def briefing_pack() -> Response:
    """The pack (pptx, pdf, xlsx) and the letter, zipped."""
    if not access.current().may(OFFICE):
        raise Forbidden
    p = _period()
    engine = context.get().engine
    with tempfile.TemporaryDirectory(prefix="tthc-pack-") as tmp:
        built = pack.build(engine, p, Path(tmp), _deadline(), cache.scope())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in built.files:
                zf.write(path, path.name)
    return _send(out.getvalue(), charts.file_name("bao cao tthc", p.label, ext="zip"), "zip")


def register(server: Flask) -> None:
    """Attach the download routes to the Flask server."""

    def guarded(view):
        def run(**kwargs):
            try:
                return view(**kwargs)
            except Forbidden:
                return Response("Không có quyền", status=403, mimetype="text/plain; charset=utf-8")
            except (BadRequest, ValueError) as exc:
                return Response(f"Lỗi: {exc}", status=400, mimetype="text/plain; charset=utf-8")

        run.__name__ = f"download_{view.__name__}"
        return run

    server.add_url_rule("/xuat/bieu-do/<key>.<fmt>", view_func=guarded(chart))
    server.add_url_rule("/xuat/bang/<name>.<fmt>", view_func=guarded(table))
    server.add_url_rule("/xuat/cong-van.docx", view_func=guarded(explanation_letter))
    server.add_url_rule("/xuat/bao-cao.zip", view_func=guarded(briefing_pack))
