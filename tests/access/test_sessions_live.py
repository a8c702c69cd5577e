"""Sessions and login limits on the real production server (waitress, real sockets): a copied
cookie dies with logout, a password reset, a role change, disabling and "sign out everywhere";
a login lasts 8 hours from the login, never more; no cookie on assets or /healthz; https
settings give Secure cookies and HSTS; password tries are counted per account and address,
atomically, across processes, and audited per minute."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text, update

from data_access import accounts, sessions
from data_access.models import WebSession
from tests.serving import copy_database, production_server

PASSWORD = "mat-khau-rat-dai"
NAMES = ("ld", "vp", "vp2", "vp3", "vp4", "vp5", "vp6", "nhap", "dv")


@pytest.fixture(scope="module")
def database(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("sessions-live")
    url = copy_database(demo_url, folder)
    with create_engine(url).begin() as conn:
        for name in NAMES[:-1]:
            accounts.add_user(conn, name, PASSWORD, "lanh_dao" if name == "ld" else "van_phong")
        accounts.add_user(conn, "dv", PASSWORD, "don_vi", unit="10657")
    return url, folder


@pytest.fixture(scope="module")
def served(database):
    url, folder = database
    with production_server(url, folder) as running:
        yield running


def _nonce(client: requests.Session, base: str, headers: dict | None = None) -> str:
    page = client.get(f"{base}/dang-nhap", headers=headers or {}, timeout=30)
    return re.search(r"name='csrf' value='([^']+)'", page.text).group(1)


def login(base: str, username: str, password: str = PASSWORD, headers: dict | None = None):
    """A browser-like client logged in (or not): the client and the login's response. The
    login form's cookie is sent by hand: behind https it is Secure, and this test talks to
    the server in plain http, as the proxy in front of it does."""
    client = requests.Session()
    csrf = _nonce(client, base, headers)
    res = client.post(
        f"{base}/dang-nhap",
        data={"username": username, "password": password, "csrf": csrf},
        headers={**(headers or {}), "Cookie": f"tthc_dang_nhap={csrf}"},
        allow_redirects=False,
        timeout=60,
    )
    return client, res


def cookie_of(client: requests.Session) -> str:
    return client.cookies.get("tthc_phien")


def opens(cookie: str, base: str, path: str = "/") -> bool:
    """Whether a bare request carrying only this cookie value gets the page (a copied cookie
    in another browser), rather than the way to the login page."""
    res = requests.get(
        f"{base}{path}", cookies={"tthc_phien": cookie}, allow_redirects=False, timeout=60
    )
    assert res.status_code in (200, 302), res.status_code
    return res.status_code == 200


def _logout_token(client: requests.Session, base: str, path: str = "/dang-xuat") -> str:
    page = client.get(f"{base}{path}", timeout=30)  # a GET asks, and acts on nothing
    return re.search(r"name='csrf' value='([^']+)'", page.text).group(1)


def test_logout_is_a_post_with_the_token_and_ends_the_copied_cookie(served) -> None:
    client, res = login(served.base, "ld")
    assert res.status_code == 302
    cookie = cookie_of(client)
    assert opens(cookie, served.base)
    token = _logout_token(client, served.base)
    assert opens(cookie, served.base)  # the GET asked only
    missing = client.post(f"{served.base}/dang-xuat", data={}, allow_redirects=False, timeout=30)
    assert missing.status_code == 400 and opens(cookie, served.base)
    forged = client.post(
        f"{served.base}/dang-xuat",
        data={"csrf": token},
        headers={"Origin": "https://tran-gia-mao.example"},
        allow_redirects=False,
        timeout=30,
    )
    assert forged.status_code == 403 and opens(cookie, served.base)  # another site's form
    done = client.post(
        f"{served.base}/dang-xuat", data={"csrf": token}, allow_redirects=False, timeout=30
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/dang-nhap")
    assert not opens(cookie, served.base)  # the copy died with the logout


def test_password_reset_role_change_disable_and_sign_out_end_every_session(
    served, database
) -> None:
    url, _ = database
    engine = create_engine(url)
    pairs = {name: login(served.base, name)[0] for name in ("vp2", "vp3", "vp4", "vp5")}
    cookies = {name: cookie_of(c) for name, c in pairs.items()}
    second = cookie_of(login(served.base, "vp5")[0])  # vp5 on a second browser
    assert all(opens(c, served.base) for c in [*cookies.values(), second])
    # The password reset the README shows, from the command line beside the server.
    reset = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "users", "reset-password", "vp2"],
        env=dict(served.env, TTHC_NEW_PASSWORD="mot-mat-khau-moi-dai"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert reset.returncode == 0, reset.stderr
    assert not opens(cookies["vp2"], served.base)
    with engine.begin() as conn:
        accounts.set_role(conn, "vp3", "lanh_dao")
    assert not opens(cookies["vp3"], served.base)
    with engine.begin() as conn:
        accounts.set_active(conn, "vp4", False)
    assert not opens(cookies["vp4"], served.base)
    with engine.begin() as conn:
        accounts.set_active(conn, "vp4", True)
    assert not opens(cookies["vp4"], served.base)  # enabling brings no old session back
    assert login(served.base, "vp4")[1].status_code == 302  # but a new login works
    # "Đăng xuất mọi nơi" from one browser ends the other one's session too.
    client = pairs["vp5"]
    token = _logout_token(client, served.base, "/dang-xuat-moi-noi")
    done = client.post(
        f"{served.base}/dang-xuat-moi-noi", data={"csrf": token}, allow_redirects=False
    )
    assert done.status_code == 302
    assert not opens(cookies["vp5"], served.base) and not opens(second, served.base)
    engine.dispose()


def test_a_login_lasts_its_hours_from_the_login_and_is_not_extended(served, database) -> None:
    url, _ = database
    engine = create_engine(url)
    client, res = login(served.base, "vp6")
    assert "Max-Age=28800" in res.headers["Set-Cookie"]  # 8 hours
    with engine.connect() as conn:
        (row,) = conn.execute(select(WebSession).where(WebSession.account_id.is_not(None))).all()[
            -1:
        ]
    assert row.expires_at - row.created_at == 8 * 3600
    for path in ("/", "/xep-hang", "/healthz", "/assets/app.css"):
        seen = client.get(f"{served.base}{path}", timeout=60)
        assert seen.status_code == 200
        assert "Set-Cookie" not in seen.headers  # nothing re-issued, nothing slides
    with engine.connect() as conn:
        again = conn.execute(select(WebSession).where(WebSession.id_hash == row.id_hash)).one()
    assert again.expires_at == row.expires_at
    # The clock passes the login's end: the same cookie opens nothing.
    with engine.begin() as conn:
        conn.execute(
            update(WebSession)
            .where(WebSession.id_hash == row.id_hash)
            .values(expires_at=time.time() - 1)
        )
    assert not opens(cookie_of(client), served.base)
    engine.dispose()


def test_anonymous_visitors_and_public_files_get_no_cookie(served) -> None:
    for path in ("/healthz", "/assets/app.css", "/dang-xuat"):
        res = requests.get(f"{served.base}{path}", allow_redirects=False, timeout=30)
        assert "tthc_phien" not in res.headers.get("Set-Cookie", "")
    # /healthz tells a stranger up or down, nothing more.
    assert requests.get(f"{served.base}/healthz", timeout=30).json() == {"status": "ok"}


def test_fifty_parallel_wrong_passwords_check_five(served, database) -> None:
    url, _ = database
    nonces = []
    for _ in range(50):
        client = requests.Session()
        nonces.append((client, _nonce(client, served.base)))
    go = threading.Barrier(50)
    codes: list[int] = []

    def guess(client: requests.Session, csrf: str) -> None:
        go.wait()
        res = client.post(
            f"{served.base}/dang-nhap",
            data={"username": "vp", "password": "doan-mo-mat-khau", "csrf": csrf},
            allow_redirects=False,
            timeout=120,
        )
        codes.append(res.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in nonces]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] * 5 + [429] * 45
    with create_engine(url).connect() as conn:
        rows = [f for f in sessions.failures(conn, 1000) if f.username == "vp"]
    assert sum(r.wrong for r in rows) == 5 and sum(r.blocked for r in rows) == 45
    # Someone else behind the same address logs in with the right password.
    assert login(served.base, "ld")[1].status_code == 302


def test_tries_are_shared_by_two_processes(database, tmp_path: Path) -> None:
    url, _ = database
    with (
        production_server(url, tmp_path / "a") as first,
        production_server(url, tmp_path / "b") as second,
    ):
        codes = [
            login(server.base, "dv", "sai-mat-khau-nhe")[1].status_code
            for server in (first, second, first, second, first)
        ]
        assert codes == [200] * 5  # five wrong passwords, told as such
        assert login(second.base, "dv")[1].status_code == 429  # the sixth, on either
        assert login(first.base, "dv")[1].status_code == 429
        lifted = subprocess.run(
            [sys.executable, "-m", "dashboard.cli", "users", "unlock", "dv"],
            env=first.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert lifted.returncode == 0, lifted.stderr
        assert login(second.base, "dv")[1].status_code == 302  # the lockout lifted at once


def test_behind_a_proxy_limits_follow_the_client_and_https_hardens_cookies(
    demo_url: str, tmp_path: Path
) -> None:
    url = copy_database(demo_url, tmp_path)
    with create_engine(url).begin() as conn:
        accounts.add_user(conn, "ld", PASSWORD, "lanh_dao")
        accounts.add_user(conn, "vp", PASSWORD, "van_phong")
    env = {"TTHC_HTTPS": "1", "TTHC_TRUSTED_PROXIES": "1"}
    with production_server(url, tmp_path, env) as served:

        def via(address: str) -> dict[str, str]:
            return {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}

        client, res = login(served.base, "ld", headers=via("10.1.1.1"))
        assert res.status_code == 302
        cookie = res.headers["Set-Cookie"]
        assert "tthc_phien=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert res.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # Ten people behind the proxy guess vp's password 4 times each: within the limit per
        # address, but 20 wrong passwords lock the account from everywhere.
        codes = [
            login(served.base, "vp", "doan-sai", headers=via(f"10.2.0.{i}"))[1].status_code
            for i in range(10)
            for _ in range(4)
        ]
        assert codes == [200] * 20 + [429] * 20
        # The right password of another person at one of those addresses still opens.
        assert login(served.base, "ld", headers=via("10.2.0.3"))[1].status_code == 302
        with create_engine(url).connect() as conn:
            addresses = {
                r[0] for r in conn.execute(text("SELECT last_address FROM login_failures"))
            }
        assert addresses <= {f"10.2.0.{i}" for i in range(10)}  # the client's, not the proxy's


def _value(values: dict, item: dict):
    return values.get(f"{item['id']}.{item['property']}", values.get(item["id"]))


def post_callback(client: requests.Session, base: str, output_ids: list[str], values: dict):
    """POST a Dash callback request the way the browser does: `values` by "id.property" or
    by component id, for its inputs and states alike."""
    deps = client.get(f"{base}/_dash-dependencies", timeout=60).json()
    dep = next(
        d
        for d in deps
        if all(f"..{o}." in d["output"] or d["output"].startswith(f"{o}.") for o in output_ids)
    )
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
        for part in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [dict(i, value=_value(values, i)) for i in dep["inputs"]],
        "state": [dict(s, value=_value(values, s)) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    res = client.post(f"{base}/_dash-update-component", json=body, timeout=300)
    assert res.status_code == 200, res.text[:300]
    return res.json()["response"]


def _upload(client: requests.Session, base: str, data: bytes, name: str) -> dict:
    import base64

    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    return post_callback(
        client,
        base,
        ["data-report", "data-found"],
        {"data-upload.contents": contents, "data-upload.filename": name},
    )


def test_uploads_are_read_apart_audited_by_account_and_deleted(served, database) -> None:
    from tests.importer.files import csv_bytes, sparse_far_sheet

    url, folder = database
    client, res = login(served.base, "nhap")
    assert res.status_code == 302
    uploads = folder / "uploads"
    # The sheet that aborted the server: refused with its reason, the server still serving,
    # and nothing of it left on disk.
    hostile = _upload(client, served.base, sparse_far_sheet(), "thua.xlsx")
    assert "ô XFD400000, rất xa vùng dữ liệu" in json_text(hostile["data-report"])
    assert hostile["data-found"]["data"] is None
    assert requests.get(f"{served.base}/healthz", timeout=30).status_code == 200
    assert list(uploads.iterdir()) == []
    # A good file: kept until confirmed, then imported in the account's name and deleted.
    row = [
        "1", "WEB-1", "Xã Đồng Lạc", "1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch",
        "Trực tiếp", "", "10/03/2025 08:00", "11/03/2025 17:00", "11/03/2025 09:00",
        "Đã trả kết quả", "Không", "Không", "Không", "Không", "Không", "",
    ]  # fmt: skip
    checked = _upload(client, served.base, csv_bytes([row]), "mot-ho-so.csv")
    found = checked["data-found"]["data"]
    assert found["valid"] == 1 and len(list(uploads.iterdir())) == 2  # the file and its name
    done = post_callback(
        client,
        served.base,
        ["data-result", "data-imports"],
        {"data-confirm": 1, "data-found": found, "data-partial": False},
    )
    assert "Đã nhập dữ liệu" in json_text(done["data-result"])
    assert list(uploads.iterdir()) == []
    with create_engine(url).connect() as conn:
        last = conn.execute(
            text("SELECT username, action, detail FROM audit_events ORDER BY id DESC LIMIT 1")
        ).one()
    assert tuple(last) == ("nhap", "nhap_du_lieu", "mot-ho-so.csv: mới 1, cập nhật 0, lỗi 0")


def json_text(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
