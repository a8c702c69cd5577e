"""The page shell: navbar with the district name and the data's date range, then the page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.pages import PageSpec


def nav_items(pages: tuple[PageSpec, ...]) -> list:
    """Navbar links, in the order of the page list."""
    return [
        dbc.NavItem(dbc.NavLink(page.title, href=page.path, active="exact"))
        for page in pages
        if page.in_nav
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
                dbc.Nav(nav_items(pages), navbar=True, className="me-auto"),
                html.Span(id="shell-data-range", className="navbar-text small text-white"),
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
