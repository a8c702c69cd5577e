"""The demo generator: realistic, deterministic, and faithful to the March 2025 directive.

Expected values are worked out here from the raw rows with the domain guide's rules,
independently of any code under test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, text

from data_access.bootstrap import prepare_database
from data_access.demo import generate_demo

# Q1/2025 per unit (GSO code and name), typed from seed 004 (quá hạn, tạm dừng, từ chối).
DIRECTIVE = {
    "291-NNMT Phòng Nông nghiệp và Môi trường": (1, 76, 25),
    "10606 Thị trấn Nam Sách": (8, 0, 2),
    "10639 Cộng Hòa": (1, 0, 1),
    "10618 Hiệp Cát": (1, 0, 1),
    "10654 Hồng Phong": (1, 0, 2),
    "10666 Minh Tân": (2, 0, 0),
    "10612 Nam Tân": (2, 0, 2),
    "10621 Quốc Tuấn": (3, 0, 2),
    "10642 Thái Tân": (1, 0, 1),
    "10633 Trần Phú": (2, 0, 3),
    "10657 Đồng Lạc": (0, 0, 2),
}
# Each dossier with its unit's code and name (a code names several units over time).
WITH_UNIT = "dossiers d JOIN units u ON u.id = d.unit_id"


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.date() if isinstance(value, dt.datetime) else value


def _rows(engine: Engine, sql: str) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql)).all()


def count_q1_by_hand(
    engine: Engine, start: dt.date, end: dt.date
) -> dict[str, tuple[int, int, int]]:
    """overdue, paused, returned per unit for [start, end], straight from the domain guide."""
    overdue, paused, returned = Counter(), Counter(), Counter()
    for unit, status, rec, due, fin in _rows(
        engine,
        "SELECT u.code || ' ' || u.name, status, received_at, due_at, finished_at "
        f"FROM {WITH_UNIT}",
    ):
        if status in ("new", "not_accepted"):
            continue
        rec, due, fin = _day(rec), _day(due), _day(fin)
        if rec > end or (fin is not None and fin < start):
            continue  # not handled in the period
        if status == "resolved" and fin is not None and start <= fin <= end and fin > due:
            overdue[unit] += 1  # resolved late in the period
        pending_at_end = fin is None or fin > end
        if pending_at_end and due < end and status not in ("supplement", "paused"):
            overdue[unit] += 1  # still pending and past due at the period's end
        if status == "paused" and fin is None:
            paused[unit] += 1
        if status == "returned" and fin is not None and start <= fin <= end:
            returned[unit] += 1
    units = set(overdue) | set(paused) | set(returned)
    return {u: (overdue[u], paused[u], returned[u]) for u in units}


def test_q1_2025_reproduces_the_directive_exactly(demo_engine: Engine) -> None:
    counts = count_q1_by_hand(demo_engine, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    nonzero = {u: c for u, c in counts.items() if any(c)}
    assert nonzero == {u: c for u, c in DIRECTIVE.items() if any(c)}


def test_other_periods_have_realistic_problems(demo_engine: Engine) -> None:
    # Outside Q1/2025 the weak units do have overdue and returned dossiers.
    counts = count_q1_by_hand(demo_engine, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert sum(c[0] for c in counts.values()) > 100
    assert sum(c[2] for c in counts.values()) > 100
    assert len([u for u, c in counts.items() if c[0] > 0]) > 15


def test_volume_channels_and_statuses_are_realistic(demo_engine: Engine) -> None:
    per_year = dict(
        _rows(
            demo_engine,
            """
        SELECT substr(CAST(received_at AS TEXT), 1, 4), count(*) FROM dossiers
        WHERE received_at IS NOT NULL GROUP BY 1""",
        )
    )
    assert 60_000 <= per_year["2024"] <= 80_000
    assert 60_000 <= per_year["2025"] <= 90_000  # the district, then the five communes
    assert 50_000 <= per_year["2026"] <= 80_000  # ten months
    channels = dict(_rows(demo_engine, "SELECT channel, count(*) FROM dossiers GROUP BY 1"))
    assert set(channels) == {1, 2, 3}
    statuses = dict(_rows(demo_engine, "SELECT status, count(*) FROM dossiers GROUP BY 1"))
    assert set(statuses) == {
        "new",
        "not_accepted",
        "received",
        "processing",
        "supplement",
        "withdrawn",
        "paused",
        "resolved",
        "returned",
    }
    assert statuses["resolved"] > 0.9 * sum(statuses.values())


def test_dossiers_respect_unit_validity_and_office_days(demo_engine: Engine) -> None:
    validity = {
        unit: (_day(a), _day(b))
        for unit, a, b in _rows(demo_engine, "SELECT id, valid_from, valid_to FROM units")
    }
    tet_2025 = {dt.date(2025, 1, d) for d in range(27, 32)}
    tet_2026 = {dt.date(2026, 2, d) for d in range(16, 21)}  # Tết Bính Ngọ
    bad_unit, bad_day, bad_hours, bad_due = [], [], [], []
    for unit, rec, due, channel in _rows(
        demo_engine,
        """
        SELECT unit_id, received_at, due_at, channel FROM dossiers
        WHERE received_at IS NOT NULL""",
    ):
        if isinstance(rec, str):
            rec = dt.datetime.fromisoformat(rec)
        lo, hi = validity[unit]
        if not lo <= rec.date() <= (hi or dt.date.max):
            bad_unit.append((unit, rec))
        if (
            rec.weekday() >= 5
            or rec.date() in tet_2025 | tet_2026
            or rec.date() == dt.date(2024, 9, 2)
        ):
            bad_day.append((unit, rec))
        if channel != 2 and not (dt.time(7, 30) <= rec.time() <= dt.time(17, 0)):
            bad_hours.append((unit, rec))
        if due is not None and _day(due) < rec.date():
            bad_due.append((unit, rec))
    assert bad_unit == [] and bad_day == [] and bad_hours == [] and bad_due == []
    merged_after = _rows(
        demo_engine,
        f"""
        SELECT count(*) FROM {WITH_UNIT} WHERE u.name IN ('Thanh Quang', 'Nam Chính',
        'Nam Trung', 'An Lâm', 'Phú Điền', 'Nam Hồng') AND received_at >= '2024-12-01'""",
    )
    assert merged_after[0][0] == 0


def _online_share(engine: Engine, start: str, end: str) -> dict[str, float]:
    rows = _rows(
        engine,
        f"""
        SELECT unit_id, sum(CASE WHEN channel = 2 THEN 1 ELSE 0 END), count(*) FROM dossiers
        WHERE status NOT IN ('new', 'not_accepted')
          AND received_at >= '{start}' AND received_at < '{end}'
        GROUP BY unit_id""",
    )
    return {unit: online / total for unit, online, total in rows}


def test_trends_improve_and_units_differ(demo_engine: Engine) -> None:
    # The district's units, early 2024 against their last quarter.
    early = _online_share(demo_engine, "2024-01-01", "2024-04-01")
    late = _online_share(demo_engine, "2025-04-01", "2025-07-01")
    both = set(early) & set(late)
    assert len(both) >= 20
    assert sum(late[u] > early[u] for u in both) == len(both)
    assert max(late.values()) - min(late.values()) > 0.15  # strong and weak units
    # The five communes from 1/7/2025, their first quarter against their newest.
    first = _online_share(demo_engine, "2025-07-01", "2025-10-01")
    newest = _online_share(demo_engine, "2026-07-01", "2026-10-01")
    assert len(first) == len(newest) == 5
    assert all(newest[u] > first[u] for u in first)
    below_target = [u for u, share in newest.items() if share < 0.80]
    assert 0 < len(below_target) < len(newest)


def _fingerprint(engine: Engine) -> str:
    digest = hashlib.sha256()
    for row in _rows(
        engine,
        """
        SELECT unit_id, code, procedure_code, channel, submitted_at, received_at, due_at,
               finished_at, returned_at, status, status_label, has_fee, paid_online, digitized,
               e_result, reused_data, supplement_requested_at, supplement_received_at
        FROM dossiers ORDER BY unit_id, code""",
    ):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _small_demo(url: str, seed: int) -> Engine:
    engine = prepare_database(url, demo_on_empty=False)
    with engine.begin() as conn:
        generate_demo(conn, seed=seed, scale=0.1)  # every unit and year, a tenth of the rows
    return engine


def test_generator_is_deterministic(tmp_path: Path) -> None:
    one, two, other = (
        _small_demo(f"sqlite:///{tmp_path / f'{name}.sqlite3'}", seed)
        for name, seed in (("one", 2025), ("two", 2025), ("other", 7))
    )
    assert _fingerprint(one) == _fingerprint(two) != _fingerprint(other)
    for engine in (one, two, other):
        engine.dispose()
