"""What a production server adds: security headers, /healthz, readable errors when the
database is away, JSON request logs, and the waitress entry point."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, g, jsonify, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from dashboard import context
from data_access import queries

# Everything is served from this machine: no remote origin anywhere. Dash and plotly need
# inline styles, and plotly compiles some functions at run time ('unsafe-eval').
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
log = logging.getLogger("tthc.request")


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def healthz() -> tuple[Response, int]:
    """200 with the data version when the database answers, 503 otherwise."""
    try:
        # The version is read from the database: answering it proves the database answers.
        version = queries.data_version(context.get().engine)
        return jsonify(status="ok", database="ok", data_version=version), 200
    except (OperationalError, DBAPIError) as exc:
        return jsonify(status="error", database=type(exc.orig).__name__ if exc.orig else "?"), 503


def _database_away(exc: Exception) -> tuple[Response, int]:
    logging.getLogger("tthc").error("database unavailable: %s", exc.__class__.__name__)
    return (
        Response(
            "Không kết nối được cơ sở dữ liệu. Hệ thống sẽ tự kết nối lại; thử lại sau ít phút.",
            mimetype="text/plain; charset=utf-8",
        ),
        503,
    )


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
        return Response("Lỗi máy chủ.", status=500, mimetype="text/plain; charset=utf-8"), 500
    logging.getLogger("tthc").warning(
        "callback refused: %s: %s", exc.__class__.__name__, str(exc)[:200]
    )
    return Response("Yêu cầu không hợp lệ.", mimetype="text/plain; charset=utf-8"), 400


def harden(server: Flask, max_upload_mb: int = 50) -> None:
    """Headers, /healthz, database-away handling and request logs on `server`."""
    # Uploads arrive base64-encoded inside the callback JSON (4/3 of the file): anything
    # larger than the import limit allows is refused before it is read.
    server.config["MAX_CONTENT_LENGTH"] = int(max_upload_mb * 1024 * 1024 * 4 / 3) + 65536
    server.register_error_handler(Exception, _bad_callback)
    server.after_request(_headers)
    server.before_request(_start_timer)
    server.after_request(_log_request)
    server.add_url_rule("/healthz", view_func=healthz)
    server.register_error_handler(OperationalError, _database_away)
    server.register_error_handler(DBAPIError, _database_away)


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
    app, host: str, port: int, threads: int, connection_limit: int, channel_timeout: int
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
    )
