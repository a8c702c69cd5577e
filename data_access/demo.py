"""Deterministic, realistic demo dossiers for Nam Sách, 1/1/2024 – 31/10/2026.

The data is a snapshot as the provincial system would export it at 17:00 on 31/10/2026.
Until 30/6/2025 the district's communes, town and departments receive dossiers (15 units
from 1/12/2024); from 1/7/2025 the five communes of Thành phố Hải Phòng that took over the
territory, with the district's duties too (land, construction, business registration).
Units have different sizes and strengths, some are weak on one indicator, and every rate
improves over time. Q1/2025 reproduces the overdue / paused / refused counts that the March
2025 directive lists per unit (and none for the units it does not name), counted by the
domain guide's rules.

Rows are generated day by day and inserted in chunks with SQLAlchemy Core, so
`--scale 50` (about 5 million dossiers) runs in bounded memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select

from dashboard.domain import clock
from dashboard.domain.units import Units
from dashboard.domain.worktime import WorkCalendar, first_response_minutes
from data_access import queries, rollups, step_rollups
from data_access.db import inserted_id
from data_access.demo_sources import add_demo_sources
from data_access.demo_steps import add_demo_histories
from data_access.models import Dossier, Import, Procedure, table_of
from data_access.step_models import Step, StepHistory

START = dt.date(2024, 1, 1)
END = dt.date(2026, 10, 31)
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 0)
Q1_START, Q1_END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
DEMO_USER = "tthc demo-data"

# Units are named by reference (data_access.reference): the code, or code@valid_from where a
# code names several versions (10621 is Thanh Quang until 30/11/2024, then Quốc Tuấn).
# Q1/2025 counts from the March 2025 directive (seed 004): unit -> (overdue, paused, refused).
DIRECTIVE_Q1_2025: dict[str, tuple[int, int, int]] = {
    "291-NNMT": (1, 76, 25),
    "10606@1997-01-01": (8, 0, 2),  # TT Nam Sách
    "10639": (1, 0, 1),  # Cộng Hòa
    "10618": (1, 0, 1),  # Hiệp Cát
    "10654": (1, 0, 2),  # Hồng Phong
    "10666": (2, 0, 0),  # Minh Tân
    "10612": (2, 0, 2),  # Nam Tân
    "10621@2024-12-01": (3, 0, 2),  # Quốc Tuấn
    "10642@1997-01-01": (1, 0, 1),  # Thái Tân
    "10633@2024-12-01": (2, 0, 3),  # Trần Phú
    "10657": (0, 0, 2),  # Đồng Lạc
}


@dataclass(frozen=True)
class Profile:
    """How a unit behaves: dossiers per working day, overall strength 0..1, weak spots."""

    rate: float
    strength: float
    weak: tuple[str, ...] = ()


# Sizes and strengths are invented but plausible; merged units add up their predecessors.
PROFILES: dict[str, Profile] = {
    "10606@1997-01-01": Profile(16, 0.70),  # TT Nam Sách
    "10609": Profile(9, 0.80),
    "10612": Profile(8, 0.50, ("online",)),
    "10615@1997-01-01": Profile(9, 0.75),  # Hợp Tiến
    "10618": Profile(10, 0.55),
    "10621@1997-01-01": Profile(7, 0.60),  # Thanh Quang
    "10624": Profile(11, 0.45, ("reception",)),
    "10627": Profile(8, 0.60),
    "10630": Profile(9, 0.85),
    "10633@1997-01-01": Profile(8, 0.55),  # Nam Trung
    "10636": Profile(7, 0.80, ("digitized",)),
    "10639": Profile(10, 0.60),
    "10642@1997-01-01": Profile(9, 0.50),  # Thái Tân
    "10645@1997-01-01": Profile(8, 0.70),  # An Lâm
    "10648": Profile(6, 0.75),
    "10651": Profile(6, 0.65),
    "10654": Profile(8, 0.55),
    "10657": Profile(9, 0.60, ("reuse",)),
    "10666": Profile(8, 0.40, ("payment",)),
    "10621@2024-12-01": Profile(18, 0.45, ("reception",)),  # Quốc Tuấn after the merger
    "10633@2024-12-01": Profile(16, 0.55),  # Trần Phú
    "10645@2024-12-01": Profile(14, 0.72),  # An Phú
    # From 1/7/2025: the five communes of Hải Phòng, their predecessors' volume plus a share of
    # the district's (land, construction, business registration moved to the communes).
    "10606@2025-07-01": Profile(46, 0.68),  # Xã Nam Sách
    "10642@2025-07-01": Profile(31, 0.52, ("payment",)),  # Xã Thái Tân
    "10633@2025-07-01": Profile(51, 0.55, ("reception",)),  # Xã Trần Phú
    "10615@2025-07-01": Profile(33, 0.74),  # Xã Hợp Tiến
    "10645@2025-07-01": Profile(40, 0.70),  # Xã An Phú
    "291-NNMT": Profile(22, 0.45, ("e_result",)),
    "291-TP": Profile(2, 0.85),
    "291-TCKH": Profile(4, 0.80),
    "291-KTHT": Profile(3, 0.60),
    "291-VHTT": Profile(0.5, 0.80),
    "291-NV": Profile(0.6, 0.75),
    "291-YT": Profile(1, 0.70),
    "291-LDTBXH": Profile(2, 0.65),
}
# After 1/12/2024 TT Nam Sách also takes Nam Hồng's dossiers.
MERGED_RATE_BONUS = {"10606@1997-01-01": 6}
VOLUME = 1.3  # brings the district to about 70 000 dossiers a year

# Procedure mix per unit kind: (code, weight, legal working days).
COMMUNE_MIX = [
    ("2.000815", 40, 0),
    ("2.000884", 12, 0),
    ("1.001193", 10, 1),
    ("1.000656", 3, 1),
    ("1.000894", 4, 1),
    ("1.004873", 8, 1),
    ("2.000635", 6, 1),
    ("2.000908", 3, 1),
    ("1.004884", 1, 3),
    ("1.004837", 0.5, 3),
    ("1.001022", 0.5, 3),
    ("1.001699", 1, 20),
    ("1.011607", 1, 7),
]
# The communes of the two-tier government also take the district's procedures.
TWO_TIER_MIX = COMMUNE_MIX + [
    ("1.004227", 0.8, 30),
    ("1.003010", 1.5, 10),
    ("1.004203", 0.5, 7),
    ("1.009994", 0.8, 15),
    ("1.009995", 0.3, 15),
    ("1.001612", 0.8, 3),
    ("1.001266", 0.3, 3),
    ("1.001695", 0.3, 5),
    ("1.001776", 0.4, 12),
    ("1.001758", 0.5, 7),
]
TWO_TIER_FROM = dt.date(2025, 7, 1)
DEPARTMENT_MIX = {
    "291-NNMT": [("1.004227", 3, 30), ("1.003010", 6, 10), ("1.004203", 2, 7)],
    "291-TP": [("1.001695", 1, 5), ("1.000893", 1, 10)],
    "291-TCKH": [("1.001612", 3, 3), ("1.001266", 1, 3)],
    "291-KTHT": [
        ("1.009994", 3, 15),
        ("1.009995", 1, 15),
        ("2.001240", 1, 10),
        ("2.000633", 1, 10),
    ],
    "291-VHTT": [("1.001009", 1, 5)],
    "291-NV": [("1.000775", 2, 20), ("1.002364", 1, 15)],
    "291-YT": [("1.003622", 1, 15)],
    "291-LDTBXH": [("1.001776", 1, 12), ("1.001758", 2, 7)],
}


def _clamp(p: float) -> float:
    return min(1.0, max(0.0, p))


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation keeps large scales fast
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Generator:
    def __init__(
        self,
        units: list[dict],
        procedures: dict[str, dict],
        seed: int,
        scale: float,
        profiles: dict[str, Profile] | None = None,
        directive: dict[str, tuple[int, int, int]] | None = None,
        start: dt.date = START,
    ):
        self.profiles = PROFILES if profiles is None else profiles
        self.directive = DIRECTIVE_Q1_2025 if directive is None else directive
        self.start = start
        self.rng = random.Random(seed)
        self.cal = WorkCalendar()
        self.units = units
        self.procs = procedures
        self.scale = scale
        self.seq: dict[tuple[str, dt.date], int] = {}
        self.valid_to = {u["ref"]: u["valid_to"] or END for u in units}
        self.ids = {u["ref"]: u["id"] for u in units}
        self.mixes = {}
        for code in self.profiles:
            mix = DEPARTMENT_MIX.get(code) or (
                TWO_TIER_MIX if code.endswith(f"@{TWO_TIER_FROM}") else COMMUNE_MIX
            )
            self.mixes[code] = (mix, list(itertools.accumulate(m[1] for m in mix)))
        # Q1/2025 quotas still to place: (unit, kind) -> count, placed from a day on.
        self.quota: dict[tuple[str, str], int] = {}
        self.quota_from: dict[tuple[str, str], dt.date] = {}
        for code, (overdue, paused, refused) in self.directive.items():
            for kind, n in (("overdue", overdue), ("paused", paused), ("refused", refused)):
                if n:
                    self.quota[(code, kind)] = n
                    self.quota_from[(code, kind)] = Q1_START + dt.timedelta(
                        days=self.rng.randint(5, 40)
                    )

    # -- helpers ---------------------------------------------------------------------------
    def office_time(self, day: dt.date) -> dt.datetime:
        a, b = self.cal.office_hours[self.rng.random() < 0.45]
        span = (dt.datetime.combine(day, b) - dt.datetime.combine(day, a)).seconds // 60
        return dt.datetime.combine(day, a) + dt.timedelta(minutes=self.rng.randrange(span))

    def code(self, unit: str, day: dt.date) -> str:
        n = self.seq[(unit, day)] = self.seq.get((unit, day), 0) + 1
        return f"{unit.partition('@')[0]}-{day:%y%m%d}-{n:04d}"

    # -- one dossier -----------------------------------------------------------------------
    def dossier(self, unit: str, day: dt.date, online: bool, t: float) -> dict | None:
        rng, cal, prof = self.rng, self.cal, self.profiles[unit]
        s = prof.strength
        mix, cum = self.mixes[unit]
        proc_code, _, days = rng.choices(mix, cum_weights=cum)[0]
        proc = self.procs[proc_code]
        row: dict = {
            "unit_id": self.ids[unit],
            "unit_ref": unit,
            "procedure_code": proc_code,
            "field_id": proc["field_id"],
            "channel": 2 if online else (3 if rng.random() < 0.06 else 1),
            "has_fee": proc["has_fee"],
            "returned_at": None,
            "finished_at": None,
            "supplement_requested_at": None,
            "supplement_received_at": None,
        }
        if online:
            # Citizens submit at any hour; the desk answers within some working minutes.
            if rng.random() < 0.7 and cal.is_working_day(day):
                submitted = self.office_time(day)
            else:
                submitted = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                    minutes=rng.randrange(24 * 60)
                )
            if submitted > SNAPSHOT:
                return None
            slow = 1.0 + 2.5 * ("reception" in prof.weak)
            delay = rng.expovariate(1 / ((60 + 260 * (1 - s) * (1 - 0.5 * t)) * slow))
            received = cal.add_working_minutes(submitted, delay)
            if received <= SNAPSHOT and received.date() > self.valid_to[unit]:
                return None  # the unit ceased to exist before the desk could answer
            row["submitted_at"] = submitted
            row["code"] = self.code(unit, submitted.date())
            if received > SNAPSHOT:
                row.update(
                    status="new",
                    status_label="Mới đăng ký",
                    received_at=None,
                    due_at=None,
                    digitized=False,
                    e_result=False,
                    reused_data=False,
                    paid_online=False,
                )
                return row
            if rng.random() < 0.015:
                row.update(
                    status="not_accepted",
                    status_label="Không được tiếp nhận",
                    received_at=None,
                    due_at=None,
                    finished_at=received,
                    digitized=False,
                    e_result=False,
                    reused_data=False,
                    paid_online=False,
                )
                return row
        else:
            received = self.office_time(day)
            row["submitted_at"] = received
            row["code"] = self.code(unit, day)

        def p(base: float, gain: float, spread: float, key: str) -> float:
            return _clamp(base + gain * t + spread * (s - 0.5) - 0.25 * (key in prof.weak))

        pay = p(0.45, 0.40, 0.4, "payment")
        row["paid_online"] = proc["has_fee"] and rng.random() < (pay if online else pay * 0.35)
        row["digitized"] = rng.random() < p(0.78, 0.22, 0.2, "digitized")
        row["e_result"] = rng.random() < p(0.72, 0.28, 0.3, "e_result")
        row["reused_data"] = rng.random() < p(0.10, 0.45, 0.4, "reuse")
        row["received_at"] = received
        rday = received.date()
        due_day = cal.add_working_days(rday, days)
        finish_day: dt.date
        late_p = (1 - s) * 0.05 * (1 - 0.6 * t) * (1.8 if unit == "291-NNMT" else 1)
        if rng.random() < late_p:
            finish_day = cal.add_working_days(due_day, rng.randint(1, 8))
        elif days == 0 or rng.random() < 0.25:
            finish_day = due_day
        else:
            finish_day = cal.add_working_days(rday, rng.randrange(days))
        if days and rng.random() < 0.04:
            # The desk asks for more documents; the clock (and the due day) moves by the wait.
            asked = self.office_time(cal.add_working_days(rday, 1))
            wait = rng.randint(1, 8)
            back = self.office_time(cal.add_working_days(asked.date(), wait))
            row["supplement_requested_at"] = asked
            due_day = cal.add_working_days(due_day, wait + 1)
            finish_day = cal.add_working_days(finish_day, wait + 1)
            if back > SNAPSHOT:
                row.update(
                    status="supplement",
                    status_label="Chờ bổ sung",
                    due_at=dt.datetime.combine(due_day, dt.time(17)),
                )
                return row
            row["supplement_received_at"] = back
        row["due_at"] = dt.datetime.combine(due_day, dt.time(17))
        finish = max(self.office_time(finish_day), received + dt.timedelta(minutes=20))
        r = rng.random()
        if r < 0.003:
            row.update(
                status="withdrawn",
                status_label="Rút hồ sơ",
                finished_at=min(finish, received + dt.timedelta(days=1)),
            )
        elif r < 0.003 + 0.004 + 0.006 * (1 - s):
            row.update(
                status="returned",
                status_label=rng.choice(["Trả lại", "Từ chối"]),
                finished_at=min(finish, row["due_at"]),
            )
        elif rday > END - dt.timedelta(days=150) and r < 0.02 + 0.02 * (unit == "291-NNMT"):
            row.update(status="paused", status_label="Tạm dừng")
        elif finish > SNAPSHOT:
            row.update(
                # Received in the snapshot's last days: not yet taken up by an officer.
                status="processing" if rday <= END - dt.timedelta(days=3) else "received",
                status_label=(
                    "Đang xử lý" if rday <= END - dt.timedelta(days=3) else "Được tiếp nhận"
                ),
            )
        else:
            handed = finish + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
            done = handed <= SNAPSHOT and rng.random() < 0.8
            row.update(
                status="resolved",
                finished_at=finish,
                status_label="Đã trả kết quả" if done else "Đã xử lý xong",
                returned_at=handed if done else None,
            )
        if row["status"] in ("returned", "withdrawn", "paused"):
            row["e_result"] = False
        return row

    # -- Q1/2025: exactly the directive's counts --------------------------------------------
    def fit_q1(self, row: dict) -> None:
        """Make a dossier clean for Q1/2025, then place the directive's cases on chosen ones."""
        rec, fin, due = row.get("received_at"), row["finished_at"], row.get("due_at")
        if rec is None or row["status"] in ("new", "not_accepted") or rec.date() > Q1_END:
            return
        if due is None:  # nothing to place on a dossier without a due date
            return
        if fin is not None and fin.date() < Q1_START:
            return
        status = row["status"]
        pending_end = fin is None or fin.date() > Q1_END
        bad = (
            (
                status == "resolved"
                and not pending_end
                and fin is not None
                and fin.date() > due.date()
            )
            or (pending_end and due.date() < Q1_END and status not in ("supplement", "paused"))
            or (status == "returned" and not pending_end)
            or (status == "paused")
        )
        if bad:
            fix = max(rec + dt.timedelta(minutes=20), dt.datetime.combine(due.date(), dt.time(16)))
            if fix > SNAPSHOT:
                row.update(status="processing", status_label="Đang xử lý", finished_at=None)
            else:
                row.update(
                    status="resolved",
                    status_label="Đã trả kết quả",
                    finished_at=fix,
                    returned_at=fix,
                )
        self._place_directive_case(row)

    def _place_directive_case(self, row: dict) -> None:
        rec, fin, due = row["received_at"], row["finished_at"], row["due_at"]
        unit = row["unit_ref"]
        if not (Q1_START <= rec.date() <= Q1_END) or row["status"] != "resolved":
            return
        if fin.date() > Q1_END:
            return
        for kind in ("paused", "overdue", "refused"):
            key = (unit, kind)
            if not self.quota.get(key) or rec.date() < self.quota_from[key]:
                continue
            if kind == "overdue":
                late = dt.datetime.combine(due.date() + dt.timedelta(days=2), dt.time(15))
                if late.date() > Q1_END:
                    continue
                row.update(finished_at=late, returned_at=late)
            elif kind == "refused":
                row.update(
                    status="returned", status_label="Từ chối", e_result=False, returned_at=None
                )
            else:
                row.update(
                    status="paused",
                    status_label="Tạm dừng",
                    finished_at=None,
                    returned_at=None,
                    e_result=False,
                )
            self.quota[key] -= 1
            return

    # -- the whole range -------------------------------------------------------------------
    def rows(self) -> Iterator[dict]:
        span = (END - START).days
        day = self.start
        while day <= END:
            t = (day - START).days / span
            working = self.cal.is_working_day(day)
            for u in self.units:
                code = u["ref"]
                valid = u["valid_from"] <= day <= (u["valid_to"] or END)
                if code not in self.profiles or not valid:
                    continue
                prof = self.profiles[code]
                rate = prof.rate + (
                    MERGED_RATE_BONUS.get(code, 0) if day >= dt.date(2024, 12, 1) else 0
                )
                rate *= VOLUME * self.scale
                online_share = _clamp(
                    0.35 + 0.40 * t + 0.3 * (prof.strength - 0.5) - 0.2 * ("online" in prof.weak)
                )
                # Online submissions arrive every day, counter dossiers only on working days.
                n_online = _poisson(self.rng, rate * online_share * (1.0 if working else 0.25))
                n_direct = _poisson(self.rng, rate * (1 - online_share)) if working else 0
                for online in [True] * n_online + [False] * n_direct:
                    row = self.dossier(code, day, online, t)
                    if row is not None:
                        if self.directive:
                            self.fit_q1(row)
                        yield row
            day += dt.timedelta(days=1)
        missing = {k: v for k, v in self.quota.items() if v}
        if missing:
            raise RuntimeError(
                f"demo data could not place the directive's Q1/2025 cases: {missing}"
            )


# A city's units from the national list: about 1.5 million dossiers a year at scale 1.
CITY_RATE = 35.0  # a commune's average (× VOLUME): 114 units ≈ 1,5 million a year


def city_profiles(units: Units, province: str, seed: int) -> dict[str, Profile]:
    """Sizes and strengths for every commune, ward and special zone of a province or city of
    the two-tier map (wards larger, special zones smaller), deterministic from `seed`."""
    rng = random.Random(f"{seed}:{province}")
    head = units.valid_on(province, TWO_TIER_FROM)
    if head is None:
        raise RuntimeError(f"the units of {province} are missing: tthc load-reference --province")
    size = {"ward": 1.25, "commune": 0.95, "special_zone": 0.3}
    weak = ("online", "payment", "digitized", "reuse", "reception", "e_result")
    out = {}
    for u in sorted(units.children(head.id), key=lambda u: u.code):
        rate = CITY_RATE * size.get(u.kind, 1.0) * rng.uniform(0.5, 1.5)
        strength = rng.uniform(0.4, 0.85)
        out[u.ref] = Profile(rate, strength, (rng.choice(weak),) if rng.random() < 0.3 else ())
    return out


def _extras_stream(seed: int) -> random.Random:
    # A stream of its own: the dossiers' other figures stay what they were before these.
    return random.Random(int(hashlib.sha256(f"{seed}:766-extras".encode()).hexdigest()[:16], 16))


def _add_766_extras(row: dict, rng: random.Random) -> None:
    """Data from the national store, VNeID accounts and repeated supplement requests, more
    common as the years go by (the 766 digitization and on-time formulas read them)."""
    day = row.get("received_at") or row.get("submitted_at")
    t = 0.0 if day is None else min(1.0, max(0.0, (day.year - 2024) / 2))
    accepted = row["status"] not in ("new", "not_accepted")
    row["national_store"] = accepted and rng.random() < 0.25 + 0.45 * t
    row["vneid"] = row["channel"] == 2 and rng.random() < 0.45 + 0.45 * t
    asked = row.get("supplement_requested_at") is not None
    row["supplement_count"] = (2 if rng.random() < 0.08 else 1) if asked else 0


def generate_demo(
    conn: Connection,
    seed: int = 2025,
    scale: float = 1.0,
    chunk: int = 20_000,
    progress: Callable[[int], None] | None = None,
    province: str | None = None,
) -> int:
    """Insert demo dossiers in `conn`'s transaction (replacing older demo rows); returns count.
    With `province` ('31'), the city's communes and wards from 1/7/2025 instead of Nam Sách."""
    directory = queries.all_units(conn)
    versions = directory.values()
    units = [
        {"id": u.id, "ref": u.ref, "valid_from": u.valid_from, "valid_to": u.valid_to}
        for u in sorted(versions, key=lambda u: (u.sort_order, u.valid_from))
    ]
    procs = {r.code: dict(r._mapping) for r in conn.execute(select(Procedure))}
    if not units or not procs:
        raise RuntimeError("reference data is missing: run `tthc load-reference` first")
    old = select(Import.id).where(Import.user == DEMO_USER).scalar_subquery()
    old_dossiers = select(Dossier.id).where(Dossier.import_id.in_(old))
    had_steps = conn.execute(delete(Step).where(Step.dossier_id.in_(old_dossiers))).rowcount
    conn.execute(delete(StepHistory).where(StepHistory.dossier_id.in_(old_dossiers)))
    conn.execute(delete(Dossier).where(Dossier.import_id.in_(old)))
    conn.execute(delete(Import).where(Import.user == DEMO_USER))
    import_id = inserted_id(
        conn.execute(
            insert(Import).values(
                created_at=clock.now(),
                user=DEMO_USER,
                file_name=f"Dữ liệu mẫu: hồ sơ (seed {seed}, tỉ lệ {scale:g})".replace(".", ","),
                file_hash=hashlib.sha256(f"demo:{seed}:{scale}".encode()).hexdigest(),
                status="committed",
            )
        )
    )
    total, batch = 0, []
    if province:
        profiles = city_profiles(directory, province, seed)
        gen = _Generator(units, procs, seed, scale, profiles, {}, TWO_TIER_FROM)
    else:
        gen = _Generator(units, procs, seed, scale)
    extras = _extras_stream(seed)
    for row in gen.rows():
        del row["unit_ref"]
        row["import_id"] = import_id
        _add_766_extras(row, extras)
        row["first_response_minutes"] = first_response_minutes(
            gen.cal,
            channel=row["channel"],
            status=row["status"],
            submitted_at=row["submitted_at"],
            received_at=row["received_at"],
            supplement_requested_at=row["supplement_requested_at"],
            finished_at=row["finished_at"],
        )
        batch.append(row)
        if len(batch) >= chunk:
            conn.execute(insert(Dossier), batch)
            total += len(batch)
            batch = []
            if progress:
                progress(total)
    if batch:
        conn.execute(insert(Dossier), batch)
        total += len(batch)
    rollups.rebuild(conn)  # bumps the data version
    add_demo_sources(conn, seed, DEMO_USER, START if not province else TWO_TIER_FROM, END, gen.cal)
    add_demo_histories(conn, import_id, seed, gen.cal)
    if had_steps:  # the old demo's officer counts go with its steps
        step_rollups.rebuild(conn)
    conn.execute(
        table_of(Import)
        .update()
        .where(Import.id == import_id)
        .values(rows_read=total, inserted=total)
    )
    return total


def ensure_demo(engine: Engine, seed: int = 2025) -> int | None:
    """Fill an empty dossier table with demo data; returns the count, or None if data exists."""
    with engine.begin() as conn:
        if conn.execute(select(Dossier.id).limit(1)).first() is not None:
            return None
        return generate_demo(conn, seed=seed)
