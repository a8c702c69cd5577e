"""The demo's 766 sources besides the dossiers: the procedure catalogue, PAKN, satisfaction
votes and sync counts, deterministic from the seed, so every unit version has every component
in every month of the demo.

Each source draws from its own random stream (never the dossiers'), so the demo's dossier
figures do not move when these change. Figures are shaped like an office's: most procedures
published on time and in full, a few late; PAKN now and then, mostly handled on time; most
citizens satisfied; the portal holding nearly every dossier, a few missing at weaker units.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from dashboard.domain import clock
from dashboard.domain.worktime import WorkCalendar
from data_access.db import inserted_id
from data_access.models import Field, Import, Procedure, Unit, rollup_unit_monthly
from data_access.score_models import FeedbackItem, ProcedureVersion, SatisfactionVote, SyncCount

KINDS = ("catalogue", "feedback", "satisfaction", "sync")
NAMES = {
    "catalogue": "danh mục TTHC",
    "feedback": "PAKN",
    "satisfaction": "phiếu hài lòng",
    "sync": "số hồ sơ đồng bộ",
}
MODELS: dict[str, Any] = {
    "catalogue": ProcedureVersion,
    "feedback": FeedbackItem,
    "satisfaction": SatisfactionVote,
    "sync": SyncCount,
}
LEVEL_OF_KIND = {"department": "huyen"}  # every other receiving unit: "xa"


def _rng(seed: int, name: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()[:16], 16))


def _import(conn: Connection, user: str, kind: str, seed: int) -> int:
    return inserted_id(
        conn.execute(
            insert(Import).values(
                created_at=clock.now(),
                user=user,
                file_name=f"Dữ liệu mẫu: {NAMES[kind]} (seed {seed})",
                file_hash=hashlib.sha256(f"demo:{kind}:{seed}".encode()).hexdigest(),
                status="committed",
                kind=kind,
            )
        )
    )


def _catalogue(conn: Connection, seed: int, import_id: int, cal: WorkCalendar) -> None:
    rng = _rng(seed, "catalogue")
    field = dict(
        conn.execute(
            select(Procedure.code, Procedure.field_id).where(Procedure.field_id.is_not(None))
        ).all()
    )
    names = dict(conn.execute(select(Field.id, Field.name)).all())
    rows: list[dict[str, Any]] = []
    for p in conn.execute(select(Procedure)).all():
        effective = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
        lead = rng.choice((5, 7, 10, 15, 20)) if rng.random() < 0.85 else rng.choice((0, 2, 3))
        decision = effective - dt.timedelta(days=lead + 2 * (lead // 5))
        public = cal.add_working_days(decision, rng.randint(1, 5) if rng.random() < 0.9 else 9)
        base = dict(
            code=p.code,
            name=p.name,
            level=p.level if p.level in ("xa", "huyen") else "xa",
            field_name=names.get(field.get(p.code, -1), ""),
            online_level=("toan_trinh" if rng.random() < 0.6 else "mot_phan")
            if p.online
            else "khong",
            has_fee=p.has_fee,
            payment_integrated=p.has_fee and p.online and rng.random() < 0.9,
            paper_result=rng.random() < 0.92,
            decision_on=decision,
            effective_from=effective,
            effective_to=None,
            published_on=public,
            parts_published=7 if rng.random() < 0.9 else rng.choice((5, 6)),
            import_id=import_id,
        )
        rows.append(base)
        if rng.random() < 0.2:  # re-published in 2025 by a new decision
            eff2 = dt.date(2025, rng.randint(1, 9), 1)
            rows.append(
                base
                | dict(
                    effective_from=eff2,
                    decision_on=eff2 - dt.timedelta(days=14),
                    published_on=eff2 - dt.timedelta(days=12),
                    parts_published=7,
                )
            )
    conn.execute(insert(ProcedureVersion), rows)


def _monthly(conn: Connection) -> dict[tuple[int, dt.date], int]:
    """Dossiers received per unit version and month (the rollups are built already)."""
    m = rollup_unit_monthly.c
    out = {}
    for unit, month, received in conn.execute(select(m.unit_id, m.month, m.received)):
        day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
        out[(unit, day.replace(day=1))] = int(received)
    return out


def add_demo_sources(
    conn: Connection, seed: int, user: str, start: dt.date, end: dt.date, cal: WorkCalendar
) -> None:
    """Replace the demo's catalogue, PAKN, satisfaction votes and sync counts (rows of imports
    by `user`) with new ones for every unit version valid in each month of [start, end]."""
    old = select(Import.id).where(Import.user == user, Import.kind.in_(KINDS))
    for model in (ProcedureVersion, FeedbackItem, SatisfactionVote, SyncCount):
        conn.execute(delete(model).where(model.import_id.in_(old)))
    conn.execute(delete(Import).where(Import.id.in_(old)))
    ids = {k: _import(conn, user, k, seed) for k in KINDS}
    _catalogue(conn, seed, ids["catalogue"], cal)
    received = _monthly(conn)
    units = conn.execute(select(Unit.id, Unit.code, Unit.valid_from, Unit.valid_to)).all()
    rng_f, rng_s, rng_y = (_rng(seed, n) for n in ("feedback", "satisfaction", "sync"))
    feedback, votes, synced = [], [], []
    month = start.replace(day=1)
    while month <= end:
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        last = min(end, nxt - dt.timedelta(days=1))
        for uid, code, vf, vt in units:
            if vf > last or (vt is not None and vt < month):
                continue
            first = max(month, vf)
            n = received.get((uid, month), 0)
            weak = int(hashlib.sha256(code.encode()).hexdigest(), 16) % 5 == 0
            for k in range(rng_f.choice((0, 0, 1, 1, 2, 3))):
                day = first + dt.timedelta(days=rng_f.randrange(0, (last - first).days + 1))
                due = cal.add_working_days(day, 10)
                handled = cal.add_working_days(day, rng_f.randint(2, 13 if weak else 10))
                done = handled if handled <= dt.date(2026, 10, 31) else None
                feedback.append(
                    dict(
                        unit_id=uid,
                        code=f"PAKN-{code}-{month:%Y%m}-{k + 1}",
                        received_on=day,
                        due_on=due,
                        handled_on=done,
                        category=rng_f.choice(("tthc", "tthc", "can_bo", "khac")),
                        rating=(
                            ""
                            if done is None or rng_f.random() < 0.15
                            else ("hai_long" if rng_f.random() < 0.85 else "khong_hai_long")
                        ),
                        import_id=ids["feedback"],
                    )
                )
            cast = round(n * rng_s.uniform(0.6, 0.9))
            votes.append(
                dict(
                    unit_id=uid,
                    month=month,
                    dossier_code="",
                    votes=cast,
                    satisfied=round(cast * rng_s.uniform(0.85, 0.98)),
                    import_id=ids["satisfaction"],
                )
            )
            short = round(n * rng_y.uniform(0.0, 0.06)) if weak else 0
            synced.append(dict(unit_id=uid, month=month, synced=n - short, import_id=ids["sync"]))
        month = nxt
    for model, rows in ((FeedbackItem, feedback), (SatisfactionVote, votes), (SyncCount, synced)):
        for i in range(0, len(rows), 5000):
            conn.execute(insert(model), rows[i : i + 5000])
    # Each demo import says what it wrote, as an office's import does (the data page lists it).
    for kind, written in MODELS.items():
        n = conn.execute(
            select(func.count()).select_from(written).where(written.import_id == ids[kind])
        ).scalar_one()
        conn.execute(update(Import).where(Import.id == ids[kind]).values(rows_read=n, inserted=n))
