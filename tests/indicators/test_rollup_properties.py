"""Property tests: the rollup path equals a straightforward computation over raw rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert, select

from dashboard.domain import rules
from dashboard.domain.worktime import WorkCalendar
from data_access import rollups
from data_access.counts import QUANTITIES, Filters, period_counts
from data_access.db import make_engine, migrate
from data_access.measures import MEASURES
from data_access.models import (
    PROJECTIONS,
    Dossier,
    Import,
    Procedure,
    Unit,
    rollup_daily,
    rollup_monthly,
)
from data_access.reference import load_reference
from data_access.writer import store_dossiers

# Dossiers over 80 days from mid-November: the drawn periods cross month ends and the year end.
BASE = dt.datetime(2024, 11, 20, 8, 0)
UNITS = ["10606", "10609", "10612", "291-NNMT"]
PROCS = ["1.001193", "2.000815", "1.004227"]
CAL = WorkCalendar()


@st.composite
def dossier(draw, code: int) -> dict:
    status = draw(
        st.sampled_from(
            [
                "new",
                "not_accepted",
                "received",
                "processing",
                "supplement",
                "withdrawn",
                "paused",
                "resolved",
                "resolved",
                "returned",
            ]
        )
    )
    channel = draw(st.sampled_from([1, 2, 2, 3]))
    submitted = BASE + dt.timedelta(hours=draw(st.integers(0, 24 * 80)))
    received = submitted + dt.timedelta(hours=draw(st.integers(0, 60)))
    due = received + dt.timedelta(days=draw(st.integers(0, 15)))
    # Finish around the due day (before, on, after it) so every boundary is exercised.
    finished = max(
        received + dt.timedelta(hours=1),
        due.replace(hour=0)
        + dt.timedelta(days=draw(st.integers(-6, 4)), hours=draw(st.integers(7, 17))),
    )
    row = {
        "unit_code": draw(st.sampled_from(UNITS)),
        "code": f"P-{code}",
        "procedure_code": draw(st.sampled_from(PROCS)),
        "channel": channel,
        "status": status,
        "submitted_at": submitted,
        "received_at": received,
        "due_at": due,
        "finished_at": finished if status in ("resolved", "withdrawn", "returned") else None,
        "has_fee": draw(st.booleans()),
        "paid_online": draw(st.booleans()),
        "digitized": draw(st.booleans()),
        "e_result": draw(st.booleans()),
        "reused_data": draw(st.booleans()),
        "supplement_requested_at": received if status == "supplement" else None,
    }
    if status == "new":
        row.update(received_at=None, due_at=None)
    if status == "not_accepted":
        row.update(received_at=None, due_at=None, finished_at=received)
    return row


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment else None


def by_hand(rows: list[dict], start: dt.date, end: dt.date, field_of: dict) -> dict[str, Counter]:
    """The domain guide's rules, applied to each raw row."""
    out: dict[str, Counter] = {}
    for r in rows:
        c = out.setdefault(r["unit_code"], Counter())
        rec, due, fin, sub = (
            _day(r[k]) for k in ("received_at", "due_at", "finished_at", "submitted_at")
        )
        status = r["status"]
        if r["channel"] == 2 and sub and start <= sub <= end:
            c["online_submitted"] += 1
            answers = [t for t in (r["received_at"], r["supplement_requested_at"]) if t]
            if status == "not_accepted":
                answers.append(r["finished_at"])
            if answers and CAL.working_minutes_between(r["submitted_at"], min(answers)) <= 360:
                c["online_answered_6h"] += 1
        if status in ("new", "not_accepted"):
            continue
        if start <= rec <= end:
            c["received"] += 1
            c["received_online"] += r["channel"] == 2
            c["received_fee"] += r["has_fee"]
            c["received_fee_paid"] += r["has_fee"] and r["paid_online"]
            c["received_digitized"] += r["digitized"]
            c["received_reused"] += r["reused_data"]
        in_period = fin is not None and start <= fin <= end
        if status == "resolved" and in_period:
            c["resolved"] += 1
            c["resolved_e_result"] += r["e_result"]
            c["on_time"] += fin <= due
            c["overdue"] += fin > due
        if status in ("withdrawn", "returned") and in_period:
            c["on_time"] += 1
            c["returned"] += status == "returned"
        if rec <= end and (fin is None or fin >= start):
            c["handled"] += 1
            if fin is None or fin > end:
                if due < end and status not in ("supplement", "paused"):
                    c["overdue"] += 1
                else:
                    c["on_time"] += 1
            c["paused"] += status == "paused" and fin is None
    return out


def from_rollups(counts: dict) -> Counter:
    v = rules.compute(counts)
    s = rules.states(counts)
    return Counter(
        {
            "online_submitted": v["online_reception_6h"].denominator,
            "online_answered_6h": v["online_reception_6h"].numerator,
            "received": v["online_submission"].denominator,
            "received_online": v["online_submission"].numerator,
            "received_fee": v["online_payment"].denominator,
            "received_fee_paid": v["online_payment"].numerator,
            "received_digitized": v["dossier_digitization"].numerator,
            "received_reused": v["data_reuse"].numerator,
            "resolved": v["result_digitization"].denominator,
            "resolved_e_result": v["result_digitization"].numerator,
            "on_time": v["on_time"].numerator,
            "handled": s["handled"],
            "overdue": int(v["overdue"].value),
            "paused": int(v["paused"].value),
            "returned": int(v["returned"].value),
        }
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def prop_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The same property on both databases (day arithmetic and date types differ)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database("prop")
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        load_reference(conn)
    return engine


@pytest.fixture(scope="module")
def unit_ids(prop_engine: Engine) -> dict[str, int]:
    """Code -> unit version id (each of UNITS has one version)."""
    with prop_engine.connect() as conn:
        return dict(conn.execute(select(Unit.code, Unit.id).where(Unit.code.in_(UNITS))).all())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    n=st.integers(0, 60),
    start=st.integers(0, 80),
    length=st.integers(1, 70),
    filter_on=st.sampled_from([None, "field", "procedure"]),
)
def test_rollups_equal_raw_rules(
    prop_engine: Engine, unit_ids: dict[str, int], data, n, start, length, filter_on
) -> None:
    rows = [data.draw(dossier(i)) for i in range(n)]
    # A later export changes some of them (same unit, same code, anything else may differ).
    later = (
        {
            i: data.draw(dossier(i)) | {"unit_code": rows[i]["unit_code"]}
            for i in data.draw(st.sets(st.integers(0, n - 1), max_size=n))
            if n
        }
        if n
        else {}
    )
    with prop_engine.begin() as conn:
        conn.execute(delete(Dossier))
        conn.execute(delete(Import))
        rollups.rebuild(conn)
        field_of = dict(conn.execute(select(Procedure.code, Procedure.field_id)).all())

        def stored(chosen: list[dict]) -> list[dict]:
            return [
                {k: v for k, v in r.items() if k != "unit_code"}
                | {"unit_id": unit_ids[r["unit_code"]], "field_id": field_of[r["procedure_code"]]}
                for r in chosen
            ]

        # Two imports, so both ways of keeping rollups in step run: the new rows' events
        # from the columns in memory, the changed rows' from SQL.
        for number, batch in ((1, rows), (2, list(later.values()))):
            conn.execute(
                insert(Import).values(
                    id=number, created_at=BASE, user="t", file_name="f", file_hash="h",
                    status="committed",
                )
            )  # fmt: skip
            store_dossiers(conn, stored(batch), import_id=number)
    rows = [later.get(i, r) for i, r in enumerate(rows)]
    for r in rows:
        r["field_id"] = field_of[r["procedure_code"]]
    code_of = {v: k for k, v in unit_ids.items()}
    first = BASE.date() + dt.timedelta(days=start)
    last = first + dt.timedelta(days=length - 1)
    chosen = rows
    filters = Filters()
    if filter_on == "field":
        fid = field_of["2.000815"]
        filters = Filters(field_ids=(fid,))
        chosen = [r for r in rows if r["field_id"] == fid]
    elif filter_on == "procedure":
        filters = Filters(procedure_codes=("2.000815",))
        chosen = [r for r in rows if r["procedure_code"] == "2.000815"]
    expected = by_hand(chosen, first, last, field_of)
    with prop_engine.connect() as conn:
        got = {
            code_of[k[0]]: from_rollups(v)
            for k, v in period_counts(conn, first, last, None, filters).items()
        }
        whole = period_counts(conn, first, last, list(code_of), filters, by=("channel",))
        per_procedure = period_counts(
            conn, first, last, None, filters, by=("unit_id", "procedure_code")
        )
    for unit in set(expected) | set(got):
        want = +expected.get(unit, Counter())
        have = +got.get(unit, Counter())
        assert have == want, unit
    # The parent's counts, grouped another way (by channel), add up to the units' sum.
    summed = rules.add_counts([dict.fromkeys(QUANTITIES, 0), *whole.values()])
    unit_sum = Counter()
    for unit in got:
        unit_sum.update(+got[unit])
    assert +from_rollups(summed) == unit_sum
    # Per unit and procedure (another daily table), summed per unit: the same counts.
    regrouped: dict[str, Counter] = {}
    for (unit_id, _proc), v in per_procedure.items():
        regrouped.setdefault(code_of[unit_id], Counter()).update(+from_rollups(v))
    assert {u: +c for u, c in regrouped.items() if +c} == {u: +c for u, c in got.items() if +c}

    # Rollups maintained incrementally equal a full rebuild (a key whose count went back to
    # zero may keep a row of zeros: it carries nothing).
    def nonzero(conn) -> list:
        return sorted(
            r for r in (tuple(r)[1:] for r in conn.execute(select(rollup_daily))) if any(r[5:])
        )

    def projections(conn) -> dict[str, list]:
        """Each narrow table's non-zero rows."""
        out = {}
        for p in PROJECTIONS:
            for table, bucket in ((p.daily, "day"), (p.monthly, "month")):
                cols = [table.c[k] for k in (*p.keys, bucket, *MEASURES)]
                rows = (tuple(r) for r in conn.execute(select(*cols)))
                out[table.name] = sorted(
                    (r for r in rows if any(r[len(p.keys) + 1 :])), key=lambda r: repr(r)
                )
        return out

    def summed_monthly(conn) -> dict[str, list]:
        """rollup_monthly summed here over the keys each narrow month-end table drops."""
        out = {}
        for p in PROJECTIONS:
            sums: dict[tuple, Counter] = {}
            for r in conn.execute(select(rollup_monthly)):
                key = (*[r._mapping[k] for k in p.keys], r.month)
                sums.setdefault(key, Counter()).update({m: r._mapping[m] for m in MEASURES})
            out[p.monthly.name] = sorted(
                (
                    (*key, *[c[m] for m in MEASURES])
                    for key, c in sums.items()
                    if any(c[m] for m in MEASURES)
                ),
                key=lambda r: repr(r),
            )
        return out

    with prop_engine.begin() as conn:
        before, before_narrow, before_sums = nonzero(conn), projections(conn), summed_monthly(conn)
        rollups.rebuild(conn)
        after, after_narrow, after_sums = nonzero(conn), projections(conn), summed_monthly(conn)
    assert before == after
    # The narrow month-end tables hold rollup_monthly's sums after every write (whose last
    # month may differ from a rebuild's: a key whose late events went back to zero keeps a
    # day row of zeros, and the month-end totals reach it, repeating the last total).
    for narrow, sums in ((before_narrow, before_sums), (after_narrow, after_sums)):
        assert {k: narrow[k] for k in sums} == sums
    # The narrow daily tables kept by each write equal a rebuild's.
    for p in PROJECTIONS:
        assert before_narrow[p.daily.name] == after_narrow[p.daily.name]
