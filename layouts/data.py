"""Data page (Dữ liệu): upload an export, read the validation report, confirm; past imports
and the freshness of each unit's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.formatting import fmt_date, fmt_datetime, fmt_int, vn_sort_key
from dashboard.domain.records import UnitCount
from dashboard.domain.vocabulary import ImportKind, ImportStatus, labels
from layouts import officer_merge, recipients
from layouts.components.attrs import data

STATUS_LABELS = labels(ImportStatus)
KIND_LABELS = labels(ImportKind)


def layout(**_query: str) -> html.Div:
    """Page skeleton: upload box, report area, imports and freshness (filled by callbacks)."""
    return html.Div(
        [
            html.H1("Dữ liệu hồ sơ", className="h3"),
            html.P(
                "Tải lên danh sách hồ sơ xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh "
                "(.xlsx hoặc .csv, kèm trang «Quá trình xử lý» nếu có), hoặc tệp .json theo "
                "chuẩn đồng bộ quốc gia; cho điểm 766 còn nhận danh mục TTHC, danh sách phản "
                "ánh, kiến nghị (PAKN), kết quả đánh giá sự hài lòng và số hồ sơ đồng bộ lên "
                "Cổng DVC quốc gia (nhận ra loại tệp theo dòng tiêu đề). Tệp được kiểm tra "
                "trước, chưa ghi gì cho đến khi bấm «Xác nhận nhập».",
                className="text-muted",
            ),
            html.Div(upload_box(), id="data-upload-box"),
            dcc.Store(id="data-found"),
            dcc.Loading(html.Div(id="data-report", className="mt-3")),
            html.Div(
                [
                    dbc.Checkbox(
                        id="data-partial",
                        label="Nhập các dòng hợp lệ, loại các dòng lỗi",
                        value=False,
                    ),
                    dbc.Button(
                        "Xác nhận nhập",
                        id="data-confirm",
                        color="primary",
                        className="me-2",
                        disabled=True,
                    ),
                    html.Span(id="data-hint", className="small text-body-secondary"),
                    dbc.Button(
                        "Tải các dòng lỗi (.csv)",
                        id="data-rejected-button",
                        color="secondary",
                        outline=True,
                        disabled=True,
                    ),
                    dcc.Download(id="data-rejected-download"),
                ],
                className="d-flex gap-3 align-items-center mt-2",
            ),
            dcc.Loading(html.Div(id="data-result", className="mt-3")),
            html.H2("Các lần nhập gần đây", className="h5 mt-4"),
            html.Div(id="data-imports"),
            html.H2("Việc chạy tự động", className="h5 mt-4"),
            html.Div(id="data-runs"),
            html.H2("Thư chưa gửi được", className="h5 mt-4"),
            html.Div(id="data-mail"),
            html.H2("Độ mới của dữ liệu theo đơn vị", className="h5 mt-4"),
            html.Div(id="data-freshness"),
            officer_merge.section(),
        ]
    )


def upload_box() -> dcc.Upload:
    """The drop zone. Drawn anew after each check and import: a file input that still holds
    a file does not notice the same file chosen again (after fixing it, or to check again)."""
    return dcc.Upload(
        id="data-upload",
        children=html.Div(["Kéo thả tệp vào đây hoặc ", html.A("chọn tệp")]),
        accept=".xlsx,.csv,.json",
        multiple=False,
        className="upload-box",
    )


def confirm_state(found: dict | None, partial: bool) -> tuple[str, bool, str]:
    """The confirm button's words, whether it is disabled, and a hint: the next sensible step
    for what the check found ("Nhập 26 dòng hợp lệ, bỏ 4 dòng lỗi")."""
    if not found:
        return "Xác nhận nhập", True, "Chọn một tệp để kiểm tra."
    valid, errors = found.get("valid", 0), found.get("errors", 0)
    if not valid:
        unchanged = found.get("unchanged", 0)
        if unchanged:
            hint = f"Không có dòng nào mới hoặc thay đổi ({fmt_int(unchanged)} dòng đã có)" + (
                f"; {fmt_int(errors)} dòng lỗi: sửa tệp rồi chọn lại." if errors else "."
            )
        else:
            hint = "Không có dòng hợp lệ nào để nhập: sửa tệp rồi chọn lại."
        return "Xác nhận nhập", True, hint
    if not errors:
        return f"Nhập {fmt_int(valid)} dòng", False, ""
    if partial:
        return f"Nhập {fmt_int(valid)} dòng hợp lệ, bỏ {fmt_int(errors)} dòng lỗi", False, ""
    return (
        "Xác nhận nhập",
        True,
        f"Tệp có {fmt_int(errors)} dòng lỗi: sửa tệp rồi chọn lại, hoặc đánh dấu «Nhập các "
        f"dòng hợp lệ» để nhập {fmt_int(valid)} dòng và bỏ các dòng lỗi.",
    )


def report_view(lines: list[str], ok: bool, problems: int) -> html.Div:
    """The importer's report, in Vietnamese, first line as the headline."""
    color = "success" if ok and not problems else ("warning" if ok else "danger")
    head, *rest = lines
    return dbc.Alert(
        [html.Strong(head), html.Ul([html.Li(line) for line in rest], className="mb-0 mt-2")],
        color=color,
        className="import-report",
    )


def imports_table(rows: list[Any]) -> dbc.Table | html.P:
    """Past imports: when, who, what the file held, file, counts, status."""
    if not rows:
        return html.P("Chưa có lần nhập nào.", className="text-muted")
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "Thời điểm",
                    "Người nhập",
                    "Loại",
                    "Tệp",
                    "Đọc",
                    "Mới",
                    "Cập nhật",
                    "Không đổi",
                    "Lỗi",
                    "Kết quả",
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(fmt_datetime(r.created_at)),
                    html.Td(r.user),
                    html.Td(KIND_LABELS.get(r.kind, r.kind)),
                    html.Td(r.file_name),
                    *[
                        html.Td(fmt_int(v), className="text-end")
                        for v in (r.rows_read, r.inserted, r.updated, r.unchanged, r.rejected)
                    ],
                    html.Td(STATUS_LABELS.get(r.status, r.status)),
                ]
            )
            for r in rows
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, className="imports-table")


RUN_STATUS = {
    "ok": ("Xong", "text-success"),
    "failed": ("Lỗi", "text-danger fw-bold"),
    "running": ("Đang chạy", "text-primary"),
    "missed": ("Bỏ lỡ", "text-warning-emphasis"),
}


def runs_table(rows: list[Any], labels: dict[str, str], setup: list[str]) -> html.Div:
    """The scheduler's recent runs (newest first): when due, what, result, files; `setup`
    says in words what runs and when (the inbox folder, the times)."""
    intro = html.Ul([html.Li(line) for line in setup], className="small mb-2")
    if not rows:
        return html.Div([intro, html.P("Chưa có lần chạy nào.", className="text-muted")])
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Đến hạn", "Việc", "Kết quả", "Chi tiết", "Tệp")])
    )
    body = []
    for r in rows:
        word, css = RUN_STATUS.get(r.status, (r.status, ""))
        late = [html.Span(" · chạy bù", className="text-warning-emphasis")] if r.late else []
        lines = r.result.split("\n") if r.result else []
        body.append(
            html.Tr(
                [
                    html.Td(fmt_datetime(r.slot)),
                    html.Td(labels.get(r.job, r.job)),
                    html.Td([html.Span(word, className=css), *late]),
                    html.Td([html.Div(line) for line in lines[:4]], className="small"),
                    html.Td(
                        [html.Div(Path(f).name) for f in r.files[:4]]
                        + (
                            [html.Div(f"và {len(r.files) - 4} tệp khác")]
                            if len(r.files) > 4
                            else []
                        ),
                        className="small",
                    ),
                ],
                **data("run-status", r.status),
            )
        )
    return html.Div(
        [
            intro,
            dbc.Table([head, html.Tbody(body)], size="sm", striped=True, className="runs-table"),
        ]
    )


def unsent_mail(rows: list[Any], configured: bool) -> html.Div | html.P:
    """Letters not sent (waiting for a retry, given up, or of unknown fate), or that all went;
    the whole list and the recipients are on «Người nhận thư»."""
    link = dcc.Link("Người nhận thư và mọi thư đã gửi", href="/nguoi-nhan")
    if not configured:
        return html.P(
            ["Chưa đặt máy chủ thư (TTHC_SMTP_HOST): báo cáo chỉ ghi ra tệp. ", link],
            className="small text-muted",
        )
    if not rows:
        return html.P(["Mọi thư đã gửi. ", link], className="small text-muted")
    return html.Div([recipients.deliveries_table(rows), html.P(link, className="small")])


# A unit receiving today whose newest reception is this many days older than the newest of
# all is shown in red: its export may have stopped (a weekend and a holiday stay below it).
STALE_DAYS = 4


def freshness_table(units: list[UnitCount], watched: set[int] | None = None) -> dbc.Table:
    """Newest reception date per unit: the units that receive dossiers today first (those the
    scope watches, `watched`, and any other holding dossiers), each with how many days its
    newest reception lags the newest of all (a unit whose export stopped early stands out),
    then the units that ended, for their history. Units of the reference list outside the
    scope with no dossier are left out (a whole province's list may be loaded)."""
    newest = max((u.newest_received.date() for u in units if u.newest_received), default=None)

    def order(u: UnitCount) -> tuple:
        return (u.kind == "department", vn_sort_key(u.name), u.valid_from)

    def shown(u: UnitCount) -> bool:
        return watched is None or u.id in watched or u.dossiers > 0

    current = sorted((u for u in units if u.valid_to is None and shown(u)), key=order)
    ended = sorted((u for u in units if u.valid_to is not None), key=order)

    def lag(u: UnitCount) -> html.Td:
        if u.valid_to is not None or newest is None:
            return html.Td("")
        if u.newest_received is None:
            return html.Td("chưa có hồ sơ", className="text-danger")
        days = (newest - u.newest_received.date()).days
        late = days >= STALE_DAYS
        return html.Td(
            f"{days} ngày" if days else "—",
            className=f"text-end {'text-danger fw-bold' if late else ''}",
            **data("lag", days),
        )

    def row(u: UnitCount) -> html.Tr:
        return html.Tr(
            [
                html.Td(u.code),
                html.Td(u.name),
                html.Td(
                    f"{fmt_date(u.valid_from)} – {fmt_date(u.valid_to)}"
                    if u.valid_to
                    else f"từ {fmt_date(u.valid_from)}"
                ),
                html.Td(fmt_int(u.dossiers), className="text-end", **data("unit", u.id)),
                html.Td(fmt_date(u.newest_received)),
                lag(u),
            ]
        )

    body = [row(u) for u in current]
    if ended:
        body.append(
            html.Tr(
                html.Th(
                    "Đơn vị đã kết thúc (sáp nhập, chia tách): số liệu lịch sử",
                    colSpan=6,
                    className="pt-3 text-muted fw-normal",
                )
            )
        )
        body += [row(u) for u in ended]
    return dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("Mã"),
                        html.Th("Đơn vị"),
                        html.Th("Hiệu lực"),
                        html.Th("Số hồ sơ"),
                        html.Th("Tiếp nhận gần nhất"),
                        html.Th("Chậm so với dữ liệu mới nhất"),
                    ]
                )
            ),
            html.Tbody(body),
        ],
        size="sm",
        striped=True,
        className="freshness-table",
    )
