"""The data page in real Chromium: upload an export, read the report, confirm, see it listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.settings import Settings
from dashboard.web.app import create_app
from data_access.db import make_engine
from data_access.models import Dossier
from tests.browser.conftest import non_local, requested_urls
from tests.importer.files import csv_bytes
from tests.importer.test_load import GOOD
from tests.serving import free_port

pytestmark = pytest.mark.browser


def test_upload_validate_then_confirm(dash_duo, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    app = create_app(Settings(database_url=url, instance_dir=tmp_path, demo_on_empty=False))
    rows = [list(r) for r in GOOD]
    rows[4][11] = "Bay màu"  # one bad row
    export = tmp_path / "ho-so-dong-lac.csv"
    export.write_bytes(csv_bytes(rows))

    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.set_window_size(1366, 1400)  # an office laptop, tall enough for the form
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/du-lieu")
    dash_duo.wait_for_element("#data-upload input[type=file]").send_keys(str(export))
    dash_duo.wait_for_contains_text("#data-report", "Kiểm tra xong", timeout=20)
    report = dash_duo.find_element("#data-report").text
    assert "mới 4" in report and "lỗi 1" in report
    assert "Dòng 8, cột «Trạng thái», giá trị «Bay màu»" in report
    engine = make_engine(url)
    with engine.connect() as conn:  # nothing written before confirmation
        assert conn.execute(select(func.count()).select_from(Dossier)).scalar() == 0

    # With an error, the button waits and says why in words; no command-line flag anywhere.
    confirm = dash_duo.find_element("#data-confirm")
    assert not confirm.is_enabled()
    dash_duo.wait_for_contains_text("#data-hint", "Tệp có 1 dòng lỗi", timeout=10)
    assert "--" not in dash_duo.find_element("#page").text
    # Ticking "valid rows only" offers exactly that, with the counts.
    dash_duo.find_element("label[for=data-partial]").click()
    dash_duo.wait_for_text_to_equal("#data-confirm", "Nhập 4 dòng hợp lệ, bỏ 1 dòng lỗi")
    assert confirm.is_enabled()
    confirm.click()
    dash_duo.wait_for_contains_text("#data-result", "Đã nhập các dòng hợp lệ", timeout=20)
    dash_duo.wait_for_contains_text(".imports-table", "ho-so-dong-lac.csv", timeout=10)
    assert "Đã nhập phần hợp lệ" in dash_duo.find_element(".imports-table").text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Dossier)).scalar() == 4
    dash_duo.wait_for_contains_text(".freshness-table", "10/03/2025", timeout=10)
    freshness = dash_duo.find_element(".freshness-table").text
    assert "10657 Đồng Lạc 01/01/1997 – 30/06/2025 4 10/03/2025" in freshness  # HS-004
    # Done: the button rests. The same file can be chosen again and is checked again (its
    # four rows are in now: nothing new to import).
    dash_duo.wait_for_text_to_equal("#data-confirm", "Xác nhận nhập")
    assert not confirm.is_enabled()
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(export))
    dash_duo.wait_for_contains_text("#data-report", "không đổi 4", timeout=20)
    dash_duo.wait_for_contains_text("#data-hint", "Không có dòng nào mới", timeout=10)
    # One import in the list: nothing refused was logged on the way.
    rows = dash_duo.find_elements(".imports-table tbody tr")
    assert len(rows) == 1
    assert dash_duo.get_logs() == []
    assert non_local(requested_urls(dash_duo.driver)) == []
