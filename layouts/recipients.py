"""Người nhận thư (the office's page): who receives each unit's digest and the leadership's
daily report, and the mail sent lately with what became of it."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.delivery.status import kind_text, status_text
from dashboard.domain.formatting import fmt_date, fmt_datetime
from data_access.deliveries import DeliveryRecord
from data_access.recipients import MailRecipient
from layouts.components.attrs import data
from layouts.components.dropdown import dropdown

TARGETS = [
    {"label": "Một đơn vị (tin nhắn cảnh báo của riêng đơn vị)", "value": "unit"},
    {"label": "Lãnh đạo (báo cáo ngày)", "value": "lanh_dao"},
    {"label": "Văn phòng", "value": "van_phong"},
]


def layout(**_query: str) -> html.Div:
    """The form, the list and the deliveries (filled by callbacks/recipients.py)."""
    return html.Div(
        [
            html.H1("Người nhận thư", className="h3"),
            html.P(
                "Mỗi đơn vị chỉ nhận tin nhắn cảnh báo của riêng mình; lãnh đạo nhận báo cáo "
                "ngày kèm biểu đồ và tệp Excel. Thư lỗi được gửi lại sau 1, 5, 15, 60 rồi 180 "
                "phút; không thư nào được gửi hai lần cho cùng một ngày.",
                className="text-muted",
            ),
            html.Div(id="rc-server", className="small mb-3"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Địa chỉ thư", html_for="rc-email"),
                            dbc.Input(
                                id="rc-email", type="email", placeholder="van.thu@namsach.gov.vn"
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Nhận thư của", html_for="rc-kind"),
                            dbc.RadioItems(id="rc-kind", options=TARGETS, value="unit"),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Đơn vị", html_for="rc-unit"),
                            dropdown(id="rc-unit", placeholder="Chọn đơn vị"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        dbc.Button("Thêm", id="rc-add", color="primary"),
                        md=1,
                        className="d-flex align-items-end",
                    ),
                ],
                className="g-2",
            ),
            html.Div(id="rc-message", className="mt-2"),
            html.H2("Danh sách người nhận", className="h5 mt-4"),
            html.Div(id="rc-list"),
            html.H2("Thư gửi gần đây", className="h5 mt-4"),
            html.Div(id="rc-deliveries"),
        ]
    )


def server_line(where: str, security: str, sender: str) -> html.Span:
    """Which server sends the mail, or that none is set (nothing is sent then)."""
    if not where:
        return html.Span(
            "Chưa cấu hình máy chủ thư: thư chưa được gửi (xem README, mục «Thư điện tử»).",
            className="text-danger",
        )
    return html.Span(f"Máy chủ thư: {where} ({security}); người gửi: {sender}.")


def recipients_table(rows: Sequence[MailRecipient]) -> dbc.Table | html.P:
    """Every listed address, each with «Bỏ»."""
    if not rows:
        return html.P("Chưa có người nhận thư nào.", className="text-muted")
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Địa chỉ", "Nhận thư của", "Thêm lúc", "Người thêm", "")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r.email),
                    html.Td(r.target),
                    html.Td(fmt_datetime(r.added_at)),
                    html.Td(r.added_by),
                    html.Td(
                        dbc.Button(
                            "Bỏ",
                            id={"type": "rc-remove", "id": r.id},
                            size="sm",
                            color="link",
                            className="p-0",
                        )
                    ),
                ],
                **data("recipient", r.id),
            )
            for r in rows
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, className="recipients-table")


def deliveries_table(rows: Sequence[DeliveryRecord]) -> dbc.Table | html.P:
    """The newest deliveries: when, what, to whom, what became of it and the error."""
    if not rows:
        return html.P("Chưa gửi thư nào.", className="text-muted")
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "Cập nhật",
                    "Loại thư",
                    "Ngày",
                    "Người nhận",
                    "Tiêu đề",
                    "Trạng thái",
                    "Lỗi",
                )
            ]  # fmt: skip
        )
    )

    def status_cell(d: DeliveryRecord) -> html.Td:
        color = {"sent": "text-success", "failed": "text-warning", "gave_up": "text-danger"}
        return html.Td(status_text(d), className=color.get(d.status, "text-danger"))

    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(fmt_datetime(d.updated_at)),
                    html.Td(kind_text(d.kind)),
                    html.Td(fmt_date(d.day)),
                    html.Td(f"{d.email} ({d.unit_code})" if d.unit_code else d.email),
                    html.Td(d.subject),
                    status_cell(d),
                    html.Td(d.last_error if d.status != "sent" else "", className="small"),
                ],
                **data("delivery", d.status),
            )
            for d in rows
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, className="deliveries-table")


def message(text: str, ok: bool) -> html.P:
    """The answer to «Thêm» or «Bỏ»."""
    return html.P(text, className="text-success" if ok else "text-danger")
