"""Data page: validate an upload (dry run), import it on confirmation, list past imports."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from dash import Dash, Input, Output, State, dcc, no_update
from flask import current_app

from callbacks import officer_merge
from dashboard.rhythm.jobs import LABELS, setup_lines
from dashboard.services import context, entries
from dashboard.web import access, import_queue, uploads, warmup
from data_access import deliveries, queries, runs
from data_access.importer.config import load_mapping
from data_access.importer.load import latest_imports
from layouts import data as view

WEB_USER = "giao diện web"  # a personal copy without accounts: nobody logs in


def _run(token: str, dry_run: bool, partial: bool):
    ctx = context.get()
    user = access.current().username or WEB_USER
    if ctx.settings.redis_url:  # several processes: a worker checks and imports
        report = import_queue.run(ctx.settings.redis_url, token, dry_run, partial, user)
        if not dry_run:
            context.note_write()  # the worker wrote for this person: their reads see it
        return report
    return import_queue.work_import(token, dry_run, partial, user)  # here, in this process


def validate_upload(contents: str | None, filename: str | None, previous: dict | None = None):
    """Check the uploaded file without writing anything; keep it for the confirmation. The
    store holds what the check found, from which the button offers the next step."""
    if not contents or not filename:
        return (no_update,) * 5
    limit = load_mapping(context.get().settings.import_mapping).limits["max_file_mb"] * 1048576
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        lines = ["Không đọc được tệp tải lên."]
        return view.report_view(lines, False, 0), None, True, "", view.upload_box()
    if len(data) > limit:
        lines = [f"Tệp vượt giới hạn {limit // 1048576} MB: không nhận."]
        return view.report_view(lines, False, 0), None, True, "", view.upload_box()
    instance = context.get().settings.instance_dir
    if previous and previous.get("token"):  # a newer file chosen: the older one goes
        uploads.discard(instance, previous["token"])
    try:
        with uploads.turn():
            token = uploads.keep(instance, data, Path(filename).name)
            try:
                report = _run(token, dry_run=True, partial=True)
            except BaseException:
                uploads.discard(instance, token)
                raise
    except uploads.Busy as exc:
        return view.report_view([str(exc)], False, 0), None, True, "", view.upload_box()
    if not report.ok:  # refused whole: nothing to confirm, nothing kept
        uploads.discard(instance, token)
        return view.report_view(report.summary(), False, 0), None, True, "", view.upload_box()
    if report.rejected:
        uploads.keep_rejected(instance, token, report.rejected_csv())
    found = {
        "token": token,
        "name": Path(filename).name,
        "valid": report.inserted + report.updated if report.ok else 0,
        "unchanged": report.unchanged,
        "errors": report.rejected,
    }
    return (
        view.report_view(report.summary(), report.ok, report.rejected),
        found,
        not report.rejected,
        "",
        view.upload_box(),
    )


def next_step(found: dict | None, partial: bool | None):
    """What the button offers for the checked file: its words, whether it can be pressed,
    and a hint when it cannot (in words, never a command-line flag)."""
    return view.confirm_state(found, bool(partial))


def confirm_import(n_clicks: int | None, found: dict | None, partial: bool):
    """Import the checked file for real: all of it, or its valid rows when that is ticked.
    Only offered when it will go in; afterwards the same file can be chosen again."""
    if not n_clicks or not found or not found.get("token"):
        return (no_update,) * 7
    ctx = context.get()
    try:
        with uploads.turn():
            report = _run(found["token"], dry_run=False, partial=bool(partial))
    except uploads.Busy as exc:  # the file stays: the same button works in a moment
        return (view.report_view([str(exc)], False, 0), *(no_update,) * 6)
    except FileNotFoundError:  # swept after an hour: choose the file again
        uploads.discard(ctx.settings.instance_dir, found["token"])
        lines = ["Tệp đã kiểm tra quá một giờ trước và đã được xóa: hãy chọn lại tệp."]
        return (view.report_view(lines, False, 0), None, no_update, no_update, "", no_update, True)
    uploads.discard(ctx.settings.instance_dir, found["token"])
    if report.ok and ctx.settings.warm_cache:
        warmup.start(current_app._get_current_object())  # type: ignore[attr-defined]  # new data version: refill the cache
    return (
        view.report_view(report.summary(), report.ok, report.rejected),
        None,  # done with this file: the button rests until a file is chosen
        view.imports_table(latest_imports(ctx.engine)),
        view.freshness_table(queries.unit_dossier_counts(ctx.engine), entries.watched_today()),
        "",  # the check's report was of the file before it went in
        view.upload_box(),
        True,  # its rejected rows went with the file
    )


def download_rejected(n_clicks: int | None, found: dict | None):
    """The rejected rows with their reasons, as a CSV Excel opens (UTF-8 BOM)."""
    if not n_clicks or not found or not found.get("token"):
        return no_update
    try:
        data = uploads.rejected(context.get().settings.instance_dir, found["token"])
    except FileNotFoundError:
        return no_update
    stem = Path(found.get("name") or "ho-so").stem
    return dcc.send_bytes(data, f"{stem}-dong-loi.csv")


def fill_lists(_id: str):
    """Past imports and per-unit freshness when the page opens (and what waited too long
    for its confirmation goes)."""
    uploads.sweep(context.get().settings.instance_dir)
    engine = context.get().engine
    return (
        view.imports_table(latest_imports(engine)),
        view.runs_table(runs.recent(engine, 30), LABELS, setup_lines(context.get().settings)),
        view.unsent_mail(deliveries.unsettled(engine), bool(context.get().settings.smtp_host)),
        view.freshness_table(queries.unit_dossier_counts(engine), entries.watched_today()),
    )


def register(app: Dash) -> None:
    """Attach this page's callbacks to `app` (explicitly: Dash's global @callback list is
    consumed by the first app that serves, so a second app would get none)."""
    officer_merge.register(app)
    app.callback(
        Output("data-report", "children"),
        Output("data-found", "data"),
        Output("data-rejected-button", "disabled"),
        Output("data-result", "children", allow_duplicate=True),
        Output("data-upload-box", "children"),
        Input("data-upload", "contents"),
        State("data-upload", "filename"),
        State("data-found", "data"),
        prevent_initial_call=True,
    )(validate_upload)
    app.callback(
        Output("data-confirm", "children"),
        Output("data-confirm", "disabled"),
        Output("data-hint", "children"),
        Input("data-found", "data"),
        Input("data-partial", "value"),
    )(next_step)
    app.callback(
        Output("data-result", "children"),
        Output("data-found", "data", allow_duplicate=True),
        Output("data-imports", "children", allow_duplicate=True),
        Output("data-freshness", "children", allow_duplicate=True),
        Output("data-report", "children", allow_duplicate=True),
        Output("data-upload-box", "children", allow_duplicate=True),
        Output("data-rejected-button", "disabled", allow_duplicate=True),
        Input("data-confirm", "n_clicks"),
        State("data-found", "data"),
        State("data-partial", "value"),
        prevent_initial_call=True,
    )(confirm_import)
    app.callback(
        Output("data-rejected-download", "data"),
        Input("data-rejected-button", "n_clicks"),
        State("data-found", "data"),
        prevent_initial_call=True,
    )(download_rejected)
    app.callback(
        Output("data-imports", "children"),
        Output("data-runs", "children"),
        Output("data-mail", "children"),
        Output("data-freshness", "children"),
        Input("data-imports", "id"),
    )(fill_lists)
