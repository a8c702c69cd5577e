"""Application factory: builds the Dash app on a prepared database."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
from dash import Dash

from dashboard.services import context
from dashboard.services.cache import init_cache
from dashboard.settings import Settings
from dashboard.web import auth, downloads, login, server, warmup
from dashboard.web.pages import PAGES, PageSpec
from data_access import sessions
from data_access.bootstrap import prepare_database
from data_access.importer.config import load_mapping

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"


def page_layout(page: PageSpec) -> Callable[..., Any]:
    """The page's layout function (layouts.<module>.layout)."""
    return importlib.import_module(f"layouts.{page.module}").layout


def register_page_callbacks(page: PageSpec, app: Dash) -> None:
    """Attach the page's callbacks (callbacks.<module>.register) to `app`."""
    importlib.import_module(f"callbacks.{page.module}").register(app)


def create_app(settings: Settings | None = None) -> Dash:
    """Create the dashboard; migrates the database and fills it with demo data when empty."""
    settings = settings or Settings.from_env()
    engine = prepare_database(settings.database_url, settings.demo_on_empty, settings.demo_seed)
    sessions.bind_redis(settings.redis_url)  # sessions and login tries shared by every process
    import callbacks.shell
    from layouts import shell

    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        title="Theo dõi cải cách TTHC",
        update_title="Đang cập nhật…",
        suppress_callback_exceptions=True,
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="vi">')
    context.attach(app.server, context.serving(engine, settings))  # + read replicas, if any
    init_cache(app.server, settings)
    for order, page in enumerate(PAGES):
        dash.register_page(
            page.key,
            path=page.path,
            name=page.title,
            title=page.title,
            order=order,
            layout=page_layout(page),
        )
    # Dash draws the page registered as "not_found_404" for any unknown path.
    dash.register_page(
        "not_found_404", path="/khong-co-trang", title="Không có trang này", layout=shell.not_found
    )
    app.layout = shell.layout(PAGES)
    callbacks.shell.register(app)
    for page in PAGES:
        register_page_callbacks(page, app)
    downloads.register(app.server)
    limits = load_mapping(settings.import_mapping).limits
    pages = frozenset(
        {p.path for p in PAGES} | {auth.LOGIN_PATH, auth.LOGOUT_PATH, auth.LOGOUT_ALL_PATH}
    )
    server.harden(
        app.server,
        limits["max_file_mb"],
        app.csp_hashes,
        pages,
        https=settings.https,
        trusted_proxies=settings.trusted_proxies,
    )
    auth.init_auth(
        app.server,
        settings.instance_dir,
        settings.session_hours,
        settings.https,
        settings.secret_key,
    )
    login.init_login(app.server)
    if settings.warm_cache:
        warmup.start(app.server)
    return app
