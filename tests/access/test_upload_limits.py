"""The data page checks one file at a time and keeps only what waits for its confirmation:
a second file while one is checked is told to wait (no server thread held), a newer file
replaces the older one on disk, and control characters never reach the database."""

from __future__ import annotations

import base64
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access.importer.load import checkpoint_hook
from data_access.models import Dossier
from tests.access.test_sessions_live import json_text
from tests.importer.files import csv_bytes

ROW = [
    "1", "UP-1", "Xã Đồng Lạc", "1.001193.000.00.00.H23", "Đăng ký khai sinh", "Hộ tịch",
    "Trực tiếp", "", "10/03/2025 08:00", "11/03/2025 17:00", "11/03/2025 09:00",
    "Đã trả kết quả", "Không", "Không", "Không", "Không", "Không", "",
]  # fmt: skip


@pytest.fixture
def app(demo_url: str, tmp_path: Path):
    db = tmp_path / "up.sqlite3"
    shutil.copy(Path(demo_url.removeprefix("sqlite:///")), db)
    application = create_app(
        Settings(database_url=f"sqlite:///{db}", instance_dir=tmp_path, demo_on_empty=False)
    )
    application.db_url = f"sqlite:///{db}"
    return application


def _upload(client, data: bytes, name: str, previous: dict | None = None) -> dict:
    contents = "data:text/csv;base64," + base64.b64encode(data).decode()
    body = {
        "output": "..data-report.children...data-found.data...data-rejected-button.disabled..."
        "data-result.children@" + "x...data-upload-box.children..",
        "outputs": [],
        "inputs": [{"id": "data-upload", "property": "contents", "value": contents}],
        "state": [
            {"id": "data-upload", "property": "filename", "value": name},
            {"id": "data-found", "property": "data", "value": previous},
        ],
        "changedPropIds": ["data-upload.contents"],
    }
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["inputs"][0]["id"] == "data-upload")
    body["output"] = dep["output"]
    body["outputs"] = [
        {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
        for part in dep["output"].strip(".").split("...")
    ]
    res = client.post("/_dash-update-component", json=body)
    assert res.status_code == 200, res.data[:300]
    return res.get_json()["response"]


def test_one_file_is_checked_at_a_time(app, tmp_path: Path) -> None:
    held, go = threading.Event(), threading.Event()
    first: dict = {}

    def hold(stage: str) -> None:
        if stage == "read":
            held.set()
            go.wait(600)

    def check_first() -> None:
        with checkpoint_hook(hold):
            first["out"] = _upload(app.server.test_client(), csv_bytes([ROW]), "mot.csv")

    worker = threading.Thread(target=check_first)
    worker.start()
    try:
        assert held.wait(600), "the first check never read its file"
        second = _upload(app.server.test_client(), csv_bytes([ROW]), "hai.csv")
        assert "đang kiểm tra hoặc nhập một tệp khác" in json_text(second["data-report"])
        assert second["data-found"]["data"] is None
    finally:
        go.set()
        worker.join()
    assert first["out"]["data-found"]["data"]["valid"] == 1  # the first went on undisturbed
    # Only the first file waits on disk (the second was never kept).
    assert len(list((tmp_path / "uploads").glob("*.bin"))) == 1


def _confirm(client, found: dict) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["inputs"][0]["id"] == "data-confirm")
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
            for part in dep["output"].strip(".").split("...")
        ],
        "inputs": [{"id": "data-confirm", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": "data-found", "property": "data", "value": found},
            {"id": "data-partial", "property": "value", "value": False},
        ],
        "changedPropIds": ["data-confirm.n_clicks"],
    }
    res = client.post("/_dash-update-component", json=body)
    assert res.status_code == 200, res.data[:300]
    return res.get_json()["response"]


def test_a_newer_file_replaces_the_older_and_controls_are_dropped(app, tmp_path: Path) -> None:
    client = app.server.test_client()
    one = _upload(client, csv_bytes([ROW]), "mot.csv")["data-found"]["data"]
    # A NUL and an escape sequence past the first 4 KB (where a NUL means a binary file).
    rows = [[str(i), f"UP-{i}", *ROW[2:]] for i in range(1, 81)]
    rows.append(["81", "UP-\x0081\x1b[31m", *ROW[2:]])
    two = _upload(client, csv_bytes(rows), "hai.csv", previous=one)
    assert "Đã bỏ 2 ký tự điều khiển" in json_text(two["data-report"])
    found = two["data-found"]["data"]
    names = sorted(p.name for p in (tmp_path / "uploads").iterdir())
    assert names == sorted([f"{found['token']}.bin", f"{found['token']}.json"])  # one went
    assert "Đã nhập dữ liệu" in json_text(_confirm(client, found)["data-result"])
    with create_engine(app.db_url).connect() as conn:
        codes = set(conn.execute(select(Dossier.code).where(Dossier.code.like("UP-%"))).scalars())
    assert len(codes) == 81 and "UP-81[31m" in codes
    assert list((tmp_path / "uploads").iterdir()) == []
