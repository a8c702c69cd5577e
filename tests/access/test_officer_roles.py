"""Who may see officer figures (docs/officers.md), on every surface: the tab's callbacks
(forged as a browser would send them), the download, and the dossiers behind a number.
The office sees every unit's officers; a unit account its own unit's; an officer account its
own row; leadership step kinds only, unless TTHC_OFFICER_NAMES_ON_WALL is on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access import accounts
from tests.access.test_roles import PASSWORD, body_text, callback, login

OWN, OTHER, PERIOD = "10606", "10642", "2026-Q3"  # communes of the two-tier map, demo data


def _officers_of(url: str, code: str) -> list[tuple[int, str]]:
    with create_engine(url).connect() as conn:
        return [
            (int(i), n)
            for i, n in conn.execute(
                text(
                    "SELECT o.id, o.name FROM officers o JOIN units u ON u.id = o.unit_id "
                    "WHERE u.code = :c ORDER BY o.name"
                ),
                {"c": code},
            )
        ]


def _app(demo_url: str, folder: Path, names_on_wall: bool):
    db = folder / "demo.sqlite3"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), db)
    url = f"sqlite:///{db}"
    me = _officers_of(url, OWN)[0][1]
    with create_engine(url).begin() as conn:
        accounts.add_user(conn, "ld", PASSWORD, "lanh_dao")
        accounts.add_user(conn, "vp", PASSWORD, "van_phong")
        accounts.add_user(conn, "xa", PASSWORD, "don_vi", unit=OWN)
        accounts.add_user(conn, "cb", PASSWORD, "can_bo", unit=OWN, officer=me.upper())
        token = accounts.new_display_token(conn, "Phòng họp")
    settings = Settings(
        database_url=url,
        instance_dir=folder,
        demo_on_empty=False,
        officer_names_on_wall=names_on_wall,
    )
    application = create_app(settings)
    application.db_url = url
    application.me = me
    application.display_token = token
    return application


@pytest.fixture(scope="module")
def app(demo_url: str, tmp_path_factory: pytest.TempPathFactory):
    return _app(demo_url, tmp_path_factory.mktemp("officer-roles"), names_on_wall=False)


def _download(app, user: str, code: str, by: str = "officer"):
    client, _ = login(app, user)
    return client.get(f"/xuat/can-bo.csv?ky={PERIOD}&ma={code}&theo={by}")


def _names(csv_text: str) -> set[str]:
    lines = csv_text.lstrip("\ufeff").splitlines()[1:]
    return {line.split(",")[1] for line in lines}


def test_the_office_sees_every_units_officers(app) -> None:
    for code in (OWN, OTHER):
        res = _download(app, "vp", code)
        assert res.status_code == 200
        names = _names(res.data.decode("utf-8"))
        assert {n for _, n in _officers_of(app.db_url, code)} & names


def test_a_unit_account_sees_its_own_officers_and_never_another_units(app) -> None:
    own = _download(app, "xa", OWN)
    assert own.status_code == 200
    assert app.me in own.data.decode("utf-8")
    other = _download(app, "xa", OTHER)
    assert other.status_code == 403
    assert "Không có quyền" in other.data.decode("utf-8")
    client, _ = login(app, "xa")
    forged = callback(
        client,
        app,
        ["un-off-table"],
        {"un-period": PERIOD, "un-unit": OTHER, "un-off-by": "officer",
         "un-tabs": "un-tab-officers"},
    )  # fmt: skip
    text_ = body_text(forged)
    assert "không được xem" in text_
    assert not [n for _, n in _officers_of(app.db_url, OTHER) if n in text_]


def test_an_officer_account_sees_only_its_own_row(app) -> None:
    res = _download(app, "cb", OWN)
    assert res.status_code == 200
    assert _names(res.data.decode("utf-8")) == {app.me}
    assert _download(app, "cb", OTHER).status_code == 403
    client, _ = login(app, "cb")
    assert client.get("/").status_code == 403  # its one page is the unit page
    others = [(i, n) for i, n in _officers_of(app.db_url, OWN) if n != app.me]
    forged = _click(client, app, str(others[0][0]))
    assert "Không có số liệu này cho tài khoản này" in body_text(forged)
    mine = next(str(i) for i, n in _officers_of(app.db_url, OWN) if n == app.me)
    assert "dossier-timeline" in body_text(_click(client, app, mine))


def _click(client, app, row_id: str):
    """The request a click on a count of the officer table sends (forged for another row)."""
    import json

    office, _ = login(app, "vp", address="10.0.0.3")
    deps = json.loads(office.get("/_dash-dependencies").data)
    dep = next(d for d in deps if d["inputs"][0]["id"] == "un-off-grid")
    state = {"un-period": PERIOD, "un-unit": OWN, "un-off-by": "officer", "un-off-grid": []}
    body = {
        "output": dep["output"],
        "outputs": {"id": "un-off-detail", "property": "children"},
        "inputs": [dict(dep["inputs"][0], value={"colId": "handled", "rowId": row_id})],
        "state": [dict(s, value=state.get(s["id"])) for s in dep["state"]],
        "changedPropIds": ["un-off-grid.cellClicked"],
    }
    return client.post("/_dash-update-component", json=body)


def test_leadership_sees_step_kinds_not_names(app) -> None:
    assert _download(app, "ld", OWN).status_code == 403
    kinds = _download(app, "ld", OWN, "kind")
    assert kinds.status_code == 200
    assert "Thẩm định, xử lý" in kinds.data.decode("utf-8")
    client, _ = login(app, "ld")
    forged = callback(
        client,
        app,
        ["un-off-table"],
        {"un-period": PERIOD, "un-unit": OWN, "un-off-by": "officer",
         "un-tabs": "un-tab-officers"},
    )  # fmt: skip
    assert app.me not in body_text(forged)
    assert "chỉ xem số liệu theo bước xử lý" in body_text(forged)


def test_the_office_may_allow_names_for_leadership(demo_url: str, tmp_path) -> None:
    app = _app(demo_url, tmp_path, names_on_wall=True)
    res = _download(app, "ld", OWN)
    assert res.status_code == 200 and app.me in res.data.decode("utf-8")


def test_the_meeting_room_screen_gets_step_kinds_never_names(app) -> None:
    client = app.server.test_client()
    assert client.get(f"/trinh-chieu?token={app.display_token}").status_code == 302
    names = client.get(f"/xuat/can-bo.csv?ky={PERIOD}&ma={OWN}&theo=officer")
    assert names.status_code == 403 and app.me not in names.data.decode("utf-8")
    kinds = client.get(f"/xuat/can-bo.csv?ky={PERIOD}&ma={OWN}&theo=kind")
    assert kinds.status_code == 200 and app.me not in kinds.data.decode("utf-8")
    forged = callback(
        client,
        app,
        ["un-off-table"],
        {"un-period": PERIOD, "un-unit": OWN, "un-off-by": "kind", "un-tabs": "un-tab-officers"},
    )
    assert forged.status_code == 403  # the unit page is not the screen's
    assert app.me not in body_text(forged)


def _save_target(client, app, unit: str):
    """The request the tab's "Giao chỉ tiêu" button sends (forged for any unit)."""
    import json

    office, _ = login(app, "vp", address="10.0.0.3")
    deps = json.loads(office.get("/_dash-dependencies").data)
    dep = next(d for d in deps if d["inputs"][0]["id"] == "un-off-t-save")
    state = {"un-period": PERIOD, "un-unit": unit, "un-off-t-measure": "overdue",
             "un-off-t-value": "0", "un-off-t-whom": "*", "un-off-t-from": "01/07/2025",
             "un-off-t-source": "Chỉ thị kiểm tra"}  # fmt: skip
    body = {
        "output": dep["output"],
        "outputs": {"id": "un-off-t-result", "property": "children"},
        "inputs": [dict(dep["inputs"][0], value=1)],
        "state": [dict(s, value=state.get(s["id"])) for s in dep["state"]],
        "changedPropIds": ["un-off-t-save.n_clicks"],
    }
    return body_text(client.post("/_dash-update-component", json=body))


def test_a_unit_sets_targets_for_its_own_officers_only(app) -> None:
    unit_client, _ = login(app, "xa")
    assert "Đã đặt chỉ tiêu" in _save_target(unit_client, app, OWN)
    assert "không được xem" in _save_target(unit_client, app, OTHER)
    officer_client, _ = login(app, "cb")
    assert "Đã đặt chỉ tiêu" not in _save_target(officer_client, app, OWN)
    office_client, _ = login(app, "vp")
    assert "Đã đặt chỉ tiêu" in _save_target(office_client, app, OTHER)
    with create_engine(app.db_url).connect() as conn:
        rows = conn.execute(text("SELECT u.code FROM officer_targets t JOIN units u "
                                 "ON u.id = t.unit_id ORDER BY t.id")).all()  # fmt: skip
    assert [r[0] for r in rows] == [OWN, OTHER]
