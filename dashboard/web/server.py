"""What a production server adds: security headers, /healthz, readable errors when the
database is away, JSON request logs, and the waitress entry point."""

from __future__ import annotations

import io
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence

from flask import Flask, Response, g, jsonify, request
from redis.exceptions import ConnectionError as RedisDown
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from dashboard.services import context
from data_access import queries, redis_store

# Everything is served from this machine: no remote origin anywhere. Scripts: this site's
# files and Dash's few inline scripts by their hashes; neither 'unsafe-inline' nor
# 'unsafe-eval' (every page, grid and chart draws without them: tests/browser). Styles stay
# inline: React and plotly set them.
CSP = (
    "default-src 'self'; script-src 'self' {hashes}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
log = logging.getLogger("tthc.request")


def _headers(script_hashes: Callable[[], Sequence[str]], https: bool):
    seen: dict[tuple[str, ...], str] = {}

    def csp() -> str:
        # Dash adds inline scripts until it serves its first page: the policy follows them.
        hashes = tuple(sorted(set(script_hashes())))
        if hashes not in seen:
            seen.clear()
            seen[hashes] = CSP.format(hashes=" ".join(hashes))
        return seen[hashes]

    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    return add


def _may_see_details() -> bool:
    from dashboard.web import auth

    if not auth.accounts_on():
        return True  # a personal copy, served on this machine only
    from flask_login import current_user

    return bool(current_user.is_authenticated)


def healthz() -> tuple[Response, int]:
    """200 when the database answers, 503 otherwise; the data version only to a logged-in
    caller: a stranger learns up or down, nothing more."""
    try:
        # The version is read from the database: answering it proves the database answers.
        version = queries.data_version(context.get().engine)
        redis_url = context.get().settings.redis_url
        if redis_url:  # sessions live there: without it nobody is logged in
            redis_store.client(redis_url).ping()
    except (OperationalError, DBAPIError, RedisDown):
        return jsonify(status="error"), 503
    if not _may_see_details():
        return jsonify(status="ok"), 200
    return jsonify(status="ok", database="ok", data_version=version), 200


def store_away() -> Response:
    """503 in words: the database (or the session store) does not answer for now."""
    return Response(
        "Không kết nối được cơ sở dữ liệu. Hệ thống sẽ tự kết nối lại; thử lại sau ít phút.",
        status=503,
        mimetype="text/plain",
    )


REPLICA_LOST = "tthc.replica_lost"  # environ flag: the request failed reading a replica


def _database_away(exc: Exception) -> tuple[Response, int]:
    logging.getLogger("tthc").error("database unavailable: %s", exc.__class__.__name__)
    if context.read_on_replica():
        request.environ[REPLICA_LOST] = True  # ReplayOnReplicaLoss answers it again
    return store_away(), 503


class ReplayOnReplicaLoss:
    """A request that failed because the replica it read from went away is answered again,
    once, now from the primary (the router marked the replica down when it failed). Safe to
    repeat: a request reads a replica only before it writes anything (after a write, every
    read of the request is on the primary: `AppContext.reader`), so the first try wrote
    nothing. Requests with bodies above `max_body` are never held for a replay."""

    def __init__(self, app: Callable, max_body: int = 1 << 20) -> None:
        self.app = app
        self.max_body = max_body

    def __call__(self, environ: dict, start_response: Callable):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self.max_body:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length) if length else b""
        first = dict(environ, **{"wsgi.input": io.BytesIO(body)})
        seen: list = []
        result = self.app(first, lambda *args: seen.append(args))
        if first.get(REPLICA_LOST):
            if hasattr(result, "close"):
                result.close()
            again = dict(environ, **{"wsgi.input": io.BytesIO(body)})
            return self.app(again, start_response)
        start_response(*seen[-1])
        return result


class JsonLines(logging.Formatter):
    """One JSON object a line: easy to grep, ship and parse."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "t": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def json_logging(level: int = logging.INFO) -> None:
    """Send every log record to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _start_timer() -> None:
    g.tthc_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    if request.path.startswith(("/assets/", "/_dash-component-suites/")):
        return response
    from flask_login import current_user

    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("tthc_started", time.perf_counter())) * 1000),
        "user": getattr(current_user, "username", "") if current_user else "",
        "addr": request.remote_addr or "",
    }
    log.info("request", extra={"fields": fields})
    return response


def _bad_callback(exc: Exception) -> tuple[Response, int] | HTTPException:
    """A callback that fails on its input (a forged or broken request) is the client's
    error: 400 and a log line, never a stack trace to the browser."""
    if isinstance(exc, HTTPException):
        return exc  # 404, 413 …: already the right answer
    if not request.path.startswith("/_dash-update-component"):
        logging.getLogger("tthc").exception("unhandled error on %s", request.path)
        return Response("Lỗi máy chủ.", status=500, mimetype="text/plain"), 500
    logging.getLogger("tthc").warning(
        "callback refused: %s: %s", exc.__class__.__name__, str(exc)[:200]
    )
    return Response("Yêu cầu không hợp lệ.", mimetype="text/plain"), 400


def _not_found(page_paths: frozenset[str]):
    """Dash answers any path with its page (the router draws "Không có trang này"), a missing
    script or download included: a path that is no page gets that page with status 404, as a
    link checker or a proxy expects. Files, data and downloads are never text/html."""

    def mark(response: Response) -> Response:
        path = request.path.rstrip("/") or "/"
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and (path not in page_paths)
        ):
            response.status_code = 404
        return response

    return mark


def harden(
    server: Flask,
    max_upload_mb: int = 50,
    script_hashes: Callable[[], Sequence[str]] = tuple,
    page_paths: frozenset[str] = frozenset(),
    https: bool = False,
    trusted_proxies: int = 0,
) -> None:
    """Headers, /healthz, database-away handling, 404s and request logs on `server`; behind
    `trusted_proxies` proxies, the client's address and scheme from their headers."""
    # Uploads arrive base64-encoded inside the callback JSON (4/3 of the file): anything
    # larger than the import limit allows is refused before it is read.
    server.config["MAX_CONTENT_LENGTH"] = int(max_upload_mb * 1024 * 1024 * 4 / 3) + 65536
    server.wsgi_app = ReplayOnReplicaLoss(server.wsgi_app)  # type: ignore[method-assign]
    if trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies
        )
    server.register_error_handler(Exception, _bad_callback)
    server.after_request(_headers(script_hashes, https))
    if page_paths:
        server.after_request(_not_found(page_paths))
    server.before_request(_start_timer)
    server.after_request(_log_request)
    server.add_url_rule("/healthz", view_func=healthz)
    server.register_error_handler(OperationalError, _database_away)
    server.register_error_handler(DBAPIError, _database_away)
    server.register_error_handler(RedisDown, _database_away)  # Redis away: the same answer


def refuse_open_bind(host: str, accounts_configured: bool) -> None:
    """Stop before serving other machines while nobody needs to log in."""
    if host not in LOOPBACK and not accounts_configured:
        raise SystemExit(
            f"Từ chối chạy trên {host}: chưa có tài khoản nào. Tạo tài khoản trước "
            "(tthc users add …), hoặc chạy trên 127.0.0.1."
        )


def _raise_open_files(wanted: int) -> None:
    """Let the process hold `wanted` sockets (the soft limit is often 1024)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(
    app,
    host: str,
    port: int,
    threads: int,
    connection_limit: int,
    channel_timeout: int,
    trusted_proxies: int = 0,
) -> None:
    """Run the app under waitress (multi-threaded; runs on Windows office servers too).

    A request is read whole by waitress's event loop before a thread sees it, so idle or
    half-sent connections hold no thread: up to `connection_limit` of them are held, each
    closed after `channel_timeout` idle seconds, and the rest of the world is still served.
    Past the office network, put the proxy in front (README, "Production").
    """
    import waitress

    _raise_open_files(connection_limit + 64)
    waitress.serve(
        app.server,
        host=host,
        port=port,
        threads=threads,
        ident="tthc",
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
        cleanup_interval=max(1, min(30, channel_timeout // 2)),
        asyncore_use_poll=True,  # select() stops at 1 024 sockets
        max_request_header_size=64 * 1024,
        max_request_body_size=app.server.config["MAX_CONTENT_LENGTH"],
        # waitress drops X-Forwarded-* unless told otherwise; behind trusted proxies the app's
        # ProxyFix reads them (only the number of hops configured, never more).
        clear_untrusted_proxy_headers=not trusted_proxies,
    )
