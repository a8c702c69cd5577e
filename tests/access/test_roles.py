"""Per role: every page, callback and download a user may or may not reach, with forged
requests for another unit's code, hostile payloads, and the login rules."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from dashboard.domain.periods import parse_period
from dashboard.services import standing
from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import accounts

OWN, OTHER = "10657", "10612"  # Đồng Lạc (the unit account's), and another commune
OWN_NAME, OTHER_NAME = "Đồng Lạc", "Nam Tân"
PASSWORD = "mat-khau-rat-dai"


@pytest.fixture(scope="module")
def app(demo_url: str, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("roles")
    db = folder / "demo.sqlite3"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), db)
    url = f"sqlite:///{db}"
    with create_engine(url).begin() as conn:
        accounts.add_user(conn, "ld", PASSWORD, "lanh_dao")
        accounts.add_user(conn, "vp", PASSWORD, "van_phong")
        accounts.add_user(conn, "donglac", PASSWORD, "don_vi", unit=OWN, full_name="Nguyễn Văn Lạc")
        token = accounts.new_display_token(conn, "Phòng họp")
    application = create_app(Settings(database_url=url, instance_dir=folder, demo_on_empty=False))
    application.display_token = token
    application.db_url = url
    return application


def login(app, username: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    client = app.server.test_client()
    page = client.get("/dang-nhap", environ_base={"REMOTE_ADDR": address})
    csrf = re.search(r"name='csrf' value='([^']+)'", page.data.decode()).group(1)
    res = client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "csrf": csrf},
        environ_base={"REMOTE_ADDR": address},
    )
    return client, res


def callback(
    client: FlaskClient, app, output_ids: list[str], inputs: dict, state: dict | None = None
):
    """POST a Dash callback request the way the browser does (or a forger would)."""
    office, _ = login(app, "ld", address="10.0.0.3")
    deps = json.loads(office.get("/_dash-dependencies").data)
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
        "inputs": [dict(i, value=inputs.get(i["id"])) for i in dep["inputs"]],
        "state": [dict(s, value=(state or {}).get(s["id"])) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


def body_text(res) -> str:
    """A response body as readable text (JSON unescaped: \u1ed5 → ổ)."""
    raw = res.data.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False)
    except ValueError:
        return raw


def test_anonymous_gets_the_login_page_and_nothing_else(app) -> None:
    client = app.server.test_client()
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/dang-nhap")
    assert client.get("/xuat/bang/xep-hang.csv?ky=2025-Q1").status_code == 401
    res = callback(client, app, ["ov-content"], {"ov-period": "2025-Q1", "ov-units": []})
    assert res.status_code == 401
    assert client.get("/healthz").status_code == 200
    assert client.get("/assets/app.css").status_code == 200


def test_wrong_passwords_are_limited_per_account_and_address_and_audited_per_minute(
    app,
) -> None:
    import time

    from data_access import sessions

    started = time.time()
    for _ in range(5):  # TTHC_LOGIN_TRIES
        _client, res = login(app, "vp", "sai-mat-khau-1", address="10.9.9.9")
        assert res.status_code == 200 and "Sai tên đăng nhập hoặc mật khẩu" in body_text(res)
    _client, res = login(app, "vp", PASSWORD, address="10.9.9.9")  # right, but locked out
    assert res.status_code == 429 and "tạm khóa đăng nhập trong 10 phút" in body_text(res)
    _client, res = login(app, "vp", PASSWORD, address="10.0.0.2")  # another address: fine
    assert res.status_code == 302
    _client, res = login(app, "ld", PASSWORD, address="10.9.9.9")  # another account there too
    assert res.status_code == 302
    ended = time.time()
    with create_engine(app.db_url).connect() as conn:
        rows = [f for f in sessions.failures(conn) if f.username == "vp"]
        actions = [e[2] for e in accounts.audit_events(conn) if e[4] == "10.9.9.9"]
    # One row per account and minute, with the counts: 5 wrong, 1 refused.
    assert len(rows) <= int(ended // 60) - int(started // 60) + 1
    assert sum(r.wrong for r in rows) == 5 and sum(r.blocked for r in rows) == 1
    assert rows[0].last_address == "10.9.9.9"
    assert "dang_nhap_sai" not in actions  # no longer a row per try


def test_login_redirects_only_inside_the_site(app) -> None:
    client = app.server.test_client()
    page = client.get("/dang-nhap?next=https://evil.example/x")
    csrf = re.search(r"name='csrf' value='([^']+)'", page.data.decode()).group(1)
    res = client.post(
        "/dang-nhap?next=https://evil.example/x",
        data={"username": "ld", "password": PASSWORD, "csrf": csrf},
    )
    assert res.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("user", "path", "status"),
    [
        ("ld", "/du-lieu", 200),
        ("ld", "/trinh-chieu", 200),
        ("vp", "/du-lieu", 200),
        ("donglac", "/", 200),
        ("donglac", "/don-vi", 200),
        ("donglac", "/giai-trinh", 200),
        ("donglac", "/du-lieu", 403),
        ("donglac", "/trinh-chieu", 403),
        ("ld", "/nguoi-nhan", 200),
        ("vp", "/nguoi-nhan", 200),
        ("donglac", "/nguoi-nhan", 403),
    ],
)
def test_pages_per_role(app, user: str, path: str, status: int) -> None:
    client, _ = login(app, user)
    assert client.get(path).status_code == status


def test_unit_user_cannot_reach_another_unit_by_forged_callbacks(app) -> None:
    client, _ = login(app, "donglac")
    # Overview asked for another commune: answered with its own unit instead.
    res = callback(client, app, ["ov-content"], {"ov-period": "2025-Q1", "ov-units": [OTHER]})
    text = body_text(res)
    assert res.status_code == 200 and OWN_NAME in text and OTHER_NAME not in text
    # The district totals are allowed.
    res = callback(client, app, ["ov-content"], {"ov-period": "2025-Q1", "ov-units": []})
    assert "Nam Sách" in body_text(res)
    # Unit page of another unit: nothing.
    res = callback(client, app, ["un-content"], {"un-period": "2025-Q1", "un-unit": OTHER})
    assert "không có số liệu" in body_text(res) and OTHER_NAME not in body_text(res)
    # League: its own row (with its rank), no other unit.
    res = callback(client, app, ["lg-content"], {"lg-period": "2025-Q1", "lg-group": "xa"})
    text = body_text(res)
    assert OWN_NAME in text and OTHER_NAME not in text
    # Below-target list: its own rows only.
    res = callback(client, app, ["ex-content"], {"ex-period": "2025-Q1", "ex-min-run": 0})
    assert OTHER_NAME not in body_text(res)
    # Pages it may not use at all: the import, the mail recipients, the meeting-room screen.
    assert callback(client, app, ["data-report"], {"data-upload": "x"}).status_code == 403
    res = callback(client, app, ["rc-message"], {"rc-add": 1}, {"rc-email": "x@y.vn"})
    assert res.status_code == 403
    res = callback(client, app, ["kiosk-slides"], {"kiosk-config": {"period": "2025-Q1"}})
    assert res.status_code == 403


def test_a_unit_not_of_the_period_names_the_units_that_hold_its_dossiers(app) -> None:
    client, _ = login(app, "vp")
    # Quốc Tuấn ended on 30/06/2025; a period across 1/7/2025 is reported on the new
    # communes, and Quốc Tuấn's dossiers count for Xã Trần Phú (reference data: 10621 -> 10633).
    res = callback(
        client, app, ["un-content"], {"un-period": "2025-06-03:2025-07-17", "un-unit": "10621"}
    )
    text = body_text(res)
    assert "Quốc Tuấn (10621, từ 01/12/2024) không phải đơn vị của kỳ báo cáo này" in text
    assert "được tính cho" in text and "Xã Trần Phú (10633, từ 01/07/2025)" in text
    assert "/don-vi?ky=2025-06-03%3A2025-07-17&ma=10633%402025-07-01" in text
    # Xã Trần Phú asked for in Q1/2024, before it existed: the units it was formed from.
    res = callback(
        client, app, ["un-content"], {"un-period": "2024-Q1", "un-unit": "10633@2025-07-01"}
    )
    text = body_text(res)
    assert "được thành lập từ 01/07/2025" in text
    for old in ("Nam Trung (10633, đến 30/11/2024)", "Nam Chính (10627)", "Quốc Tuấn (10624)"):
        assert old in text
    assert "/don-vi?ky=2024-Q1&ma=10633%401997-01-01" in text
    # A unit account never learns its successor's name this way: the same answer as before.
    unit_client, _ = login(app, "donglac")
    res = callback(unit_client, app, ["un-content"], {"un-period": "2025-Q3", "un-unit": OWN})
    text = body_text(res)
    assert "không có số liệu" in text and "Xã Nam Sách" not in text and "được tính cho" not in text


def test_pages_say_how_a_period_across_the_merger_is_counted(app) -> None:
    client, _ = login(app, "vp")
    crossing = "2025-06-03:2025-07-17"
    said = "Kỳ này gồm cả trước và sau 01/07/2025: số liệu được tính cho các đơn vị của Khu vực"
    league = {"lg-period": crossing, "lg-by": "", "lg-fields": [], "lg-group": "xa"}
    text = body_text(callback(client, app, ["lg-content"], league))
    assert said in text and "Xã Trần Phú" in text
    text = body_text(callback(client, app, ["ex-content"], {"ex-period": crossing}))
    assert said in text
    unit = {"un-period": crossing, "un-unit": "10633@2025-07-01"}
    text = body_text(callback(client, app, ["un-content"], unit))
    assert said in text and "Xã Trần Phú" in text
    # Within one era: no note.
    q1 = body_text(callback(client, app, ["lg-content"], league | {"lg-period": "2025-Q1"}))
    assert "Kỳ này gồm cả trước và sau" not in q1 and "Nam Tân" in q1
    # The five communes of Khu vực Nam Sách have no district departments to rank.
    departments = league | {"lg-period": "2025-Q3", "lg-group": "phong"}
    text = body_text(callback(client, app, ["lg-content"], departments))
    assert "Phạm vi theo dõi của kỳ này không có phòng chuyên môn." in text
    assert "xep-hang.xlsx" not in text  # no download of an empty table
    text = body_text(callback(client, app, ["lg-content"], departments | {"lg-period": "2025-Q1"}))
    assert "Phòng Nông nghiệp và Môi trường" in text and "không có phòng chuyên môn" not in text


def test_unit_user_downloads_are_narrowed(app) -> None:
    client, _ = login(app, "donglac")
    # Another unit asked for by a forged link: refused, said why, never another file instead
    # (issue 24: the chart, the tables and the reports gave its own unit's or the totals).
    for path in (
        f"/xuat/bang/ho-so.csv?ky=2025-Q1&ma={OTHER}",
        f"/xuat/bieu-do/online_payment.png?ky=2025-Q1&don_vi={OTHER}",
        f"/xuat/bang/chi-so.xlsx?ky=2025-Q1&don_vi={OTHER}",
        f"/xuat/canh-bao.xlsx?ngay=2025-06-20&don_vi={OTHER}",
        f"/xuat/bao-cao-ket-qua.docx?ky=2025-Q1&don_vi={OTHER}",
    ):
        res = client.get(path)
        assert res.status_code == 403, path
        assert "chỉ tải được số liệu của đơn vị mình" in res.data.decode(), path
    own = client.get(f"/xuat/bang/ho-so.csv?ky=2025-Q1&ma={OWN}")
    assert own.status_code == 200
    league = client.get("/xuat/bang/xep-hang.csv?ky=2025-Q1").data.decode("utf-8-sig")
    assert OWN_NAME in league and OTHER_NAME not in league
    units = client.get("/xuat/bang/chi-so.csv?ky=2025-Q1").data.decode("utf-8-sig")
    assert OWN_NAME in units and "Nam Sách" in units and OTHER_NAME not in units
    svg = client.get(f"/xuat/bieu-do/online_payment.svg?ky=2025-Q1&don_vi={OWN}")
    assert OTHER_NAME not in svg.data.decode() and OWN_NAME in svg.data.decode()
    assert client.get("/xuat/bao-cao.zip?ky=2025-Q1").status_code == 403
    assert client.get("/xuat/cong-van.docx?ky=2025-Q1").status_code == 403
    assert client.get("/xuat/bao-cao/0123abcd.zip").status_code == 403
    # Biểu 06: its own unit's row and that total; no rows by field (those are the scope's).
    form = openpyxl.load_workbook(io.BytesIO(client.get("/xuat/bieu-06.xlsx?ky=2025-Q1").data))
    assert form.sheetnames == ["Theo đơn vị"]
    names = [r[1] for r in form["Theo đơn vị"].iter_rows(min_row=12, values_only=True) if r[1]]
    assert names[:2] == [OWN_NAME, "Tổng cộng"]
    # The report in words: the scope's totals, no other unit named.
    words = client.get("/xuat/bao-cao-ket-qua.docx?ky=2025-Q1")
    text = "\n".join(p.text for p in Document(io.BytesIO(words.data)).paragraphs)
    assert "Trong quý I/2025, Huyện Nam Sách tiếp nhận" in text
    assert OTHER_NAME not in text
    office, _ = login(app, "vp")
    office_text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(office.get("/xuat/bao-cao-ket-qua.docx?ky=2025-Q1").data)
        ).paragraphs
    )
    assert OTHER_NAME in office_text  # the office's names every unit below target


def test_a_unit_account_sees_only_its_own_warning_list(app) -> None:
    import io

    import openpyxl

    day = "ngay=2025-06-20"
    office, _ = login(app, "vp")
    whole = openpyxl.load_workbook(io.BytesIO(office.get(f"/xuat/canh-bao.xlsx?{day}").data))
    own_rows = [r for r in whole[OWN_NAME].iter_rows(min_row=4, values_only=True) if r[1]]
    other_rows = [r for r in whole[OTHER_NAME].iter_rows(min_row=4, values_only=True) if r[1]]
    assert own_rows and other_rows  # the demo has open dossiers in both that day
    client, _ = login(app, "donglac")
    res = client.get(f"/xuat/canh-bao.xlsx?{day}")
    assert res.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(res.data))
    assert book.sheetnames == [OWN_NAME]  # its own list, nothing else
    rows = [r for r in book[OWN_NAME].iter_rows(min_row=4, values_only=True) if r[1]]
    assert rows == own_rows
    # Asking for another unit gives nothing of it: the file is refused, the page narrowed.
    assert client.get(f"/xuat/canh-bao.xlsx?{day}&don_vi={OTHER}").status_code == 403
    page = callback(
        client, app, ["cb-content"], {"cb-as-of": "2025-06-20", "cb-units": [], "cb-days": 2}
    )
    text = body_text(page)
    assert OWN_NAME in text and OTHER_NAME not in text
    assert other_rows[0][1] not in text and own_rows[0][1] in text  # dossier codes


def test_office_user_downloads_everything(app) -> None:
    client, _ = login(app, "vp")
    league = client.get("/xuat/bang/xep-hang.csv?ky=2025-Q1").data.decode("utf-8-sig")
    assert OWN_NAME in league and OTHER_NAME in league
    assert client.get("/xuat/cong-van.docx?ky=2025-Q1").status_code == 200


def test_display_token_opens_only_the_meeting_room_screen(app) -> None:
    client = app.server.test_client()
    res = client.get(f"/trinh-chieu?token={app.display_token}&ky=2025-Q1")
    assert res.status_code == 302 and res.headers["Location"] == "/trinh-chieu?ky=2025-Q1"
    assert client.get("/trinh-chieu").status_code == 200
    assert client.get("/").status_code == 403
    assert client.get("/don-vi").status_code == 403
    res = callback(client, app, ["kiosk-slides"], {"kiosk-config": {"period": "2025-Q1"}})
    assert res.status_code == 200 and OTHER_NAME in body_text(res)
    res = callback(client, app, ["ov-content"], {"ov-period": "2025-Q1", "ov-units": []})
    assert res.status_code == 403
    bad = app.server.test_client().get("/trinh-chieu?token=khong-dung")
    assert bad.status_code == 403
    with create_engine(app.db_url).begin() as conn:
        accounts.revoke_display_token(conn, "Phòng họp")
    assert client.get("/trinh-chieu").status_code == 302  # revoked: back to the login


@pytest.mark.parametrize(
    "inputs",
    [
        {"ov-period": "2025-Q1", "ov-units": "10657"},
        {"ov-period": "2025-Q1", "ov-units": {"$ne": 1}},
        {"ov-period": ["2025-Q1"], "ov-units": []},
        {"ov-period": "2025-Q1'; DROP TABLE units; --", "ov-units": []},
        {"ov-period": "2025-Q1", "ov-units": [str(i) for i in range(20000)]},
        {"ov-period": "2025-Q1", "ov-fields": [{"x": 1}]},
    ],
)
def test_forged_payloads_get_a_4xx_or_a_safe_answer_never_a_500(app, inputs: dict) -> None:
    client, _ = login(app, "vp")
    res = callback(client, app, ["ov-content"], inputs)
    assert res.status_code in (200, 204, 400)
    assert "Traceback" not in res.data.decode(errors="replace")


def test_unknown_callback_ids_get_a_4xx(app) -> None:
    client, _ = login(app, "vp")
    body = {
        "output": "khong-co.children",
        "outputs": {"id": "khong-co", "property": "children"},
        "inputs": [],
        "changedPropIds": [],
    }
    assert client.post("/_dash-update-component", json=body).status_code in (400, 403)


@pytest.mark.parametrize("user", ["ld", "vp", "donglac", "display"])
def test_every_callback_answers_each_role_as_its_page_allows(app, user: str) -> None:
    from dashboard.web import access

    if user == "display":
        client = app.server.test_client()
        with create_engine(app.db_url).begin() as conn:
            token = accounts.new_display_token(conn, "Phòng họp kiểm tra")
        client.get(f"/trinh-chieu?token={token}")
        role = "man_hinh"
    else:
        client, _ = login(app, user)
        role = {"ld": "lanh_dao", "vp": "van_phong", "donglac": "don_vi"}[user]
    office, _ = login(app, "ld", address="10.0.0.3")
    deps = json.loads(office.get("/_dash-dependencies").data)
    pages = set()
    for dep in deps:
        if dep.get("clientside_function"):
            continue  # runs in the browser, never reaches the server
        parts = dep["output"].strip(".").split("...")
        outputs = [
            {"id": p.split(".")[0], "property": p.split(".")[1].split("@")[0]} for p in parts
        ]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [dict(i, value=None) for i in dep["inputs"]],
            "state": [dict(s, value=None) for s in dep["state"]],
            "changedPropIds": [],
        }
        if outputs[0]["id"] == "_pages_content":  # the router: ask for a page the role may open
            home = "/trinh-chieu" if role == "man_hinh" else "/"
            for item in body["inputs"]:
                if item["property"] == "pathname":
                    item["value"] = home
        res = client.post("/_dash-update-component", json=body)
        allowed = access.callback_allowed(access.Scope(role), [o["id"] for o in outputs])
        if allowed:
            assert res.status_code in (200, 204, 400), (dep["output"], res.status_code)
        else:
            assert res.status_code == 403, (dep["output"], res.status_code)
        pages.add(outputs[0]["id"].split("-")[0])
    # Every page's server callbacks were asked (url: the league's click-through).
    from dashboard.web.pages import PAGES

    expected = {p.prefix.rstrip("-") for p in PAGES} | {"shell", "url", "_pages_content"}
    assert {"ov", "lg", "un", "ex", "cb", "data", "rc", "kiosk"} <= expected
    assert pages == expected
    # The router asked to draw a page the role may not open is refused.
    router = next(d for d in deps if d["output"].startswith(".._pages_content."))
    forbidden_page = "/du-lieu" if role in ("don_vi", "man_hinh") else None
    if forbidden_page:
        parts = router["output"].strip(".").split("...")
        body = {
            "output": router["output"],
            "outputs": [{"id": p.split(".")[0], "property": p.split(".")[1]} for p in parts],
            "inputs": [
                dict(i, value=forbidden_page if i["property"] == "pathname" else "")
                for i in router["inputs"]
            ],
            "state": [],
            "changedPropIds": [],
        }
        assert client.post("/_dash-update-component", json=body).status_code == 403


def test_a_record_names_the_logged_in_person_not_a_typed_name(app) -> None:
    from sqlalchemy import select

    from data_access.models import Explanation, ExplanationEvent

    client, _ = login(app, "donglac")
    engine = create_engine(app.db_url)
    miss = next(
        m for m in standing.below_target(engine, parse_period("2025-Q1")) if m.unit.code == OWN
    )
    chosen = {"period": "2025-Q1", "unit_id": miss.unit.id, "indicator": miss.indicator.key}
    res = callback(
        client,
        app,
        ["ex-message", "ex-saved"],
        {"ex-save": 1},
        {
            "ex-selected": chosen,
            "ex-period": "2025-Q1",
            "ex-status": "submitted",
            "ex-text": "Đã hướng dẫn người dân.",
            "ex-plan": "",
            "ex-deadline": "",
            "ex-author": "Người Khác",
            "ex-saved": 0,
        },
    )
    assert "Đã lưu" in body_text(res)
    with engine.connect() as conn:
        authors = (
            conn.execute(
                select(ExplanationEvent.author)
                .join(Explanation, Explanation.id == ExplanationEvent.explanation_id)
                .where(Explanation.unit_id == miss.unit.id)
                .order_by(ExplanationEvent.id)
            )
            .scalars()
            .all()
        )
    assert authors[-1] == "Nguyễn Văn Lạc"


def test_the_766_page_tells_a_unit_account_and_never_shows_another_unit(app) -> None:
    client, _ = login(app, "donglac", address="10.0.0.21")
    # The URL asks for another unit: it is said, and the page opens on the account's own.
    res = callback(
        client,
        app,
        ["s7-period", "s7-notice"],
        {"s7-period": None},
        {"url": f"?ky=2025-Q1&ma={OTHER}"},
    )
    assert res.status_code == 200
    text = body_text(res)
    assert f"không xem được đơn vị mã «{OTHER}»" in text
    assert json.loads(res.data)["response"]["s7-unit"]["value"] == OWN
    # A forged content request for the other unit: the scope's figures, not the unit's.
    res = callback(client, app, ["s7-content"], {"s7-period": "2025-Q1", "s7-unit": OTHER})
    assert res.status_code == 200 and OTHER_NAME not in body_text(res)
    # An unknown code: said, not a blank page.
    res = callback(client, app, ["s7-content"], {"s7-period": "2025-Q1", "s7-unit": "99999"})
    assert res.status_code == 200
    assert "Đơn vị mã «99999» không có số liệu trong kỳ này" in body_text(res)
