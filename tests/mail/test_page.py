"""Người nhận thư through the real app (Flask test client, accounts on, Dash callbacks posted
as the browser posts them): office staff add and remove recipients (audited under their
name), see the deliveries in words; a unit account reaches neither the page nor its
callbacks."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import accounts, deliveries, recipients

PASSWORD = "mat-khau-rat-dai"


@pytest.fixture
def app(db: Engine, tmp_path: Path):
    with db.begin() as conn:
        accounts.add_user(conn, "vp", PASSWORD, "van_phong", full_name="Trần Văn Phòng")
        accounts.add_user(conn, "namsach", PASSWORD, "don_vi", unit="10606")
    url = db.url.render_as_string(hide_password=False)
    settings = Settings(
        database_url=url,
        instance_dir=tmp_path,
        demo_on_empty=False,
        smtp_host="mail.namsach.gov.vn",
        smtp_port=587,
        mail_from="tthc@namsach.gov.vn",
    )
    return create_app(settings)


def login(app, username: str) -> FlaskClient:
    client = app.server.test_client()
    page = client.get("/dang-nhap")
    csrf = re.search(r"name='csrf' value='([^']+)'", page.data.decode()).group(1)
    res = client.post("/dang-nhap", data={"username": username, "password": PASSWORD, "csrf": csrf})
    assert res.status_code == 302
    return client


def post(client: FlaskClient, deps: list[dict], first_output: str, inputs: list, changed: str,
         state: dict | None = None):  # fmt: skip
    """A callback request as Dash's renderer sends it; `inputs` in the callback's order."""
    dep = next(d for d in deps if d["output"].lstrip(".").startswith(first_output))
    outputs = [
        {"id": p.split(".")[0], "property": p.split(".")[1].split("@")[0]}
        for p in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": [dict(s, value=(state or {}).get(s["id"])) for s in dep["state"]],
        "changedPropIds": [changed],
    }
    return client.post("/_dash-update-component", json=body)


def text(res) -> str:
    return json.dumps(res.get_json(), ensure_ascii=False)


def add(client: FlaskClient, deps: list[dict], email: str, kind: str, unit: str | None = None):
    return post(
        client,
        deps,
        "rc-message.children",
        [{"id": "rc-add", "property": "n_clicks", "value": 1},
         [{"id": {"type": "rc-remove", "id": 0}, "property": "n_clicks", "value": None}]],
        "rc-add.n_clicks",
        {"rc-email": email, "rc-kind": kind, "rc-unit": unit},
    )  # fmt: skip


def remove(client: FlaskClient, deps: list[dict], recipient_id: int):
    pressed = {"type": "rc-remove", "id": recipient_id}
    return post(
        client,
        deps,
        "rc-message.children",
        [{"id": "rc-add", "property": "n_clicks", "value": None},
         [{"id": pressed, "property": "n_clicks", "value": 1}]],
        json.dumps(pressed, sort_keys=True, separators=(",", ":")) + ".n_clicks",
    )  # fmt: skip


def test_the_office_adds_and_removes_recipients(app, db: Engine) -> None:
    client = login(app, "vp")
    assert client.get("/nguoi-nhan").status_code == 200
    deps = json.loads(client.get("/_dash-dependencies").data)
    opened = post(
        client, deps, "rc-unit.options", [{"id": "rc-list", "property": "id", "value": "rc-list"}],
        "rc-list.id",
    )  # fmt: skip
    assert opened.status_code == 200
    answer = opened.get_json()["response"]
    codes = [o["value"] for o in answer["rc-unit"]["options"]]
    # Today's units of the scope (Khu vực Nam Sách's five communes), by code.
    assert sorted(codes) == ["10606", "10615", "10633", "10642", "10645"]
    assert "Máy chủ thư: mail.namsach.gov.vn:587 (starttls)" in text(opened)
    assert "Chưa có người nhận thư nào." in text(opened)

    res = add(client, deps, "Nam.Sach@namsach.gov.vn", "unit", "10606")
    assert "Đã thêm nam.sach@namsach.gov.vn: nhận thư của Đơn vị Xã Nam Sách (10606)." in text(res)
    res = add(client, deps, "chu.tich@namsach.gov.vn", "lanh_dao", "10606")  # unit ignored
    assert "Đã thêm chu.tich@namsach.gov.vn: nhận thư của Lãnh đạo." in text(res)
    assert "Đơn vị Xã Nam Sách (10606)" in text(res) and "Lãnh đạo" in text(res)  # the list
    refused = add(client, deps, "khong hop le", "unit", "10606")
    assert "Địa chỉ thư không hợp lệ" in text(refused)
    refused = add(client, deps, "x@namsach.gov.vn", "unit", None)
    assert "Chọn một đơn vị hoặc một vai trò" in text(refused)
    with db.connect() as conn:
        listed = {(r.email, r.unit_code, r.role): r for r in recipients.all_recipients(conn)}
    assert set(listed) == {
        ("nam.sach@namsach.gov.vn", "10606", ""),
        ("chu.tich@namsach.gov.vn", "", "lanh_dao"),
    }
    assert listed[("nam.sach@namsach.gov.vn", "10606", "")].added_by == "vp"

    res = remove(client, deps, listed[("nam.sach@namsach.gov.vn", "10606", "")].id)
    assert "Đã bỏ nam.sach@namsach.gov.vn khỏi danh sách nhận thư của Đơn vị Xã Nam Sách" in text(
        res
    )
    with db.connect() as conn:
        assert [r.email for r in recipients.all_recipients(conn)] == ["chu.tich@namsach.gov.vn"]
        events = [(e[1], e[2], e[3]) for e in accounts.audit_events(conn) if "nguoi_nhan" in e[2]][
            ::-1
        ]
    assert events == [
        ("vp", "them_nguoi_nhan_thu", "nam.sach@namsach.gov.vn → Đơn vị Xã Nam Sách (10606)"),
        ("vp", "them_nguoi_nhan_thu", "chu.tich@namsach.gov.vn → Lãnh đạo"),
        ("vp", "bo_nguoi_nhan_thu", "nam.sach@namsach.gov.vn → Đơn vị Xã Nam Sách (10606)"),
    ]


def test_the_deliveries_are_said_in_words(app, db: Engine) -> None:
    day = dt.date(2026, 12, 4)
    at = dt.datetime(2026, 12, 4, 7, 0)
    sent = deliveries.claim(db, "digest", day, "a@namsach.gov.vn", "10657", "Thư A", b"a", at)
    failed = deliveries.claim(db, "daily_report", day, "b@namsach.gov.vn", "", "Thư B", b"b", at)
    deliveries.claim(db, "digest", day, "c@namsach.gov.vn", "10612", "Thư C", b"c", at)
    assert sent is not None and failed is not None
    deliveries.mark_sent(db, sent, at)
    deliveries.mark_failed(db, failed, "Máy chủ thư 10.0.0.5:587 từ chối kết nối", at)
    client = login(app, "vp")
    deps = json.loads(client.get("/_dash-dependencies").data)
    opened = post(
        client, deps, "rc-unit.options", [{"id": "rc-list", "property": "id", "value": "rc-list"}],
        "rc-list.id",
    )  # fmt: skip
    shown = text(opened)
    assert "đã gửi" in shown
    assert "lỗi, thử lại lúc 07:01 04/12/2026" in shown
    assert "Máy chủ thư 10.0.0.5:587 từ chối kết nối" in shown
    assert "đang gửi — không rõ đã gửi chưa" in shown
    assert "Báo cáo ngày" in shown and "04/12/2026" in shown


def test_a_unit_account_reaches_neither_the_page_nor_its_callbacks(app, db: Engine) -> None:
    office = login(app, "vp")
    deps = json.loads(office.get("/_dash-dependencies").data)
    client = login(app, "namsach")
    assert client.get("/nguoi-nhan").status_code == 403
    assert add(client, deps, "ke.gian@namsach.gov.vn", "lanh_dao").status_code == 403
    opened = post(
        client, deps, "rc-unit.options", [{"id": "rc-list", "property": "id", "value": "rc-list"}],
        "rc-list.id",
    )  # fmt: skip
    assert opened.status_code == 403
    with db.connect() as conn:
        assert recipients.all_recipients(conn) == []
