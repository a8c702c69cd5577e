"""Browser fixtures: the real app on the session demo database, driven by headless Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from dash import Dash

from dashboard.settings import Settings
from dashboard.web.app import create_app

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session", autouse=True)
def chart_renderer() -> None:
    """The app's chart browser, started before any test server: dash's threaded test runner
    stops every thread started after it began (its KillerThread), which would take the
    renderer's event loop with it when a page draws the first chart."""
    import plotly.graph_objects as go

    from dashboard.exports import charts

    charts.render(go.Figure(), "svg")


@pytest.fixture
def demo_app(demo_url: str, tmp_path: Path) -> Dash:
    """The dashboard on the session demo database (read only)."""
    settings = Settings(database_url=demo_url, instance_dir=tmp_path, demo_on_empty=False)
    return create_app(settings)


def requested_urls(driver) -> list[str]:
    """Every URL the page loaded: the document and all resources (scripts, CSS, XHR, fonts)."""
    urls = driver.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource')"
        ".map(function (e) { return e.name; }));"
    )
    return list(urls)


def non_local(urls: list[str]) -> list[str]:
    """The URLs that leave this machine (data: URIs stay inside the page)."""
    return [
        u
        for u in urls
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).hostname not in LOCAL_HOSTS
    ]


@pytest.fixture
def writable_demo_url(demo_url: str, tmp_path: Path) -> str:
    """A private copy of the session demo database, for tests that write."""
    import shutil

    source = Path(demo_url.removeprefix("sqlite:///"))
    target = tmp_path / "demo-copy.sqlite3"
    shutil.copy(source, target)
    return f"sqlite:///{target}"
