"""Only data access knows SQL: no module outside it builds a query (import-linter checks the
rest of the layers in .ci/run; this checks the names, which a module-level rule cannot)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL_NAMES = {
    "select", "insert", "update", "delete", "text", "func", "and_", "or_", "case", "literal",
    "union_all", "bindparam", "Table", "Column", "MetaData",
}  # fmt: skip
DRIVERS = {"sqlite3", "psycopg", "psycopg2"}


def test_no_sql_outside_data_access() -> None:
    found = []
    for package in ("dashboard", "callbacks", "layouts"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "sqlalchemy"
                ):
                    names = {a.name for a in node.names} & SQL_NAMES
                    if names:
                        found.append(f"{path.relative_to(ROOT)}: {sorted(names)}")
    assert found == []


def test_every_page_is_declared_once_and_whole() -> None:
    """The page list is the one place a page is declared: its modules exist, its paths and
    id prefixes are unique, and every callback output it registers carries its prefix."""
    from dash import Dash

    from dashboard.web.access import CALLBACK_ROLES, PAGE_ROLES
    from dashboard.web.app import page_layout, register_page_callbacks
    from dashboard.web.pages import PAGES

    assert len({p.path for p in PAGES}) == len({p.prefix for p in PAGES}) == len(PAGES)
    for page in PAGES:
        assert callable(page_layout(page))
        app = Dash(__name__)
        register_page_callbacks(page, app)
        outputs = [o for key in app.callback_map for o in key.strip(".").split("...") if o]
        assert outputs, page.key
        for out in outputs:
            oid = out.split(".")[0].lstrip("{")
            assert any(oid.startswith(x) or f'"{x}' in out for x in (page.prefix, "url")), out
        assert PAGE_ROLES[page.path] == page.roles == CALLBACK_ROLES[page.prefix]
