"""Flask sessions kept on the server (data_access/sessions.py: the database, or Redis when
TTHC_REDIS_URL is set), one entry per login.

The cookie holds only a random id. A session is stored when someone logs in and never before
(an anonymous visitor gets no cookie, and neither do assets or /healthz); its lifetime is fixed
at login and never extended; the id changes at every login; logging out deletes the row, and so
do a password reset, a role change, disabling the account and "sign out everywhere", for every
session of the account, on every server process at once.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from redis.exceptions import ConnectionError as RedisDown
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import CallbackDict

from dashboard.services import context
from data_access import sessions

COOKIE = "tthc_phien"
DISPLAY_DAYS = 30  # a meeting-room screen stays logged in this long


class ServerSession(CallbackDict, SessionMixin):
    """What one login remembers; `sid` is None until it is stored."""

    def __init__(self, initial: dict[str, Any] | None = None, sid: str | None = None) -> None:
        def changed(_self: Any) -> None:
            self.modified = True

        super().__init__(initial, changed)
        self.sid = sid
        self.modified = False
        self.rotate = False  # a new id at the next save (set at login)
        self.unavailable = False  # the store did not answer: the request is refused (503)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _owner(data: dict[str, Any]) -> tuple[int | None, str | None]:
    """The account id or the display label a Flask-Login user id names ("u:5", "d:label")."""
    kind, _, rest = str(data.get("_user_id", "")).partition(":")
    if kind == "u" and rest.isdigit():
        return int(rest), None
    if kind == "d" and rest:
        return None, rest
    return None, None


class ServerSessionInterface(SessionInterface):
    """Sessions in the database the app serves from, or in Redis (TTHC_REDIS_URL)."""

    def __init__(self, hours: float, secure: bool) -> None:
        self.hours = hours
        self.secure = secure

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(COOKIE)
        if sid and len(sid) <= 64:
            try:
                stored = _store().load(_hash(sid), time.time())
            except (RedisDown, OperationalError):
                # Not "logged out": the store is away. The guard answers 503 (the person
                # keeps the session for when it is back).
                away = ServerSession()
                away.unavailable = True
                return away
            if stored is not None:
                return ServerSession(stored.data, sid)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if session.unavailable or (not session.modified and not session.rotate):
            return
        store = _store()
        account_id, display = _owner(session)
        if not session or (account_id is None and display is None):
            # Logged out, or nobody logged in: nothing is kept, the cookie goes.
            if session.sid is not None:
                store.end(_hash(session.sid))
                response.delete_cookie(COOKIE, path="/", secure=self.secure, httponly=True)
            return
        if session.sid is not None and not session.rotate:
            store.save_data(_hash(session.sid), dict(session))
            return
        now = time.time()
        lifetime = DISPLAY_DAYS * 86400 if display else self.hours * 3600
        sid = secrets.token_urlsafe(32)
        if session.sid is not None:
            store.end(_hash(session.sid))
        store.create(_hash(sid), dict(session), now, now + lifetime, account_id, display)
        session.sid, session.rotate = sid, False
        response.set_cookie(
            COOKIE,
            sid,
            max_age=int(lifetime),
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="Lax",
        )


def _store():
    return sessions.session_store(context.get().engine)


def end_account_sessions(account_id: int) -> int:
    """End every session of an account (sign out everywhere); how many were live."""
    return _store().end_for_account(account_id)
