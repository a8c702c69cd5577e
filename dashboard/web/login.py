"""The login form and the ways out: a password checked after its try is counted (per account
from one address, per account from everywhere, in the database every process shares), wrong
and refused tries audited per account and minute; logout and "đăng xuất mọi nơi" as forms
posted with the session's token."""

from __future__ import annotations

import html
import secrets
import time
from urllib.parse import urlencode, urlparse

from flask import Flask, Response, redirect, request, session
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse  # what redirect() returns

from dashboard.services import context
from dashboard.web import access
from dashboard.web.auth import (
    LOGIN_NONCE,
    LOGIN_PATH,
    LOGOUT_ALL_PATH,
    LOGOUT_PATH,
    client_address,
    logout_form,
    plain_page,
    session_user,
)
from dashboard.web.sessions import end_account_sessions
from data_access import accounts, sessions


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.
    if not target or urlparse(target).netloc or not target.startswith("/"):
        return "/"
    return target


def _locked(title: str = "Tạm khóa đăng nhập") -> Response:
    return plain_page(
        title,
        "<p>Tài khoản này bị sai mật khẩu quá nhiều lần: tạm khóa đăng nhập trong 10 phút. "
        "Nếu không phải bạn, hãy báo quản trị.</p>",
        429,
    )


def _try_login(username: str, password: str, address: str) -> accounts.Account | None | str:
    """Count the try, then check the password: the account, None (wrong), or "locked"."""
    settings = context.get().settings
    name = username.strip().lower()
    keys = {
        f"tk:{name}": settings.login_tries_account,
        f"tk:{name}|{address}": settings.login_tries,
    }
    now = time.time()
    with context.get().engine.begin() as conn:
        tries = sessions.take_tries(conn, keys, now)
        if any(tries.counts[k[:200]] > limit for k, limit in keys.items()):
            sessions.give_back(conn, keys, tries.window)  # a refused try is no wrong password
            sessions.record_failure(conn, name, address, now, blocked=True)
            return "locked"
    with context.get().engine.begin() as conn:
        acc = accounts.verify(conn, name, password)
        if acc is None:
            sessions.record_failure(conn, name, address, now, blocked=False)
            return None
        sessions.give_back(conn, keys, tries.window)  # only wrong passwords count
        accounts.audit(conn, acc.username, "dang_nhap", acc.role, address)
        return acc


def login_view() -> BaseResponse:
    """GET: the form; POST: check the password (limited per account and address, audited)."""
    message = ""
    if request.method == "POST":
        nonce = request.cookies.get(LOGIN_NONCE, "")
        if not nonce or not secrets.compare_digest(request.form.get("csrf", ""), nonce):
            return plain_page(
                "Phiên đã hết hạn", f"<p><a href='{LOGIN_PATH}'>Đăng nhập lại</a></p>", 400
            )
        username = request.form.get("username", "")[:100]
        result = _try_login(username, request.form.get("password", "")[:200], client_address())
        if result == "locked":
            return _locked()
        if isinstance(result, accounts.Account):
            with context.get().engine.connect() as conn:
                user = session_user(f"u:{result.id}", result, conn)
            session.clear()
            session.permanent = True
            session["csrf"] = secrets.token_urlsafe(24)
            session.rotate = True  # type: ignore[attr-defined]  # a new id for a new login
            login_user(user)
            target = _safe_next(request.args.get("next"))
            if user.role == "can_bo" and target == "/":  # its one page
                target = "/don-vi"
            out = redirect(target)
            out.delete_cookie(LOGIN_NONCE, path=LOGIN_PATH)
            return out
        message = "<div class='alert alert-danger'>Sai tên đăng nhập hoặc mật khẩu.</div>"
    nonce = request.cookies.get(LOGIN_NONCE) or secrets.token_urlsafe(24)
    action = html.escape(
        f"{LOGIN_PATH}?{urlencode({'next': _safe_next(request.args.get('next'))})}"
    )
    form = (
        f"{message}<form method='post' action='{action}'>"
        f"<input type='hidden' name='csrf' value='{html.escape(nonce)}'>"
        "<label class='form-label' for='username'>Tên đăng nhập</label>"
        "<input class='form-control mb-2' id='username' name='username' autocomplete='username'"
        " required autofocus>"
        "<label class='form-label' for='password'>Mật khẩu</label>"
        "<input class='form-control mb-3' id='password' name='password' type='password'"
        " autocomplete='current-password' required>"
        "<button class='btn btn-primary' type='submit'>Đăng nhập</button></form>"
    )
    out = plain_page("Đăng nhập — Theo dõi cải cách TTHC", form)
    out.set_cookie(
        LOGIN_NONCE,
        nonce,
        max_age=3600,
        path=LOGIN_PATH,
        httponly=True,
        samesite="Strict",
        secure=context.get().settings.https,
    )
    return out


def _logout(everywhere: bool) -> BaseResponse:
    if request.method != "POST":
        # An old link or a bookmark: ask, do not act (a GET must change nothing).
        if not current_user.is_authenticated:
            return redirect(LOGIN_PATH)
        return plain_page(
            "Đăng xuất",
            logout_form(session.get("csrf", ""), everywhere).replace(
                "btn btn-link link-light p-0 align-baseline", "btn btn-primary"
            ),
        )
    if not secrets.compare_digest(request.form.get("csrf", ""), session.get("csrf", "-")):
        return plain_page(
            "Phiên đã hết hạn", f"<p><a href='{LOGIN_PATH}'>Đăng nhập lại</a></p>", 400
        )
    scope = access.current()
    user_id = str(getattr(current_user, "id", ""))
    if everywhere and user_id.startswith("u:"):
        ended = end_account_sessions(int(user_id[2:]))
        _audit(scope.username, "dang_xuat_moi_noi", f"{ended} phiên", client_address())
    logout_user()
    session.clear()
    return redirect(LOGIN_PATH)


def logout_view() -> BaseResponse:
    """POST with the session's token: end this session."""
    return _logout(everywhere=False)


def logout_everywhere_view() -> BaseResponse:
    """POST with the session's token: end every session of this account, here and elsewhere."""
    return _logout(everywhere=True)


def _audit(username: str, action: str, detail: str, address: str) -> None:
    with context.get().engine.begin() as conn:
        accounts.audit(conn, username, action, detail, address)


def init_login(server: Flask) -> None:
    """The login and logout routes."""
    server.add_url_rule(LOGIN_PATH, view_func=login_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, view_func=logout_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_ALL_PATH, view_func=logout_everywhere_view, methods=["GET", "POST"])
