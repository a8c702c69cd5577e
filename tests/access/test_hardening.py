"""What a stranger sends cannot take the production server down: idle connections, and (with
the session and login tests) what a copied cookie or a guessing client can do. Every test runs
against `tthc serve --production` on real sockets."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

from tests.serving import copy_database, production_server


@pytest.fixture
def served(demo_url: str, tmp_path: Path):
    with production_server(copy_database(demo_url, tmp_path), tmp_path) as running:
        yield running


def test_two_hundred_idle_half_sent_connections_do_not_stop_the_server(served) -> None:
    held = []
    try:
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the end
            held.append(sock)
        answer = requests.get(f"{served.base}/healthz", timeout=2)
        assert answer.status_code == 200
        # ... while every one of them is still open and waiting (none was dropped to make
        # room): reading finds no data and no end of stream.
        for sock in held:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
    finally:
        for sock in held:
            sock.close()


def test_unknown_paths_are_404_and_texts_say_their_charset_once(served) -> None:
    for path in ("/khong-co-trang-nay", "/_dash-component-suites/x.js", "/xuat/khong", "/_dash-x"):
        missing = requests.get(f"{served.base}{path}", timeout=30)
        assert missing.status_code == 404, path  # the site's page: "Không có trang này"
        assert missing.headers["Content-Type"] == "text/html; charset=utf-8"
    table = requests.get(f"{served.base}/xuat/bang/xep-hang.csv?ky=2025-Q1", timeout=60)
    assert table.status_code == 200
    assert table.headers["Content-Type"] == "text/csv; charset=utf-8"
    for path in ("/", "/xep-hang", "/dang-nhap"):
        assert requests.get(f"{served.base}{path}", timeout=60).status_code == 200
    bad = requests.post(
        f"{served.base}/_dash-update-component", json={"output": "x.children"}, timeout=30
    )
    assert bad.status_code == 400
    assert bad.headers["Content-Type"] == "text/plain; charset=utf-8"
    # Without accounts (a personal copy on this machine) /healthz says the data version.
    assert set(requests.get(f"{served.base}/healthz", timeout=30).json()) == {
        "status",
        "database",
        "data_version",
    }
