"""Demo processing histories: every demo dossier received from 1/7/2025 (the commune as the
receiving unit) gets 3–5 steps by the 5–9 officers of its commune, some slower than others,
some steps with their own deadline, so the officer figures are alive out of the box.

Written through the import's own path (step_writer.write_histories), so the demo obeys the
same rules as an office's files.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from dashboard.domain import steps as rules
from dashboard.domain.worktime import WorkCalendar
from data_access.models import Dossier, table_of
from data_access.step_rollups import StepDelta
from data_access.step_writer import write_histories

SINCE = dt.datetime(2025, 7, 1)
D = table_of(Dossier)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
          "Lý", "Đinh", "Trịnh", "Phan"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quang", "Thanh", "Ngọc", "Hữu", "Hồng"]
GIVEN = ["Hùng", "Mai", "Sơn", "Hà", "Long", "Lan", "Tuấn", "Hương", "Dũng", "Hoa", "Nam",
         "Thảo", "Cường", "Linh", "Bình", "Yến", "Khánh", "Trang", "Phúc", "Hạnh"]  # fmt: skip
# (kind, title, department, what the step records)
RECEPTION = ("Công chức Bộ phận Một cửa", "Bộ phận Một cửa", "Tiếp nhận hồ sơ")
PROCESSING = [
    ("Công chức Tư pháp - Hộ tịch", "Văn phòng HĐND và UBND", "Thẩm định hồ sơ"),
    ("Công chức Địa chính - Xây dựng", "Phòng Kinh tế", "Thẩm định hồ sơ"),
    ("Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", "Xử lý hồ sơ"),
    ("Chuyên viên Văn phòng", "Văn phòng HĐND và UBND", "Thẩm định hồ sơ"),
]
SIGNING = [
    ("Chủ tịch UBND xã", "Lãnh đạo UBND", "Ký duyệt"),
    ("Phó Chủ tịch UBND xã", "Lãnh đạo UBND", "Ký duyệt"),
]
RETURN = "Trả kết quả"


def _staff(rng: random.Random, taken: set[str]) -> list[tuple[str, str, str, str, float]]:
    """A commune's officers: (name, title, department, content, slowness), 5 to 9 people."""

    def name() -> str:
        while True:
            n = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            if n not in taken:
                taken.add(n)
                return n

    people = [(name(), *RECEPTION, 1.0) for _ in range(rng.choice((1, 2)))]
    for title, dept, content in rng.sample(PROCESSING, rng.choice((2, 3, 4))):
        people.append((name(), title, dept, content, rng.choice((0.7, 1.0, 1.0, 1.6, 2.4))))
    for title, dept, content in SIGNING[: rng.choice((1, 2))]:
        people.append((name(), title, dept, content, rng.choice((0.8, 1.2))))
    while len(people) < 5:
        title, dept, content = rng.choice(PROCESSING)
        people.append((name(), title, dept, content, 1.0))
    return people


def add_demo_histories(
    conn: Connection,
    import_id: int,
    seed: int,
    cal: WorkCalendar | None = None,
    chunk: int = 100_000,
) -> int:
    """Histories for the demo dossiers of `import_id` received from 1/7/2025, written `chunk`
    dossiers at a time (millions for benchmarks); returns the number of steps written."""
    cal = cal or WorkCalendar()
    rows = conn.execute(
        select(D.c.id, D.c.unit_id, D.c.code, D.c.received_at, D.c.due_at, D.c.finished_at)
        .where(D.c.import_id == import_id, D.c.received_at >= SINCE)
        .order_by(D.c.id)  # the same histories on every database
    ).all()
    rng = random.Random(seed * 7919 + 26)
    staff: dict[int, list] = {}
    taken: set[str] = set()
    total = 0
    for k in range(0, len(rows), chunk):
        frame = _histories(rng, staff, taken, rows[k : k + chunk])
        delta = StepDelta(conn)
        write_histories(conn, frame, import_id, cal, delta, set())
        delta.apply()
        total += len(frame)
    return total


def _histories(
    rng: random.Random, staff: dict[int, list], taken: set[str], rows: Sequence[Any]
) -> pd.DataFrame:
    """The steps of these dossiers, as the import's checked history frame."""
    cols: dict[str, list] = {k: [] for k in ("dossier_id", "code", "officer", "title",
                                              "department", "content", "ended_at",
                                              "deadline_at")}  # fmt: skip
    for did, unit_id, code, received, due, finished in rows:
        people = staff.get(unit_id)
        if people is None:
            people = staff[unit_id] = _staff(rng, taken)
        for person, content, end, deadline in _steps(rng, people, received, due, finished):
            cols["dossier_id"].append(did)
            cols["code"].append(code)
            cols["officer"].append(person[0])
            cols["title"].append(person[1])
            cols["department"].append(person[2])
            cols["content"].append(content)
            cols["ended_at"].append(end)
            cols["deadline_at"].append(deadline)
    frame = pd.DataFrame(cols)
    n = len(frame)
    frame["_row"] = np.arange(1, n + 1)
    frame["unit"] = ""
    frame["account"] = ""
    frame["status"] = ""
    frame["key"] = [rules.officer_key(o) for o in frame["officer"]]
    kinds = {RECEPTION[2]: "tiep_nhan", RETURN: "tra_ket_qua", "Ký duyệt": "trinh_ky"}
    frame["kind"] = [kinds.get(c, "tham_dinh") for c in frame["content"]]
    for c in ("ended_at", "deadline_at"):
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[us]")
    frame["started_at"] = np.full(n, np.datetime64("NaT", "us"))
    return frame


def _steps(
    rng: random.Random,
    people: Sequence[tuple],
    received: dt.datetime,
    due: dt.datetime | None,
    finished: dt.datetime | None,
) -> list[tuple[tuple, str, dt.datetime | None, dt.datetime | None]]:
    """One dossier's steps: (officer, what, end or None when open, own deadline or None)."""
    desk = [p for p in people if p[3] == RECEPTION[2]]
    workers = [p for p in people if p[3] not in (RECEPTION[2], "Ký duyệt")]
    signers = [p for p in people if p[3] == "Ký duyệt"]
    late = finished is not None and due is not None and finished.date() > due.date()
    # Slow officers get more of the dossiers that went late: who held them is the point.
    weights = [p[4] ** (3 if late else -1) for p in workers]
    worker = rng.choices(workers, weights)[0]
    signer = rng.choice(signers)
    receiver = rng.choice(desk)
    end_of = finished or (due if due is not None else received + dt.timedelta(days=3))
    span = max(end_of - received, dt.timedelta(minutes=30))
    reception_end = received + dt.timedelta(minutes=rng.randint(5, 20))
    low, high = reception_end, end_of
    work_end = _office(received + span * rng.uniform(0.55, 0.8), low, high)
    sign_end = _office(received + span * rng.uniform(0.85, 0.95), work_end, high)
    has_deadline = due is not None and rng.random() < 0.4
    work_deadline = (
        dt.datetime.combine((received + (due - received) * 0.6).date(), dt.time(17))
        if has_deadline and due
        else None
    )
    out: list[tuple[tuple, str, dt.datetime | None, dt.datetime | None]] = [
        (receiver, RECEPTION[2], reception_end, None)
    ]
    if finished is None:  # still open: the dossier is with the worker or the signer
        if rng.random() < 0.7:
            out.append((worker, worker[3], None, work_deadline))
        else:
            out += [(worker, worker[3], work_end, work_deadline), (signer, signer[3], None, None)]
        return out
    out.append((worker, worker[3], work_end, work_deadline))
    if rng.random() < 0.3:  # a second look before signing (4 or 5 steps)
        second = rng.choice(workers)
        second_end = _office(received + span * 0.83, work_end, sign_end)
        out.append((second, "Kiểm tra, tham mưu", second_end, None))
    out.append((signer, signer[3], sign_end, None))
    out.append((receiver, RETURN, finished, None))
    return out


def _office(moment: dt.datetime, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """A step's end moved into office hours (07:30–17:00) of its day, kept between the
    step before it and the dossier's end."""
    day = moment.date()
    if moment.time() < dt.time(7, 30):
        moment = dt.datetime.combine(day, dt.time(7, 45)) + (
            moment - dt.datetime.combine(day, dt.time())
        )
    elif moment.time() > dt.time(17):
        moment = dt.datetime.combine(day, dt.time(16, 30))
    return min(max(moment, low), high)
