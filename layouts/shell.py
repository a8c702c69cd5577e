"""The page shell: navbar with the district name and the data's date range, then the page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.web.pages import PageSpec


def nav_items(pages: tuple[PageSpec, ...], role: str | None = None) -> list:
    """Navbar links, in the order of the page list: only the pages `role` may open."""
    return [
        dbc.NavItem(dbc.NavLink(page.title, href=page.path, active="exact"))
        for page in pages
        if page.in_nav and (role is None or role in page.roles)
    ]


def _post_button(path: str, token: str, label: str, button_id: str) -> html.Form:
    # A form, not a link: only this site's page can end the session (the token).
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf", value=token),
            html.Button(
                label,
                type="submit",
                id=button_id,
                className="btn btn-link link-light p-0 align-baseline small",
            ),
        ],
        action=path,
        method="POST",
        className="d-inline",
    )


def user_block(
    name: str, role_label: str, logout_path: str, logout_all_path: str, token: str
) -> list:
    """Who is logged in, in what role, and the ways out: this browser, or everywhere."""
    return [
        html.Span(name, className="fw-semibold", id="shell-user-name"),
        html.Span(f" · {role_label} · ", className="opacity-75"),
        _post_button(logout_path, token, "Đăng xuất", "shell-logout"),
        html.Span(" · ", className="opacity-75"),
        _post_button(logout_all_path, token, "Đăng xuất mọi nơi", "shell-logout-all"),
    ]


def layout(pages: tuple[PageSpec, ...]) -> html.Div:
    """The shell around every page; header texts are filled by a callback."""
    navbar = dbc.Navbar(
        dbc.Container(
            [
                html.Div(
                    [
                        html.Div("THEO DÕI CẢI CÁCH TTHC", className="brand-small"),
                        html.Div(id="shell-district", className="brand-name"),
                    ],
                    className="navbar-brand",
                ),
                dbc.Nav(nav_items(pages), navbar=True, className="me-auto", id="shell-nav"),
                html.Span(id="shell-data-range", className="navbar-text small text-white"),
                html.Span(id="shell-user", className="navbar-text small text-white ms-3"),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            html.Div(id="kiosk-mode-sink", hidden=True),
            navbar,
            dbc.Container(dash.page_container, fluid=True, id="page"),
        ]
    )


def not_found(**_query: str) -> html.Div:
    """The site's "no such page", in its frame, with a way back."""
    return html.Div(
        [
            html.H1("Không có trang này", className="h4"),
            html.P(
                "Địa chỉ này không dẫn tới trang nào của bảng theo dõi. Có thể đường dẫn đã "
                "cũ hoặc gõ nhầm.",
                className="text-body-secondary",
            ),
            dcc.Link("← Về trang Tổng quan", href="/", id="back-home"),
        ],
        id="not-found",
    )
