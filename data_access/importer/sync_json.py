"""Read the national sync format (.json) into the same tables as an export: a dossier table
and a history table, each with a header row the import mapping knows.

Shapes (docs/importing.md): `{"service": "DongBoHoSoMC", "data": [dossier, …]}`,
`{"service": "CapNhatTienDoHoSoMC", "data": [step, …]}`, dossiers carrying their steps in
`QuaTrinhXuLy`, or a bare list of either. Values are turned into the cells an export would
have (a fee list into "Có"/"Không", a refusal time into the finish time of a dossier not
accepted); checking them is the validator's job, with the same messages as for a sheet.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from data_access.importer.reader import FileRefused, RawTable

# Dossier cells: (header the mapping knows, how to get the value from a dossier object).
_YES, _NO = "Có", "Không"


def _s(value: Any) -> str:
    """A scalar as text (numbers as written); a list or object as its JSON (the validator
    then says what is wrong with it)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return json.dumps(value, ensure_ascii=False)[:300]


def _items(value: Any) -> list:
    return value if isinstance(value, list) else []


def _any_flag(items: Any, key: str) -> str:
    return (
        _YES if any(isinstance(i, dict) and _s(i.get(key)) == "1" for i in _items(items)) else _NO
    )


def _supplements(d: dict) -> str:
    """How often supplements were asked: the steps of the dossier's own history that left it
    waiting for them (status 5), else once when it names a request day; "" when unknown."""
    asked = sum(
        1
        for step in _items(d.get("QuaTrinhXuLy"))
        if isinstance(step, dict) and _s(step.get("TrangThai")) == "5"
    )
    if asked:
        return str(asked)
    return "1" if _s(d.get("NgayYeuCauBoSung")) else ""


def _fee(items: Any) -> str:
    """A fee list with a price above 0 is a fee; an unreadable price is shown as it is."""
    for item in _items(items):
        if not isinstance(item, dict):
            continue
        price = _s(item.get("Gia")).replace(".", "").replace(",", "").replace(" ", "")
        if price.isdigit() and int(price) > 0:
            return _YES
        if price and not price.isdigit():
            return _s(item.get("Gia"))
    return _NO


def _paid(value: Any) -> str:
    # 1: the national payment platform, 2: the provincial gateway; 0 or empty: not online.
    return _YES if _s(value) in ("1", "2") else _NO


def _finished(d: dict) -> str:
    finished = _s(d.get("NgayKetThucXuLy"))
    if not finished and _s(d.get("TrangThaiHoSo")) == "3":
        finished = _s(d.get("NgayTuChoi"))  # not accepted: the refusal is its first answer
    return finished


DOSSIER_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("Mã hồ sơ", lambda d: _s(d.get("MaHoSo"))),
    ("Đơn vị", lambda d: _s(d.get("DonViXuLy"))),
    ("Mã thủ tục", lambda d: _s(d.get("MaTTHC"))),
    ("Tên thủ tục", lambda d: _s(d.get("TenTTHC"))),
    ("Lĩnh vực", lambda d: _s(d.get("TenLinhVuc")) or _s(d.get("MaLinhVuc"))),
    ("Kênh thực hiện", lambda d: _s(d.get("KenhThucHien"))),
    ("Ngày nộp", lambda d: _s(d.get("NgayNopHoSo"))),
    ("Ngày tiếp nhận", lambda d: _s(d.get("NgayTiepNhan"))),
    ("Ngày hẹn trả", lambda d: _s(d.get("NgayHenTra"))),
    ("Ngày kết thúc xử lý", _finished),
    ("Ngày trả kết quả", lambda d: _s(d.get("NgayTra"))),
    ("Trạng thái", lambda d: _s(d.get("TrangThaiHoSo"))),
    ("Ngày yêu cầu bổ sung", lambda d: _s(d.get("NgayYeuCauBoSung"))),
    ("Có phí, lệ phí", lambda d: _fee(d.get("DanhSachLePhi"))),
    ("Thanh toán trực tuyến", lambda d: _paid(d.get("DuocThanhToanTrucTuyen"))),
    ("Số hóa hồ sơ", lambda d: _YES if _s(d.get("HoSoCoThanhPhanSoHoa")) == "1" else _NO),
    ("Kết quả điện tử", lambda d: _YES if _items(d.get("DanhSachGiayToKetQua")) else _NO),
    ("Tái sử dụng dữ liệu", lambda d: _any_flag(d.get("TaiLieuNop"), "DuocTaiSuDung")),
    ("Lấy từ kho dữ liệu quốc gia", lambda d: _any_flag(d.get("TaiLieuNop"), "DuocLayTuKhoDMQG")),
    (
        "Xác thực VNeID",
        lambda d: _YES if _s(d.get("TaiKhoanDuocXacThucVoiVNeID")) == "1" else _NO,
    ),
    ("Số lần yêu cầu bổ sung", lambda d: _supplements(d)),
)
STEP_KEYS: tuple[tuple[str, str], ...] = (
    ("MaHoSo", "Mã hồ sơ"),
    ("NguoiXuLy", "Người xử lý"),
    ("TaiKhoanXuLy", "Tài khoản xử lý"),
    ("ChucDanh", "Chức danh"),
    ("PhongBanXuLy", "Phòng ban xử lý"),
    ("NoiDungXuLy", "Nội dung xử lý"),
    ("ThoiDiemXuLy", "Thời điểm xử lý"),
    ("TrangThai", "Trạng thái"),
    ("NgayBatDau", "Ngày bắt đầu"),
    ("NgayKetThucTheoQuyDinh", "Hạn xử lý của bước"),
)
_STEP_ONLY = ("NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TaiKhoanXuLy")
_DOSSIER_ONLY = ("NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "MaTTHC", "TenTTHC", "DonViXuLy")


def _table(header: list[str], rows: list[list[str]], numbers: list[int], kind: str) -> RawTable:
    cells = np.empty((len(rows) + 1, len(header)), dtype=object)
    cells[0] = header
    if rows:
        cells[1:] = rows
    return RawTable(cells, [0, *numbers], kind)


def _is_step(item: dict) -> bool:
    return any(k in item for k in _STEP_ONLY) and not any(k in item for k in _DOSSIER_ONLY)


def read_sync_json(data: bytes, limits: dict) -> RawTable:
    """The dossiers (row numbers: their place in the list) with the steps as `history` (row
    numbers: the step's place among the file's steps); FileRefused for anything else."""
    max_bytes = limits.get("max_json_mb", limits["max_file_mb"]) * 1024 * 1024
    if len(data) > max_bytes:
        raise FileRefused(
            f"Tệp .json {len(data) / 1048576:.1f} MB".replace(".", ",")
            + f" vượt giới hạn {max_bytes // 1048576} MB."
        )
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRefused("Tệp .json không phải văn bản UTF-8.") from None
    except RecursionError:
        raise FileRefused("Tệp .json lồng nhau quá sâu: không phải tệp đồng bộ hồ sơ.") from None
    except json.JSONDecodeError as exc:
        raise FileRefused(
            f"Tệp .json hỏng ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}."
        ) from None
    service = ""
    if isinstance(body, dict):
        service = _s(body.get("service"))
        items = body.get("data")
        if not isinstance(items, list):
            raise FileRefused(
                "Tệp .json không có danh sách «data»: cần dạng đồng bộ DongBoHoSoMC hoặc "
                "CapNhatTienDoHoSoMC, hoặc một danh sách hồ sơ."
            )
    elif isinstance(body, list):
        items = body
    else:
        raise FileRefused("Tệp .json không chứa danh sách hồ sơ hay bước xử lý.")
    objects = [i for i in items if isinstance(i, dict)]
    if len(objects) != len(items):
        raise FileRefused(
            f"Tệp .json có {len(items) - len(objects)} phần tử không phải đối tượng "
            "(cần mỗi hồ sơ, mỗi bước là một đối tượng {…})."
        )
    if len(objects) > limits["max_rows"]:
        raise FileRefused(f"Tệp có hơn {limits['max_rows']:,} hồ sơ.".replace(",", "."))
    steps_only = service == "CapNhatTienDoHoSoMC" or (
        service != "DongBoHoSoMC" and bool(objects) and all(_is_step(o) for o in objects)
    )
    step_rows: list[list[str]] = []
    dossier_rows: list[list[str]] = []
    if steps_only:
        step_rows = [[_s(o.get(k)) for k, _ in STEP_KEYS] for o in objects]
    else:
        for o in objects:
            dossier_rows.append([get(o) for _, get in DOSSIER_COLUMNS])
            history = o.get("QuaTrinhXuLy")
            if history is None:
                continue
            code = _s(o.get("MaHoSo"))
            for step in _items(history):
                if not isinstance(step, dict):
                    raise FileRefused(
                        f"Hồ sơ {code}: «QuaTrinhXuLy» có phần tử không phải đối tượng bước."
                    )
                row = [_s(step.get(k)) for k, _ in STEP_KEYS]
                row[0] = row[0] or code  # a dossier's own steps may leave MaHoSo out
                step_rows.append(row)
                if len(step_rows) > limits.get("max_steps", 4_000_000):
                    raise FileRefused("Tệp có quá nhiều bước xử lý.")
    history_table = (
        _table([h for _, h in STEP_KEYS], step_rows, list(range(1, len(step_rows) + 1)), "json")
        if step_rows or steps_only
        else None
    )
    if steps_only:
        table = RawTable(np.empty((0, 0), dtype=object), [], "json")
    else:
        table = _table(
            [h for h, _ in DOSSIER_COLUMNS],
            dossier_rows,
            list(range(1, len(dossier_rows) + 1)),
            "json",
        )
    table.history = history_table
    return table
