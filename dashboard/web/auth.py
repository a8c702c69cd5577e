"""Login, sessions, display tokens and the guard every request passes (Flask-Login).

When accounts exist, every page, callback and download needs a session; the meeting-room
screen may instead present a display token once (`/trinh-chieu?token=…`). Sessions live on
the server (dashboard/web/sessions.py). Password tries are limited per account from one address
and per account from everywhere, counted in the database before the password is checked
(shared by every process, safe against parallel tries); wrong and refused tries are audited
as one row per account and minute.
"""

from __future__ import annotations

import html
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from flask import Flask, Response, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user
from sqlalchemy import Connection
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

from dashboard.services import context
from dashboard.web import access
from dashboard.web.server import store_away
from dashboard.web.sessions import ServerSessionInterface
from data_access import accounts, queries

ACCOUNTS_RECHECK = 5  # seconds: accounts created while serving take effect this fast
LOGIN_NONCE = "tthc_dang_nhap"  # the login form's cookie (double submit: no session needed)
PUBLIC_PREFIXES = (
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/favicon.ico",
    "/healthz",
)
LOGIN_PATH, LOGOUT_PATH, LOGOUT_ALL_PATH = "/dang-nhap", "/dang-xuat", "/dang-xuat-moi-noi"

login_manager = LoginManager()


@dataclass
class SessionUser(UserMixin):
    """The logged-in account, or a meeting-room display."""

    id: str
    username: str
    role: str
    unit_id: int | None = None
    unit_ref: str = ""
    visible: frozenset[int] = frozenset()
    full_name: str = ""
    officer_key: str = ""


def session_user(user_id: str, acc: accounts.Account, conn: Connection) -> SessionUser:
    if acc.unit_id is None:
        return SessionUser(user_id, acc.username, acc.role, full_name=acc.full_name)
    units = queries.all_units(conn)
    mine = units[acc.unit_id]
    visible = frozenset({mine.id, *units.ancestors(mine.id)})
    return SessionUser(
        user_id, acc.username, acc.role, mine.id, mine.ref, visible, acc.full_name,
        acc.officer_key,
    )  # fmt: skip


_accounts_seen: dict[int, tuple[bool, float]] = {}


def accounts_on() -> bool:
    """Whether accounts are configured (read from the database, at most every 5 seconds)."""
    engine = context.get().engine
    state = _accounts_seen.get(id(engine))
    now = time.monotonic()
    if state is None or now - state[1] > ACCOUNTS_RECHECK:
        with engine.connect() as conn:
            state = (accounts.any_accounts(conn), now)
        _accounts_seen[id(engine)] = state
    return state[0]


@login_manager.user_loader
def _load(user_id: str) -> SessionUser | None:
    kind, _, rest = user_id.partition(":")
    engine = context.get().engine
    with engine.connect() as conn:
        if kind == "u" and rest.isdigit():
            acc = accounts.get(conn, int(rest))
            if acc is None:
                return None
            return session_user(user_id, acc, conn)
        if kind == "d":
            label = accounts.check_display_token(conn, session.get("display_token", ""))
            if label is None:
                return None  # revoked: the screen must get a new token
            return SessionUser(user_id, f"màn hình: {label}", "man_hinh")
    return None


def client_address() -> str:
    return request.remote_addr or ""


def plain_page(title: str, body: str, status: int = 200) -> Response:
    doc = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<link rel='stylesheet' href='/assets/00-bootstrap.min.css'></head>"
        "<body class='bg-light'><main class='container' style='max-width:420px;margin-top:10vh'>"
        f"<h1 class='h4 mb-3'>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(doc, status=status, mimetype="text/html")


def _framed(title: str, body: str, status: int) -> Response:
    """A refusal in the site's frame: the bar with the home link, who is logged in and the
    way out, the reason, and a way back (not a bare page with no menu)."""
    from dashboard.web.pages import PAGES  # the page list imports the layouts: only here

    scope = access.current()
    who = links = ""
    if scope.username:
        role = access.ROLE_LABELS.get(scope.role, scope.role)
        if scope.unit_id is not None:  # the unit says the role: "Xã Thái Tân"
            with context.get().engine.connect() as conn:
                role = queries.all_units(conn)[scope.unit_id].name
        who = (
            f"<span class='navbar-text small text-white'>{html.escape(scope.person)} · "
            f"{html.escape(role)} · {logout_form(session.get('csrf', ''))}</span>"
        )
        # The bar the pages show: only what this account may open.
        links = "".join(
            f"<li class='nav-item'><a class='nav-link' href='{p.path}'>{html.escape(p.title)}</a>"
            "</li>"
            for p in PAGES
            if p.in_nav and scope.role in p.roles
        )
        links = f"<ul class='navbar-nav me-auto flex-row gap-3' id='refused-nav'>{links}</ul>"
    doc = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<link rel='stylesheet' href='/assets/00-bootstrap.min.css'>"
        "<link rel='stylesheet' href='/assets/app.css'></head><body>"
        "<nav class='navbar navbar-dark bg-primary mb-3'><div class='container-fluid'>"
        "<a class='navbar-brand' href='/'><div class='brand-small'>THEO DÕI CẢI CÁCH TTHC</div>"
        f"</a>{links}{who}</div></nav><main class='container-fluid'>"
        f"<h1 class='h4 mb-3'>{html.escape(title)}</h1>{body}"
        "<p><a href='/' id='back-home'>← Về trang Tổng quan</a></p></main></body></html>"
    )
    return Response(doc, status=status, mimetype="text/html")


def logout_form(token: str, everywhere: bool = False) -> str:
    """The way out as a form (a link would let any site log a user out)."""
    path, label = (
        (LOGOUT_ALL_PATH, "Đăng xuất mọi nơi") if everywhere else (LOGOUT_PATH, "Đăng xuất")
    )
    return (
        f"<form method='post' action='{path}' class='d-inline'>"
        f"<input type='hidden' name='csrf' value='{html.escape(token)}'>"
        f"<button type='submit' class='btn btn-link link-light p-0 align-baseline'>{label}</button>"
        "</form>"
    )


def _display_login(token: str) -> bool:
    with context.get().engine.connect() as conn:
        label = accounts.check_display_token(conn, token)
    if label is None:
        return False
    session.clear()
    session.permanent = True
    session["display_token"] = token
    session["csrf"] = secrets.token_urlsafe(24)
    session.rotate = True  # type: ignore[attr-defined]
    login_user(SessionUser(f"d:{label}", f"màn hình: {label}", "man_hinh"))
    return True


def _callback_body() -> dict:
    try:
        body = json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _routed_path(body: dict) -> str | None:
    """The page path Dash's router is asked to draw, if this is the router's request."""
    for item in body.get("inputs") or []:
        if (
            isinstance(item, dict)
            and item.get("id") == "_pages_location"
            and item.get("property") == "pathname"
        ):
            value = item.get("value")
            return value if isinstance(value, str) else "/"
    return None


def _callback_outputs() -> list[str]:
    """Component ids a Dash callback request writes to (from its JSON body)."""
    body = _callback_body()
    if not body:
        return ["?"]
    outputs = body.get("outputs")
    items = outputs if isinstance(outputs, list) else [outputs]
    ids = []
    for item in items:
        if isinstance(item, dict):
            oid = item.get("id")
            ids.append(oid if isinstance(oid, str) else json.dumps(oid))
        else:
            ids.append("?")
    return ids


def guard() -> BaseResponse | None:
    """Before every request: public files pass; the rest needs a session (when accounts are
    on) and a role that may use the page, callback or download."""
    path = request.path
    if getattr(session, "unavailable", False) and not path.startswith(PUBLIC_PREFIXES):
        return store_away()
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin():
        # A second line behind SameSite cookies: a state-changing request sent by a page of
        # another site (forms, fetch) says so in Origin, and is refused.
        return Response("Yêu cầu từ trang khác bị từ chối.", status=403, mimetype="text/plain")
    if path.startswith(PUBLIC_PREFIXES) or path in (LOGIN_PATH, LOGOUT_PATH, LOGOUT_ALL_PATH):
        return None
    if not accounts_on():
        return None
    if path == "/trinh-chieu" and request.args.get("token"):
        if _display_login(request.args["token"]):
            return redirect("/trinh-chieu" + _without_token())
        return plain_page(
            "Không vào được", "<p>Mã màn hình không hợp lệ hoặc đã bị thu hồi.</p>", 403
        )
    if not current_user.is_authenticated:
        if path.startswith(("/_dash-update-component", "/xuat/")):
            return Response("Cần đăng nhập", status=401, mimetype="text/plain")
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': request.full_path.rstrip('?')})}")
    scope = access.current()
    if path == "/_dash-update-component":
        forbidden = Response("Không có quyền", status=403, mimetype="text/plain")
        if not access.callback_allowed(scope, _callback_outputs()):
            return forbidden
        routed = _routed_path(_callback_body())
        roles = access.PAGE_ROLES.get(routed) if routed is not None else None
        if roles is not None and not scope.may(roles):
            return forbidden  # the router drawing a page this role may not open
        # (an unknown path is drawn as the site's "no such page", which holds no data)
        return None
    if path.startswith("/_dash-"):
        return None  # the app's layout and dependency list: no data in them
    if path.startswith("/xuat/"):
        return None  # each download applies the scope itself (dashboard/web/downloads.py)
    roles = access.PAGE_ROLES.get(path)
    if roles is None:
        return None  # no such page: the app draws its "Không có trang này" in the frame
    if not scope.may(roles):
        return _framed(
            "Không có quyền",
            "<p>Tài khoản này không được mở trang này. Các trang tài khoản được mở có trên "
            "thanh đầu trang, phía trên.</p>",
            403,
        )
    return None


def _same_origin() -> bool:
    """Whether a request's Origin (or, without one, its Referer) is this site; a request with
    neither (a script, curl) is not a browser's cross-site request."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source != "null"
    seen = urlparse(source)
    return (seen.scheme, seen.netloc) == (request.scheme, request.host)


def _without_token() -> str:
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    return ("?" + urlencode(rest)) if rest else ""


def secret_key(instance_dir: Path) -> str:
    """The session signing key: kept in instance/secret_key (created once, owner-only)."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def init_auth(
    server: Flask,
    instance_dir: Path,
    hours: float = 8,
    https: bool = False,
    shared_key: str | None = None,
) -> None:
    """Server-side sessions, Flask-Login and the guard (the login routes: web/login.py);
    `shared_key` is the signing key every machine of a deployment shares (TTHC_SECRET_KEY)."""
    server.secret_key = shared_key or secret_key(instance_dir)
    server.session_interface = ServerSessionInterface(hours, https)
    login_manager.init_app(server)
    server.before_request(guard)
