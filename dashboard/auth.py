"""Login, sessions, display tokens and the guard every request passes (Flask-Login).

When accounts exist, every page, callback and download needs a session; the meeting-room
screen may instead present a display token once (`/trinh-chieu?token=…`). Failed logins are
rate-limited per address and audited.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

from flask import Flask, Response, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import Connection
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

from dashboard import access, context
from data_access import accounts, queries

SESSION_HOURS = 8
DISPLAY_SESSION_DAYS = 30
MAX_FAILURES, FAILURE_WINDOW = 5, 600  # five failed logins per address in ten minutes
ACCOUNTS_RECHECK = 5  # seconds: accounts created while serving take effect this fast
PUBLIC_PREFIXES = (
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/favicon.ico",
    "/healthz",
)
LOGIN_PATH, LOGOUT_PATH = "/dang-nhap", "/dang-xuat"

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


def _session_user(user_id: str, acc: accounts.Account, conn: Connection) -> SessionUser:
    if acc.unit_id is None:
        return SessionUser(user_id, acc.username, acc.role, full_name=acc.full_name)
    units = queries.all_units(conn)
    mine = units[acc.unit_id]
    visible = frozenset({mine.id, *units.ancestors(mine.id)})
    return SessionUser(user_id, acc.username, acc.role, mine.id, mine.ref, visible, acc.full_name)


class _Failures:
    """Failed logins per address, in memory (one process; enough to stop guessing)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, address: str) -> bool:
        now = time.monotonic()
        with self.lock:
            q = self.seen[address]
            while q and now - q[0] > FAILURE_WINDOW:
                q.popleft()
            return len(q) >= MAX_FAILURES

    def add(self, address: str) -> None:
        with self.lock:
            self.seen[address].append(time.monotonic())


failures = _Failures()


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
            return _session_user(user_id, acc, conn)
        if kind == "d":
            label = accounts.check_display_token(conn, session.get("display_token", ""))
            if label is None:
                return None  # revoked: the screen must get a new token
            return SessionUser(user_id, f"màn hình: {label}", "man_hinh")
    return None


def _address() -> str:
    return request.remote_addr or ""


def _page(title: str, body: str, status: int = 200) -> Response:
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
    scope = access.current()
    who = ""
    if scope.username:
        role = access.ROLE_LABELS.get(scope.role, scope.role)
        who = (
            f"<span class='navbar-text small text-white'>{html.escape(scope.person)} · "
            f"{html.escape(role)} · <a class='link-light' href='{LOGOUT_PATH}'>Đăng xuất</a>"
            "</span>"
        )
    doc = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<link rel='stylesheet' href='/assets/00-bootstrap.min.css'>"
        "<link rel='stylesheet' href='/assets/app.css'></head><body>"
        "<nav class='navbar navbar-dark bg-primary mb-3'><div class='container-fluid'>"
        "<a class='navbar-brand' href='/'><div class='brand-small'>THEO DÕI CẢI CÁCH TTHC</div>"
        f"</a>{who}</div></nav><main class='container-fluid'>"
        f"<h1 class='h4 mb-3'>{html.escape(title)}</h1>{body}"
        "<p><a href='/' id='back-home'>← Về trang Tổng quan</a></p></main></body></html>"
    )
    return Response(doc, status=status, mimetype="text/html")


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.
    if not target or urlparse(target).netloc or not target.startswith("/"):
        return "/"
    return target


def login_view() -> BaseResponse:
    """GET: the form; POST: check the password (rate-limited, audited)."""
    message = ""
    if request.method == "POST":
        address = _address()
        username = request.form.get("username", "")[:100]
        if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "-")):
            return _page(
                "Phiên đã hết hạn", f"<p><a href='{LOGIN_PATH}'>Đăng nhập lại</a></p>", 400
            )
        if failures.blocked(address):
            _audit(username, "dang_nhap_bi_chan", "quá nhiều lần sai", address)
            return _page(
                "Tạm khóa đăng nhập", "<p>Sai quá nhiều lần. Thử lại sau 10 phút.</p>", 429
            )
        with context.get().engine.begin() as conn:
            acc = accounts.verify(conn, username, request.form.get("password", "")[:200])
            if acc is None:
                failures.add(address)
                accounts.audit(conn, username, "dang_nhap_sai", "", address)
                message = "<div class='alert alert-danger'>Sai tên đăng nhập hoặc mật khẩu.</div>"
            else:
                accounts.audit(conn, acc.username, "dang_nhap", acc.role, address)
                user = _session_user(f"u:{acc.id}", acc, conn)
        if acc is not None:
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    token = session.setdefault("csrf", secrets.token_urlsafe(16))
    action = html.escape(
        f"{LOGIN_PATH}?{urlencode({'next': _safe_next(request.args.get('next'))})}"
    )
    form = (
        f"{message}<form method='post' action='{action}'>"
        f"<input type='hidden' name='csrf' value='{token}'>"
        "<label class='form-label' for='username'>Tên đăng nhập</label>"
        "<input class='form-control mb-2' id='username' name='username' autocomplete='username'"
        " required autofocus>"
        "<label class='form-label' for='password'>Mật khẩu</label>"
        "<input class='form-control mb-3' id='password' name='password' type='password'"
        " autocomplete='current-password' required>"
        "<button class='btn btn-primary' type='submit'>Đăng nhập</button></form>"
    )
    return _page("Đăng nhập — Theo dõi cải cách TTHC", form)


def logout_view() -> BaseResponse:
    """End the session."""
    logout_user()
    session.clear()
    return redirect(LOGIN_PATH)


def _audit(username: str, action: str, detail: str, address: str) -> None:
    with context.get().engine.begin() as conn:
        accounts.audit(conn, username, action, detail, address)


def _display_login(token: str) -> bool:
    with context.get().engine.connect() as conn:
        label = accounts.check_display_token(conn, token)
    if label is None:
        return False
    session.clear()
    session.permanent = True
    session["display_token"] = token
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
    if path.startswith(PUBLIC_PREFIXES) or path in (LOGIN_PATH, LOGOUT_PATH):
        return None
    if not accounts_on():
        return None
    if path == "/trinh-chieu" and request.args.get("token"):
        if _display_login(request.args["token"]):
            return redirect("/trinh-chieu" + _without_token())
        return _page("Không vào được", "<p>Mã màn hình không hợp lệ hoặc đã bị thu hồi.</p>", 403)
    if not current_user.is_authenticated:
        if path.startswith(("/_dash-update-component", "/xuat/")):
            return Response("Cần đăng nhập", status=401, mimetype="text/plain; charset=utf-8")
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': request.full_path.rstrip('?')})}")
    scope = access.current()
    if path == "/_dash-update-component":
        forbidden = Response("Không có quyền", status=403, mimetype="text/plain; charset=utf-8")
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
        return None  # each download applies the scope itself (dashboard/downloads.py)
    roles = access.PAGE_ROLES.get(path)
    if roles is None:
        return None  # no such page: the app draws its "Không có trang này" in the frame
    if not scope.may(roles):
        return _framed(
            "Không có quyền",
            "<p>Tài khoản này không được mở trang này. Các trang tài khoản được mở có trên "
            "thanh đầu trang.</p>",
            403,
        )
    return None


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


def init_auth(server: Flask, instance_dir: Path) -> None:
    """Sessions, Flask-Login and the guard."""
    server.secret_key = secret_key(instance_dir)
    server.config.update(
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    login_manager.init_app(server)
    server.add_url_rule(LOGIN_PATH, view_func=login_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, view_func=logout_view)
    server.before_request(guard)
